import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { argvOf, cgroupFile, envOf, hostContainerStatus, runningPid } from '../helpers/container-probe.js';
import { START_SCRIPT, testImagesDir } from '../helpers/test-images-dir.js';
import { testImageArchive } from '../helpers/test-image.js';
import type { AuditRecord } from '../../src/audit/audit-log.js';
import type { BootReport } from '../../src/daemon/boot-report.js';
import type { Settings } from '../../src/model/index.js';

/**
 * One boot user-data file as a Bottlerocket user writes it in 2026, with every new setting at once:
 * `command`, `environment`, `resources`, `api-access` and `bootstrap-commands`. At first start it
 * applies; each container's spec as host-containerd stores it and its live process show it (argv,
 * environment, cgroup limits, the API socket or its absence); each later `apiclient set` of one of
 * them replaces that container alone.
 */
const root = await makeTempRoot('bud26');
let berthd: BerthdProcess | undefined;
after(async () => {
  await berthd?.cleanup();
});

const MI = 1024 * 1024;
/** sh stays the container's first process (no exec), so its argv is the one berth gave it. */
const loop = (arg0: string) => ['/bin/sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done', arg0];
const NAMES = ['worker', 'sealed', 'peer', 'control'] as const;
type Name = (typeof NAMES)[number];

function userData(source: string): string {
  return [
    // Runs at boot before any host container starts: its limit is in worker's first spec.
    '[settings.bootstrap-commands.010-worker-pids]',
    'commands = [["apiclient", "set", "host-containers.worker.resources.pids-max=128"]]',
    'essential = true',
    'mode = "once"',
    '',
    '[settings.host-containers.worker]',
    'enabled = true',
    `source = "${source}"`,
    `command = ${JSON.stringify(loop('worker'))}`,
    'api-access = "read-only"',
    '[settings.host-containers.worker.environment]',
    'ROLE = "worker"',
    'GREETING = "hello world"',
    '[settings.host-containers.worker.resources]',
    'memory = "64Mi"',
    'cpu-quota = "500m"',
    '',
    '[settings.host-containers.sealed]',
    'enabled = true',
    `source = "${source}"`,
    `command = ${JSON.stringify(loop('sealed'))}`,
    'api-access = "none"',
    'environment = { ROLE = "sealed" }',
    'resources = { cpu-shares = 256 }',
    '',
    // Nothing new: the image's entrypoint, admin access, no limits.
    '[settings.host-containers.peer]',
    'enabled = true',
    `source = "${source}"`,
    '',
    // Another part of a Bottlerocket host: skipped with a warning, not a reason to refuse the file.
    '[settings.kubernetes]',
    'cluster-name = "prod"',
    '',
  ].join('\n');
}

const statusOf = (name: string) => hostContainerStatus(berthd!, name);

interface StoredSpec {
  process: { args: string[]; env: string[] };
  mounts: Array<{ destination: string }>;
  linux: { resources?: { memory?: { limit?: number }; cpu?: { shares?: number; quota?: number; period?: number }; pids?: { limit?: number } } };
}
/** The OCI spec host-containerd stores for `name`, as `ctr containers info` shows it. */
function storedSpec(name: string): StoredSpec {
  const out = execFileSync('ctr', ['-a', berthd!.paths.hostContainerd.socket, '-n', 'default', 'containers', 'info', name], { encoding: 'utf8' });
  return (JSON.parse(out) as { Spec: StoredSpec }).Spec;
}
const hasApiMount = (spec: StoredSpec) => spec.mounts.some((m) => m.destination === '/run/api.sock');

/** Every container's pid; `expectReplaced` gets a new one, the others must keep theirs. */
async function onlyReplaced(pids: Record<Name, number>, expectReplaced: Name): Promise<Record<Name, number>> {
  const fresh = await until(`${expectReplaced} replaced`, runningPid(berthd!, expectReplaced, pids[expectReplaced]));
  for (const name of NAMES) {
    if (name !== expectReplaced) assert.equal((await statusOf(name)).pid, pids[name], `${name} untouched when ${expectReplaced} changed`);
  }
  return { ...pids, [expectReplaced]: fresh };
}

test('one 2026 user-data file with command, environment, resources, api-access and bootstrap-commands applies at first start; set replaces only the changed container', { skip: !existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes') && 'needs cgroup v1' }, async () => {
  const imagesDir = await testImagesDir(root);
  const archive = await testImageArchive({ extraFiles: { '/usr/bin/start': START_SCRIPT }, entrypoint: ['/usr/bin/start'], env: ['ROLE=image', 'IMAGE_VAR=image'] });
  const file = path.join(root, 'user-data.toml');
  await writeFile(file, userData(`oci-archive:${archive}`));
  berthd = await startBerthd({ root, args: ['--images-dir', imagesDir, '--user-data', file] });
  const b = berthd;

  // The boot: everything applied, the bootstrap command ran (audited) and turned off.
  const boot = await b.get<BootReport>('/boot');
  assert.deepEqual([boot.userData?.applied, boot.userData?.error, boot.userData?.skipped, boot.bootstrap?.state], [true, undefined, ['kubernetes'], 'succeeded']);
  assert.ok(b.lines.some((l) => l.includes('skipped settings berth does not own') && l.includes('"kubernetes"')), 'a warning names it');
  const settings = await b.get<Settings>('/settings');
  assert.equal(settings['bootstrap-commands']?.['010-worker-pids']?.mode, 'off');
  const audit = (JSON.parse((await b.apiclient('audit', '--json')).stdout) as AuditRecord[]).filter((r) => r.event === 'bootstrap-command');
  assert.deepEqual(audit.map((r) => [r.target, r.command, r.exitCode]), [['010-worker-pids', ['apiclient', 'set', 'host-containers.worker.resources.pids-max=128'], 0]]);

  let pids = {} as Record<Name, number>;
  for (const name of NAMES) pids[name] = await until(`${name} running`, runningPid(b, name));

  // worker: command, environment over the image's, limits (pids-max from the bootstrap command), read-only socket.
  const workerSpec = storedSpec('worker');
  assert.deepEqual(workerSpec.process.args, loop('worker'));
  for (const v of ['ROLE=worker', 'GREETING=hello world', 'IMAGE_VAR=image']) assert.ok(workerSpec.process.env.includes(v), `${v} in worker's spec`);
  assert.deepEqual(workerSpec.linux.resources?.memory, { limit: 64 * MI });
  assert.deepEqual(workerSpec.linux.resources?.cpu, { quota: 50_000, period: 100_000 });
  assert.deepEqual(workerSpec.linux.resources?.pids, { limit: 128 });
  assert.ok(hasApiMount(workerSpec), 'read-only has the API socket');
  assert.deepEqual(await argvOf(pids.worker), loop('worker'));
  const workerEnv = await envOf(pids.worker);
  for (const v of ['ROLE=worker', 'GREETING=hello world', 'IMAGE_VAR=image', 'BERTH_API_SOCKET=/run/berth/api.sock']) assert.ok(workerEnv.includes(v), `${v} in ${JSON.stringify(workerEnv)}`);
  assert.ok(!workerEnv.includes('ROLE=image'), "the setting replaces the image's value");
  assert.equal(await cgroupFile(pids.worker, 'memory', 'memory.limit_in_bytes'), String(64 * MI));
  assert.equal(await cgroupFile(pids.worker, 'cpu', 'cpu.cfs_quota_us'), '50000');
  assert.equal(await cgroupFile(pids.worker, 'cpu', 'cpu.cfs_period_us'), '100000');
  assert.equal(await cgroupFile(pids.worker, 'pids', 'pids.max'), '128');
  assert.ok(existsSync(`/proc/${pids.worker}/root/run/api.sock`), 'the socket is in worker');

  // sealed: its own command and environment, CPU shares, and no API socket at all.
  const sealedSpec = storedSpec('sealed');
  assert.deepEqual(sealedSpec.process.args, loop('sealed'));
  assert.ok(sealedSpec.process.env.includes('ROLE=sealed'));
  assert.ok(!sealedSpec.process.env.some((v) => v.startsWith('BERTH_API_SOCKET=')), 'none: no socket variable');
  assert.deepEqual(sealedSpec.linux.resources?.cpu, { shares: 256 });
  assert.equal(sealedSpec.linux.resources?.memory, undefined);
  assert.ok(!hasApiMount(sealedSpec), 'none: no API socket mount');
  assert.deepEqual(await argvOf(pids.sealed), loop('sealed'));
  assert.ok((await envOf(pids.sealed)).includes('ROLE=sealed'));
  assert.equal(await cgroupFile(pids.sealed, 'cpu', 'cpu.shares'), '256');
  assert.equal(await cgroupFile(pids.sealed, 'pids', 'pids.max'), 'max');
  assert.ok(!existsSync(`/proc/${pids.sealed}/root/run/api.sock`), 'no /run/api.sock in sealed');
  assert.ok(!existsSync(`/proc/${pids.sealed}/root/run/berth/api.sock`), 'no /run/berth/api.sock in sealed');

  // peer: none of the new settings: the image's entrypoint and cmd, the kernel's default limits, admin access.
  const peerSpec = storedSpec('peer');
  assert.deepEqual(peerSpec.process.args, ['/usr/bin/start', '/bin/sh'], "the image's entrypoint and cmd");
  assert.ok(peerSpec.process.env.includes('ROLE=image'));
  assert.ok(hasApiMount(peerSpec));
  assert.deepEqual(await argvOf(pids.peer), ['/bin/sh', '/usr/bin/start', '/bin/sh'], 'run by its shebang');
  const unlimited = (await readFile('/sys/fs/cgroup/memory/memory.limit_in_bytes', 'utf8')).trim();
  assert.equal(await cgroupFile(pids.peer, 'memory', 'memory.limit_in_bytes'), unlimited, 'no memory limit of its own');
  assert.equal(await cgroupFile(pids.peer, 'pids', 'pids.max'), 'max');

  // Each setting changed through apiclient set replaces that one container, with the new value.
  const set = async (...args: string[]) => {
    const r = await b.apiclient('set', ...args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  };
  await set('host-containers.worker.resources.memory=96Mi');
  pids = await onlyReplaced(pids, 'worker');
  assert.equal(storedSpec('worker').linux.resources?.memory?.limit, 96 * MI);
  assert.equal(await cgroupFile(pids.worker, 'memory', 'memory.limit_in_bytes'), String(96 * MI));
  assert.equal(await cgroupFile(pids.worker, 'pids', 'pids.max'), '128', 'the other limits stay');

  await set('--json', JSON.stringify({ 'host-containers': { peer: { command: loop('peer') } } }));
  pids = await onlyReplaced(pids, 'peer');
  assert.deepEqual(storedSpec('peer').process.args, loop('peer'));
  assert.deepEqual(await argvOf(pids.peer), loop('peer'));

  await set('--json', JSON.stringify({ 'host-containers': { sealed: { environment: { ROLE: 'resealed' } } } }));
  pids = await onlyReplaced(pids, 'sealed');
  assert.ok(storedSpec('sealed').process.env.includes('ROLE=resealed'));
  assert.ok((await envOf(pids.sealed)).includes('ROLE=resealed'));

  await set('host-containers.sealed.api-access=read-only');
  pids = await onlyReplaced(pids, 'sealed');
  assert.ok(hasApiMount(storedSpec('sealed')));
  assert.ok(existsSync(`/proc/${pids.sealed}/root/run/api.sock`), 'read-only now: the socket is there');

  // berthd went through all of it in one process.
  assert.equal(b.child.exitCode, null);
});
