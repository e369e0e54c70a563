/** Mixer chat: the one public surface of this folder (client, settings, rules, REST, pure codec). */
export { MixerClient, createMixerClient, mixerPlatformFactory } from './client';
export type { MixerClientOptions } from './client';
export { MIXER_MAX_MESSAGE_LENGTH, MIXER_RULES } from './rules';
export { DEFAULT_MIXER_API_URL, apiBase, mixerSettingsFrom, parseChannelSetting } from './settings';
export type { MixerSettings } from './settings';
export { discoverChat } from './http';
export {
  decodePacket,
  decodeEvent,
  decodeChatMessage,
  encodeMethod,
  replyErrorToChatError,
} from './codec';
