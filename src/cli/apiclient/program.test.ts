import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { BerthError } from '../../errors/index.js';
import { runApiclient, UNATTENDED, type Register } from './program.js';
import type { CommandContext } from './context.js';

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      stdin: Readable.from([]),
      defaultSocketPath: '/nonexistent/api.sock',
    },
  };
}

const exitWith: Register = (program: Command, ctx: CommandContext) => {
  program
    .command('exit-with')
    .argument('<code>')
    .action((code: string) => {
      ctx.setExitCode(Number(code));
    });
  program.command('fail').action(() => {
    throw new BerthError('NOT_FOUND', "Host container 'x' not found");
  });
};

test('runApiclient() returns the exit status a subcommand sets, the status of their error code (as berthd) and 2 for usage errors', async () => {
  const a = io();
  assert.equal(await runApiclient(['exit-with', '3'], a.io, { extra: [exitWith] }), 3);
  assert.deepEqual(a.out, { stdout: '', stderr: '' });
  const b = io();
  assert.equal(await runApiclient(['fail'], b.io, { extra: [exitWith] }), 3, 'NOT_FOUND');
  assert.equal(b.out.stderr, "apiclient: Host container 'x' not found\n");
  const c = io();
  assert.equal(await runApiclient(['nope'], c.io, { extra: [exitWith] }), 2);
  assert.equal(c.out.stderr, "apiclient: unknown command 'nope' (commands: get, set, apply, raw, exec, logs, status, audit, retry-boot, exit-with, fail, help)\n");
  const d = io();
  assert.equal(await runApiclient(['help', 'set'], d.io), 0);
  assert.match(d.out.stdout, /Usage: apiclient set/);
});

test('runApiclient() with the UNATTENDED subcommands refuses exec, logs and retry-boot as unknown commands', async () => {
  for (const name of ['exec', 'logs', 'retry-boot']) {
    const r = io();
    assert.equal(await runApiclient([name, 'admin'], r.io, { commands: UNATTENDED }), 2, name);
    assert.equal(r.out.stderr, `apiclient: unknown command '${name}' (commands: get, set, apply, raw, status, audit, help)\n`);
  }
});
