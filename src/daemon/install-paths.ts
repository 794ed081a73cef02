import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSea } from 'node:sea';

/**
 * Files berth ships beside its program: the native helpers, the `berth` executable (host
 * containers get it at /usr/local/bin/apiclient), and the control and admin images.
 *
 * Two layouts, told apart by where the program is:
 * - a clone: `<repo>/dist/berth` (or the compiled modules under `<repo>/dist/src`); helpers in
 *   `<repo>/dist/native`, images in `<repo>/build/images`;
 * - installed: `<prefix>/bin/berth`; helpers in `<prefix>/libexec/berth`, images in
 *   `<prefix>/share/berth/images` (the Debian package's `/usr`).
 */
export interface InstallPaths {
  logger: string;
  peercred: string;
  sheltie?: string;
  /** The multi-call executable, bind-mounted into host containers as their apiclient. */
  berth?: string;
  imagesDir: string;
}

export type ProgramLayout = { kind: 'clone'; repo: string } | { kind: 'installed'; prefix: string };

/** Where this program runs from. */
export function programLayout(): ProgramLayout {
  if (!isSea()) {
    // dist/src/daemon/install-paths.js → the repository.
    return { kind: 'clone', repo: fileURLToPath(new URL('../../../', import.meta.url)) };
  }
  const dir = path.dirname(process.execPath);
  if (path.basename(dir) === 'dist') return { kind: 'clone', repo: path.dirname(dir) };
  return { kind: 'installed', prefix: path.dirname(dir) };
}

export function installPaths(options: { imagesDir?: string; layout?: ProgramLayout } = {}): InstallPaths {
  const layout = options.layout ?? programLayout();
  const [helpers, berth, images] =
    layout.kind === 'clone'
      ? [path.join(layout.repo, 'dist/native'), path.join(layout.repo, 'dist/berth'), path.join(layout.repo, 'build/images')]
      : [path.join(layout.prefix, 'libexec/berth'), path.join(layout.prefix, 'bin/berth'), path.join(layout.prefix, 'share/berth/images')];
  const sheltie = path.join(helpers, 'sheltie');
  return {
    logger: path.join(helpers, 'berth-logger'),
    peercred: path.join(helpers, 'berth-peercred'),
    ...(existsSync(sheltie) ? { sheltie } : {}),
    ...(existsSync(berth) ? { berth } : {}),
    imagesDir: options.imagesDir ?? images,
  };
}
