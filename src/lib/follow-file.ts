import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';

export interface FollowOptions {
  /** Start this many bytes before the end (a tail); default the whole file. */
  lastBytes?: number;
  /** Keep reading what is appended (like `tail -f`) until the stream is destroyed. */
  follow?: boolean;
  /** Poll period while following, in ms. Default 250. */
  pollMs?: number;
  /**
   * Files that were rotated out (`file.1`, …), oldest first: their content comes before the file's
   * when no tail is asked for.
   */
  rotated?: readonly string[];
}

/**
 * A readable stream of a log file, optionally following appends. A rotation (the file shrinks or is
 * replaced) while following restarts from the new file's beginning.
 */
export function followFile(file: string, options: FollowOptions = {}): Readable {
  const pollMs = options.pollMs ?? 250;
  let stopped = false;
  const stream = new Readable({ read() {}, destroy(err, cb) { stopped = true; cb(err); } });
  const pump = async (): Promise<void> => {
    const parts = options.lastBytes === undefined ? [...(options.rotated ?? []), file] : [file];
    for (const [i, part] of parts.entries()) {
      const isLast = i === parts.length - 1;
      const size = (await stat(part).catch(() => undefined))?.size;
      // A missing file is empty, but while following we wait for it to appear.
      if (size === undefined && !(isLast && options.follow)) continue;
      let offset = isLast && options.lastBytes !== undefined ? Math.max(0, (size ?? 0) - options.lastBytes) : 0;
      offset = await copy(part, offset);
      if (!isLast || !options.follow) continue;
      let ino = (await stat(file).catch(() => undefined))?.ino;
      while (!stopped) {
        await new Promise((r) => setTimeout(r, pollMs));
        const st = await stat(file).catch(() => undefined);
        if (!st) continue;
        if (st.ino !== ino || st.size < offset) {
          ino = st.ino;
          offset = 0; // rotated: read the new file from its start
        }
        if (st.size > offset) offset = await copy(file, offset);
      }
    }
    if (!stopped) stream.push(null);
  };
  const copy = async (p: string, from: number): Promise<number> => {
    const fh = await open(p, 'r').catch(() => undefined);
    if (!fh) return from;
    let offset = from;
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        if (bytesRead === 0 || stopped) break;
        offset += bytesRead;
        stream.push(Buffer.from(buf.subarray(0, bytesRead)));
      }
    } finally {
      await fh.close();
    }
    return offset;
  };
  pump().catch((err) => stream.destroy(err as Error));
  return stream;
}
