import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { rm } from 'node:fs/promises';
import { quote, type GuestShell } from './guest-shell.js';

/**
 * A Unix socket on this machine that reaches a Unix socket in the guest's host namespaces: each
 * connection runs `sudo sheltie socat - UNIX-CONNECT:REMOTE` over SSH into the admin container and
 * pipes the bytes both ways. SSH's own socket forwarding cannot do it: sshd would connect as the
 * login user, and the guest's containerd socket is root's.
 */
export class GuestSocketRelay {
  readonly path: string;
  #server: net.Server;
  #children = new Set<ChildProcess>();

  private constructor(localPath: string, server: net.Server) {
    this.path = localPath;
    this.#server = server;
  }

  static async open(shell: GuestShell, remote: string, localPath: string): Promise<GuestSocketRelay> {
    await rm(localPath, { force: true });
    const server = net.createServer();
    const relay = new GuestSocketRelay(localPath, server);
    server.on('connection', (conn) => relay.#pipe(shell, remote, conn));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(localPath, resolve);
    });
    return relay;
  }

  #pipe(shell: GuestShell, remote: string, conn: net.Socket): void {
    const child = spawn('ssh', [...shell.sshArgs(), `sudo sheltie socat - UNIX-CONNECT:${quote(remote)}`], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.#children.add(child);
    conn.pipe(child.stdin);
    child.stdout.pipe(conn);
    const end = () => {
      conn.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    };
    child.on('close', () => {
      this.#children.delete(child);
      end();
    });
    // Either side may go first (a client that hangs up, an ssh that ends): the other's pending
    // writes then fail with EPIPE, which only means the connection is over.
    child.on('error', end);
    child.stdin.on('error', end);
    child.stdout.on('error', end);
    conn.on('error', end);
    conn.on('close', end);
  }

  async close(): Promise<void> {
    for (const child of this.#children) child.kill('SIGTERM');
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await rm(this.path, { force: true });
  }
}
