/** Glimesh: the client factory the composition root needs, plus the pure codec. */
export { GLIMESH_MAX_LENGTH, GlimeshClient, createGlimeshClient, glimeshPlatformFactory, glimeshSettingsFrom } from './client';
export type { GlimeshClientOptions, GlimeshSettings } from './client';
export { decodeFrame, mapChatMessage, subscriptionMessage, graphqlErrors } from './codec';
