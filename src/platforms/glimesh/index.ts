/** Glimesh chat: the client factory and settings the composition root needs, plus the pure codec. */
export {
  DEFAULT_GLIMESH_API_URL,
  DEFAULT_GLIMESH_SOCKET_URL,
  GLIMESH_MAX_LENGTH,
  GlimeshClient,
  createGlimeshClient,
  glimeshPlatformFactory,
  glimeshSettingsFrom,
} from './client';
export type { GlimeshClientOptions, GlimeshSettings } from './client';
export {
  classifyFrame,
  decodeFrame,
  graphqlErrors,
  mapChatMessage,
  readFrame,
  subscriptionMessage,
} from './codec';
export type { GlimeshFrame, PhoenixFrame } from './codec';
