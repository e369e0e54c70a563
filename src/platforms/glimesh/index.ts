/** Glimesh chat: the one public surface of this folder (client, settings, rules, pure codec). */
export { GlimeshClient, glimeshPlatformFactory } from './client';
export type { GlimeshClientOptions } from './client';
export { GLIMESH_RULES } from './rules';
export {
  DEFAULT_GLIMESH_API_URL,
  DEFAULT_GLIMESH_SOCKET_URL,
  glimeshSettingsFrom,
} from './settings';
export type { GlimeshSettings } from './settings';
export {
  classifyFrame,
  decodeFrame,
  graphqlErrors,
  mapChatMessage,
  readFrame,
  subscriptionMessage,
} from './codec';
export type { GlimeshFrame, PhoenixFrame } from './codec';
