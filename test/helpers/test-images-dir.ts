import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { testImageArchive } from './test-image.js';

/** A small control/admin image stand-in: prints its user data, then idles like the real ones. */
export const START_SCRIPT =
  '#!/bin/sh\necho "start $(cat /.bottlerocket/host-containers/current/user-data 2>/dev/null)"\ntrap "exit 0" TERM\nwhile :; do sleep 1; done\n';

/** A directory with control.tar and admin.tar made from the busybox test image, for `--images-dir`. */
export async function testImagesDir(root: string): Promise<string> {
  const dir = path.join(root, 'images');
  await mkdir(dir, { recursive: true });
  const archive = await testImageArchive({ extraFiles: { '/usr/bin/start': START_SCRIPT }, entrypoint: ['/usr/bin/start'] });
  await symlink(archive, path.join(dir, 'control.tar'));
  await symlink(archive, path.join(dir, 'admin.tar'));
  return dir;
}
