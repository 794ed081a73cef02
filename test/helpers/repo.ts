import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (tests run from dist/test/…). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export const BERTHD = path.join(REPO, 'dist/src/cli/berthd.js');
export const APICLIENT = path.join(REPO, 'dist/src/cli/apiclient.js');
export const NATIVE_DIR = path.join(REPO, 'dist/native');
