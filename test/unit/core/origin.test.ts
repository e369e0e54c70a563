import { describe, expect, it } from 'vitest';
import {
  decodeStoredToken,
  displayUrl,
  encodeStoredToken,
  foreignDestinations,
  originsOf,
  tokenOrigin,
} from '../../../src/core/origin';

describe('tokenOrigin', () => {
  it('treats ws/wss as http/https, drops default ports and paths, lowercases the host', () => {
    expect(tokenOrigin('wss://Glimesh.TV/api/graph/websocket?vsn=2.0.0')).toBe(
      'https://glimesh.tv',
    );
    expect(tokenOrigin('https://glimesh.tv:443/api/graph')).toBe('https://glimesh.tv');
    expect(tokenOrigin('ws://localhost:8000/ws/twitch-events/')).toBe('http://localhost:8000');
    expect(tokenOrigin('http://localhost:8000')).toBe('http://localhost:8000');
  });

  it('keeps different ports, schemes and hosts apart', () => {
    expect(tokenOrigin('http://localhost:8001')).not.toBe(tokenOrigin('http://localhost:8000'));
    expect(tokenOrigin('https://localhost:8000')).not.toBe(tokenOrigin('http://localhost:8000'));
    expect(tokenOrigin('http://127.0.0.1:8000')).not.toBe(tokenOrigin('http://localhost:8000'));
  });

  it('refuses what is not an http(s)/ws(s) URL', () => {
    expect(tokenOrigin('not a url')).toBeUndefined();
    expect(tokenOrigin('file:///etc/passwd')).toBeUndefined();
    expect(tokenOrigin('javascript:alert(1)')).toBeUndefined();
  });
});

describe('displayUrl', () => {
  it('drops user-info, query and fragment', () => {
    expect(displayUrl('https://user:hunter2@example.com:8443/api?token=abc#frag')).toBe(
      'https://example.com:8443/api',
    );
  });
  it('still strips credentials and queries from text that is not a URL', () => {
    const shown = displayUrl('ht!tp://me:secret@host/x?token=abc');
    expect(shown).not.toContain('secret');
    expect(shown).not.toContain('abc');
  });
});

describe('stored token records', () => {
  it('round-trip through SecretStorage text', () => {
    const record = {
      token: 'tok-123',
      origins: ['http://localhost:8000'],
      allowed: ['http://127.0.0.1:9000'],
      refused: ['https://evil.example'],
    };
    expect(decodeStoredToken(encodeStoredToken(record))).toEqual({ kind: 'record', record });
  });

  it('reads a bare token of an earlier version as legacy, and nothing as none', () => {
    expect(decodeStoredToken('abc123')).toEqual({ kind: 'legacy', token: 'abc123' });
    expect(decodeStoredToken('{not json')).toEqual({ kind: 'legacy', token: '{not json' });
    expect(decodeStoredToken(undefined)).toEqual({ kind: 'none' });
    expect(decodeStoredToken('')).toEqual({ kind: 'none' });
  });

  it('finds the destinations a token was neither entered for nor allowed to', () => {
    const record = {
      token: 't',
      origins: ['https://glimesh.tv'],
      allowed: ['http://127.0.0.1:4001'],
      refused: [],
    };
    const foreign = foreignDestinations(record, [
      { key: 'glimesh.apiUrl', url: 'https://glimesh.tv/api/graph' },
      { key: 'glimesh.socketUrl', url: 'wss://glimesh.tv/api/graph/websocket' },
      { key: 'x.url', url: 'ws://127.0.0.1:4001/socket' },
      { key: 'y.url', url: 'http://evil.example:80/steal' },
    ]);
    expect(foreign.map((d) => d.key)).toEqual(['y.url']);
    expect(originsOf(foreign)).toEqual(['http://evil.example']);
  });
});

describe('redact and URL user-info', () => {
  it('blanks the user-info of any URL in a sentence', async () => {
    const { redact } = await import('../../../src/core/log');
    const line = redact(
      'fetch failed: Request cannot be constructed from a URL that includes credentials: http://streamer:hunter2pass@127.0.0.1:4000/api/graph',
    );
    expect(line).not.toContain('hunter2pass');
    expect(line).not.toContain('streamer:');
    expect(line).toContain('127.0.0.1:4000/api/graph');
  });
});
