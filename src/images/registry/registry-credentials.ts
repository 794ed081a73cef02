import { readFile } from 'node:fs/promises';
import { BerthError } from '../../errors/index.js';
import type { RegistryCredential } from '../../model/index.js';
import { registryAliases } from './registry-endpoints.js';

/** What berth can authenticate with: a user and password, or an OAuth2 refresh token. */
export type Credential =
  | { kind: 'password'; username: string; password: string; source: string }
  | { kind: 'identity-token'; token: string; source: string };

export interface CredentialLookupOptions {
  /** `settings.container-registry.credentials`. Optional. */
  settings?: readonly RegistryCredential[];
  /** docker's `config.json` (`auths.<host>.auth`), read on first need; a missing file is fine. Optional. */
  dockerConfigPath?: string;
}

/**
 * Finds the credentials for a registry host: settings by the host actually contacted (a mirror),
 * then settings by the upstream registry, then docker's config.json the same way. Looking up the
 * contacted host first is what containerd's CRI does and what Bottlerocket's issue #2677 asks for.
 */
export class CredentialLookup {
  #settings: readonly RegistryCredential[];
  #dockerConfigPath: string | undefined;
  #dockerAuths: Promise<Map<string, Credential>> | undefined;

  constructor(options: CredentialLookupOptions = {}) {
    this.#settings = options.settings ?? [];
    this.#dockerConfigPath = options.dockerConfigPath;
  }

  async find(contactedHost: string, upstreamRegistry: string): Promise<Credential | undefined> {
    const hosts = [...registryAliases(contactedHost), ...registryAliases(upstreamRegistry)];
    for (const host of hosts) {
      const entry = this.#settings.find((c) => c.registry === host);
      if (entry) return fromSetting(entry);
    }
    if (this.#dockerConfigPath === undefined) return undefined;
    this.#dockerAuths ??= readDockerAuths(this.#dockerConfigPath);
    const auths = await this.#dockerAuths;
    for (const host of hosts) {
      const found = auths.get(host);
      if (found) return found;
    }
    return undefined;
  }
}

function decodeAuth(auth: string, what: string): { username: string; password: string } {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) throw new BerthError('INVALID_ARGUMENT', `Invalid ${what}: 'auth' is not base64 of "user:password"`);
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function fromSetting(entry: RegistryCredential): Credential {
  const source = `settings.container-registry.credentials (registry ${JSON.stringify(entry.registry)})`;
  if (entry.identitytoken) return { kind: 'identity-token', token: entry.identitytoken, source };
  if (entry.username !== undefined && entry.password !== undefined) {
    return { kind: 'password', username: entry.username, password: entry.password, source };
  }
  if (entry.auth) return { kind: 'password', ...decodeAuth(entry.auth, source), source };
  throw new BerthError('INVALID_ARGUMENT', `Invalid setting ${source}: expected username and password, auth, or identitytoken`);
}

/** `https://index.docker.io/v1/` → `index.docker.io`; `host:5000` stays. */
function dockerConfigHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

interface DockerAuthEntry {
  auth?: unknown;
  username?: unknown;
  password?: unknown;
  identitytoken?: unknown;
}

/** Reads `auths` of docker's config.json. `credsStore` and `credHelpers` (external programs) are not used. */
export async function readDockerAuths(file: string): Promise<Map<string, Credential>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new BerthError('FAILED_PRECONDITION', `Cannot read docker config ${file}: ${(err as Error).message}`, { cause: err });
  }
  let doc: { auths?: Record<string, DockerAuthEntry> };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid docker config ${file}: ${(err as Error).message}`, { cause: err });
  }
  const out = new Map<string, Credential>();
  if (typeof doc !== 'object' || doc === null || typeof doc.auths !== 'object' || doc.auths === null) return out;
  for (const [key, entry] of Object.entries(doc.auths)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const host = dockerConfigHost(key);
    const source = `${file} (auths.${key})`;
    if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
      out.set(host, { kind: 'identity-token', token: entry.identitytoken, source });
    } else if (typeof entry.auth === 'string' && entry.auth !== '') {
      out.set(host, { kind: 'password', ...decodeAuth(entry.auth, `docker config ${source}`), source });
    } else if (typeof entry.username === 'string' && typeof entry.password === 'string') {
      out.set(host, { kind: 'password', username: entry.username, password: entry.password, source });
    }
  }
  return out;
}
