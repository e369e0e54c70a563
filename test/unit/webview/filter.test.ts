import { describe, expect, it } from 'vitest';
import { matchesFilter, parseFilter } from '../../../webview/filter';
import { chatMessage } from './builders';

describe('filter', () => {
  const m = chatMessage({ user: 'RubberDuck', text: 'Try a Map here', platform: 'mixer' });

  it.each([
    ['', true],
    ['map', true],
    ['MAP here', true],
    ['map there', false],
    ['rubber', true],
    ['from:rubberduck', true],
    ['from:@rubber', true],
    ['from:someoneelse', false],
    ['platform:mixer', true],
    ['platform:glimesh', false],
    ['platform:twitch', false],
    ['from:rubberduck platform:mixer map', true],
    ['from:rubberduck platform:tau', false],
  ])('"%s" → %s', (input, expected) => {
    expect(matchesFilter(m, parseFilter(input))).toBe(expected);
  });

  it('maps platform:twitch to TAU', () => {
    expect(parseFilter('platform:twitch').platforms).toEqual(['tau']);
  });

  it('treats an unknown platform as plain text rather than dropping it', () => {
    expect(parseFilter('platform:youtube').text).toEqual(['platform:youtube']);
  });
});
