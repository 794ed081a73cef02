import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** An OCI descriptor as index.json and manifests write it. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string };
  annotations?: Record<string, string>;
}

/** One image read out of an OCI archive: every file by path, and the JSON documents parsed. */
export interface OciArchive {
  files: Map<string, Buffer>;
  layout: { imageLayoutVersion: string };
  index: { schemaVersion: number; mediaType: string; manifests: Descriptor[] };
  manifestDescriptor: Descriptor;
  manifest: { schemaVersion: number; mediaType: string; config: Descriptor; layers: Descriptor[] };
  config: {
    created: string;
    architecture: string;
    os: string;
    config: { Entrypoint?: string[]; Cmd?: string[]; Env?: string[]; WorkingDir?: string; Labels?: Record<string, string> };
    rootfs: { type: string; diff_ids: string[] };
    history?: Array<{ created: string; created_by: string }>;
  };
}

/** Reads a whole OCI archive (tens of MB) into memory; entries are keyed without a leading './'. */
export async function readOciArchive(file: string): Promise<OciArchive> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  const reading = pipeline(createReadStream(file), extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    if (entry.header.type === 'file') files.set(entry.header.name.replace(/^\.\//, ''), Buffer.concat(chunks));
  }
  await reading;
  const json = <T>(name: string): T => {
    const data = files.get(name);
    if (!data) throw new Error(`${file} has no ${name}`);
    return JSON.parse(data.toString('utf8')) as T;
  };
  const blob = (digest: string): string => `blobs/sha256/${digest.replace(/^sha256:/, '')}`;
  const index = json<OciArchive['index']>('index.json');
  const manifestDescriptor = index.manifests[0];
  if (!manifestDescriptor) throw new Error(`${file}: index.json lists no manifest`);
  const manifest = json<OciArchive['manifest']>(blob(manifestDescriptor.digest));
  return {
    files,
    layout: json('oci-layout'),
    index,
    manifestDescriptor,
    manifest,
    config: json(blob(manifest.config.digest)),
  };
}

/** The bytes of the blob DIGEST ('sha256:…'), or a clear error when the archive lacks it. */
export function blobOf(archive: OciArchive, digest: string): Buffer {
  const data = archive.files.get(`blobs/sha256/${digest.replace(/^sha256:/, '')}`);
  if (!data) throw new Error(`The archive has no blob ${digest}`);
  return data;
}

/** The tar headers of a gzip-compressed layer, in order. */
export async function layerEntries(layer: Buffer): Promise<tar.Header[]> {
  const headers: tar.Header[] = [];
  const extract = tar.extract();
  const reading = pipeline(Readable.from([gunzipSync(layer)]), extract);
  for await (const entry of extract) {
    headers.push(entry.header);
    entry.resume();
  }
  await reading;
  return headers;
}
