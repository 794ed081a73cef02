import { readFile } from 'node:fs/promises';
import type { ContainerdClient, Platform } from '../../containerd/index.js';
import { BerthError, messageOf } from '../../errors/index.js';
import { silentLogger, type Logger } from '../../lib/logger.js';
import { formatImageReference, type ContainerRegistrySettings, type RegistryImageReference } from '../../model/index.js';
import { fetchImageTree } from '../fetch-tree.js';
import type { ImageResult } from '../import.js';
import { toWireDescriptor } from '../oci-types.js';
import type { ProgressListener } from '../progress-events.js';
import { unpackImage } from '../unpack.js';
import { storedImage } from '../stored-image.js';
import { labelDistributionSource } from './distribution-source.js';
import { HttpTransport } from './http-transport.js';
import { RegistryAuth } from './registry-auth.js';
import { RegistryBlobProvider } from './registry-blob-provider.js';
import { CredentialLookup } from './registry-credentials.js';
import { registryEndpoints } from './registry-endpoints.js';
import { isTransient, withRetries, type RetryHooks, type RetryPolicy } from './registry-retry.js';
import { RegistrySession } from './registry-session.js';
import { resolveManifest, type ResolvedReference } from './resolve-manifest.js';
import { TokenCache } from './token-cache.js';

export interface PullOptions {
  /** Name of the image record (berth uses the `source` string). Required. */
  name: string;
  /** Platform picked from a multi-platform index. Required. */
  platform: Platform;
  /** `settings.container-registry`: mirrors and credentials. Optional. */
  registry?: ContainerRegistrySettings;
  onProgress?: ProgressListener;
  /** docker's config.json, the credentials fallback (`auths.<host>.auth`). Optional; a missing file is fine. */
  dockerConfigPath?: string;
  /** PEM file of CA certificates trusted besides the system's (a private registry's CA). Optional. */
  caFile?: string;
  /** Where retries and the cached fallback are logged. Default: silent. */
  logger?: Logger;
  /** Retries of each request and blob transfer. Default: 6 tries, 1 s doubling to 30 s, jitter 0.5. */
  retry?: RetryPolicy;
  /** Bearer tokens, shared across pulls when the caller keeps one. Default: a cache per pull. */
  tokenCache?: TokenCache;
  /** Cancels the pull (requests and waits). Optional. */
  signal?: AbortSignal;
  /** Labels on the image record. Optional. */
  labels?: Record<string, string>;
  /** Longest silence of a connection, in ms. Default 30 000. */
  idleTimeoutMs?: number;
  /** Blobs downloaded at once. Default 3. */
  concurrency?: number;
}

export interface PullResult extends ImageResult {
  /** True when no registry endpoint could be reached and the stored image was used. */
  fromCache: boolean;
  /** The API root that served the manifest (a mirror or the registry); undefined from the cache. */
  endpoint?: string;
}

/**
 * Pulls an image over the OCI distribution API into containerd (1.6 has no Transfer service, so
 * this is the client side of containerd's pull): the tag or digest is resolved on the mirrors, then
 * the registry; the platform's manifest, config and layers are streamed into the content store under
 * a lease, leaves first, with GC and distribution-source labels; then the image record points at the
 * resolved top-level descriptor and the layers are unpacked. Transient failures are retried with
 * backoff and jitter, resuming blobs where containerd's ingest stopped. When no endpoint can be
 * reached, an image already stored under `name` is used (and logged); otherwise the error is
 * UNAVAILABLE and names the hosts tried and the reference.
 */
export async function pullImage(client: ContainerdClient, ref: RegistryImageReference, options: PullOptions): Promise<PullResult> {
  const log = options.logger ?? silentLogger;
  const refText = formatImageReference(ref);
  const endpoints = registryEndpoints(ref.registry, { mirrors: options.registry?.mirrors ?? [] });
  const ca = options.caFile === undefined ? undefined : await readCa(options.caFile);
  const transport = new HttpTransport({ ...(ca ? { ca } : {}), ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}) });
  const credentials = new CredentialLookup({
    settings: options.registry?.credentials ?? [],
    ...(options.dockerConfigPath !== undefined ? { dockerConfigPath: options.dockerConfigPath } : {}),
  });
  const signal = options.signal ? { signal: options.signal } : {};
  const auth = new RegistryAuth({ credentials, registry: ref.registry, transport, cache: options.tokenCache ?? new TokenCache(), ...signal });
  const session = new RegistrySession({ ref, endpoints, auth, transport, logger: log, ...signal });
  const hooks = (what: string): RetryHooks => ({
    ...signal,
    onRetry: ({ attempt, delayMs, error }) => {
      log.warn({ image: refText, what, attempt, delayMs, err: messageOf(error) }, 'registry request failed, retrying');
      options.onProgress?.({ kind: 'retry', what, attempt, delayMs, reason: messageOf(error) });
    },
  });
  try {
    const resolved = await withRetries(() => resolveManifest(session), options.retry, hooks('manifest'));
    return await fetchResolved(client, session, resolved, { ...options, retryHooks: hooks });
  } catch (err) {
    if (!isUnreachable(err)) throw err;
    const hosts = [...new Set((err.details?.hosts as string[] | undefined) ?? endpoints.map((e) => e.host))];
    const cached = await storedImage(client, options.name, { platform: options.platform });
    if (cached) {
      log.warn({ image: options.name, hosts, err: messageOf(err) }, 'registry unreachable, using the image already stored');
      options.onProgress?.({ kind: 'done', name: cached.name, digest: cached.target.digest });
      return { ...cached, fromCache: true };
    }
    throw new BerthError(
      'UNAVAILABLE',
      `Cannot pull ${refText}: registry ${hosts.join(', ')} could not be reached and no image '${options.name}' is stored (${messageOf(err)})`,
      { cause: err, details: { hosts, reference: refText } },
    );
  } finally {
    transport.close();
  }
}

/** An error that means the registry (every endpoint) could not be reached, after the retries. */
function isUnreachable(err: unknown): err is BerthError {
  return isTransient(err) && Array.isArray((err as BerthError).details?.hosts);
}

async function readCa(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new BerthError('FAILED_PRECONDITION', `Cannot read the CA file ${file}: ${messageOf(err)}`, { cause: err });
  }
}

async function fetchResolved(
  client: ContainerdClient,
  session: RegistrySession,
  resolved: ResolvedReference,
  options: PullOptions & { retryHooks: (what: string) => RetryHooks },
): Promise<PullResult> {
  const { ref } = session;
  const lease = await client.leases.create({ expireAfterMs: 3600_000 });
  try {
    const provider = new RegistryBlobProvider(session, { documents: new Map([[resolved.desc.digest, resolved.body]]) });
    const image = await fetchImageTree(client, provider, resolved.desc, {
      platform: options.platform,
      lease: lease.id,
      concurrency: options.concurrency ?? 3,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      retry: (what, fn) => withRetries(fn, options.retry, options.retryHooks(what)),
    });
    const blobs = [image.target, image.manifestDesc, image.configDesc, ...image.manifest.layers].map((d) => d.digest);
    await labelDistributionSource(client, blobs, { registry: ref.registry, repository: ref.repository, lease: lease.id });
    await client.images.put({ name: options.name, target: toWireDescriptor(resolved.desc), labels: options.labels ?? {} }, { lease: lease.id });
    const unpacked = await unpackImage(client, image, {
      lease: lease.id,
      onLayer: (done, total) => options.onProgress?.({ kind: 'unpack', done, total }),
    });
    options.onProgress?.({ kind: 'done', name: options.name, digest: resolved.desc.digest });
    options.logger?.info({ image: options.name, digest: resolved.desc.digest, endpoint: session.baseOf(resolved.endpoint) }, 'image pulled');
    return {
      name: options.name,
      target: resolved.desc,
      manifestDigest: image.manifestDesc.digest,
      configDigest: image.configDesc.digest,
      chainId: unpacked.chainId,
      layersApplied: unpacked.applied,
      image,
      fromCache: false,
      endpoint: session.baseOf(resolved.endpoint),
    };
  } finally {
    await client.leases.delete(lease.id).catch(() => undefined);
  }
}
