import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capacityMessage, initializeMessage, parseClientMessage, parseServerMessage, winchMessage, CONTENT_COMPLETE } from './protocol.js';

test('parseClientMessage() reads Initialize, ContentComplete and Winch as Bottlerocket sends them', () => {
  assert.deepEqual(parseClientMessage('{"Initialize":{"command":["bash","-l"],"target":"admin","tty":{"size":{"rows":40,"cols":100}}}}'), {
    type: 'initialize',
    init: { command: ['bash', '-l'], target: 'admin', tty: { size: { rows: 40, cols: 100 } } },
  });
  assert.deepEqual(parseClientMessage('{"Initialize":{"command":[{"Unix":[108,115]}],"target":"control","tty":null}}'), {
    type: 'initialize',
    init: { command: ['ls'], target: 'control' },
  });
  assert.deepEqual(parseClientMessage(CONTENT_COMPLETE), { type: 'content-complete' });
  assert.deepEqual(parseClientMessage(winchMessage({ rows: 10, cols: 20 })), { type: 'winch', size: { rows: 10, cols: 20 } });
  const round = parseClientMessage(initializeMessage({ command: ['true'], target: 'admin', tty: { size: { rows: 1, cols: 2 } } }));
  assert.deepEqual(round, { type: 'initialize', init: { command: ['true'], target: 'admin', tty: { size: { rows: 1, cols: 2 } } } });
});

test('parseClientMessage() rejects malformed messages with a clear reason', () => {
  for (const [text, reason] of [
    ['nope', /not JSON/],
    ['{"Initialize":{"command":[],"target":"a"}}', /non-empty list/],
    ['{"Initialize":{"command":["x"],"target":""}}', /target/],
    ['{"Initialize":{"command":[5],"target":"a"}}', /command\[0\]/],
    ['{"Winch":{"rows":0,"cols":5}}', /rows and cols/],
    ['{"Other":1}', /Unknown control message/],
  ] as const) {
    assert.throws(() => parseClientMessage(text), reason);
  }
});

test('capacity messages round-trip', () => {
  assert.deepEqual(parseServerMessage(capacityMessage(256)), { type: 'capacity', maxOutstanding: 1024, written: 256 });
  assert.deepEqual(parseServerMessage('garbage'), { type: 'unknown' });
});
