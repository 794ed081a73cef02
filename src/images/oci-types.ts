import type { Descriptor, Platform } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';

/** An OCI descriptor as it appears in JSON documents (camelCase, unlike the gRPC wire type). */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform & { 'os.version'?: string; 'os.features'?: string[] };
}

export interface OciIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: OciDescriptor[];
  annotations?: Record<string, string>;
}

export interface OciManifest {
  schemaVersion: number;
  mediaType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}

/** The parts of the image config berth uses to build a container's process. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  config?: {
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[] | null;
    User?: string;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
  };
  rootfs: { type: string; diff_ids: string[] };
}

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

export function toWireDescriptor(d: OciDescriptor): Descriptor {
  return { media_type: d.mediaType, digest: d.digest, size: d.size, annotations: d.annotations ?? {} };
}

export function fromWireDescriptor(d: Descriptor): OciDescriptor {
  const out: OciDescriptor = { mediaType: d.media_type, digest: d.digest, size: d.size };
  if (d.annotations && Object.keys(d.annotations).length > 0) out.annotations = d.annotations;
  return out;
}

/** Checks a descriptor read from an untrusted document before anything is fetched by it. */
export function checkDescriptor(d: unknown, where: string): OciDescriptor {
  const desc = d as Partial<OciDescriptor> | null;
  if (!desc || typeof desc !== 'object') throw new BerthError('INVALID_ARGUMENT', `Invalid descriptor in ${where}`);
  if (typeof desc.mediaType !== 'string' || desc.mediaType === '') {
    throw new BerthError('INVALID_ARGUMENT', `Invalid descriptor in ${where}: missing mediaType`);
  }
  if (typeof desc.digest !== 'string' || !DIGEST_PATTERN.test(desc.digest)) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid descriptor in ${where}: unsupported digest ${JSON.stringify(desc.digest)}`);
  }
  if (typeof desc.size !== 'number' || !Number.isSafeInteger(desc.size) || desc.size < 0) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid descriptor in ${where}: bad size ${JSON.stringify(desc.size)}`);
  }
  return desc as OciDescriptor;
}

export function parseJson<T>(data: Buffer, what: string): T {
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid JSON in ${what}: ${(err as Error).message}`, { cause: err });
  }
}
