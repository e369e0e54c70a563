import { describe, expect, it } from 'vitest';
import { ConnectionState, CONNECTING, DISCONNECTED } from '../../../src/core/state';
import { isLive } from '../../../src/screen/live';

const source = (...states: ConnectionState[]) => ({
  statuses: states.map((state) => ({ state })),
  onDidChangeStatus: () => ({ dispose() {} }),
});

describe('isLive', () => {
  it('is live while any platform connects, is connected, reconnects or has failed', () => {
    expect(isLive(source(DISCONNECTED, CONNECTING))).toBe(true);
    expect(isLive(source({ kind: 'connected', readOnly: true }))).toBe(true);
    expect(
      isLive(
        source(DISCONNECTED, {
          kind: 'reconnecting',
          attempt: 2,
          delayMs: 4000,
          reason: 'socket closed',
        }),
      ),
    ).toBe(true);
    expect(
      isLive(source({ kind: 'failed', category: 'auth', message: 'The token expired.' })),
    ).toBe(true);
  });

  it('is not live when every platform is disconnected, or none is enabled', () => {
    expect(isLive(source(DISCONNECTED, DISCONNECTED, DISCONNECTED))).toBe(false);
    expect(isLive(source())).toBe(false);
  });
});
