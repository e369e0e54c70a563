import { describe, expect, it } from 'vitest';
import { REDACTED, SecretRegistry, redact } from '../../../src/core/log';

describe('redact', () => {
  it.each([
    [
      'a token query parameter',
      'GET wss://glimesh.tv/api/graph/websocket?vsn=2.0.0&token=abcDEF123456',
      'abcDEF123456',
    ],
    [
      'an access_token parameter',
      'redirect https://x.test/cb#access_token=zz9yy8xx7&state=1',
      'zz9yy8xx7',
    ],
    [
      'an authkey parameter',
      'chat url ws://127.0.0.1/?authkey=b41e9ae6b14df18c59f415419b1f827c',
      'b41e9ae6b14df18c59f415419b1f827c',
    ],
    [
      'an Authorization Bearer header',
      'headers: Authorization: Bearer s3cr3tTokenValue',
      's3cr3tTokenValue',
    ],
    [
      'an Authorization Token header (TAU)',
      'Authorization: Token 0123456789abcdef0123',
      '0123456789abcdef0123',
    ],
    [
      'an Authorization Client-ID header',
      'authorization: Client-ID my-client-id-42',
      'my-client-id-42',
    ],
    ['a JSON authorization field', '{"authorization":"Bearer qwertyuiopasdf"}', 'qwertyuiopasdf'],
    [
      'a JSON token field (TAU token frame)',
      'sent {"token": "tau-token-0987654321"}',
      'tau-token-0987654321',
    ],
    [
      'a JSON authkey field',
      '{"authkey":"b41e9ae6b14df18c59f415419b1f827c","endpoints":[]}',
      'b41e9ae6b14df18c59f415419b1f827c',
    ],
    [
      'a Mixer auth method call',
      '{"type":"method","method":"auth","arguments":[12345,54321,"single-use-key-77"],"id":0}',
      'single-use-key-77',
    ],
    ['a bare bearer value', 'using bearer abcdefghijklmnop for the call', 'abcdefghijklmnop'],
    [
      'a Twitch oauth: value',
      'PASS oauth:abcdefghijklmnopqrstuvwxyz0123',
      'abcdefghijklmnopqrstuvwxyz0123',
    ],
  ])('removes %s', (_name, line, secret) => {
    const out = redact(line);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('removes known secret values wherever they appear', () => {
    const out = redact('connect failed for my-tau-token-xyz (after my-tau-token-xyz)', [
      'my-tau-token-xyz',
    ]);
    expect(out).toBe(`connect failed for ${REDACTED} (after ${REDACTED})`);
  });

  it('leaves ordinary lines alone', () => {
    const line = 'glimesh: connected to channel 6 after 2 attempts; tokens parsed: 3';
    expect(redact(line)).toBe(line);
  });

  it('does not blank out very short "secrets" that would erase ordinary words', () => {
    expect(redact('a b c', ['a'])).toBe('a b c');
  });

  it('SecretRegistry forgets deleted values', () => {
    const registry = new SecretRegistry();
    registry.add('value-one-1234');
    expect(registry.redact('x value-one-1234')).toBe(`x ${REDACTED}`);
    registry.delete('value-one-1234');
    expect(registry.redact('x value-one-1234')).toBe('x value-one-1234');
  });
});
