import { describe, expect, it } from 'vitest';
import { ChatHub } from '../../../src/core/chatHub';
import { PlatformClient, PlatformDeps } from '../../../src/core/client';
import { ClientRegistry } from '../../../src/core/clientRegistry';
import { Emitter } from '../../../src/core/event';
import { nullLogger } from '../../../src/core/log';
import { PlatformId, TimelineOp } from '../../../src/core/message';
import { ConnectionState, DISCONNECTED } from '../../../src/core/state';

class FakeClient implements PlatformClient {
  readonly platform = 'tau' as const;
  state: ConnectionState = DISCONNECTED;
  disposed = false;
  connects = 0;
  private readonly _state = new Emitter<ConnectionState>();
  readonly onDidChangeState = this._state.event;
  readonly onDidReceive = new Emitter<TimelineOp>().event;
  readonly sendCapability = { canSend: true, maxLength: 500 };
  constructor(readonly deps: PlatformDeps<Record<string, unknown>>) {}
  connect(): void {
    this.connects++;
    this.state = { kind: 'connected', readOnly: false };
    this._state.fire(this.state);
  }
  disconnect(): void {}
  send(): Promise<void> {
    return Promise.resolve();
  }
  dispose(): void {
    this.disposed = true;
  }
}

function setup() {
  const hub = new ChatHub({ scrollback: 100, log: nullLogger });
  const made: FakeClient[] = [];
  const settings: Record<string, unknown> = { url: 'http://localhost:8000' };
  let enabled = true;
  const tokenChanged = new Emitter<PlatformId>();
  const registry = new ClientRegistry({
    hub,
    factories: { tau: (deps) => made[made.push(new FakeClient(deps)) - 1]! },
    settings: { isEnabled: (p) => p === 'tau' && enabled, read: () => ({ ...settings }) },
    tokens: {
      tokenFor: async (p, s) => `${p} token for ${String(s.url)}`,
      onDidChange: tokenChanged.event,
    },
    log: nullLogger,
    redact: (text) => text,
  });
  return {
    hub,
    made,
    registry,
    settings,
    tokenChanged,
    disable: () => (enabled = false),
  };
}

describe('ClientRegistry', () => {
  it('creates a client for each enabled platform with a factory, with the injected token reader', async () => {
    const { hub, made, registry } = setup();
    registry.sync();
    expect(made).toHaveLength(1);
    expect(hub.client('tau')).toBe(made[0]);
    expect(hub.client('glimesh')).toBeUndefined();
    expect(await made[0]!.deps.getToken()).toBe('tau token for http://localhost:8000');
    registry.sync();
    expect(made).toHaveLength(1);
  });

  it('replaces a client when its settings or token change, resuming it and disposing the old one', () => {
    const { hub, made, registry, settings, tokenChanged } = setup();
    registry.sync();
    made[0]!.connect();
    settings.url = 'http://localhost:9000';
    registry.sync(['tau']);
    expect(made).toHaveLength(2);
    expect(made[0]!.disposed).toBe(true);
    expect(made[1]!.connects).toBe(1);
    expect(hub.client('tau')).toBe(made[1]);
    tokenChanged.fire('tau');
    expect(made).toHaveLength(3);
    expect(made[1]!.disposed).toBe(true);
    // A token change for a platform with no client creates none.
    tokenChanged.fire('glimesh');
    expect(made).toHaveLength(3);
  });

  it('disposes what it created when a platform is disabled and on dispose; the hub disposes none', () => {
    const { hub, made, registry, disable } = setup();
    registry.sync();
    hub.dispose();
    expect(made[0]!.disposed).toBe(false);
    disable();
    registry.sync();
    expect(made[0]!.disposed).toBe(true);
    expect(registry.client('tau')).toBeUndefined();
    const second = setup();
    second.registry.sync();
    second.registry.dispose();
    expect(second.made[0]!.disposed).toBe(true);
    expect(second.hub.client('tau')).toBeUndefined();
  });
});
