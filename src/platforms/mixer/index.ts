/** Mixer chat: the client factory and settings the composition root needs, plus the pure codec. */
export {
  DEFAULT_MIXER_API_URL,
  MIXER_MAX_MESSAGE_LENGTH,
  MixerClient,
  createMixerClient,
  mixerPlatformFactory,
  mixerSettingsFrom,
} from './client';
export type { MixerClientOptions, MixerSettings } from './client';
export {
  decodePacket,
  decodeEvent,
  decodeChatMessage,
  encodeMethod,
  replyErrorToChatError,
} from './codec';
export { discoverChat, parseChannelSetting } from './discovery';
