import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../lib/logger.js';
import { startComponents, stopComponents, type Component } from './component.js';

function recorder(events: string[], name: string, failStart = false, failStop = false): Component {
  return {
    name,
    start: async () => {
      events.push(`start ${name}`);
      if (failStart) throw new Error(`${name} cannot start`);
    },
    stop: async () => {
      events.push(`stop ${name}`);
      if (failStop) throw new Error(`${name} cannot stop`);
    },
  };
}

test('startComponents() starts in order and stopComponents() stops in reverse, past a failing stop', async () => {
  const events: string[] = [];
  const started = await startComponents([recorder(events, 'a'), recorder(events, 'b', false, true), recorder(events, 'c')], silentLogger);
  await stopComponents(started, silentLogger);
  assert.deepEqual(events, ['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
});

test('startComponents() stops what it started when one fails, and throws that failure', async () => {
  const events: string[] = [];
  await assert.rejects(startComponents([recorder(events, 'a'), recorder(events, 'b'), recorder(events, 'c', true), recorder(events, 'd')], silentLogger), /c cannot start/);
  assert.deepEqual(events, ['start a', 'start b', 'start c', 'stop b', 'stop a']);
});
