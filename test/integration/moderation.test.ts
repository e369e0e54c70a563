import * as assert from 'node:assert';
import * as vscode from 'vscode';
import {
  GLIMESH_SIM_TOKEN,
  GLIMESH_SIM_VIEWER_TOKEN,
  GlimeshSimulator,
  startGlimeshSimulator,
} from '../simulators/glimesh/server';
import {
  MIXER_SIM_MUTED_TOKEN,
  MIXER_SIM_TOKEN,
  MixerSimulator,
  startMixerSimulator,
} from '../simulators/mixer/server';
import { TAU_SIM_TOKEN, TauSimulator, startTauSimulator } from '../simulators/tau/server';
import { activateExtension, setSettings, textOf, waitFor } from './helpers';

/** What the moderation commands return. */
interface Outcome {
  ok: boolean;
  platform?: string;
  action?: string;
  message?: string;
  error?: string;
  undo?: { platform: string; request: { action: string } };
}

type Status = {
  platform: string;
  state: { kind: string };
  moderation?: { canModerate: boolean; reason?: string; actions: string[] };
};

const run = (command: string, args: unknown) =>
  vscode.commands.executeCommand<Outcome>(command, args);

async function connectOnly(
  platform: 'mixer' | 'glimesh' | 'tau',
  settings: Record<string, unknown>,
  token: string,
): Promise<void> {
  await vscode.commands.executeCommand('streamChat.disconnect');
  const others = (['mixer', 'glimesh', 'tau'] as const).filter((p) => p !== platform);
  await setSettings({
    ...settings,
    ...Object.fromEntries(others.map((p) => [`streamChat.${p}.enabled`, false])),
  });
  await vscode.commands.executeCommand('streamChat.setToken', { platform, token });
  await vscode.commands.executeCommand('streamChat.connect');
  const api = await activateExtension();
  await waitFor(`${platform} connected`, () =>
    (api.statuses() as Status[]).find(
      (s) => s.platform === platform && s.state.kind === 'connected',
    ),
  );
}

async function moderationOf(platform: string): Promise<Status['moderation']> {
  const api = await activateExtension();
  return waitFor(`${platform} moderation known`, () => {
    const m = (api.statuses() as Status[]).find((s) => s.platform === platform)?.moderation;
    // Until the platform has answered, the reason says it is still checking (or not connected).
    return m && (m.canModerate || !/checking|not connected/i.test(m.reason ?? '')) ? m : undefined;
  });
}

suite('moderation through the commands', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('streamChat.disconnect');
    await setSettings({
      'streamChat.mixer.enabled': false,
      'streamChat.glimesh.enabled': false,
      'streamChat.tau.enabled': false,
    });
    for (const platform of ['mixer', 'glimesh', 'tau'])
      await vscode.commands.executeCommand('streamChat.clearToken', { platform });
  });

  suite('Mixer', () => {
    let sim: MixerSimulator;
    suiteSetup(async () => {
      sim = await startMixerSimulator();
      await activateExtension();
    });
    suiteTeardown(async () => sim.close());

    test('the owner deletes, times out, bans and unbans; Mixer says so and the timeline mirrors its events', async () => {
      const api = await activateExtension();
      await connectOnly('mixer', sim.settings(), MIXER_SIM_TOKEN);
      await waitFor('mixer can moderate', async () => (await moderationOf('mixer'))?.canModerate);
      const id = sim.postChat({ user: 'spammer', text: 'buy followers at example.test' });
      await waitFor('the spam line', () =>
        api.messages().some((m) => textOf(m).includes('buy followers')),
      );
      const deleted = await run('streamChat.deleteMessage', { platform: 'mixer', messageId: id });
      assert.deepStrictEqual([deleted.ok, deleted.message], [true, 'Message deleted.']);
      assert.ok(
        sim.moderation.some((m) => m.method === 'deleteMessage' && m.args[0] === id && m.ok),
      );
      await waitFor(
        'the line marked deleted (DeleteMessage event)',
        () => api.messages().find((m) => textOf(m).includes('buy followers'))?.flags.deleted,
      );

      sim.postChat({ user: 'ragequitter', text: 'this stream is bad' });
      await waitFor('the rude line', () =>
        api.messages().some((m) => textOf(m).includes('stream is bad')),
      );
      const timedOut = await run('streamChat.timeoutUser', {
        platform: 'mixer',
        user: 'ragequitter',
        seconds: 300,
      });
      assert.strictEqual(timedOut.ok, true, timedOut.error);
      assert.strictEqual(timedOut.message, 'ragequitter has been timed out for 5m.');
      assert.deepStrictEqual(timedOut.undo?.request.action, 'untimeout');
      assert.deepStrictEqual(sim.moderation.at(-1), {
        method: 'timeout',
        args: ['ragequitter', '5m'],
        by: 202834,
        ok: true,
      });
      await waitFor(
        'purged by PurgeMessage',
        () => api.messages().find((m) => textOf(m).includes('stream is bad'))?.flags.deleted,
      );

      const banned = await run('streamChat.banUser', { platform: 'mixer', user: 'ragequitter' });
      assert.strictEqual(banned.ok, true, banned.error);
      assert.strictEqual(banned.undo?.request.action, 'unban');
      assert.strictEqual(sim.banned.size, 1);
      const unbanned = await run('streamChat.unbanUser', {
        platform: 'mixer',
        user: 'ragequitter',
      });
      assert.strictEqual(unbanned.ok, true, unbanned.error);
      assert.strictEqual(sim.banned.size, 0);
    });

    test('Mixer’s refusal is shown in its own words (a message it cannot find)', async () => {
      const outcome = await run('streamChat.deleteMessage', {
        platform: 'mixer',
        messageId: '00000000-0000-0000-0000-000000000000',
      });
      assert.strictEqual(outcome.ok, false);
      assert.match(outcome.error ?? '', /could not find that message/i);
    });

    test('the owner clears chat (clearMessages); the timeline follows Mixer’s ClearMessages; declining sends nothing', async () => {
      const api = await activateExtension();
      sim.postChat({ user: 'spammer', text: 'flood line one' });
      await waitFor('the flood line', () =>
        api.messages().some((m) => textOf(m).includes('flood line one')),
      );
      const before = sim.moderation.length;
      const declined = await run('streamChat.clearChat', { platform: 'mixer', confirm: false });
      assert.deepStrictEqual(
        [declined.ok, declined.error, sim.moderation.length],
        [false, 'cancelled', before],
      );
      const cleared = await run('streamChat.clearChat', { platform: 'mixer', confirm: true });
      assert.deepStrictEqual(
        [cleared.ok, cleared.action, cleared.message],
        [true, 'clear', 'Messages cleared.'],
        cleared.error,
      );
      assert.deepStrictEqual(sim.moderation.at(-1), {
        method: 'clearMessages',
        args: [],
        by: 202834,
        ok: true,
      });
      await waitFor(
        'no Mixer chat line left (ClearMessages)',
        () => !api.messages().some((m) => m.platform === 'mixer' && m.kind === 'chat'),
      );
      // Without a platform, the only one that can clear is used.
      sim.postChat({ user: 'spammer', text: 'flood line two' });
      await waitFor('the second flood line', () =>
        api.messages().some((m) => textOf(m).includes('flood line two')),
      );
      const again = await run('streamChat.clearChat', { confirm: true });
      assert.deepStrictEqual([again.ok, again.platform], [true, 'mixer'], again.error);
    });

    test('a viewer who is not a moderator gets no actions, and a command says why', async () => {
      await connectOnly('mixer', sim.settings(), MIXER_SIM_MUTED_TOKEN);
      const moderation = await moderationOf('mixer');
      assert.strictEqual(moderation?.canModerate, false);
      const before = sim.moderation.length;
      const outcome = await run('streamChat.timeoutUser', {
        platform: 'mixer',
        user: 'ragequitter',
        seconds: 60,
      });
      assert.strictEqual(outcome.ok, false);
      assert.match(outcome.error ?? '', /not a moderator/);
      const clear = await run('streamChat.clearChat', { platform: 'mixer', confirm: true });
      assert.strictEqual(clear.ok, false);
      assert.match(clear.error ?? '', /not a moderator/);
      const none = await run('streamChat.clearChat', { confirm: true });
      assert.match(none.error ?? '', /No connected platform lets this account clear chat/);
      assert.strictEqual(sim.moderation.length, before, 'nothing was sent to Mixer');
    });
  });

  suite('Glimesh', () => {
    let sim: GlimeshSimulator;
    suiteSetup(async () => {
      sim = await startGlimeshSimulator();
      await activateExtension();
    });
    suiteTeardown(async () => sim.close());

    test('the streamer deletes, times out (short and long), bans and unbans through the mutations', async () => {
      const api = await activateExtension();
      await connectOnly('glimesh', sim.settings(), GLIMESH_SIM_TOKEN);
      const moderation = await waitFor('glimesh can moderate', async () => {
        const m = await moderationOf('glimesh');
        return m?.canModerate ? m : undefined;
      });
      assert.deepStrictEqual(moderation.actions, ['delete', 'timeout', 'ban', 'unban']);
      // Glimesh's schema has no clear-chat mutation: not offered, and refused without a request.
      const moderationCount = sim.moderation.length;
      const clear = await run('streamChat.clearChat', { platform: 'glimesh', confirm: true });
      assert.strictEqual(clear.ok, false);
      assert.match(clear.error ?? '', /no "clear" action/);
      assert.strictEqual(sim.moderation.length, moderationCount);
      const id = sim.postChat({ user: 'Spammer', text: 'free follows here' });
      await waitFor('the spam line', () =>
        api.messages().some((m) => textOf(m).includes('free follows')),
      );
      const deleted = await run('streamChat.deleteMessage', { platform: 'glimesh', messageId: id });
      assert.strictEqual(deleted.ok, true, deleted.error);
      assert.deepStrictEqual(sim.moderation.at(-1), {
        mutation: 'deleteChatMessage',
        channelId: '6',
        messageId: id,
        by: 'codercat',
      });
      // Glimesh tells API clients nothing afterwards: the extension marks the line itself.
      await waitFor(
        'the line marked deleted',
        () => api.messages().find((m) => textOf(m).includes('free follows'))?.flags.deleted,
      );

      const short = await run('streamChat.timeoutUser', {
        platform: 'glimesh',
        user: 'spammer',
        seconds: 60,
      });
      assert.strictEqual(short.ok, true, short.error);
      assert.strictEqual(sim.moderation.at(-1)?.mutation, 'shortTimeoutUser');
      const long = await run('streamChat.timeoutUser', {
        platform: 'glimesh',
        user: 'spammer',
        seconds: 3600,
      });
      assert.strictEqual(long.ok, true, long.error);
      assert.strictEqual(sim.moderation.at(-1)?.mutation, 'longTimeoutUser');
      assert.ok((sim.banOf('spammer') ?? 0) > Date.now() + 14 * 60_000);
      const banned = await run('streamChat.banUser', { platform: 'glimesh', user: 'spammer' });
      assert.strictEqual(banned.ok, true, banned.error);
      assert.strictEqual(sim.banOf('spammer'), Infinity);
      const unbanned = await run('streamChat.unbanUser', { platform: 'glimesh', user: 'spammer' });
      assert.strictEqual(unbanned.ok, true, unbanned.error);
      assert.strictEqual(sim.banOf('spammer'), undefined);
    });

    test('a viewer is told they cannot moderate; a moderator who lost a right gets Glimesh’s "unauthorized"', async () => {
      await connectOnly('glimesh', sim.settings(), GLIMESH_SIM_VIEWER_TOKEN);
      const viewer = await moderationOf('glimesh');
      assert.strictEqual(viewer?.canModerate, false);
      const refused = await run('streamChat.banUser', { platform: 'glimesh', user: 'spammer' });
      assert.match(refused.error ?? '', /not a moderator/);

      sim.addModerator('ViewerVal', { canBan: true });
      await connectOnly('glimesh', sim.settings(), GLIMESH_SIM_VIEWER_TOKEN);
      await waitFor('the moderator may ban', async () =>
        (await moderationOf('glimesh'))?.actions.includes('ban'),
      );
      sim.addModerator('ViewerVal', { canBan: false });
      const outcome = await run('streamChat.banUser', { platform: 'glimesh', user: 'spammer' });
      assert.strictEqual(outcome.ok, false);
      assert.strictEqual(outcome.error, 'Glimesh: unauthorized');
      assert.strictEqual(sim.moderation.at(-1)?.error, 'unauthorized');
    });
  });

  suite('Twitch through TAU', () => {
    let sim: TauSimulator;
    suiteSetup(async () => {
      sim = await startTauSimulator();
      await activateExtension();
    });
    suiteTeardown(async () => sim.close());

    test('the broadcaster deletes, times out, bans and unbans through the Helix passthrough', async () => {
      const api = await activateExtension();
      await connectOnly('tau', sim.settings(), TAU_SIM_TOKEN);
      await waitFor('tau can moderate', async () => (await moderationOf('tau'))?.canModerate);
      const id = sim.postChat({ user: 'spammer', text: 'cheap viewers here', userId: '777' });
      await waitFor('the spam line', () =>
        api.messages().some((m) => textOf(m).includes('cheap viewers')),
      );
      const deleted = await run('streamChat.deleteMessage', { platform: 'tau', messageId: id });
      assert.strictEqual(deleted.ok, true, deleted.error);
      assert.deepStrictEqual(sim.deletedMessages, [id]);
      assert.deepStrictEqual(sim.helixCalls.at(-1)?.query, {
        broadcaster_id: '424242',
        moderator_id: '424242',
        message_id: id,
      });
      await waitFor(
        'the line marked deleted',
        () => api.messages().find((m) => textOf(m).includes('cheap viewers'))?.flags.deleted,
      );

      const timedOut = await run('streamChat.timeoutUser', {
        platform: 'tau',
        user: 'spammer',
        seconds: 120,
      });
      assert.strictEqual(timedOut.ok, true, timedOut.error);
      assert.deepStrictEqual(sim.helixCalls.at(-1)?.body, {
        data: { user_id: '777', duration: 120 },
      });
      assert.strictEqual(timedOut.undo?.request.action, 'unban');
      const undone = await run('streamChat.unbanUser', { platform: 'tau', user: 'spammer' });
      assert.strictEqual(undone.ok, true, undone.error);
      assert.strictEqual(sim.bans.size, 0);
      const banned = await run('streamChat.banUser', { platform: 'tau', user: 'spammer' });
      assert.strictEqual(banned.ok, true, banned.error);
      assert.strictEqual(sim.bans.get('777'), Infinity);
    });

    test('the broadcaster clears chat: DELETE moderation/chat with both ids and no message_id; the timeline clears', async () => {
      const api = await activateExtension();
      sim.postChat({ user: 'spammer', text: 'raid spam one', userId: '778' });
      await waitFor('the raid spam', () =>
        api.messages().some((m) => textOf(m).includes('raid spam one')),
      );
      const cleared = await run('streamChat.clearChat', { platform: 'tau', confirm: true });
      assert.deepStrictEqual(
        [cleared.ok, cleared.platform, cleared.action, cleared.message],
        [true, 'tau', 'clear', 'Chat cleared.'],
        cleared.error,
      );
      assert.strictEqual(sim.clears, 1);
      assert.deepStrictEqual(sim.helixCalls.at(-1), {
        method: 'DELETE',
        path: '/moderation/chat',
        query: { broadcaster_id: '424242', moderator_id: '424242' },
        status: 204,
      });
      // TAU forwards no CLEARCHAT: the extension clears the timeline itself.
      await waitFor(
        'no Twitch chat line left',
        () => !api.messages().some((m) => m.platform === 'tau' && m.kind === 'chat'),
      );
      sim.missingModerationScope(true);
      const scope = await run('streamChat.clearChat', { platform: 'tau', confirm: true });
      sim.missingModerationScope(false);
      assert.deepStrictEqual(
        [scope.ok, scope.error],
        [false, 'Twitch: Missing scope: moderator:manage:chat_messages'],
      );
      assert.strictEqual(sim.clears, 1);
    });

    test('Twitch’s refusal comes through in its own words', async () => {
      const again = await run('streamChat.banUser', { platform: 'tau', user: 'spammer' });
      assert.strictEqual(again.ok, false);
      assert.strictEqual(
        again.error,
        'Twitch: The user specified in the user_id field is already banned.',
      );
      sim.missingModerationScope(true);
      const scope = await run('streamChat.unbanUser', { platform: 'tau', user: 'spammer' });
      sim.missingModerationScope(false);
      assert.strictEqual(scope.error, 'Twitch: Missing scope: moderator:manage:banned_users');
    });

    test('TAU linked to an account that is not a moderator: no actions', async () => {
      const viewerSim = await startTauSimulator({
        linkedAs: { id: '5150', login: 'somefan', display_name: 'SomeFan' },
      });
      try {
        await connectOnly('tau', viewerSim.settings(), TAU_SIM_TOKEN);
        const moderation = await waitFor('tau moderation known', async () => {
          const m = await moderationOf('tau');
          return m &&
            !m.canModerate &&
            viewerSim.requests.some((r) => r.path.includes('moderation/channels'))
            ? m
            : undefined;
        });
        assert.strictEqual(moderation.canModerate, false);
        const outcome = await run('streamChat.banUser', { platform: 'tau', user: 'spammer' });
        assert.match(outcome.error ?? '', /somefan is not a moderator of codercat/);
        const clear = await run('streamChat.clearChat', { platform: 'tau', confirm: true });
        assert.match(clear.error ?? '', /somefan is not a moderator of codercat/);
        assert.strictEqual(viewerSim.helixCalls.length, 0);
        assert.strictEqual(viewerSim.clears, 0);
      } finally {
        await vscode.commands.executeCommand('streamChat.disconnect');
        await viewerSim.close();
      }
    });
  });
});
