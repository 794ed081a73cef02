import { createHash } from 'node:crypto';
import { BerthError } from '../../errors/index.js';
import { isIndex, isManifest, isSchema1, MEDIA_TYPES } from '../media-types.js';
import type { OciDescriptor } from '../oci-types.js';
import { MAX_DOCUMENT_BYTES } from '../resolve-stored.js';
import { readBody } from './http-transport.js';
import type { RegistryEndpoint } from './registry-endpoints.js';
import type { RegistrySession } from './registry-session.js';

/** What berth reads at the top of an image: OCI and Docker v2 manifests and indexes (no schema 1). */
export const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerList, MEDIA_TYPES.dockerManifest].join(', ');

export interface ResolvedReference {
  /** The top-level descriptor: what the image record will point at. */
  desc: OciDescriptor;
  /** The document's bytes, already checked against `desc.digest`. */
  body: Buffer;
  endpoint: RegistryEndpoint;
}

/** Resolves the reference's tag or digest to the top-level manifest or index. */
export async function resolveManifest(session: RegistrySession): Promise<ResolvedReference> {
  const { ref } = session;
  const reference = ref.digest ?? (ref.tag);
  const what = `manifest ${ref.digest ?? `:${ref.tag}`}`;
  const { res, endpoint } = await session.get(`manifests/${reference}`, { headers: { accept: MANIFEST_ACCEPT }, what });
  let body: Buffer;
  try {
    body = await readBody(res, MAX_DOCUMENT_BYTES);
  } catch (err) {
    if (BerthError.is(err) && err.code === 'UNAVAILABLE') {
      throw new BerthError('UNAVAILABLE', err.message, { cause: err, details: { hosts: [endpoint.host] } });
    }
    throw err;
  }
  const desc = manifestDescriptor(body, {
    contentType: res.headers['content-type'],
    headerDigest: headerValue(res.headers['docker-content-digest']),
    expectedDigest: ref.digest,
    where: `${endpoint.host}/${ref.repository}:${reference}`,
  });
  return { desc, body, endpoint };
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The descriptor of a manifest or index a registry sent: media type from `Content-Type` (else the
 * document's own `mediaType`, else its shape), digest of the bytes received, which must equal the
 * digest asked for and the `Docker-Content-Digest` header when they are given. Schema 1 is refused.
 */
export function manifestDescriptor(
  body: Buffer,
  options: { contentType?: string | undefined; headerDigest?: string | undefined; expectedDigest?: string | undefined; where: string },
): OciDescriptor {
  const where = options.where;
  const contentType = (options.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let doc: { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown; layers?: unknown };
  try {
    doc = JSON.parse(body.toString('utf8')) as typeof doc;
  } catch (err) {
    if (isSchema1(contentType)) doc = {};
    else throw new BerthError('INVALID_ARGUMENT', `Manifest of ${where} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof doc !== 'object' || doc === null) throw new BerthError('INVALID_ARGUMENT', `Manifest of ${where} is not a JSON object`);
  if (isSchema1(contentType) || doc.schemaVersion === 1) {
    throw new BerthError('INVALID_ARGUMENT', `Docker schema 1 images are not supported (${where}); push the image again with a current client`);
  }
  const own = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
  let mediaType: string;
  if (isIndex(contentType) || isManifest(contentType)) {
    mediaType = contentType;
    if (own !== undefined && own !== contentType && (isIndex(own) || isManifest(own) || isSchema1(own))) {
      throw new BerthError('INVALID_ARGUMENT', `Manifest of ${where} says it is ${own} but was served as ${contentType}`);
    }
  } else if (own !== undefined && (isIndex(own) || isManifest(own))) {
    mediaType = own;
  } else if (own === undefined && Array.isArray(doc.manifests)) {
    mediaType = MEDIA_TYPES.ociIndex;
  } else if (own === undefined && doc.config !== undefined && Array.isArray(doc.layers)) {
    mediaType = MEDIA_TYPES.ociManifest;
  } else {
    throw new BerthError('INVALID_ARGUMENT', `Unsupported manifest media type ${own ?? (contentType || 'none')} in ${where}`);
  }
  const digest = 'sha256:' + createHash('sha256').update(body).digest('hex');
  if (options.expectedDigest !== undefined && options.expectedDigest !== digest) {
    throw new BerthError('FAILED_PRECONDITION', `Manifest of ${where} does not match its digest (got ${digest})`);
  }
  const header = options.headerDigest?.trim();
  if (header && header.startsWith('sha256:') && header !== digest) {
    throw new BerthError('FAILED_PRECONDITION', `Manifest of ${where} does not match its Docker-Content-Digest ${header} (got ${digest})`);
  }
  return { mediaType, digest, size: body.length };
}
