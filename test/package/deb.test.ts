import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { installPaths } from '../../src/daemon/install-paths.js';
import { REPO } from '../helpers/repo.js';
import { makeTempRoot, removeTempRoot } from '../helpers/temp-root.js';

/**
 * The Debian package as `npm run package` builds it (scripts/package-deb.sh, from the dist/ and
 * build/images this run built): its files, control fields, modes and links, maintainer scripts and
 * lintian's verdict. It is built twice, to show that the same outputs give the same package.
 */
const run = promisify(execFile);
const BIG = { maxBuffer: 64 << 20 };

const root = await makeTempRoot('deb');
after(() => removeTempRoot(root));
const version = (JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
let deb = '';
let rebuilt = '';

before(async () => {
  for (const out of ['first', 'second']) await run('bash', [path.join(REPO, 'scripts/package-deb.sh'), path.join(root, out)], BIG);
  deb = path.join(root, 'first', `berth_${version}_amd64.deb`);
  rebuilt = path.join(root, 'second', `berth_${version}_amd64.deb`);
});

interface Entry {
  mode: string;
  owner: string;
  path: string;
  target?: string;
}

/** `dpkg-deb -c`: one line per entry, like `-rwxr-xr-x root/root 836 2026-12-06 00:00 ./usr/bin/berthd`. */
async function contents(file: string): Promise<Entry[]> {
  const { stdout } = await run('dpkg-deb', ['-c', file], BIG);
  return stdout.trim().split('\n').map((line) => {
    const m = /^(\S+) (\S+) +\d+ \S+ \S+ \.(\/.*?)(?: -> (.+))?$/.exec(line);
    assert.ok(m, `unexpected dpkg-deb -c line: ${line}`);
    return { mode: m[1]!, owner: m[2]!, path: m[3]!, ...(m[4] ? { target: m[4] } : {}) };
  });
}

async function expectedFiles(): Promise<string[]> {
  const cil = (await readdir(path.join(REPO, 'selinux'))).filter((f) => f.endsWith('.cil'));
  const docs = (await readdir(path.join(REPO, 'docs'))).filter((f) => f.endsWith('.md'));
  return [
    '/lib/systemd/system/berthd.service',
    '/lib/systemd/system/host-containerd.service',
    '/lib/systemd/system/containerd.service.d/berth.conf',
    '/usr/bin/apiclient',
    '/usr/bin/berth',
    '/usr/bin/berthd',
    '/usr/libexec/berth/berth-logger',
    '/usr/libexec/berth/berth-peercred',
    '/usr/libexec/berth/sheltie',
    '/usr/share/berth/images/admin.tar',
    '/usr/share/berth/images/control.tar',
    ...cil.map((f) => `/usr/share/berth/selinux/${f}`),
    '/usr/share/berth/selinux/file_contexts',
    '/usr/share/berth/selinux/policy.33',
    '/usr/share/doc/berth/README.md',
    '/usr/share/doc/berth/changelog.gz',
    '/usr/share/doc/berth/copyright',
    ...docs.map((f) => `/usr/share/doc/berth/docs/${f}`),
    '/usr/share/doc/berth/third-party-notices.gz',
    '/usr/share/lintian/overrides/berth',
    '/usr/share/man/man1/apiclient.1.gz',
    '/usr/share/man/man1/berth.1.gz',
    '/usr/share/man/man8/berthd.8.gz',
  ].sort();
}

const EXECUTABLES = ['/usr/bin/berth', '/usr/bin/berthd', '/usr/libexec/berth/berth-logger', '/usr/libexec/berth/berth-peercred', '/usr/libexec/berth/sheltie'];

test('the package holds the installed layout and nothing else, owned by root, with modes 755 and 644', async () => {
  const entries = await contents(deb);
  assert.deepEqual(entries.filter((e) => !e.mode.startsWith('d')).map((e) => e.path).sort(), await expectedFiles());
  for (const e of entries) {
    assert.equal(e.owner, 'root/root', e.path);
    const want = e.mode.startsWith('d') ? 'drwxr-xr-x' : e.mode.startsWith('l') ? 'lrwxrwxrwx' : EXECUTABLES.includes(e.path) ? '-rwxr-xr-x' : '-rw-r--r--';
    assert.equal(e.mode, want, e.path);
  }
  assert.equal(entries.find((e) => e.path === '/usr/bin/apiclient')?.target, 'berth');
});

test('building twice from the same outputs gives the same package', async () => {
  assert.deepEqual(await contents(rebuilt), await contents(deb));
  const sum = async (f: string) => (await run('sha256sum', [f])).stdout.split(' ')[0];
  assert.equal(await sum(rebuilt), await sum(deb));
});

test('the control fields: version from package.json, the runtime it needs, and where it belongs', async () => {
  const field = async (name: string) => (await run('dpkg-deb', ['-f', deb, name])).stdout.trim();
  assert.equal(await field('Package'), 'berth');
  assert.equal(await field('Version'), version);
  assert.equal(await field('Architecture'), 'amd64');
  const depends = (await field('Depends')).split(/,\s*/).map((d) => d.split(' ')[0]);
  for (const pkg of ['containerd', 'runc', 'containernetworking-plugins', 'libc6', 'libstdc++6', 'mount', 'passwd']) assert.ok(depends.includes(pkg), `Depends: ${pkg}`);
  assert.match(await field('Built-Using'), /^glibc \(= \S+\)$/);
  assert.equal(await field('Section'), 'admin');
  assert.ok(Number(await field('Installed-Size')) > 100_000);
  const changelog = (await run('sh', ['-c', `dpkg-deb --fsys-tarfile "$1" | tar -xOf - ./usr/share/doc/berth/changelog.gz | gunzip`, 'sh', deb])).stdout;
  assert.match(changelog, new RegExp(`^berth \\(${version.replaceAll('.', '\\.')}\\) `));
});

test('extracted, the launcher runs the executable beside it, apiclient resolves to it, and berth finds its files', async () => {
  const tree = path.join(root, 'tree');
  await run('dpkg-deb', ['-x', deb, tree], BIG);
  const bin = path.join(tree, 'usr/bin');
  const berthd = await run(path.join(bin, 'berthd'), ['--help']);
  assert.match(berthd.stdout, /^Usage: berthd /);
  assert.equal(await readlink(path.join(bin, 'apiclient')), 'berth');
  assert.equal(await realpath(path.join(bin, 'apiclient')), path.join(bin, 'berth'));
  const apiclient = await run(path.join(bin, 'apiclient'), ['--help']);
  assert.match(apiclient.stdout, /^Usage: apiclient /);
  // What an installed berth resolves from /usr/bin/berth (src/daemon/install-paths.ts) is all there.
  const install = installPaths({ layout: { kind: 'installed', prefix: path.join(tree, 'usr') } });
  assert.equal(install.berth, path.join(bin, 'berth'));
  assert.equal(install.sheltie, path.join(tree, 'usr/libexec/berth/sheltie'));
  for (const file of [install.logger, install.peercred, path.join(install.imagesDir, 'control.tar'), path.join(install.imagesDir, 'admin.tar')]) {
    await readFile(file).then((b) => assert.ok(b.length > 0, file));
  }
});

test('the maintainer scripts are POSIX sh with set -e', async () => {
  const dir = path.join(root, 'control');
  await run('dpkg-deb', ['-e', deb, dir]);
  const scripts = (await readdir(dir)).filter((f) => /^(pre|post)(inst|rm)$/.test(f)).sort();
  assert.deepEqual(scripts, ['postinst', 'postrm', 'prerm']);
  for (const s of scripts) {
    const text = await readFile(path.join(dir, s), 'utf8');
    assert.ok(text.startsWith('#!/bin/sh\n'), s);
    assert.match(text, /^set -e$/m, s);
    // dash is Debian's /bin/sh; -n parses without running.
    await run('dash', ['-n', path.join(dir, s)]);
  }
});

test('lintian finds no error or warning but those the package overrides, each override with its reason', async () => {
  const { stdout } = await run('lintian', ['--fail-on', 'error,warning', '--display-info', '--no-tag-display-limit', deb], BIG).catch((e: { stdout?: string; stderr?: string }) => {
    assert.fail(`lintian failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  });
  assert.doesNotMatch(stdout, /^[EW]: /m);
  // An override that no longer matches anything would hide the next problem of that name.
  assert.doesNotMatch(stdout, /(unused|mismatched)-override/);
  const overrides = (await readFile(path.join(REPO, 'packaging/deb/lintian-overrides'), 'utf8')).split('\n');
  overrides.forEach((line, i) => {
    if (!line.startsWith('berth: ')) return;
    const above = overrides.slice(0, i).reverse().find((l) => !l.startsWith('berth: '));
    assert.ok(above?.startsWith('# '), `override without a comment above it: ${line}`);
  });
});
