import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface KeyPair {
  /** Path of the private key; the public key is beside it with '.pub'. */
  key: string;
  /** The public key line, as it goes into authorized_keys or user data. */
  publicKey: string;
}

/** Generates an ed25519 key pair with Debian's ssh-keygen under DIR. */
export async function generateKeyPair(dir: string, name: string): Promise<KeyPair> {
  const key = path.join(dir, name);
  await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', key]);
  return { key, publicKey: (await readFile(`${key}.pub`, 'utf8')).trim() };
}

/** Signs PAIR's public key with the certificate authority key CA for login PRINCIPAL; returns the cert path. */
export async function signUserKey(ca: KeyPair, pair: KeyPair, principal: string): Promise<string> {
  await exec('ssh-keygen', ['-q', '-s', ca.key, '-I', `${principal}-cert`, '-n', principal, `${pair.key}.pub`]);
  return `${pair.key}-cert.pub`;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs COMMAND over SSH as USER@127.0.0.1:PORT with Debian's OpenSSH client, non-interactively
 * (BatchMode: no prompts), trusting any host key, with only the options given.
 */
export async function ssh(
  port: number,
  options: { user: string; command: string; key?: string; certificate?: string; extra?: string[] },
): Promise<SshResult> {
  const args = ['-F', '/dev/null', '-p', String(port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
    '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=10'];
  if (options.key) args.push('-o', 'IdentitiesOnly=yes', '-i', options.key);
  if (options.certificate) args.push('-o', `CertificateFile=${options.certificate}`);
  args.push(...(options.extra ?? []), `${options.user}@127.0.0.1`, options.command);
  try {
    const { stdout, stderr } = await exec('ssh', args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The SHA256 fingerprint (as ssh-keygen -l prints it) of a public key line 'type base64 [comment]'. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`Not a public key line: ${publicKeyLine}`);
  return 'SHA256:' + createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
}

/** The fingerprint of the TYPE host key the SSH server on 127.0.0.1:PORT presents (ssh-keyscan). */
export async function hostKeyFingerprint(port: number, type = 'ed25519'): Promise<string> {
  const { stdout } = await exec('ssh-keyscan', ['-p', String(port), '-t', type, '127.0.0.1']);
  const line = stdout.split('\n').find((l) => l && !l.startsWith('#'));
  if (!line) throw new Error(`ssh-keyscan got no ${type} host key from port ${port}`);
  return fingerprintOf(line.split(/\s+/).slice(1).join(' '));
}
