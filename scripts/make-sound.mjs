// Writes media/highlight.wav: the short chime the chat view plays for mentions and highlight
// rules (streamChat.view.sound). 16-bit mono PCM, 22 050 Hz, two soft sine notes with a fade, so
// the file is small and needs no licence. Run: node scripts/make-sound.mjs
import { writeFileSync } from 'node:fs';

const rate = 22_050;
const notes = [
  { hz: 880, ms: 90 },
  { hz: 1320, ms: 130 },
];
const samples = [];
for (const { hz, ms } of notes) {
  const n = Math.round((rate * ms) / 1000);
  for (let i = 0; i < n; i++) {
    const attack = Math.min(1, i / (rate * 0.005));
    const release = Math.pow(1 - i / n, 2);
    samples.push(
      Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * attack * release * 0.35 * 32767),
    );
  }
}
const data = Buffer.alloc(samples.length * 2);
samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + data.length, 4);
header.write('WAVE', 8);
header.write('fmt ', 12);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(rate, 24);
header.writeUInt32LE(rate * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write('data', 36);
header.writeUInt32LE(data.length, 40);
writeFileSync(new URL('../media/highlight.wav', import.meta.url), Buffer.concat([header, data]));
console.log(`media/highlight.wav: ${44 + data.length} bytes`);
