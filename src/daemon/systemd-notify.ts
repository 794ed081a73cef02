import { execFile } from 'node:child_process';
import { BerthError, messageOf } from '../errors/index.js';

/** Runs systemd-notify with these arguments; rejects when it cannot run or fails. */
export type RunSystemdNotify = (args: readonly string[]) => Promise<void>;

export interface NotifyReadyOptions {
  /** One line that `systemctl status berthd` shows. Optional: none by default. */
  status?: string;
  /** berthd's pid, reported as the unit's main pid. Default: this process's pid. */
  pid?: number;
  /** The environment NOTIFY_SOCKET is read from and systemd-notify runs with. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Runs systemd-notify. Default: the systemd-notify on the PATH, with a 10 s timeout. */
  run?: RunSystemdNotify;
}

/**
 * Tells systemd that berthd is ready (berthd.service is `Type=notify`), when systemd started it
 * that way: without NOTIFY_SOCKET it does nothing and returns false.
 *
 * NOTIFY_SOCKET is a Unix datagram socket, which Node cannot send to, so systemd's own
 * systemd-notify sends the message. Run as root, it sends with berthd's pid as the sender's
 * credentials, and by default waits until systemd has read the message, so the notification is not
 * lost when systemd-notify exits first; the unit's NotifyAccess=all covers the fallback where it
 * has to send as itself.
 *
 * Throws UNAVAILABLE when systemd-notify fails: systemd then never sees berthd ready and restarts
 * it after TimeoutStartSec, so log it and keep serving.
 */
export async function notifyReady(options: NotifyReadyOptions = {}): Promise<boolean> {
  const env = options.env ?? process.env;
  if (!env['NOTIFY_SOCKET']) return false;
  const args = ['--ready', `--pid=${options.pid ?? process.pid}`];
  if (options.status) args.push(`--status=${oneLine(options.status)}`);
  const run = options.run ?? ((a: readonly string[]) => runSystemdNotify(a, env));
  try {
    await run(args);
  } catch (err) {
    throw new BerthError('UNAVAILABLE', `Cannot tell systemd that berthd is ready: ${messageOf(err)}`, { cause: err });
  }
  return true;
}

/** A notification is newline-separated assignments: a newline in the status would end it early. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function runSystemdNotify(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('systemd-notify', [...args], { env, timeout: 10_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve();
      const said = stderr.trim().split('\n')[0];
      reject(new Error(said ? `systemd-notify: ${said}` : messageOf(err), { cause: err }));
    });
  });
}
