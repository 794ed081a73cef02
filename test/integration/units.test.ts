import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'smol-toml';
import { BERTHD, REPO } from '../helpers/repo.js';
import { makeTempRoot, removeTempRoot } from '../helpers/temp-root.js';

/**
 * berth's units (units/) as systemd reads them: berthd.service, host-containerd.service, and the
 * drop-in that runs the containerd package's own containerd.service with berth's config.
 */
const run = promisify(execFile);
const root = await makeTempRoot('units');
after(() => removeTempRoot(root));

/** The containerd package's unit, which berth's drop-in changes (berth's package depends on it). */
const PACKAGE_CONTAINERD_UNIT = '/lib/systemd/system/containerd.service';
const DROP_IN = 'containerd.service.d/berth.conf';

/**
 * A unit directory systemd-analyze can check: berth's units and drop-in, the package's
 * containerd.service beside them, and /usr/bin/berthd (where the package installs it) pointed at
 * the build so that verify finds it. CHANGE_DROP_IN edits the drop-in's text.
 */
async function unitDir(name: string, changeDropIn: (text: string) => string = (t) => t): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, path.dirname(DROP_IN)), { recursive: true });
  const ours = (await readdir(path.join(REPO, 'units'))).filter((f) => f.endsWith('.service'));
  assert.deepEqual(ours.sort(), ['berthd.service', 'host-containerd.service'], 'the orchestrator containerd unit is the package\'s, with a drop-in');
  for (const u of ours) await writeFile(path.join(dir, u), atBuild(await readFile(path.join(REPO, 'units', u), 'utf8')));
  await writeFile(path.join(dir, DROP_IN), changeDropIn(atBuild(await readFile(path.join(REPO, 'units', DROP_IN), 'utf8'))));
  await writeFile(path.join(dir, 'containerd.service'), await readFile(PACKAGE_CONTAINERD_UNIT, 'utf8'));
  return dir;
}

function atBuild(unit: string): string {
  return unit.replaceAll('/usr/bin/berthd', BERTHD);
}

/** systemd-analyze verify; it also prints problems on stderr with exit status 0, so stderr is returned. */
async function verify(dir: string): Promise<string> {
  const units = ['berthd.service', 'host-containerd.service', 'containerd.service'].map((u) => path.join(dir, u));
  // The man pages the units name as documentation are the package's (packaging/man).
  const env = { ...process.env, MANPATH: path.join(REPO, 'packaging/man') };
  try {
    return (await run('systemd-analyze', ['verify', ...units], { env })).stderr.trim();
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err).trim() || 'systemd-analyze verify failed';
  }
}

/** The command a [Service] section ends up with, drop-ins applied: an empty ExecStart= resets the list. */
function execStart(...unitTexts: string[]): string[] {
  let commands: string[] = [];
  for (const text of unitTexts) {
    for (const m of text.matchAll(/^ExecStart=(.*)$/gm)) commands = m[1] === '' ? [] : [...commands, m[1]!];
  }
  return commands;
}

function setting(text: string, key: string): string | undefined {
  return [...text.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].at(-1)?.[1];
}

test('the units and the containerd drop-in pass systemd-analyze verify (with berthd at its install path)', async () => {
  assert.equal(await verify(await unitDir('units')), '');
});

test('systemd-analyze reads the drop-in: a missing program in its ExecStart fails verify', async () => {
  // (verify checks ExecStart's program, not ExecStartPre's.)
  const dir = await unitDir('broken', (t) => t.replace('ExecStart=/usr/bin/containerd', 'ExecStart=/nonexistent/containerd'));
  assert.match(await verify(dir), /containerd\.service: Command \/nonexistent\/containerd is not executable/);
});

test('berthd write-config renders the configs at the paths the units start containerd with', async () => {
  const hostUnit = await readFile(path.join(REPO, 'units/host-containerd.service'), 'utf8');
  const orchestrator = execStart(await readFile(PACKAGE_CONTAINERD_UNIT, 'utf8'), await readFile(path.join(REPO, 'units', DROP_IN), 'utf8'));
  const host = execStart(hostUnit);
  assert.deepEqual(host, ['/usr/bin/containerd --config /etc/host-containerd/config.toml']);
  assert.deepEqual(orchestrator, ['/usr/bin/containerd --config /etc/berth/containerd/config.toml']);

  await run(BERTHD, ['write-config', 'host-containerd', '--root', root]);
  await run(BERTHD, ['write-config', 'containerd', '--root', root]);
  const hostConfig = parse(await readFile(path.join(root, 'etc/host-containerd/config.toml'), 'utf8')) as { disabled_plugins: string[]; grpc: { address: string } };
  assert.ok(hostConfig.disabled_plugins.includes('io.containerd.grpc.v1.cri'));
  assert.equal(hostConfig.grpc.address, path.join(root, 'run/host-containerd/containerd.sock'));
  const orchestratorConfig = parse(await readFile(path.join(root, 'etc/berth/containerd/config.toml'), 'utf8')) as { grpc: { address: string } };
  assert.equal(orchestratorConfig.grpc.address, path.join(root, 'run/containerd/containerd.sock'));
  const { stdout } = await run(BERTHD, ['write-config', 'containerd', '--root', root, '--stdout']);
  assert.equal((parse(stdout) as { grpc: { address: string } }).grpc.address, path.join(root, 'run/containerd/containerd.sock'));
  await assert.rejects(run(BERTHD, ['write-config', 'nonsense']), /expected host-containerd or containerd/);
});

test('stopping or restarting a unit signals its daemon alone: shims and host containers keep running', async () => {
  const berthd = await readFile(path.join(REPO, 'units/berthd.service'), 'utf8');
  const host = await readFile(path.join(REPO, 'units/host-containerd.service'), 'utf8');
  const orchestrator = (await readFile(PACKAGE_CONTAINERD_UNIT, 'utf8')) + (await readFile(path.join(REPO, 'units', DROP_IN), 'utf8'));
  // containerd starts the shims in its own unit's cgroup: only containerd may be signalled.
  assert.equal(setting(host, 'KillMode'), 'process');
  assert.equal(setting(orchestrator, 'KillMode'), 'process');
  // Nothing that must outlive berthd runs in its cgroup: SIGTERM to berthd, SIGKILL to any helper left.
  assert.equal(setting(berthd, 'KillMode'), 'mixed');
  assert.equal(setting(berthd, 'Type'), 'notify');
  assert.equal(setting(berthd, 'NotifyAccess'), 'all');
  // A restart of either containerd must not take berthd down with it.
  assert.equal(setting(berthd, 'Requires'), undefined);
  assert.equal(setting(berthd, 'BindsTo'), undefined);
  for (const unit of [berthd, host, orchestrator]) assert.equal(setting(unit, 'Restart'), 'always');
});
