import { spawnSync } from 'node:child_process';

/** What a container made by fileCheck() exits with when FILE holds what it should. */
export const FILE_MATCHES = 42;

/**
 * A command for a test image that proves what its rootfs holds through its exit status:
 * FILE_MATCHES when FILE's content is TEXT (less any final newline), 1 otherwise.
 */
export function fileCheck(file: string, text: string): string[] {
  return ['/bin/sh', '-c', `[ "$(cat ${file})" = '${text}' ] && exit ${FILE_MATCHES}; exit 1`];
}

/**
 * Runs IMAGE to completion with `ctr run --rm` and returns its exit status, not its output: under
 * load ctr 1.6 can lose a short-lived task's output (its Task.Delete cancels the stdio copy while
 * that is still opening the FIFOs), and a check that reads it then fails for ctr's sake.
 */
export function ctrRunStatus(socket: string, namespace: string, image: string, id: string): number | null {
  const r = spawnSync('ctr', ['-a', socket, '-n', namespace, 'run', '--rm', image, id], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return r.status;
}
