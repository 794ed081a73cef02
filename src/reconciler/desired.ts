import { createHash } from 'node:crypto';
import { decodeBase64, type Settings } from '../model/index.js';
import { BerthError } from '../errors/index.js';
import type { DesiredContainer } from './types.js';

/**
 * Bumped when berth changes how it builds a container from the same settings (a class spec
 * change), so containers built by an older berth are replaced once.
 */
export const BUILD_VERSION = '1';

/** Whether an `enabled-until` time has passed at `now`. */
export function expired(enabledUntil: string | undefined, now: Date): boolean {
  return enabledUntil !== undefined && Date.parse(enabledUntil) <= now.getTime();
}

/**
 * The host containers the settings want running: enabled, with a source, not past their
 * `enabled-until`. The hash covers every input that shapes the container, registry settings
 * included (they decide where the image comes from), and nothing else.
 */
export function desiredHostContainers(settings: Settings, now: Date): Map<string, DesiredContainer> {
  const out = new Map<string, DesiredContainer>();
  const registry = settings['container-registry'] ?? {};
  for (const [name, hc] of Object.entries(settings['host-containers'] ?? {})) {
    if (!hc.enabled || expired(hc['enabled-until'], now)) continue;
    if (!hc.source) continue; // reported by status as "enabled without a source"
    const userData = decodeUserData(name, hc['user-data']);
    const superpowered = hc.superpowered ?? false;
    const hash = createHash('sha256')
      .update(
        JSON.stringify({
          v: BUILD_VERSION,
          kind: 'host',
          source: hc.source,
          superpowered,
          userData: hc['user-data'] ?? '',
          registry,
        }),
      )
      .digest('hex')
      .slice(0, 32);
    out.set(name, { name, kind: 'host', source: hc.source, superpowered, userData, hash });
  }
  return out;
}

export function decodeUserData(name: string, text: string | undefined): Buffer | undefined {
  if (text === undefined || text === '') return undefined;
  const decoded = decodeBase64(text);
  // The datastore validated it; this guards against a corrupted store.
  if (!decoded.ok) throw new BerthError('INVALID_ARGUMENT', `Invalid user-data of host container '${name}': ${decoded.reason}`);
  return decoded.bytes;
}
