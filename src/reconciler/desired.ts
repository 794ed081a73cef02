import { createHash } from 'node:crypto';
import { decodeBase64, DEFAULT_API_ACCESS, type Settings } from '../model/index.js';
import { resourceLimits } from '../model/index.js';
import { BerthError } from '../errors/index.js';
import type { DesiredContainer } from './types.js';
import { expired } from './expiry.js';

/**
 * Bumped when berth changes how it builds a container from the same settings (a class spec
 * change), so containers built by an older berth are replaced once.
 */
export const BUILD_VERSION = '1';

/** What shapes a container: a DesiredContainer without its hash. */
export type ContainerInputs = Omit<DesiredContainer, 'hash'>;

/** The inputs with their hash, computed from exactly these fields. */
export function desiredContainer(inputs: ContainerInputs): DesiredContainer {
  return { ...inputs, hash: inputHash(inputs) };
}

function inputHash(i: ContainerInputs): string {
  const hashed = {
    v: BUILD_VERSION,
    kind: i.kind,
    source: i.source,
    superpowered: i.superpowered,
    userData: i.userData?.toString('base64') ?? '',
    registry: i.registry,
    // Only when set, so a container using neither keeps the hash an older berth labelled it with
    // and an upgrade does not restart it.
    ...(i.command.length > 0 ? { command: i.command } : {}),
    ...(Object.keys(i.environment).length > 0 ? { environment: i.environment } : {}),
    ...(i.apiAccess !== DEFAULT_API_ACCESS ? { apiAccess: i.apiAccess } : {}),
    ...(Object.keys(i.resources).length > 0 ? { resources: i.resources } : {}),
  };
  return createHash('sha256').update(JSON.stringify(hashed)).digest('hex').slice(0, 32);
}

/**
 * The host containers the settings want running: enabled, with a source, not past their
 * `enabled-until`. Registry settings are part of each (they decide where the image comes from).
 */
export function desiredHostContainers(settings: Settings, now: Date): Map<string, DesiredContainer> {
  const out = new Map<string, DesiredContainer>();
  const registry = settings['container-registry'] ?? {};
  for (const [name, hc] of Object.entries(settings['host-containers'] ?? {})) {
    if (!hc.enabled || expired(hc['enabled-until'], now)) continue;
    if (!hc.source) continue; // reported by status as "enabled without a source"
    out.set(
      name,
      desiredContainer({
        name,
        kind: 'host',
        source: hc.source,
        superpowered: hc.superpowered ?? false,
        userData: decodeUserData(name, hc['user-data']),
        resources: resourceLimits(hc.resources),
        command: hc.command ?? [],
        environment: hc.environment ?? {},
        apiAccess: hc['api-access'] ?? DEFAULT_API_ACCESS,
        registry,
      }),
    );
  }
  return out;
}

/** The bootstrap container `name` as the settings want it; undefined when it has no source. */
export function desiredBootstrapContainer(name: string, settings: Settings): DesiredContainer | undefined {
  const b = settings['bootstrap-containers']?.[name];
  if (!b?.source) return undefined;
  return desiredContainer({
    name,
    kind: 'bootstrap',
    source: b.source,
    superpowered: false,
    userData: decodeUserData(name, b['user-data']),
    resources: {},
    command: b.command ?? [],
    environment: {},
    // Bottlerocket's bootstrap containers prepare the host with apiclient.
    apiAccess: DEFAULT_API_ACCESS,
    registry: settings['container-registry'] ?? {},
  });
}

export function decodeUserData(name: string, text: string | undefined): Buffer | undefined {
  if (text === undefined || text === '') return undefined;
  const decoded = decodeBase64(text);
  // The datastore validated it; this guards against a corrupted store.
  if (!decoded.ok) throw new BerthError('INVALID_ARGUMENT', `Invalid user-data of host container '${name}': ${decoded.reason}`);
  return decoded.bytes;
}
