import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (tests run from dist/test/…). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The single executable, as built by scripts/build-sea.sh, and its links by program name. */
export const BERTH = path.join(REPO, 'dist/berth');
export const BERTHD = path.join(REPO, 'dist/bin/berthd');
export const APICLIENT = path.join(REPO, 'dist/bin/apiclient');
export const NATIVE_DIR = path.join(REPO, 'dist/native');
