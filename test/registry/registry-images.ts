import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { layoutDirOf, testImageArchive, type TestImageRecipe } from '../helpers/test-image.js';

/** The OCI layout (tag `latest`) of a small busybox test image with `extraFiles`. */
export async function testLayout(recipe: TestImageRecipe): Promise<string> {
  return layoutDirOf(await testImageArchive(recipe));
}

/** A test image whose top layer holds `mib` MiB of incompressible (but reproducible, so cached) bytes. */
export async function bigLayout(mib: number): Promise<string> {
  // AES-CTR over zeros is random-looking and the same on every run; base64 keeps it a string.
  const cipher = createCipheriv('aes-256-ctr', Buffer.alloc(32, 7), Buffer.alloc(16, 0));
  const bytes = Buffer.concat([cipher.update(Buffer.alloc(mib << 20)), cipher.final()]);
  return testLayout({ extraFiles: { '/big': bytes.toString('base64') } });
}

export interface PushOptions {
  /** Directory with `ca.crt` for a TLS registry. */
  certDir?: string;
  /** `user:password` for basic auth. */
  creds?: string;
  /** A bearer token for token auth. */
  token?: string;
  /** Push every manifest of an index (`skopeo copy --all`). */
  all?: boolean;
}

/** Pushes `<layout>:<tag>` to `docker://<dest>` with skopeo. */
export function pushLayout(layout: string, tag: string, dest: string, options: PushOptions = {}): void {
  const args = ['copy', '--quiet', '--insecure-policy'];
  if (options.all) args.push('--all');
  args.push(options.certDir ? `--dest-cert-dir=${options.certDir}` : '--dest-tls-verify=false');
  if (options.creds) args.push(`--dest-creds=${options.creds}`);
  if (options.token) args.push(`--dest-registry-token=${options.token}`);
  args.push(`oci:${layout}:${tag}`, `docker://${dest}`);
  execFileSync('skopeo', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

const sha256 = (data: Buffer) => 'sha256:' + createHash('sha256').update(data).digest('hex');

export interface MultiPlatformLayout {
  dir: string;
  /** Tag of the index in the layout. */
  tag: string;
  /** The host-platform manifest (the test image's own). */
  ownManifest: string;
  /** The foreign (s390x) manifest, config and layer: none of them may be fetched. */
  foreign: { manifest: string; config: string; layer: string };
}

/**
 * Copies a test layout and adds an OCI index (tag `multi`) over its manifest, marked as `arch`, and
 * a real s390x manifest with its own config and layer.
 */
export async function multiPlatformLayout(source: string, workDir: string, arch: string): Promise<MultiPlatformLayout> {
  const dir = path.join(workDir, 'multi-layout');
  await cp(source, dir, { recursive: true });
  const blobs = path.join(dir, 'blobs', 'sha256');
  const put = async (data: Buffer) => {
    const digest = sha256(data);
    await writeFile(path.join(blobs, digest.slice(7)), data);
    return { digest, size: data.length };
  };
  const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8'));
  const own = index.manifests.find((m: { annotations?: Record<string, string> }) => m.annotations?.['org.opencontainers.image.ref.name'] === 'latest');

  const tarDir = path.join(workDir, 'foreign-rootfs');
  await mkdir(tarDir, { recursive: true });
  await writeFile(path.join(tarDir, 'foreign'), 's390x only\n');
  const tar = execFileSync('tar', ['-C', tarDir, '-cf', '-', 'foreign']);
  const layer = await put(gzipSync(tar));
  const config = await put(
    Buffer.from(JSON.stringify({ architecture: 's390x', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(tar)] } })),
  );
  const manifest = await put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
      }),
    ),
  );
  const multi = await put(
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, platform: { os: 'linux', architecture: 's390x' } },
          { mediaType: own.mediaType, digest: own.digest, size: own.size, platform: { os: 'linux', architecture: arch } },
        ],
      }),
    ),
  );
  index.manifests.push({ mediaType: 'application/vnd.oci.image.index.v1+json', ...multi, annotations: { 'org.opencontainers.image.ref.name': 'multi' } });
  await writeFile(path.join(dir, 'index.json'), JSON.stringify(index));
  return { dir, tag: 'multi', ownManifest: own.digest, foreign: { manifest: manifest.digest, config: config.digest, layer: layer.digest } };
}

/** The file a registry stores a blob in (filesystem driver). */
export function registryBlobFile(storage: string, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return path.join(storage, 'docker', 'registry', 'v2', 'blobs', 'sha256', hex.slice(0, 2), hex, 'data');
}
