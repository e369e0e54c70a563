// The opening most UI test files share: simulators started and a workbench launched before the
// file's tests, tokens set, connected and the chat open; both closed after them.
import { after, before } from 'node:test';
import { Workbench } from './workbench';

export interface ChatSession<S> {
  /** Set once `before` has run. */
  readonly sim: S;
  readonly wb: Workbench;
}

export function chatSession<
  S extends { settings(): Record<string, unknown>; close(): unknown },
>(options: {
  start: () => Promise<S>;
  /** `[label, platform, token]` for each platform to connect, as `connectAndOpenChat` takes them. */
  tokens: (sim: S) => ReadonlyArray<readonly [label: string, platform: string, token: string]>;
  /** Settings on top of the simulators'. */
  settings?: Record<string, unknown>;
}): ChatSession<S> {
  const session: { sim?: S; wb?: Workbench } = {};
  before(async () => {
    const sim = (session.sim = await options.start());
    const wb = (session.wb = await Workbench.launch({
      settings: { ...sim.settings(), ...options.settings },
    }));
    await wb.connectAndOpenChat(options.tokens(sim));
  });
  after(async () => {
    await session.wb?.close();
    await session.sim?.close();
  });
  return {
    get sim() {
      return session.sim!;
    },
    get wb() {
      return session.wb!;
    },
  };
}
