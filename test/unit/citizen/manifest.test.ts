// The package a user installs: manifest shape (localised, grouped, bounded, no placeholders), the
// walkthrough's and README's images on disk and inside the .vsix file list, the icon's size.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;

interface Schema {
  type?: string | string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  description?: string;
  markdownDescription?: string;
  items?: Schema;
}
interface Section {
  id: string;
  title: string;
  order: number;
  properties: Record<string, Schema>;
}
const sections = pkg.contributes.configuration as Section[];
const properties = Object.assign({}, ...sections.map((s) => s.properties)) as Record<
  string,
  Schema
>;

/** Every string in the manifest's contributions and display fields. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** The `.vsix` file list, as `vsce ls` prints it. */
function packagedFiles(): string[] {
  const out = execFileSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

describe('the manifest', () => {
  it('groups the settings in titled, ordered sections', () => {
    expect(Array.isArray(sections)).toBe(true);
    const titles = sections.map((s) => nls[s.title.slice(1, -1)]);
    const ours = [
      'General',
      'Chat view',
      'Glimesh',
      'Mixer',
      'TAU (Twitch)',
      'Sending code',
      'Highlights',
    ];
    expect(titles.filter((t) => ours.includes(t!))).toEqual(ours);
    const orders = sections.map((s) => s.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    expect(new Set(orders).size).toBe(orders.length);
    for (const s of sections) expect(s.title).toMatch(/^%[\w.]+%$/);
  });

  it('keeps every setting of the contract with its default', () => {
    expect(properties['streamChat.scrollback']?.default).toBe(1000);
    expect(properties['streamChat.tau.url']?.default).toBe('http://localhost:8000');
    expect(properties['streamChat.glimesh.socketUrl']?.default).toBe(
      'wss://glimesh.tv/api/graph/websocket',
    );
    expect(properties['streamChat.tau.keepAliveIntervalSeconds']?.default).toBe(120);
    expect(properties['streamChat.view.fontSize']?.default).toBe(13);
  });

  it('bounds every number', () => {
    const numbers = Object.entries(properties).filter(
      ([, s]) => s.type === 'number' || s.type === 'integer',
    );
    expect(numbers.length).toBeGreaterThan(2);
    for (const [key, s] of numbers) {
      expect(typeof s.minimum, key).toBe('number');
      expect(typeof s.maximum, key).toBe('number');
      expect(s.default as number, key).toBeGreaterThanOrEqual(s.minimum!);
      expect(s.default as number, key).toBeLessThanOrEqual(s.maximum!);
    }
    expect([
      properties['streamChat.tau.keepAliveIntervalSeconds']!.minimum,
      properties['streamChat.tau.keepAliveIntervalSeconds']!.maximum,
    ]).toEqual([5, 3600]);
    expect([
      properties['streamChat.scrollback']!.minimum,
      properties['streamChat.scrollback']!.maximum,
    ]).toEqual([100, 100000]);
    expect([
      properties['streamChat.view.fontSize']!.minimum,
      properties['streamChat.view.fontSize']!.maximum,
    ]).toEqual([8, 32]);
  });

  it('takes every title and description from package.nls.json', () => {
    for (const [key, s] of Object.entries(properties)) {
      const text = s.markdownDescription ?? s.description;
      expect(text, key).toMatch(/^%[\w.-]+%$/);
    }
    for (const c of pkg.contributes.commands as Array<{ title: string; category: string }>) {
      expect(c.title).toMatch(/^%[\w.-]+%$/);
      expect(c.category).toMatch(/^%[\w.-]+%$/);
    }
    const placeholders = strings([pkg.displayName, pkg.description, pkg.contributes]).filter((s) =>
      /^%[\w.-]+%$/.test(s),
    );
    expect(placeholders.length).toBeGreaterThan(50);
    for (const p of placeholders) expect(nls[p.slice(1, -1)], p).toBeTypeOf('string');
  });

  it('links the descriptions to the commands that exist', () => {
    const commands = new Set(
      (pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command),
    );
    const links = Object.values(nls).flatMap((t) =>
      [...t.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]!),
    );
    expect(links).toContain('streamChat.setToken');
    for (const id of links.filter((l) => l.startsWith('streamChat.')))
      expect(commands.has(id), id).toBe(true);
  });

  it('has no placeholder URL, runs on the UI side first, and says what it supports', () => {
    expect(read('package.json')).not.toMatch(/example\.(invalid|com|org)/);
    expect(pkg.extensionKind).toEqual(['ui', 'workspace']);
    expect(pkg.capabilities.virtualWorkspaces).toBe(true);
    expect(pkg.galleryBanner.color).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('has a 128×128 PNG icon', () => {
    const png = readFileSync(path.join(ROOT, pkg.icon as string));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]);
  });

  it('packages the icon, the walkthrough images and the README screenshots', () => {
    const files = packagedFiles();
    const readmeImages = [...read('README.md').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((u) => !/^https?:/.test(u));
    const walkthroughImages = (
      pkg.contributes.walkthroughs as Array<{ steps: Array<{ media: { image: string } }> }>
    ).flatMap((w) => w.steps.map((s) => s.media.image));
    expect(readmeImages.length).toBeGreaterThan(0);
    expect(walkthroughImages.length).toBe(5);
    for (const file of [pkg.icon as string, ...readmeImages, ...walkthroughImages]) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
      expect(files, file).toContain(file);
    }
  }, 120_000);

  it('writes the CHANGELOG in Keep a Changelog form', () => {
    const changelog = read('CHANGELOG.md');
    expect(changelog).toMatch(/keepachangelog\.com/);
    expect(changelog).toMatch(/^## \[Unreleased\]$/m);
    expect(changelog).toMatch(
      new RegExp(`^## \\[${String(pkg.version).replace(/\./g, '\\.')}\\]`, 'm'),
    );
    for (const heading of changelog.match(/^### .+$/gm) ?? [])
      expect([
        '### Added',
        '### Changed',
        '### Deprecated',
        '### Removed',
        '### Fixed',
        '### Security',
      ]).toContain(heading);
  });
});
