import path from 'node:path';
import { BerthError } from '../errors/index.js';

/**
 * Image references as a host-container `source` may give them, normalised the way docker and
 * containerd do:
 * - `alpine` → registry `docker.io`, repository `library/alpine`, tag `latest`;
 * - `host.example:5000/team/app@sha256:<64 hex>` → that registry, no default tag;
 * - `oci-archive:/abs/path.tar[:ref]` → a local OCI archive (air-gapped nodes), ref optional.
 * The first path component is a registry host when it holds a `.` or a `:`, or is `localhost`.
 */
export interface RegistryImageReference {
  kind: 'registry';
  /** Registry host, with `:port` if given (`docker.io`, `127.0.0.1:5000`). */
  registry: string;
  /** Repository path inside the registry (`library/alpine`). */
  repository: string;
  /** Tag; `latest` when neither a tag nor a digest is given. */
  tag?: string;
  /** `sha256:<64 lowercase hex>`. */
  digest?: string;
}

export interface OciArchiveReference {
  kind: 'oci-archive';
  /** Absolute, normalised path of the archive. */
  path: string;
  /** The `org.opencontainers.image.ref.name` to pick from the archive's index. Optional. */
  ref?: string;
}

export type ImageReference = RegistryImageReference | OciArchiveReference;

const OCI_ARCHIVE_PREFIX = 'oci-archive:';
const MAX_NAME_LENGTH = 255;
const DOMAIN_COMPONENT = /^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const ARCHIVE_REF = /^[A-Za-z0-9._:/@+-]{1,255}$/;

function invalid(input: string, reason: string): BerthError {
  return new BerthError('INVALID_ARGUMENT', `Invalid image reference ${JSON.stringify(input)}: ${reason}`);
}

function parseOciArchive(input: string): OciArchiveReference {
  const rest = input.slice(OCI_ARCHIVE_PREFIX.length);
  // Like containers/image, the path ends at the first ':' (paths with ':' are not supported).
  const colon = rest.indexOf(':');
  const file = colon === -1 ? rest : rest.slice(0, colon);
  const ref = colon === -1 ? undefined : rest.slice(colon + 1);
  if (file === '') throw invalid(input, 'the archive path is empty');
  if (!path.isAbsolute(file)) throw invalid(input, `archive path '${file}' is not absolute`);
  if (file.includes('\0')) throw invalid(input, 'the archive path contains a NUL byte');
  if (path.normalize(file) !== file || file.endsWith('/')) {
    throw invalid(input, `archive path '${file}' is not normalised`);
  }
  if (ref === undefined) return { kind: 'oci-archive', path: file };
  if (!ARCHIVE_REF.test(ref)) throw invalid(input, `archive ref '${ref}' is empty or has characters other than [A-Za-z0-9._:/@+-]`);
  return { kind: 'oci-archive', path: file, ref };
}

function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase();
}

function checkRegistryHost(input: string, host: string): void {
  const colon = host.lastIndexOf(':');
  const name = colon === -1 ? host : host.slice(0, colon);
  if (colon !== -1) {
    const port = host.slice(colon + 1);
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      throw invalid(input, `registry port '${port}' is not a number from 1 to 65535`);
    }
  }
  if (name === '' || !name.split('.').every((c) => DOMAIN_COMPONENT.test(c))) {
    throw invalid(input, `registry host '${name}' is not a valid host name or IPv4 address`);
  }
}

function parseRegistry(input: string): RegistryImageReference {
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(input, `digest '${digest}' is not sha256:<64 lowercase hex digits>`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const tagColon = rest.indexOf(':', lastSlash + 1);
  if (tagColon !== -1) {
    tag = rest.slice(tagColon + 1);
    rest = rest.slice(0, tagColon);
    if (!TAG.test(tag)) throw invalid(input, `tag '${tag}' must be 1 to 128 characters of [A-Za-z0-9_.-], not starting with '.' or '-'`);
  }
  if (rest === '') throw invalid(input, 'the repository name is empty');
  if (rest.length > MAX_NAME_LENGTH) throw invalid(input, `the name is longer than ${MAX_NAME_LENGTH} characters`);

  const components = rest.split('/');
  let registry = 'docker.io';
  if (components.length > 1 && isRegistryHost(components[0]!)) {
    registry = components.shift()!;
    checkRegistryHost(input, registry);
  }
  if (registry === 'index.docker.io') registry = 'docker.io';
  for (const c of components) {
    if (c !== c.toLowerCase()) throw invalid(input, `repository name '${components.join('/')}' must be lowercase`);
    if (!PATH_COMPONENT.test(c)) throw invalid(input, `repository path component '${c}' is empty or not of the form [a-z0-9]+ joined by '.', '_', '__' or '-'`);
  }
  if (registry === 'docker.io' && components.length === 1) components.unshift('library');

  const ref: RegistryImageReference = { kind: 'registry', registry, repository: components.join('/') };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  if (tag === undefined && digest === undefined) ref.tag = 'latest';
  return ref;
}

/** Parses and normalises an image reference; throws INVALID_ARGUMENT saying what is wrong. */
export function parseImageReference(input: string): ImageReference {
  if (typeof input !== 'string' || input === '') throw invalid(String(input), 'it is empty');
  if (/\s/.test(input)) throw invalid(input, 'it contains whitespace');
  if (input.startsWith(OCI_ARCHIVE_PREFIX)) return parseOciArchive(input);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) throw invalid(input, 'a URL scheme is not allowed (use host/repository:tag or oci-archive:/path)');
  return parseRegistry(input);
}

/** The canonical string of a parsed reference (`docker.io/library/alpine:latest`, `oci-archive:/a.tar:ref`). */
export function formatImageReference(ref: ImageReference): string {
  if (ref.kind === 'oci-archive') return `${OCI_ARCHIVE_PREFIX}${ref.path}${ref.ref === undefined ? '' : ':' + ref.ref}`;
  let out = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) out += `:${ref.tag}`;
  if (ref.digest !== undefined) out += `@${ref.digest}`;
  return out;
}
