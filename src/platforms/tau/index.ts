/** TAU: the one public surface of this folder (client, settings, rules, REST, test events, codec). */
export { TauClient, tauPlatformFactory } from './client';
export type { TauClientOptions } from './client';
export { MAX_SPLIT_MESSAGES, TAU_RULES, TWITCH_MAX_LENGTH, TWITCH_RATE_LIMIT } from './rules';
export {
  DEFAULT_KEEP_ALIVE_SECONDS,
  DEFAULT_TAU_URL,
  baseUrl,
  socketUrl,
  tauSettingsFrom,
} from './settings';
export type { TauSettings } from './settings';
export { TAU_TEST_EVENTS, checkToken, fetchBroadcaster, postTestEvent } from './http';
export type { Broadcaster, TauTestEventType, TestEventResponse } from './http';
export type { FetchLike } from '../../core/http';
export {
  chatParts,
  decodeChatFrame,
  decodeEventsFrame,
  describeEvent,
  ownChatMessage,
  splitForTwitch,
} from './codec';
export type { ChatFrame, EventsFrame, TauEnvelope } from './codec';
