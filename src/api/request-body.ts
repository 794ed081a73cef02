import type { IncomingMessage } from 'node:http';
import { BerthError } from '../errors/index.js';

/**
 * Reads a request body up to `limit` bytes. Past the limit it throws PAYLOAD_TOO_LARGE at once and
 * keeps discarding the rest (up to a hard cap, then the connection is cut), so the client can finish
 * sending and read the 413 instead of a broken pipe.
 */
const DISCARD_CAP = 64 * 1024 * 1024;

export function tooLargeBody(limit: number): BerthError {
  return new BerthError('PAYLOAD_TOO_LARGE', `Request body is larger than the limit of ${limit} bytes`);
}

export function readBody(req: IncomingMessage, { limit }: { limit: number }): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const overflow = (): void => {
      over = true;
      chunks.length = 0;
      reject(tooLargeBody(limit));
    };
    if (declared > limit) overflow();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) {
        if (size > DISCARD_CAP) req.destroy();
        return;
      }
      if (size > limit) overflow();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!over) reject(err);
    });
  });
}

/** The JSON value of a body, or undefined for an empty one; bad JSON is INVALID_ARGUMENT. */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BerthError('INVALID_ARGUMENT', `Request body is not valid JSON: ${(err as Error).message}`);
  }
}
