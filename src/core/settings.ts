/**
 * Every `streamChat.*` setting with its type, default and range, and the one reader that checks a
 * value against them. Pure: the VS Code edge (`ui/config.ts`) looks values up and reports problems.
 * A value of the wrong type falls back to the default; a number is clamped into its range; no
 * value can throw here. `test/unit/core/settings.test.ts` keeps this table in step with package.json.
 */
/** The longest delay `setTimeout` takes (2^31 − 1 ms); anything longer fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export type SettingSpec =
  | { readonly type: 'boolean'; readonly default: boolean }
  | {
      readonly type: 'number';
      readonly default: number;
      readonly min: number;
      readonly max: number;
      readonly integer?: boolean;
    }
  /**
   * `number: true`: a number is taken as its digits (a numeric channel id). `invalid`: what a
   * value outside `enum` (or of the wrong type) reads as, when that must be stricter than the
   * default (a typo must not open a feature to everyone).
   */
  | {
      readonly type: 'string';
      readonly default: string;
      readonly enum?: readonly string[];
      readonly invalid?: string;
      readonly number?: boolean;
    }
  /** `strict`: one entry that is not text makes the whole list read as the default (a list of blocked files must not shrink to nothing). */
  | { readonly type: 'stringArray'; readonly default: readonly string[]; readonly strict?: boolean }
  /** A list whose entries the feature that uses it checks (e.g. highlight rules). */
  | { readonly type: 'list'; readonly default: readonly unknown[] };

/** Files whose contents never go to chat: `**` any folders, `*` within a name, `?` one character. */
export const DEFAULT_BLOCKED_FILES: string[] = [
  '**/.env*',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa*',
  '**/*secret*',
];

/** Keys are under `streamChat.`. */
export const SETTINGS = {
  connectOnStartup: { type: 'boolean', default: false },
  scrollback: { type: 'number', default: 1000, min: 100, max: 100_000, integer: true },
  'screenGuard.enabled': { type: 'boolean', default: true },
  'chatCommands.enabled': { type: 'boolean', default: false },
  'view.showTimestamps': { type: 'boolean', default: true },
  'view.hideDeleted': { type: 'boolean', default: false },
  'view.fontSize': { type: 'number', default: 13, min: 8, max: 32 },
  'view.mentionNames': { type: 'stringArray', default: [] },
  'view.highlights': { type: 'list', default: [] },
  'view.sound': { type: 'boolean', default: false },
  'glimesh.enabled': { type: 'boolean', default: false },
  'glimesh.channel': { type: 'string', default: '' },
  'glimesh.clientId': { type: 'string', default: '' },
  'glimesh.apiUrl': { type: 'string', default: 'https://glimesh.tv/api/graph' },
  'glimesh.socketUrl': { type: 'string', default: 'wss://glimesh.tv/api/graph/websocket' },
  'mixer.enabled': { type: 'boolean', default: false },
  'mixer.channel': { type: 'string', default: '', number: true },
  'mixer.clientId': { type: 'string', default: '' },
  'mixer.apiUrl': { type: 'string', default: 'https://mixer.com/api/v1' },
  'mixer.showJoinLeave': { type: 'boolean', default: false },
  'tau.enabled': { type: 'boolean', default: false },
  'tau.url': { type: 'string', default: 'http://localhost:8000' },
  'tau.chatBot': { type: 'string', default: '' },
  'tau.channel': { type: 'string', default: '' },
  'tau.keepAliveIntervalSeconds': { type: 'number', default: 120, min: 5, max: 3600 },
  'sendSelection.includeHeader': { type: 'boolean', default: true },
  'sendSelection.blockedFiles': {
    type: 'stringArray',
    default: DEFAULT_BLOCKED_FILES,
    strict: true,
  },
  'highlights.enabled': { type: 'boolean', default: false },
  'highlights.allowedUsers': {
    type: 'string',
    default: 'everyone',
    enum: ['everyone', 'subscribers', 'moderators'],
    invalid: 'moderators',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
type ValueOf<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'number' }
    ? number
    : S extends { type: 'stringArray' }
      ? readonly string[]
      : S extends { type: 'list' }
        ? readonly unknown[]
        : string;
export type SettingValue<K extends SettingKey> = ValueOf<(typeof SETTINGS)[K]>;

/** A checked value, and what was wrong with the raw one (for a warning naming the key). */
export interface ReadResult<T> {
  readonly value: T;
  readonly problem?: string;
}

const describe = (raw: unknown): string => {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'number' && !Number.isFinite(raw)) return String(raw);
  return typeof raw === 'string'
    ? `the text "${raw.slice(0, 40)}"`
    : typeof raw === 'object'
      ? 'an object'
      : `${typeof raw} ${String(raw).slice(0, 40)}`;
};

/** Checks one raw value (`undefined`: not set) against its key's spec. Never throws. */
export function readSetting<K extends SettingKey>(
  key: K,
  raw: unknown,
): ReadResult<SettingValue<K>> {
  return check(SETTINGS[key], raw) as ReadResult<SettingValue<K>>;
}

function check(spec: SettingSpec, raw: unknown): ReadResult<unknown> {
  const fallback = (expected: string) => {
    const invalid = spec.type === 'string' ? spec.invalid : undefined;
    return invalid === undefined
      ? {
          value: spec.default,
          problem: `expected ${expected}, got ${describe(raw)}; using the default ${JSON.stringify(spec.default)}`,
        }
      : {
          value: invalid,
          problem: `expected ${expected}, got ${describe(raw)}; using the strictest, ${JSON.stringify(invalid)}`,
        };
  };
  if (raw === undefined) return { value: spec.default };
  switch (spec.type) {
    case 'boolean':
      return typeof raw === 'boolean' ? { value: raw } : fallback('true or false');
    case 'number': {
      if (typeof raw !== 'number' || !Number.isFinite(raw))
        return fallback(`a number from ${spec.min} to ${spec.max}`);
      const whole = spec.integer ? Math.floor(raw) : raw;
      const clamped = Math.min(spec.max, Math.max(spec.min, whole));
      return clamped === raw
        ? { value: clamped }
        : {
            value: clamped,
            problem: `${raw} is outside ${spec.min}–${spec.max}${spec.integer ? ' or not whole' : ''}; using ${clamped}`,
          };
    }
    case 'string': {
      if (spec.number && typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0)
        return { value: String(raw) };
      if (typeof raw !== 'string') return fallback(spec.number ? 'a name or a number' : 'text');
      if (spec.enum && !spec.enum.includes(raw)) return fallback(`one of ${spec.enum.join(', ')}`);
      return { value: raw };
    }
    case 'stringArray': {
      if (!Array.isArray(raw)) return fallback('a list of text');
      const strings = raw.filter((v): v is string => typeof v === 'string');
      if (strings.length === raw.length) return { value: strings };
      if (spec.strict) return fallback('a list of text');
      return {
        value: strings,
        problem: `${raw.length - strings.length} entries are not text; they are ignored`,
      };
    }
    case 'list':
      return Array.isArray(raw) ? { value: raw } : fallback('a list');
  }
}

/** Looks up one raw value; `read` is the reader bound to such a lookup. */
export type RawLookup = (key: SettingKey) => unknown;
export type SettingsReader = <K extends SettingKey>(key: K) => SettingValue<K>;

/** A reader over raw values: checked, and each problem reported through `onProblem`. */
export function settingsReader(
  lookup: RawLookup,
  onProblem: (key: SettingKey, problem: string) => void = () => {},
): SettingsReader {
  return <K extends SettingKey>(key: K) => {
    let raw: unknown;
    try {
      raw = lookup(key);
    } catch {
      raw = undefined;
    }
    const { value, problem } = readSetting(key, raw);
    if (problem) onProblem(key, problem);
    return value;
  };
}

/** Every `<platform>.*` setting but `enabled`, checked, as the platform factories take them. */
export function platformSettingsFrom(
  read: SettingsReader,
  platform: 'glimesh' | 'mixer' | 'tau',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    if (!key.startsWith(`${platform}.`) || key === `${platform}.enabled`) continue;
    out[key.slice(platform.length + 1)] = read(key);
  }
  return out;
}
