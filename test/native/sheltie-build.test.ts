import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, runSheltie, sheltiePath } from './run-process.js';

const PT_INTERP = 3;

/** The p_type of every program header of a 64-bit little-endian ELF file. */
function programHeaderTypes(elf: Buffer): number[] {
  assert.equal(elf.subarray(0, 4).toString('latin1'), '\x7fELF', 'not an ELF file');
  assert.equal(elf[4], 2, 'not a 64-bit ELF file');
  const phoff = Number(elf.readBigUInt64LE(32));
  const phentsize = elf.readUInt16LE(54);
  const phnum = elf.readUInt16LE(56);
  return Array.from({ length: phnum }, (_, i) => elf.readUInt32LE(phoff + i * phentsize));
}

test('dist/native/sheltie is a statically linked executable', async () => {
  const elf = await readFile(sheltiePath).catch(() => {
    throw new Error(`${sheltiePath} is missing: run 'npm run build'`);
  });
  const types = programHeaderTypes(elf);
  assert.ok(types.length > 0);
  assert.ok(!types.includes(PT_INTERP), 'the binary names a dynamic loader (PT_INTERP)');
  assert.match(execFileSync('file', ['-b', sheltiePath], { encoding: 'utf8' }), /statically linked/);
  assert.ok(((await stat(sheltiePath)).mode & 0o111) !== 0, 'the binary is not executable');
});

test('build-native.sh leaves an up-to-date binary alone', async () => {
  const before = await stat(sheltiePath);
  execFileSync('bash', [path.join(repoRoot, 'scripts/build-native.sh')], { stdio: 'pipe' });
  const after = await stat(sheltiePath);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.equal(after.ino, before.ino);
});

test('sheltie --help and -h print the usage and exit 0', async () => {
  for (const flag of ['--help', '-h']) {
    const r = await runSheltie([flag]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^Usage: sheltie \[-t PID\] \[--\] \[COMMAND \[ARG\.\.\.\]\]/);
    assert.equal(r.stderr, '');
  }
});
