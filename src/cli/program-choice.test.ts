import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseProgram } from './program-choice.js';

const PROGRAMS = ['berthd', 'apiclient'];

test('chooseProgram() runs the program the executable is called as, with every argument', () => {
  assert.deepEqual(chooseProgram('/usr/bin/berthd', ['run', '--root', '/x'], PROGRAMS), { name: 'berthd', args: ['run', '--root', '/x'] });
  assert.deepEqual(chooseProgram('apiclient', ['berthd'], PROGRAMS), { name: 'apiclient', args: ['berthd'] });
});

test('chooseProgram() called as berth takes the program from the first argument', () => {
  assert.deepEqual(chooseProgram('/work/dist/berth', ['apiclient', 'get', 'x'], PROGRAMS), { name: 'apiclient', args: ['get', 'x'] });
  assert.deepEqual(chooseProgram('node', ['berthd', 'stop'], PROGRAMS), { name: 'berthd', args: ['stop'] });
});

test('chooseProgram() answers an unknown name or program, or none, with usage and status 2; --help with 0', () => {
  assert.deepEqual(chooseProgram('berth', [], PROGRAMS), { usage: 2, message: 'berth: which program? (berthd or apiclient)' });
  assert.deepEqual(chooseProgram('/usr/bin/frob', ['ctl'], PROGRAMS), { usage: 2, message: "berth: unknown program 'ctl' (berthd or apiclient)" });
  assert.deepEqual(chooseProgram('berth', ['--help'], PROGRAMS), { usage: 0 });
});
