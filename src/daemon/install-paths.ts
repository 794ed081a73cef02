import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Files berth ships next to its code: the native helpers and the single-file apiclient built by
 * `npm run build`, and the host-container images built by `npm run images`.
 */
export interface InstallPaths {
  logger: string;
  peercred: string;
  sheltie?: string;
  apiclient?: string;
  imagesDir: string;
}

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

export function installPaths(options: { imagesDir?: string } = {}): InstallPaths {
  const sheltie = here('../../native/sheltie');
  const apiclient = here('../../apiclient');
  return {
    logger: here('../../native/berth-logger'),
    peercred: here('../../native/berth-peercred'),
    ...(existsSync(sheltie) ? { sheltie } : {}),
    ...(existsSync(apiclient) ? { apiclient } : {}),
    imagesDir: options.imagesDir ?? here('../../../build/images'),
  };
}
