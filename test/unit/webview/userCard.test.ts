// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import type { PlatformStatus } from '../../../src/core/chatHub';
import type { ChatMessage } from '../../../src/core/message';
import { mountChatApp } from './mount';
import { chatMessage } from './builders';

const settings = {
  showTimestamps: true,
  hideDeleted: false,
  fontSize: 13,
  scrollback: 100,
  mentionNames: [],
};
const mixer = (canModerate: boolean): PlatformStatus => ({
  platform: 'mixer',
  enabled: true,
  state: { kind: 'connected', readOnly: false },
  send: { canSend: true, maxLength: 360 },
  moderation: canModerate
    ? { canModerate: true, actions: ['delete', 'timeout', 'untimeout', 'ban', 'unban', 'clear'] }
    : { canModerate: false, actions: [] },
});

function setup(messages: ChatMessage[], canModerate = true) {
  const { app, posted } = mountChatApp();
  app.receive({
    type: 'snapshot',
    messages,
    platforms: [mixer(canModerate)],
    settings,
    highlights: [],
  });
  const card = () => document.querySelector<HTMLElement>('[role="dialog"].user-card')!;
  const button = (name: string) =>
    [...card().querySelectorAll<HTMLButtonElement>('button')].find(
      (b) => (b.getAttribute('aria-label') ?? b.textContent) === name,
    );
  return {
    app,
    posted,
    card,
    button,
    line: (id: string) => document.querySelector<HTMLElement>(`.line[data-key="mixer:${id}"]`)!,
  };
}

const t0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const lines = () => [
  ...Array.from({ length: 25 }, (_, i) =>
    chatMessage({
      id: `b${i}`,
      platform: 'mixer',
      user: 'Bob',
      roles: ['subscriber'],
      text: `bob says ${i}`,
      receivedAt: t0 + i * 1000,
    }),
  ),
  chatMessage({ id: 'a1', platform: 'mixer', user: 'Alice', text: 'hi' }),
];

describe('user cards', () => {
  beforeEach(() => document.body.replaceChildren());

  it('a click on the author opens their card: platform, roles, first seen, their last 20 lines', () => {
    const v = setup(lines());
    v.line('b3').querySelector<HTMLElement>('.author')!.click();
    expect(v.card().hidden).toBe(false);
    expect(v.card().getAttribute('aria-label')).toBe('User card: Bob');
    const facts = [...v.card().querySelectorAll('dt')].map((dt) => [
      dt.textContent,
      dt.nextElementSibling!.textContent,
    ]);
    expect(facts.slice(0, 2)).toEqual([
      ['Platform', 'Mixer'],
      ['Roles', 'Subscriber'],
    ]);
    expect(facts.find(([k]) => k === 'First seen')![1]).toContain('since connecting');
    expect(facts.find(([k]) => k === 'Lines')![1]).toBe('25');
    const items = [...v.card().querySelectorAll('.user-card-lines li')].map((li) => li.textContent);
    expect(items).toHaveLength(20);
    expect(items[0]).toContain('bob says 5');
    expect(items[19]).toContain('bob says 24');
    expect(document.activeElement).toBe(v.button('Close'));
  });

  it('Enter on a selected line opens it from the keyboard; Escape closes and gives focus back', () => {
    const v = setup(lines());
    const timeline = document.getElementById('timeline')!;
    timeline.focus();
    timeline.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowUp', bubbles: true }));
    const selected = document.activeElement as HTMLElement;
    expect(selected.dataset.key).toBe('mixer:a1');
    selected.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(v.card().getAttribute('aria-label')).toBe('User card: Alice');
    v.card().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(v.card().hidden).toBe(true);
    expect(document.activeElement).toBe(selected);
  });

  it('offers the moderation actions to a moderator (and sends them), none to a viewer', () => {
    const v = setup(lines());
    v.line('b0').querySelector<HTMLElement>('.author')!.click();
    v.button('Ban')!.click();
    expect(
      v.posted.filter((m) => m.type === 'moderate').map((m) => (m as { request: unknown }).request),
    ).toEqual([{ action: 'ban', user: { id: 'u-Bob', name: 'bob' } }]);
    const viewer = setup(lines(), false);
    viewer.line('b0').querySelector<HTMLElement>('.author')!.click();
    expect(['Time out', 'Ban', 'Unban'].map((n) => viewer.button(n))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(viewer.button('Highlight this user')).toBeDefined();
  });

  it('highlight and hide are local toggles on the user, sent nowhere; lines carry the key the rules select', () => {
    const v = setup(lines());
    v.line('b0').querySelector<HTMLElement>('.author')!.click();
    const before = v.posted.length;
    v.button('Highlight this user')!.click();
    v.button('Hide in my view')!.click();
    expect(v.button('Highlight this user')!.getAttribute('aria-pressed')).toBe('true');
    expect(v.button('Hide in my view')!.getAttribute('aria-pressed')).toBe('true');
    expect([...v.app.userCards.highlighted]).toEqual(['mixer:bob']);
    expect([...v.app.userCards.hidden]).toEqual(['mixer:bob']);
    expect(v.posted.length).toBe(before);
    expect(v.line('b0').dataset.author).toBe('mixer:bob');
    v.button('Hide in my view')!.click();
    expect(v.app.userCards.hidden.size).toBe(0);
  });

  it('shows hostile names and text as text', () => {
    const v = setup([
      chatMessage({
        id: 'x',
        platform: 'mixer',
        user: '<img src=x onerror=alert(1)>',
        text: '<script>alert(1)</script>',
      }),
    ]);
    v.line('x').querySelector<HTMLElement>('.author')!.click();
    expect(v.card().querySelector('img, script')).toBeNull();
    expect(v.card().textContent).toContain('<script>alert(1)</script>');
  });
});
