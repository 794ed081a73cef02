import type { ContainerdClient, Platform } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';
import { indexGcLabels, manifestGcLabels } from './gc-labels.js';
import { isIndex, isManifest, isSchema1 } from './media-types.js';
import { checkDescriptor, parseJson, type ImageConfig, type OciDescriptor, type OciIndex, type OciManifest } from './oci-types.js';
import { formatPlatform, platformMatches } from './platform.js';
import { selectManifest } from './select-manifest.js';

export interface ResolvedImage {
  /** What the image record points at (an index for multi-platform images). */
  target: OciDescriptor;
  manifestDesc: OciDescriptor;
  manifest: OciManifest;
  configDesc: OciDescriptor;
  config: ImageConfig;
}

/** Largest manifest, index or config berth reads into memory. */
export const MAX_DOCUMENT_BYTES = 4 << 20;

/**
 * Walks an image whose blobs are already in the content store (after an archive import) from its
 * target to the platform's manifest and config, and sets the GC labels that tie them together.
 */
export async function resolveStoredImage(
  client: ContainerdClient,
  target: OciDescriptor,
  options: { platform: Platform; lease: string; where: string },
): Promise<ResolvedImage> {
  const call = { lease: options.lease };
  let desc = target;
  for (let depth = 0; isIndex(desc.mediaType); depth++) {
    if (depth > 4) throw new BerthError('INVALID_ARGUMENT', `Image index nesting too deep in ${options.where}`);
    const index = parseJson<OciIndex>(await readDocument(client, desc, options.where), `index ${desc.digest}`);
    const child = selectManifest(index, { platform: options.platform, where: options.where });
    await client.content.setLabels(desc.digest, indexGcLabels(index, [child.position]), call);
    desc = child.desc;
  }
  if (isSchema1(desc.mediaType)) {
    throw new BerthError('INVALID_ARGUMENT', `Docker schema 1 images are not supported (${options.where})`);
  }
  if (!isManifest(desc.mediaType)) {
    throw new BerthError('INVALID_ARGUMENT', `Unsupported manifest media type ${desc.mediaType} in ${options.where}`);
  }
  const manifest = checkManifest(parseJson<OciManifest>(await readDocument(client, desc, options.where), `manifest ${desc.digest}`), options.where);
  await client.content.setLabels(desc.digest, manifestGcLabels(manifest), call);
  const config = parseJson<ImageConfig>(await readDocument(client, manifest.config, options.where), `config ${manifest.config.digest}`);
  checkConfigPlatform(config, options);
  return { target, manifestDesc: desc, manifest, configDesc: manifest.config, config };
}

export function checkManifest(manifest: OciManifest, where: string): OciManifest {
  if (!manifest || typeof manifest !== 'object' || !Array.isArray(manifest.layers)) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid image manifest in ${where}`);
  }
  checkDescriptor(manifest.config, `${where} manifest config`);
  manifest.layers.forEach((l) => checkDescriptor(l, `${where} manifest layers`));
  return manifest;
}

export function checkConfigPlatform(config: ImageConfig, options: { platform: Platform; where: string }): void {
  const p = { os: config.os ?? '', architecture: config.architecture ?? '', ...(config.variant ? { variant: config.variant } : {}) };
  if ((p.os || p.architecture) && !platformMatches(options.platform, p)) {
    throw new BerthError(
      'FAILED_PRECONDITION',
      `Image ${options.where} is for ${formatPlatform(p)}, this host is ${formatPlatform(options.platform)}`,
    );
  }
}

async function readDocument(client: ContainerdClient, desc: OciDescriptor, where: string): Promise<Buffer> {
  if (desc.size > MAX_DOCUMENT_BYTES) {
    throw new BerthError('INVALID_ARGUMENT', `Document ${desc.digest} in ${where} is too large (${desc.size} bytes)`);
  }
  try {
    return await client.content.read(desc.digest);
  } catch (err) {
    if (BerthError.is(err) && err.code === 'NOT_FOUND') {
      throw new BerthError('NOT_FOUND', `Blob ${desc.digest} is missing from ${where}`, { cause: err });
    }
    throw err;
  }
}
