import { createReadStream } from 'node:fs';
import { BerthError } from '../../errors/index.js';

/**
 * Where `apiclient apply` reads user data: a file, a `file://` path, `-` for stdin, or a URL. Each is
 * read up to USER_DATA_INPUT_LIMIT bytes: berth's API refuses a larger request body anyway, and a
 * boot script pointed at the wrong thing should fail at once, not fill memory.
 */
const USER_DATA_INPUT_LIMIT = 1024 * 1024;

export interface UserDataInput {
  /** How errors name it: `stdin`, `'/path'`, `'https://…'`. */
  name: string;
  text: string;
}

function tooLarge(name: string): BerthError {
  return new BerthError('PAYLOAD_TOO_LARGE', `Cannot apply ${name}: larger than the limit of ${USER_DATA_INPUT_LIMIT} bytes`);
}

async function readLimited(stream: NodeJS.ReadableStream, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > USER_DATA_INPUT_LIMIT) throw tooLarge(name);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one byte past the limit at most, so a huge file (or /dev/zero) is refused without reading it all. */
async function readFileInput(file: string): Promise<string> {
  try {
    return await readLimited(createReadStream(file, { end: USER_DATA_INPUT_LIMIT }), `'${file}'`);
  } catch (err) {
    if (BerthError.is(err)) throw err;
    throw new BerthError('INVALID_ARGUMENT', `Cannot read '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function readUserDataInput(source: string, { stdin, onStatus }: { stdin: NodeJS.ReadableStream; onStatus: ((line: string) => void) | undefined }): Promise<UserDataInput> {
  if (source === '-') return { name: 'stdin', text: await readLimited(stdin, 'stdin') };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(source) && !source.startsWith('file://')) {
    // Loaded only for URLs: TLS and the CA stores cost a file or stdin nothing.
    const { fetchUserData } = await import('./fetch-user-data.js');
    return { name: `'${source}'`, text: await fetchUserData(source, { limit: USER_DATA_INPUT_LIMIT, onStatus }) };
  }
  const file = source.startsWith('file://') ? decodeURIComponent(source.slice('file://'.length)) : source;
  return { name: `'${file}'`, text: await readFileInput(file) };
}
