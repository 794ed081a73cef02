/**
 * sshd's log lines (as `sshd -e` writes them to a container's output) that matter for the audit
 * trail: a login accepted, and a session's end.
 */
export type SshdEvent =
  | { kind: 'login'; method: string; user: string; from: string; key?: string }
  | { kind: 'logout'; user: string; from: string };

const ACCEPTED = /Accepted (\S+) for (\S+) from (\S+) port (\d+)(?: ssh2)?(?:: (.+))?$/;
const DISCONNECTED = /Disconnected from user (\S+) (\S+) port (\d+)/;

export function parseSshdLine(line: string): SshdEvent | undefined {
  const a = ACCEPTED.exec(line);
  if (a) {
    const e: SshdEvent = { kind: 'login', method: a[1] as string, user: a[2] as string, from: `${a[3]}:${a[4]}` };
    if (a[5]) e.key = a[5].trim();
    return e;
  }
  const d = DISCONNECTED.exec(line);
  if (d) return { kind: 'logout', user: d[1] as string, from: `${d[2]}:${d[3]}` };
  return undefined;
}
