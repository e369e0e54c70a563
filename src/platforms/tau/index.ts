/** TAU: the client factory, REST helpers and test events the composition root needs, plus the pure codec. */
export { DEFAULT_TAU_URL, TauClient, createTauClient, tauPlatformFactory, tauSettingsFrom } from './client';
export type { TauClientOptions, TauSettings } from './client';
export { decodeChatFrame, decodeEventsFrame, describeEvent, splitForTwitch, chatParts } from './codec';
export { checkToken, fetchBroadcaster, postTestEvent } from './rest';
export type { Broadcaster } from './rest';
export { TAU_TEST_EVENTS } from './testEvents';
