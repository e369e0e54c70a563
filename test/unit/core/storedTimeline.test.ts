import { describe, expect, it } from 'vitest';
import { ChatMessage } from '../../../src/core/message';
import { boundStoredTimeline, readStoredTimeline } from '../../../src/core/storedTimeline';

const good = (id: string, text = 'hi'): ChatMessage => ({
  id,
  platform: 'tau',
  channel: 'codercat',
  kind: 'chat',
  author: { name: 'viewer', displayName: 'Viewer', roles: ['subscriber'] },
  parts: [{ type: 'text', text }],
  receivedAt: 1,
  flags: {},
});

describe('the stored timeline', () => {
  it('keeps the good entries and drops each bad one with a reason', () => {
    const stored = [
      good('a'),
      null,
      { ...good('b'), platform: 'youtube' },
      { ...good('c'), parts: [{ type: 'script', text: 'x' }] },
      { ...good('d'), receivedAt: 'yesterday' },
      { ...good('e'), id: '' },
      { ...good('f'), author: { name: 3 } },
      good('g'),
    ];
    const { messages, dropped } = readStoredTimeline(stored);
    expect(messages.map((m) => m.id)).toEqual(['a', 'g']);
    expect(dropped).toEqual([
      'entry 1: not an object',
      'entry 2: unknown platform',
      'entry 3: bad parts',
      'entry 4: no time',
      'entry 5: no id',
      'entry 6: bad author',
    ]);
  });

  it('reads nothing from a value that is not a list, and says so', () => {
    expect(readStoredTimeline({ 0: good('a') })).toEqual({
      messages: [],
      dropped: ['the stored timeline is not a list'],
    });
    expect(readStoredTimeline(undefined)).toEqual({ messages: [], dropped: [] });
  });

  it('keeps the newest lines within the byte bound', () => {
    const lines = Array.from({ length: 100 }, (_, i) => good(String(i), 'x'.repeat(1000)));
    const kept = boundStoredTimeline(lines, 20_000);
    expect(JSON.stringify(kept).length).toBeLessThanOrEqual(20_000);
    expect(kept.length).toBeGreaterThan(10);
    expect(kept.at(-1)?.id).toBe('99');
    expect(kept[0]?.id).toBe(String(100 - kept.length));
  });
});
