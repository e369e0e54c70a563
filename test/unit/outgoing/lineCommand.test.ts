import { describe, expect, it } from 'vitest';
import type { Author, PlatformId, Role } from '../../../src/core/message';
import { ActiveHighlights, HighlightPolicy, MAX_HIGHLIGHT_LINES, audienceAllows, channelRank, isHighlightAudience, parseLineCommand } from '../../../src/outgoing/lineCommand';

describe('parseLineCommand', () => {
  it.each([
    ['!line 12', { startLine: 12, endLine: 12 }],
    ['!line 12-20', { startLine: 12, endLine: 20 }],
    ['!line 12 - 20', { startLine: 12, endLine: 20 }],
    ['!line 12–20', { startLine: 12, endLine: 20 }],
    ['!line L12-L20', { startLine: 12, endLine: 20 }],
    ['!line 20-12', { startLine: 12, endLine: 20 }],
    ['!line 12 why is this here?', { startLine: 12, endLine: 12, comment: 'why is this here?' }],
    ['!line 12-14   off   by\tone?  ', { startLine: 12, endLine: 14, comment: 'off by one?' }],
    ['!line src/app.ts 40', { file: 'src/app.ts', startLine: 40, endLine: 40 }],
    ['!line app.ts 40-45 comment', { file: 'app.ts', startLine: 40, endLine: 45, comment: 'comment' }],
    ['!line app.ts:40-45 why?', { file: 'app.ts', startLine: 40, endLine: 45, comment: 'why?' }],
    ['!line src\\ui\\view.ts 3', { file: 'src/ui/view.ts', startLine: 3, endLine: 3 }],
    ['!line ./src/app.ts 3', { file: 'src/app.ts', startLine: 3, endLine: 3 }],
    ['!line Dockerfile 3', { file: 'Dockerfile', startLine: 3, endLine: 3 }],
    ['!line @scope/pkg/index.d.ts 9', { file: '@scope/pkg/index.d.ts', startLine: 9, endLine: 9 }],
    ['!highlight 3', { startLine: 3, endLine: 3 }],
    ['!HIGHLIGHT 3-4', { startLine: 3, endLine: 4 }],
    ['  !LINE 7  ', { startLine: 7, endLine: 7 }],
    ['!line 007', { startLine: 7, endLine: 7 }],
    ['!line 12 20', { startLine: 12, endLine: 12, comment: '20' }],
    [`!line 1-${MAX_HIGHLIGHT_LINES}`, { startLine: 1, endLine: MAX_HIGHLIGHT_LINES }],
  ])('%j', (text, expected) => {
    expect(parseLineCommand(text)).toEqual({ file: undefined, comment: undefined, ...expected });
  });

  it.each([
    '!line',
    '!line ',
    '!line 0',
    '!line 0-3',
    '!line -3',
    '!line abc',
    `!line 1-${MAX_HIGHLIGHT_LINES + 1}`,
    '!line 12345678',
    '!line 12.5',
    '!line 1e3',
    '!line 0x10',
    '!line 12abc',
    'line 12',
    'see !line 12',
    '!lines 12',
    '!linear 12',
    '!line why?',
    '!line ../../etc/passwd 1',
    '!line https://evil.example/x 1',
    '!line <script> 1',
    '!line 💥 3',
    '!line app.ts',
    '!line app.ts:',
  ])('rejects %j', (text) => {
    expect(parseLineCommand(text)).toBeUndefined();
  });

  it('keeps comments short and free of control characters', () => {
    const long = parseLineCommand(`!line 3 ${'a'.repeat(500)}`);
    expect([...long!.comment!].length).toBe(200);
    expect(long!.comment!.endsWith('…')).toBe(true);
    expect(parseLineCommand('!line 3 a\u0000b\u202Ec\u2028d')!.comment).toBe('a b\u202Ec d');
    expect(parseLineCommand('!line 3 \u0007 ')!.comment).toBeUndefined();
  });
});

const viewer = (roles: readonly Role[] = [], name = 'viewer', options: { noId?: boolean } = {}): Author => ({ id: options.noId ? undefined : name, name, displayName: name, roles });

describe('channel rank and audience', () => {
  it.each<[readonly Role[], PlatformId, string]>([
    [['broadcaster', 'subscriber'], 'tau', 'broadcaster'],
    [['moderator'], 'mixer', 'moderator'],
    [['admin'], 'glimesh', 'moderator'],
    [['staff'], 'tau', 'moderator'],
    [['vip', 'subscriber'], 'tau', 'vip'],
    [['subscriber'], 'glimesh', 'subscriber'],
    [['founder'], 'tau', 'subscriber'],
    [['founder'], 'mixer', 'viewer'],
    [['founder', 'supporter'], 'glimesh', 'viewer'],
    [['pro', 'partner'], 'mixer', 'viewer'],
    [[], 'tau', 'viewer'],
  ])('%j on %s ranks as %s', (roles, platform, rank) => {
    expect(channelRank(viewer(roles), platform)).toBe(rank);
  });

  it('everyone ⊇ subscribers (with VIPs) ⊇ moderators', () => {
    const table: Array<[readonly Role[], boolean, boolean, boolean]> = [
      // roles, everyone, subscribers, moderators
      [[], true, false, false],
      [['pro'], true, false, false],
      [['subscriber'], true, true, false],
      [['vip'], true, true, false],
      [['moderator'], true, true, true],
      [['broadcaster'], true, true, true],
    ];
    for (const [roles, everyone, subscribers, moderators] of table) {
      expect([audienceAllows('everyone', viewer(roles), 'tau'), audienceAllows('subscribers', viewer(roles), 'tau'), audienceAllows('moderators', viewer(roles), 'tau')]).toEqual([
        everyone,
        subscribers,
        moderators,
      ]);
    }
  });

  it('knows the setting’s values', () => {
    expect(['everyone', 'subscribers', 'moderators'].every(isHighlightAudience)).toBe(true);
    expect(isHighlightAudience('vips')).toBe(false);
    expect(isHighlightAudience(undefined)).toBe(false);
  });
});

describe('HighlightPolicy', () => {
  const clock = () => {
    const c = { t: 1_000_000, now: () => c.t };
    return c;
  };

  it('lets each viewer highlight once per 10 s (fake clock)', () => {
    const c = clock();
    const policy = new HighlightPolicy({ now: c.now });
    expect(policy.admit(viewer([], 'a'), 'tau')).toBe('ok');
    expect(policy.admit(viewer([], 'a'), 'tau')).toBe('too soon');
    expect(policy.admit(viewer([], 'b'), 'tau')).toBe('ok');
    c.t += 9_999;
    expect(policy.admit(viewer([], 'a'), 'tau')).toBe('too soon');
    c.t += 1;
    expect(policy.admit(viewer([], 'a'), 'tau')).toBe('ok');
    expect(policy.admit(viewer([], 'a'), 'tau')).toBe('too soon');
  });

  it('counts the same name on two platforms as two viewers, and falls back to the name without an id', () => {
    const c = clock();
    const policy = new HighlightPolicy({ now: c.now });
    expect(policy.admit(viewer([], 'sam'), 'tau')).toBe('ok');
    expect(policy.admit(viewer([], 'sam'), 'glimesh')).toBe('ok');
    expect(policy.admit(viewer([], 'Kim', { noId: true }), 'mixer')).toBe('ok');
    expect(policy.admit(viewer([], 'kim', { noId: true }), 'mixer')).toBe('too soon');
  });

  it('does not limit the broadcaster or moderators', () => {
    const policy = new HighlightPolicy({ now: clock().now });
    for (let i = 0; i < 5; i++) {
      expect(policy.admit(viewer(['moderator'], 'mod'), 'tau')).toBe('ok');
      expect(policy.admit(viewer(['broadcaster'], 'me'), 'tau')).toBe('ok');
    }
  });

  it('turns down who the audience excludes without using up their turn', () => {
    const c = clock();
    const policy = new HighlightPolicy({ audience: 'subscribers', now: c.now });
    expect(policy.admit(viewer([], 'x'), 'tau')).toBe('not allowed');
    expect(policy.admit(undefined, 'tau')).toBe('no author');
    policy.audience = 'everyone';
    expect(policy.admit(viewer([], 'x'), 'tau')).toBe('ok');
  });

  it('has the documented defaults and takes others', () => {
    const policy = new HighlightPolicy();
    expect([policy.audience, policy.perViewerIntervalMs, policy.maxActive]).toEqual(['everyone', 10_000, 20]);
    const c = clock();
    const fast = new HighlightPolicy({ perViewerIntervalMs: 100, now: c.now });
    expect(fast.admit(viewer(), 'tau')).toBe('ok');
    c.t += 100;
    expect(fast.admit(viewer(), 'tau')).toBe('ok');
  });

  it('forgets viewers beyond its memory bound, oldest first', () => {
    const c = clock();
    const policy = new HighlightPolicy({ now: c.now });
    expect(policy.admit(viewer([], 'first'), 'tau')).toBe('ok');
    for (let i = 0; i < 5_000; i++) policy.admit(viewer([], `v${i}`), 'tau');
    // `first` was dropped from memory: it may highlight again even within the interval.
    expect(policy.admit(viewer([], 'first'), 'tau')).toBe('ok');
    expect(policy.admit(viewer([], 'v4999'), 'tau')).toBe('too soon');
  });
});

describe('ActiveHighlights', () => {
  it('keeps at most 20 by default, dropping the oldest', () => {
    const list = new ActiveHighlights<{ id: string }>();
    const dropped: string[] = [];
    for (let i = 1; i <= 23; i++) dropped.push(...list.add({ id: String(i) }).map((x) => x.id));
    expect(list.items.map((x) => x.id)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 4)));
    expect(dropped).toEqual(['1', '2', '3']);
  });

  it('removes, finds, updates and clears', () => {
    const list = new ActiveHighlights<{ id: string; line: number }>(3);
    list.add({ id: 'a', line: 1 });
    list.add({ id: 'b', line: 2 });
    list.add({ id: 'c', line: 3 });
    expect(list.remove('b')).toBe(true);
    expect(list.remove('b')).toBe(false);
    expect(list.get('c')).toEqual({ id: 'c', line: 3 });
    expect(list.update((x) => x)).toBe(false);
    expect(list.update((x) => (x.id === 'a' ? undefined : { ...x, line: x.line + 10 }))).toBe(true);
    expect(list.items).toEqual([{ id: 'c', line: 13 }]);
    expect(list.removeWhere((x) => x.line > 10).map((x) => x.id)).toEqual(['c']);
    list.add({ id: 'd', line: 4 });
    expect(list.clear().map((x) => x.id)).toEqual(['d']);
    expect(list.items).toEqual([]);
  });
});
