import { PlatformId } from './core/message';
import { TokenDestination } from './core/origin';
import type { PlatformFactory } from './core/clientRegistry';
import { glimeshPlatformFactory, glimeshSettingsFrom } from './platforms/glimesh';
import { mixerPlatformFactory, mixerSettingsFrom } from './platforms/mixer';
import { tauPlatformFactory, tauSettingsFrom } from './platforms/tau';

/** Maps each platform id to its client factory, converting raw settings into the platform's own type. */
export const PLATFORM_FACTORIES: Partial<Record<PlatformId, PlatformFactory>> = {
  glimesh: glimeshPlatformFactory,
  mixer: mixerPlatformFactory,
  tau: tauPlatformFactory,
};

/**
 * The settings that name where each platform sends its token, read with the platform's own
 * defaults. Mixer's chat sockets get a one-time authkey, not the token, so only its REST base counts.
 */
export const TOKEN_DESTINATIONS: Record<
  PlatformId,
  (raw: Readonly<Record<string, unknown>>) => TokenDestination[]
> = {
  glimesh: (raw) => {
    const s = glimeshSettingsFrom(raw);
    return [
      { key: 'glimesh.apiUrl', url: s.apiUrl },
      { key: 'glimesh.socketUrl', url: s.socketUrl },
    ];
  },
  mixer: (raw) => [{ key: 'mixer.apiUrl', url: mixerSettingsFrom(raw).apiUrl }],
  tau: (raw) => [{ key: 'tau.url', url: tauSettingsFrom(raw).url }],
};
