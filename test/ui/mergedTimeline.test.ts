import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { startSimulators } from '../simulators';
import { chatSession } from './session';
import { ROOT } from './workbench';

describe('one timeline from every platform', () => {
  const session = chatSession({
    start: startSimulators,
    tokens: (sims) => [
      ['Glimesh', 'glimesh', sims.tokens.glimesh!],
      ['Mixer', 'mixer', sims.tokens.mixer!],
      ['Twitch (TAU)', 'tau', sims.tokens.tau!],
    ],
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
  });

  it('merges Glimesh, Mixer and TAU chat and events in arrival order, with a chip per platform', async () => {
    const chat = await session.wb.waitForChat();
    // Spaced out so that arrival order (what the timeline keeps) is the posting order.
    const posts: Array<() => unknown> = [
      () =>
        session.sim.glimesh.postChat({
          user: 'Mytho',
          text: 'hey chat :glimheart: what are we building?',
          roles: { subscriber: true },
        }),
      () =>
        session.sim.mixer.postChat({
          user: 'PairProgrammer',
          text: 'try a Map instead of an object :)',
          roles: ['Mod', 'User'],
        }),
      () =>
        session.sim.tau.postChat({
          user: 'EmoteFan',
          text: 'Kappa that regex is cursed',
          color: '#FF4500',
          badges: { subscriber: '12' },
          emotes: [{ id: '25', positions: [[0, 4]] }],
        }),
      () =>
        session.sim.tau.emitEvent('channel-raid', {
          from_broadcaster_user_id: '77',
          from_broadcaster_user_login: 'friendlycoder',
          from_broadcaster_user_name: 'FriendlyCoder',
          viewers: 42,
        }),
      () =>
        session.sim.glimesh.postChat({
          user: 'codercat',
          text: 'welcome raiders! today: a chat view for VS Code',
          roles: { streamer: true },
        }),
      () =>
        session.sim.tau.postChat({
          user: 'lintergirl',
          text: '@codercat line 12 has an off-by-one',
          color: '#9ACD32',
        }),
      () =>
        session.sim.mixer.postChat({
          user: 'RubberDuck',
          text: 'docs are at https://code.visualstudio.com/api',
          roles: ['Subscriber', 'User'],
        }),
    ];
    for (const post of posts) {
      post();
      await session.wb.page.waitForTimeout(250);
    }
    await chat.locator('.line', { hasText: 'docs are at' }).waitFor({ timeout: 15_000 });
    const order = await chat
      .locator('.line[data-kind="chat"], .line[data-kind="event"]')
      .evaluateAll((lines) => lines.map((l) => (l as HTMLElement).dataset.platform));
    assert.deepEqual(order.slice(-7), [
      'glimesh',
      'mixer',
      'tau',
      'tau',
      'glimesh',
      'tau',
      'mixer',
    ]);
    assert.equal(await chat.locator('.line.mentions-me', { hasText: 'off-by-one' }).count(), 1);
    const shot = await session.wb.screenshot('chat-dark-all-platforms');
    mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    copyFileSync(shot, path.join(ROOT, 'test-results', 'readme-chat-dark.png'));
  });
});
