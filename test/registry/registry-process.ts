import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { freePort, waitForPort } from './free-port.js';

export interface TestRegistryOptions {
  /** htpasswd file (bcrypt entries) for basic auth. */
  htpasswd?: string;
  /** Token auth: the realm the registry sends clients to, and the cert that signs the tokens. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string };
  /** Serve https with this cert and key. */
  tls?: { certFile: string; keyFile: string };
}

/**
 * Debian's docker-registry (distribution 2.8) on 127.0.0.1 and a free port, its storage in `dir`.
 * It can be stopped and started again on the same port with the same storage.
 */
export class TestRegistry {
  readonly dir: string;
  readonly port: number;
  readonly storage: string;
  #config: string;
  #child: ChildProcess | undefined;

  private constructor(dir: string, port: number) {
    this.dir = dir;
    this.port = port;
    this.storage = path.join(dir, 'storage');
    this.#config = path.join(dir, 'config.yml');
  }

  /** `127.0.0.1:<port>`. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(dir: string, options: TestRegistryOptions = {}): Promise<TestRegistry> {
    await mkdir(dir, { recursive: true });
    const registry = new TestRegistry(dir, await freePort());
    const lines = [
      'version: 0.1',
      'log: {level: warn, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: ${JSON.stringify(registry.storage)}}, delete: {enabled: true}}`,
      'http:',
      `  addr: 127.0.0.1:${registry.port}`,
    ];
    if (options.tls) lines.push(`  tls: {certificate: ${JSON.stringify(options.tls.certFile)}, key: ${JSON.stringify(options.tls.keyFile)}}`);
    if (options.htpasswd) lines.push('auth:', `  htpasswd: {realm: berth-test, path: ${JSON.stringify(options.htpasswd)}}`);
    if (options.token) {
      const t = options.token;
      lines.push(
        'auth:',
        `  token: {realm: ${JSON.stringify(t.realm)}, service: ${JSON.stringify(t.service)}, issuer: ${JSON.stringify(t.issuer)}, rootcertbundle: ${JSON.stringify(t.rootCertBundle)}}`,
      );
    }
    await writeFile(registry.#config, lines.join('\n') + '\n');
    await registry.resume();
    return registry;
  }

  /** Starts the process (again) on the same port and storage, and waits until it listens. */
  async resume(): Promise<void> {
    const log = createWriteStream(path.join(this.dir, 'registry.log'), { flags: 'a' });
    const child = spawn('docker-registry', ['serve', this.#config], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.#child = child;
    await waitForPort(this.port);
  }

  /** Kills the process at once (SIGKILL), as a crash or a pulled plug would, and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}
