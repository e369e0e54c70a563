/** TAU: the client factory, REST helpers and test events the composition root needs, plus the pure codec. */
export {
  DEFAULT_KEEP_ALIVE_SECONDS,
  DEFAULT_TAU_URL,
  TauClient,
  createTauClient,
  tauPlatformFactory,
  tauSettingsFrom,
} from './client';
export type { TauClientOptions, TauSettings } from './client';
export {
  chatParts,
  decodeChatFrame,
  decodeEventsFrame,
  describeEvent,
  ownChatMessage,
  splitForTwitch,
} from './codec';
export type { ChatFrame, EventsFrame, TauEnvelope } from './codec';
export { checkToken, fetchBroadcaster, postTestEvent } from './rest';
export type { Broadcaster, TestEventResponse } from './rest';
export { TAU_TEST_EVENTS } from './testEvents';
export type { TauTestEventType } from './testEvents';
