import { spawn } from 'node:child_process';
import { ssh, type SshResult } from '../helpers/ssh-client.js';

/**
 * Commands in the guest, the way an operator reaches a berth host: SSH into the admin container as
 * `berth` with the key from the NoCloud seed, and `sudo sheltie` into the host's namespaces.
 */
export class GuestShell {
  readonly port: number;
  readonly key: string;

  constructor(port: number, key: string) {
    this.port = port;
    this.key = key;
  }

  /** COMMAND in the admin container. */
  inAdmin(command: string): Promise<SshResult> {
    return ssh(this.port, { user: 'berth', key: this.key, command, extra: ['-o', 'ServerAliveInterval=5', '-o', 'ServerAliveCountMax=3'] });
  }

  /** COMMAND in the host's namespaces (PID 1's), as root, through `sudo sheltie`. */
  onHost(command: string): Promise<SshResult> {
    return this.inAdmin(`sudo sheltie sh -c ${quote(command)}`);
  }

  /** ssh's arguments up to the remote command: the admin container as `berth`, with the seed's key. */
  sshArgs(): string[] {
    return ['-F', '/dev/null', '-p', String(this.port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'LogLevel=ERROR', '-o', 'IdentitiesOnly=yes', '-i', this.key, 'berth@127.0.0.1'];
  }

  /** Writes DATA to FILE on the host, through sheltie's stdin. */
  async copyToHost(data: Buffer, file: string): Promise<void> {
    const args = [...this.sshArgs(), `sudo sheltie sh -c ${quote(`cat > ${file}`)}`];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('ssh', args, { stdio: ['pipe', 'ignore', 'inherit'] });
      child.on('error', reject);
      child.on('close', resolve);
      child.stdin.end(data);
    });
    if (code !== 0) throw new Error(`copying ${file} into the guest failed (ssh exit ${code})`);
  }

  /** Waits until SSH into the admin container works; returns how long it took. */
  async waitReachable(timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      const r = await this.inAdmin('true').catch(() => undefined);
      if (r?.code === 0) return Date.now() - started;
      if (Date.now() - started > timeoutMs) throw new Error(`SSH into the admin container did not answer within ${timeoutMs / 1000} s: ${r?.stderr.trim() ?? ''}`);
      await new Promise((res) => setTimeout(res, 3000));
    }
  }
}

/** A string as one single-quoted shell word. */
export function quote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
