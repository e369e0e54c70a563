import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import type * as vscode from 'vscode';
import { describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { Emitter } from '../../../src/core/event';
import { nullLogger } from '../../../src/core/log';
import { PLATFORM_IDS } from '../../../src/core/message';
import {
  MAX_TIMER_MS,
  SETTINGS,
  SettingKey,
  DEFAULT_BLOCKED_FILES,
  platformSettingsFrom,
  readSetting,
  settingsReader,
} from '../../../src/core/settings';
import { PLATFORM_FACTORIES, TOKEN_DESTINATIONS } from '../../../src/platformFactories';
import { glimeshSettingsFrom } from '../../../src/platforms/glimesh';
import { mixerSettingsFrom } from '../../../src/platforms/mixer';
import { tauSettingsFrom } from '../../../src/platforms/tau';
import { viewSettingsFrom } from '../../../src/protocol/viewSettings';
import { blockedBy } from '../../../src/send/secretScanner';
import { ChatViewConnection } from '../../../src/ui/chatViewConnection';
import { FakeWebview } from '../support/fakeWebview';

const isSettingKey = (key: string): key is SettingKey =>
  Object.prototype.hasOwnProperty.call(SETTINGS, key);

interface ManifestProperty {
  type: string | string[];
  default: unknown;
  minimum?: number;
  maximum?: number;
  enum?: string[];
}
const manifest = JSON.parse(
  readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
) as {
  contributes: {
    configuration:
      | { properties: Record<string, ManifestProperty> }
      | Array<{ properties: Record<string, ManifestProperty> }>;
  };
};
const properties = Object.assign(
  {},
  ...[manifest.contributes.configuration].flat().map((s) => s.properties),
) as Record<string, ManifestProperty>;
const KEYS = Object.keys(SETTINGS) as SettingKey[];

describe('the settings schema', () => {
  it('has every setting of package.json with the same type, default and range', () => {
    for (const [full, property] of Object.entries(properties)) {
      const key = full.replace(/^streamChat\./, '');
      expect(isSettingKey(key), `${full} is in core/settings.ts`).toBe(true);
      if (!isSettingKey(key)) continue;
      const spec = SETTINGS[key];
      const types = [property.type].flat();
      expect(types).toContain(
        {
          boolean: 'boolean',
          number: 'number',
          string: 'string',
          stringArray: 'array',
          list: 'array',
        }[spec.type],
      );
      expect(spec.default, `${full} default`).toEqual(property.default);
      if (spec.type === 'number') {
        expect([property.minimum, property.maximum], `${full} range`).toEqual([spec.min, spec.max]);
      }
      if (spec.type === 'string' && 'enum' in spec) expect(property.enum).toEqual(spec.enum);
    }
    expect(KEYS.length).toBe(Object.keys(properties).length);
  });

  it('gives every number a range (manifest and reader)', () => {
    for (const [full, property] of Object.entries(properties)) {
      if (property.type === 'number')
        expect([full, typeof property.minimum, typeof property.maximum]).toEqual([
          full,
          'number',
          'number',
        ]);
    }
  });

  it('lets streamChat.mixer.channel be a number, as its description offers', () => {
    expect([properties['streamChat.mixer.channel']!.type].flat()).toContain('number');
    expect(readSetting('mixer.channel', 1234)).toEqual({ value: '1234' });
    const read = settingsReader((key) => (key === 'mixer.channel' ? 1234 : undefined));
    expect(mixerSettingsFrom(platformSettingsFrom(read, 'mixer')).channel).toBe('1234');
  });
});

describe('one reader for every streamChat.* setting', () => {
  it('no module but ui/config.ts looks streamChat.* settings up itself', () => {
    const src = new URL('../../../src/', import.meta.url);
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) =>
      f.endsWith('.ts'),
    );
    const direct = files.filter((file) => {
      if (file.replace(/\\/g, '/') === 'ui/config.ts') return false;
      const text = readFileSync(new URL(file, src), 'utf8');
      // Only VS Code's own sections (the editor's font, the theme) may be read directly.
      return /getConfiguration\((?!\s*['"`](?:editor|workbench)['"`])/.test(text);
    });
    expect(direct).toEqual([]);
  });
});

describe('readSetting', () => {
  it('falls back to the default on a wrong type and says what was wrong', () => {
    const result = readSetting('scrollback', 'lots');
    expect(result.value).toBe(1000);
    expect(result.problem).toMatch(/expected a number from 100 to 100000.*"lots".*default 1000/);
    expect(readSetting('connectOnStartup', 'yes')).toMatchObject({
      value: false,
      problem: expect.stringContaining('true or false'),
    });
    // A typo must not open !line highlights to everyone: it reads as the strictest audience.
    expect(readSetting('highlights.allowedUsers', 'admins')).toMatchObject({
      value: 'moderators',
      problem: expect.stringContaining('strictest'),
    });
    expect(readSetting('highlights.allowedUsers', undefined)).toEqual({ value: 'everyone' });
    // One entry that is not a glob: the default blocked files, not a shorter (or empty) list.
    expect(readSetting('sendSelection.blockedFiles', ['**/*.env', 5])).toMatchObject({
      value: DEFAULT_BLOCKED_FILES,
      problem: expect.stringContaining('a list of text'),
    });
    expect(readSetting('sendSelection.blockedFiles', ['**/*.env'])).toEqual({
      value: ['**/*.env'],
    });
    expect(readSetting('view.mentionNames', ['me', 5])).toMatchObject({ value: ['me'] });
    expect(readSetting('view.mentionNames', 'me')).toMatchObject({ value: [] });
  });

  it('clamps numbers into their range and says so', () => {
    expect(readSetting('scrollback', 10)).toMatchObject({
      value: 100,
      problem: expect.stringContaining('outside 100–100000'),
    });
    expect(readSetting('scrollback', 1e9)).toMatchObject({ value: 100_000 });
    expect(readSetting('scrollback', 150.7)).toMatchObject({ value: 150 });
    expect(readSetting('tau.keepAliveIntervalSeconds', 1e12)).toMatchObject({ value: 3600 });
    expect(readSetting('view.fontSize', Number.NaN)).toMatchObject({ value: 13 });
    expect(readSetting('view.fontSize', 20)).toEqual({ value: 20 });
  });

  it('reports each problem through the reader, and a lookup that throws reads as unset', () => {
    const problems: string[] = [];
    const read = settingsReader(
      (key) => {
        if (key === 'tau.url') throw new Error('boom');
        return key === 'scrollback' ? -5 : undefined;
      },
      (key, problem) => problems.push(`${key}: ${problem}`),
    );
    expect(read('scrollback')).toBe(100);
    expect(read('tau.url')).toBe('http://localhost:8000');
    expect(problems).toEqual([expect.stringMatching(/^scrollback: -5 is outside/)]);
  });
});

/** Anything a settings.json (or a broken extension) could hold. */
const anyValue = fc.oneof(
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, -1, 0),
  fc.string(),
  fc.constantFrom(
    '',
    ' ',
    'http://',
    'wss://x',
    'ws://127.0.0.1:1/',
    '::::',
    'javascript:alert(1)',
  ),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 4 }),
  fc.array(fc.oneof(fc.string(), fc.constantFrom('**/*.pem', '[', '**', '{a,b', '!x')), {
    maxLength: 4,
  }),
  fc.constantFrom('everyone', 'subscribers', 'moderators', 'Moderators'),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
);
const rawSettings = fc.record(
  Object.fromEntries(KEYS.map((k) => [k, anyValue])) as Record<SettingKey, fc.Arbitrary<unknown>>,
  { requiredKeys: [] },
);

describe('no setting value can break the view or a client (property)', () => {
  it('random values for every key: no throw, every number finite and in range, a snapshot is posted on ready', () => {
    fc.assert(
      fc.property(rawSettings, (raw) => {
        const read = settingsReader((key) => (raw as Record<string, unknown>)[key]);
        for (const key of KEYS) {
          const spec = SETTINGS[key];
          const value = read(key);
          if (spec.type === 'number') {
            expect(Number.isFinite(value)).toBe(true);
            expect(value as number).toBeGreaterThanOrEqual(spec.min);
            expect(value as number).toBeLessThanOrEqual(spec.max);
          } else if (spec.type === 'stringArray')
            expect(
              Array.isArray(value) && (value as unknown[]).every((v) => typeof v === 'string'),
            ).toBe(true);
          else if (spec.type === 'list') expect(Array.isArray(value)).toBe(true);
          else expect(typeof value).toBe(spec.type);
        }
        // The editor features' keys (screen guard, blocked files, !line highlights, chat
        // commands): a typo never weakens a guard nor turns on an opt-in feature.
        const get = (key: SettingKey) => (raw as Record<string, unknown>)[key];
        expect(read('screenGuard.enabled')).toBe(get('screenGuard.enabled') !== false);
        expect(read('chatCommands.enabled')).toBe(get('chatCommands.enabled') === true);
        expect(read('highlights.enabled')).toBe(get('highlights.enabled') === true);
        const audience = get('highlights.allowedUsers');
        expect(read('highlights.allowedUsers')).toBe(
          audience === undefined
            ? 'everyone'
            : ['everyone', 'subscribers', 'moderators'].includes(audience as string)
              ? audience
              : 'moderators',
        );
        const blocked = get('sendSelection.blockedFiles');
        const patterns = read('sendSelection.blockedFiles');
        expect(patterns).toEqual(
          Array.isArray(blocked) && blocked.every((p) => typeof p === 'string')
            ? blocked
            : DEFAULT_BLOCKED_FILES,
        );
        for (const path of ['.env', 'src/app.ts', 'keys/id_rsa', ''])
          expect(() => blockedBy(path, patterns)).not.toThrow();
        expect(typeof read('sendSelection.includeHeader')).toBe('boolean');
        // The platforms' own settings readers, their token destinations and their constructors.
        const glimesh = glimeshSettingsFrom(platformSettingsFrom(read, 'glimesh'));
        const mixer = mixerSettingsFrom(platformSettingsFrom(read, 'mixer'));
        const tau = tauSettingsFrom(platformSettingsFrom(read, 'tau'));
        expect(typeof glimesh.apiUrl + typeof mixer.channel).toBe('stringstring');
        expect(tau.keepAliveIntervalMs * 2).toBeLessThanOrEqual(MAX_TIMER_MS);
        for (const platform of PLATFORM_IDS) {
          const settings = platformSettingsFrom(read, platform);
          TOKEN_DESTINATIONS[platform](settings);
          PLATFORM_FACTORIES[platform]!({
            settings,
            getToken: async () => undefined,
            log: nullLogger,
          }).dispose();
        }
        // The view's ready handler.
        const hub = new ChatHub({ scrollback: read('scrollback'), log: nullLogger });
        const webview = new FakeWebview(true);
        const connection = new ChatViewConnection(webview as unknown as vscode.Webview, {
          hub,
          log: nullLogger,
          viewSettings: () => viewSettingsFrom(read),
          onDidChangeViewSettings: new Emitter<void>().event,
        });
        webview.fromPage({ type: 'ready', pageId: 'propertyTestPage' });
        const snapshot = webview.posted.find((m) => m.type === 'snapshot');
        expect(snapshot).toBeDefined();
        if (snapshot?.type === 'snapshot') {
          const s = snapshot.settings;
          expect(Number.isFinite(s.fontSize) && s.fontSize >= 8 && s.fontSize <= 32).toBe(true);
          expect(
            Number.isInteger(s.scrollback) && s.scrollback >= 100 && s.scrollback <= 100_000,
          ).toBe(true);
          expect(s.mentionNames.every((n) => typeof n === 'string')).toBe(true);
        }
        connection.dispose();
        hub.dispose();
      }),
      { numRuns: 300 },
    );
  });
});
