import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { BerthError } from '../errors/index.js';

export interface ArchiveEntry {
  /** Path inside the archive, without a leading `./`. */
  name: string;
  size: number;
  /** The entry's bytes; must be consumed (or skipped with resume()) before the next entry. */
  stream: Readable;
}

/**
 * Visits the regular files of a tar archive in order, one at a time, with backpressure. Uses
 * tar-stream (PAX and GNU long names, sparse-free ustar) rather than a hand-written parser.
 */
export async function forEachArchiveEntry(file: string, visit: (entry: ArchiveEntry) => Promise<void>): Promise<void> {
  const extract = tar.extract();
  const reading = pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), extract);
  try {
    for await (const entry of extract) {
      const { name, size, type } = entry.header;
      if (type !== 'file' && type !== 'contiguous-file') {
        entry.resume();
        continue;
      }
      await visit({ name: name.replace(/^(\.\/)+/, ''), size: size ?? 0, stream: entry as unknown as Readable });
      entry.resume(); // whatever the visitor left unread
    }
    await reading;
  } catch (err) {
    reading.catch(() => undefined);
    if (BerthError.is(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BerthError('NOT_FOUND', `Archive ${file} does not exist`, { cause: err });
    throw new BerthError('INVALID_ARGUMENT', `Cannot read archive ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads a whole (small) entry into memory, refusing anything over `limit`. */
export async function readEntry(entry: ArchiveEntry, limit: number): Promise<Buffer> {
  if (entry.size > limit) throw new BerthError('INVALID_ARGUMENT', `Archive entry ${entry.name} is too large (${entry.size} bytes)`);
  const chunks: Buffer[] = [];
  for await (const c of entry.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The entry's bytes after skipping the first `offset` (resuming an interrupted ingest). */
export async function* skipBytes(stream: AsyncIterable<Uint8Array>, offset: number): AsyncGenerator<Uint8Array> {
  let toSkip = offset;
  for await (const chunk of stream) {
    if (toSkip >= chunk.length) {
      toSkip -= chunk.length;
      continue;
    }
    yield toSkip > 0 ? chunk.subarray(toSkip) : chunk;
    toSkip = 0;
  }
}
