import { stat } from 'node:fs/promises';
import type { ContainerdClient, Platform } from '../containerd/index.js';
import { BerthError } from '../errors/index.js';
import { importImage, type ImageResult } from '../images/import.js';
import type { ProgressListener } from '../images/progress-events.js';
import { storedImage } from '../images/stored-image.js';
import type { Logger } from '../lib/logger.js';
import { parseImageReference, type RegistryImageReference, type Settings } from '../model/index.js';
import type { PullRetry } from '../reconciler/runtime-port.js';

/** Pulls a registry image into the content store and unpacks it (src/images' registry puller). */
export type RegistryPuller = (
  client: ContainerdClient,
  ref: RegistryImageReference,
  options: { name: string; platform: Platform; registry: NonNullable<Settings['container-registry']>; onProgress?: ProgressListener },
) => Promise<ImageResult>;

const ARCHIVE_LABEL = 'berth.io/archive';

export interface EnsureOptions {
  registry: NonNullable<Settings['container-registry']>;
  /** Told of each failed pull attempt that will be retried, also when the pull was started by another caller. */
  onRetry?: (retry: PullRetry) => void;
}

/**
 * Makes a host container's `source` available in host-containerd: imports an `oci-archive:` (skipped
 * when the same file was imported before) or pulls a registry reference. The image record is named
 * after the source string, so each source maps to one record.
 */
export class ImageSource {
  #client: ContainerdClient;
  #platform: Platform;
  #log: Logger;
  #puller: RegistryPuller | undefined;
  /** One import or pull per source at a time; concurrent callers share it (and hear of its retries). */
  #inFlight = new Map<string, { result: Promise<ImageResult>; onRetry: Set<(retry: PullRetry) => void> }>();
  /** What each archive source resolved to last, by the file's fingerprint. */
  #archives = new Map<string, { fingerprint: string; result: ImageResult }>();

  constructor(options: { client: ContainerdClient; platform: Platform; logger: Logger; puller?: RegistryPuller }) {
    this.#client = options.client;
    this.#platform = options.platform;
    this.#log = options.logger;
    this.#puller = options.puller;
  }

  async ensure(source: string, options: EnsureOptions): Promise<ImageResult> {
    let running = this.#inFlight.get(source);
    if (!running) {
      const onRetry = new Set<(retry: PullRetry) => void>();
      const result = this.#ensure(source, { registry: options.registry, onRetry: (retry) => onRetry.forEach((listener) => listener(retry)) });
      running = { result: result.finally(() => this.#inFlight.delete(source)), onRetry };
      this.#inFlight.set(source, running);
    }
    const { onRetry } = options;
    if (onRetry) running.onRetry.add(onRetry);
    try {
      return await running.result;
    } finally {
      if (onRetry) running.onRetry.delete(onRetry);
    }
  }

  async #ensure(source: string, options: Required<EnsureOptions>): Promise<ImageResult> {
    const ref = parseImageReference(source);
    if (ref.kind === 'registry') {
      if (!this.#puller) throw new BerthError('NOT_IMPLEMENTED', `Cannot pull ${source}: registry pulls are not available`);
      return this.#puller(this.#client, ref, {
        name: source,
        platform: this.#platform,
        registry: options.registry,
        onProgress: (event) => {
          if (event.kind === 'retry') options.onRetry({ attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
        },
      });
    }
    const info = await stat(ref.path).catch((err) => {
      throw new BerthError('NOT_FOUND', `Image archive ${ref.path} (source '${source}') does not exist`, { cause: err });
    });
    const fingerprint = `${info.size}:${Math.floor(info.mtimeMs)}:${info.ino}`;
    // Resolved before from the same file, and its record still points at the same image: one
    // Images.Get instead of reading the manifest, config and snapshots again (the snapshots stay
    // with the record: its GC labels hold them).
    const known = this.#archives.get(source);
    if (known?.fingerprint === fingerprint && (await this.#recordTarget(source)) === known.result.target.digest) return known.result;
    // The same file (size, mtime, inode) was imported before: use what is stored.
    const result =
      (await storedImage(this.#client, source, { platform: this.#platform, accept: (labels) => labels[ARCHIVE_LABEL] === fingerprint })) ??
      (await this.#import(source, ref, fingerprint));
    this.#archives.set(source, { fingerprint, result });
    return result;
  }

  /** Drops what is known of `source` (a container could not be made from it). */
  forget(source: string): void {
    this.#archives.delete(source);
  }

  async #recordTarget(name: string): Promise<string | undefined> {
    return this.#client.images.get(name).then(
      (record) => record.target.digest,
      () => undefined,
    );
  }

  #import(source: string, ref: { path: string; ref?: string }, fingerprint: string): Promise<ImageResult> {
    this.#log.info({ source }, 'importing image archive');
    return importImage(this.#client, {
      path: ref.path,
      ...(ref.ref ? { ref: ref.ref } : {}),
      name: source,
      platform: this.#platform,
      labels: { [ARCHIVE_LABEL]: fingerprint },
    });
  }
}
