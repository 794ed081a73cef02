import { isIP } from 'node:net';
import { BerthError } from '../../errors/index.js';
import type { RegistryMirror } from '../../model/index.js';

/**
 * Where a pull goes: the mirrors configured for the registry (an exact entry, else `*`), in order,
 * then the registry itself. Plain `http://` is used only for loopback hosts, as containerd does.
 */
export interface RegistryEndpoint {
  /** `host[:port]` actually contacted; credentials are looked up by it first. */
  readonly host: string;
  /** API root without a trailing slash (`https://mirror.example/v2`). */
  readonly base: string;
  /** True for a mirror, false for the registry itself. */
  readonly mirror: boolean;
  /**
   * True for a loopback registry named without a scheme: https is tried first and plain http is used
   * when the server does not speak TLS (containerd's fallback for local registries).
   */
  readonly httpFallback: boolean;
}

/** The registries whose name docker hub goes by; settings may use any of them. */
const DOCKER_HUB = ['docker.io', 'registry-1.docker.io', 'index.docker.io'];

/** All names of one registry (docker hub's three, else just the name). */
export function registryAliases(registry: string): string[] {
  return DOCKER_HUB.includes(registry) ? DOCKER_HUB : [registry];
}

/** The host a registry's API is served from (`docker.io` → `registry-1.docker.io`). */
export function upstreamHost(registry: string): string {
  return DOCKER_HUB.includes(registry) ? 'registry-1.docker.io' : registry;
}

/** Whether a host name (with or without port or IPv6 brackets) is loopback: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(host: string): boolean {
  let name = host;
  if (name.startsWith('[')) name = name.slice(1, name.indexOf(']'));
  else if (name.split(':').length === 2) name = name.slice(0, name.indexOf(':'));
  name = name.toLowerCase();
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) return name === '::1' || name === '0:0:0:0:0:0:0:1';
  return false;
}

function mirrorFor(registry: string, mirrors: readonly RegistryMirror[]): RegistryMirror | undefined {
  const aliases = registryAliases(registry);
  return mirrors.find((m) => aliases.includes(m.registry)) ?? mirrors.find((m) => m.registry === '*');
}

function mirrorEndpoint(text: string, mirror: RegistryMirror): RegistryEndpoint {
  const setting = `Invalid setting 'container-registry.mirrors' (registry ${JSON.stringify(mirror.registry)})`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BerthError('INVALID_ARGUMENT', `${setting}: endpoint ${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.host)) {
    throw new BerthError(
      'INVALID_ARGUMENT',
      `${setting}: endpoint ${JSON.stringify(text)} uses http:// for a host that is not loopback; use https://`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BerthError('INVALID_ARGUMENT', `${setting}: endpoint ${JSON.stringify(text)} must start with https://`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new BerthError('INVALID_ARGUMENT', `${setting}: endpoint ${JSON.stringify(text)} must not carry credentials, a query or a fragment`);
  }
  // A mirror given without a path serves the API at /v2, as in containerd's and host-ctr's configs.
  const path = url.pathname === '/' || url.pathname === '' ? '/v2' : url.pathname.replace(/\/+$/, '');
  return { host: url.host, base: `${url.protocol}//${url.host}${path}`, mirror: true, httpFallback: false };
}

/** The endpoints of a registry in the order they are tried. Throws INVALID_ARGUMENT for a bad mirror. */
export function registryEndpoints(registry: string, options: { mirrors?: readonly RegistryMirror[] } = {}): RegistryEndpoint[] {
  const host = upstreamHost(registry);
  const loopback = isLoopbackHost(host);
  const upstream: RegistryEndpoint = { host, base: `https://${host}/v2`, mirror: false, httpFallback: loopback };
  const mirror = mirrorFor(registry, options.mirrors ?? []);
  const endpoints = (mirror?.endpoint ?? []).map((e) => mirrorEndpoint(e, mirror as RegistryMirror));
  const unique = endpoints.filter((e, i) => endpoints.findIndex((o) => o.base === e.base) === i && e.base !== upstream.base);
  return [...unique, upstream];
}
