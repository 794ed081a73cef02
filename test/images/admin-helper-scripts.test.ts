import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { RECIPES_DIR } from './build-images-run.js';

// Pure unit tests of the control image's helper scripts, straight from the recipe, against a stub
// `apiclient` on PATH that records its arguments and answers from files. (The lead's end-to-end
// tests run them in the control container against berth's real API.)

const exec = promisify(execFile);
const BIN = path.join(RECIPES_DIR, 'control/rootfs/usr/bin');

const STUB_APICLIENT = `#!/bin/bash
printf '%s\\n' "$@" | jq -cRn '[inputs]' >> "$STUB_DIR/calls"
case "$1" in
  raw) [ ! -e "$STUB_DIR/raw-fails" ] || exit 1; cat "$STUB_DIR/settings";;
  set) [ ! -e "$STUB_DIR/set-fails" ] || exit 1;;
  exec)
    if [ "$3" = true ]; then
      n=$(( $(cat "$STUB_DIR/polls" 2> /dev/null || echo 0) + 1 )); echo "$n" > "$STUB_DIR/polls"
      [ "$n" -ge "$(cat "$STUB_DIR/ready-after")" ]
    fi;;
esac
`;

let root: string;
let runs = 0;
before(async () => {
  root = await mkdtemp('/tmp/berth-helper-scripts-');
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Stub {
  dir: string;
  /** PATH with the stub apiclient and a no-op sleep first. */
  path: string;
}

/** A fresh stub: the admin container is ENABLED or not; `exec admin true` succeeds from poll READY_AFTER on. */
async function stub(options: { enabled: boolean; wrapped?: boolean; readyAfter?: number }): Promise<Stub> {
  const dir = path.join(root, String(++runs));
  await mkdir(path.join(dir, 'bin'), { recursive: true });
  await writeFile(path.join(dir, 'bin/apiclient'), STUB_APICLIENT);
  await writeFile(path.join(dir, 'bin/sleep'), '#!/bin/sh\nexit 0\n');
  await chmod(path.join(dir, 'bin/apiclient'), 0o755);
  await chmod(path.join(dir, 'bin/sleep'), 0o755);
  const settings = { 'host-containers': { admin: { enabled: options.enabled } } };
  await writeFile(path.join(dir, 'settings'), JSON.stringify(options.wrapped ? { settings } : settings));
  await writeFile(path.join(dir, 'ready-after'), String(options.readyAfter ?? 1));
  return { dir, path: `${path.join(dir, 'bin')}:/usr/bin:/bin` };
}

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  /** The argument lists apiclient was called with, in order. */
  calls: string[][];
}

async function run(s: Stub, script: string, args: string[] = [], pathOverride?: string): Promise<Result> {
  let out: { code: number; stdout: string; stderr: string };
  try {
    const r = await exec(path.join(BIN, script), args, { env: { PATH: pathOverride ?? s.path, STUB_DIR: s.dir } });
    out = { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    out = { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
  const log = await readFile(path.join(s.dir, 'calls'), 'utf8').catch(() => '');
  return { ...out, calls: log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) };
}

const READ = ['raw', '-u', '/settings?keys=settings.host-containers.admin.enabled'];
const sets = (r: Result): string[][] => r.calls.filter((c) => c[0] === 'set');

/** Seconds since the epoch of an RFC 3339 UTC time 'YYYY-MM-DDTHH:MM:SSZ'. */
function epochOf(rfc3339: string | undefined): number {
  assert.match(rfc3339 ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  return Date.parse(rfc3339 ?? '') / 1000;
}

test('enable-admin-container: already enabled → no set, and it says so', async () => {
  for (const wrapped of [false, true]) {
    const r = await run(await stub({ enabled: true, wrapped }), 'enable-admin-container');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.calls, [READ]);
    assert.match(r.stdout, /already enabled/);
  }
});

test('enable-admin-container: disabled → exactly one set of enabled=true', async () => {
  const r = await run(await stub({ enabled: false }), 'enable-admin-container');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.calls, [READ, ['set', 'host-containers.admin.enabled=true']]);
  assert.match(r.stdout, /Enabling admin container/);
  assert.match(r.stdout, /now enabled/);
});

test('enable-admin-container --for 2h sets enabled=true and enabled-until two hours from now in one set', async () => {
  const before = Math.floor(Date.now() / 1000);
  const r = await run(await stub({ enabled: false }), 'enable-admin-container', ['--for', '2h']);
  const after = Math.ceil(Date.now() / 1000);
  assert.equal(r.code, 0, r.stderr);
  const [set] = sets(r);
  assert.equal(sets(r).length, 1);
  assert.equal(set?.[1], 'host-containers.admin.enabled=true');
  const [key, value] = (set?.[2] ?? '').split('=');
  assert.equal(key, 'host-containers.admin.enabled-until');
  const until = epochOf(value);
  assert.ok(until >= before + 7200 && until <= after + 7200, `${value} is two hours after the call`);
  assert.match(r.stdout, new RegExp(`disabled again at ${value}`));
});

test('enable-admin-container --for on an enabled admin container only moves enabled-until (1h30m, 90s, 1d forms)', async () => {
  for (const [duration, seconds] of [['1h30m', 5400], ['90s', 90], ['1d', 86400], ['--for=45m', 2700]] as const) {
    const args = duration.startsWith('--') ? [duration] : ['--for', duration];
    const before = Math.floor(Date.now() / 1000);
    const r = await run(await stub({ enabled: true }), 'enable-admin-container', args);
    const after = Math.ceil(Date.now() / 1000);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sets(r).length, 1);
    const [key, value] = (sets(r)[0]?.[1] ?? '').split('=');
    assert.equal(key, 'host-containers.admin.enabled-until');
    const until = epochOf(value);
    assert.ok(until >= before + seconds && until <= after + seconds, `${duration}: ${value}`);
  }
});

test('enable-admin-container: an invalid duration or argument is an error and calls nothing', async () => {
  for (const args of [['--for', '2 hours'], ['--for', '0m'], ['--for', '10x'], ['--for', ''], ['--for', '-5m'],
    ['--for', '1.5h'], ['--for'], ['--forever']]) {
    const r = await run(await stub({ enabled: false }), 'enable-admin-container', args);
    assert.notEqual(r.code, 0, `${args.join(' ')} must fail`);
    assert.match(r.stderr, /^Error: (invalid duration|--for needs a duration|unknown argument)/m, args.join(' '));
    assert.deepEqual(r.calls, [], `${args.join(' ')} calls no apiclient`);
  }
});

test('enable-admin-container: failures of apiclient are reported and stop it', async () => {
  const readFails = await stub({ enabled: false });
  await writeFile(path.join(readFails.dir, 'raw-fails'), '');
  const r1 = await run(readFails, 'enable-admin-container');
  assert.equal(r1.code, 1);
  assert.match(r1.stderr, /Error: cannot read settings\.host-containers\.admin\.enabled/);
  assert.deepEqual(sets(r1), []);

  const setFails = await stub({ enabled: false });
  await writeFile(path.join(setFails.dir, 'set-fails'), '');
  const r2 = await run(setFails, 'enable-admin-container');
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /Error: failed to enable admin container/);

  const noApiclient = await stub({ enabled: false });
  const tools = path.join(noApiclient.dir, 'tools');
  await mkdir(tools);
  for (const tool of ['dirname', 'readlink']) await symlink(`/usr/bin/${tool}`, path.join(tools, tool));
  const r3 = await run(noApiclient, 'enable-admin-container', [], tools);
  assert.equal(r3.code, 1);
  assert.match(r3.stderr, /Error: can't find 'apiclient'/);
});

test('disable-admin-container: enabled → one set of enabled=false; disabled → no set', async () => {
  const enabled = await run(await stub({ enabled: true }), 'disable-admin-container');
  assert.equal(enabled.code, 0, enabled.stderr);
  assert.deepEqual(enabled.calls, [READ, ['set', 'host-containers.admin.enabled=false']]);
  assert.match(enabled.stdout, /now disabled/);

  const disabled = await run(await stub({ enabled: false }), 'disable-admin-container');
  assert.equal(disabled.code, 0, disabled.stderr);
  assert.deepEqual(disabled.calls, [READ]);
  assert.match(disabled.stdout, /already disabled/);
});

test('enter-admin-container enables, polls `apiclient exec admin true` once a second until it answers, then runs bash there', async () => {
  const r = await run(await stub({ enabled: false, readyAfter: 3 }), 'enter-admin-container', ['--for', '30m']);
  assert.equal(r.code, 0, r.stderr);
  const exec = r.calls.filter((c) => c[0] === 'exec');
  assert.deepEqual(exec, [['exec', 'admin', 'true'], ['exec', 'admin', 'true'], ['exec', 'admin', 'true'], ['exec', 'admin', 'bash']]);
  assert.deepEqual(sets(r)[0]?.slice(0, 2), ['set', 'host-containers.admin.enabled=true']);
  assert.match(sets(r)[0]?.[2] ?? '', /^host-containers\.admin\.enabled-until=/);
  assert.match(r.stdout, /Waiting for admin container to start\.\.\.\nEntering admin container/);
});

test('enter-admin-container gives up after 60 polls without entering', async () => {
  const r = await run(await stub({ enabled: true, readyAfter: 1000 }), 'enter-admin-container');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Error: could not connect to admin container within 60 seconds/);
  const exec = r.calls.filter((c) => c[0] === 'exec');
  assert.equal(exec.length, 60);
  assert.ok(exec.every((c) => c.join(' ') === 'exec admin true'));
  assert.deepEqual(sets(r), [], 'an enabled admin container is not set again');
});
