import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { fromGrpcError } from './grpc-errors.js';
import { BerthError } from '../errors/index.js';

test('fromGrpcError() maps containerd status codes to berth codes', () => {
  const cases: Array<[number, string]> = [
    [status.NOT_FOUND, 'NOT_FOUND'],
    [status.ALREADY_EXISTS, 'ALREADY_EXISTS'],
    [status.FAILED_PRECONDITION, 'FAILED_PRECONDITION'],
    [status.UNAVAILABLE, 'UNAVAILABLE'],
    [status.INVALID_ARGUMENT, 'INVALID_ARGUMENT'],
    [status.UNIMPLEMENTED, 'NOT_IMPLEMENTED'],
    [status.UNKNOWN, 'INTERNAL'],
  ];
  for (const [grpcCode, code] of cases) {
    const err = fromGrpcError({ code: grpcCode, details: 'boom' }, 'Tasks.Get');
    assert.equal(err.code, code);
    assert.equal(err.message, 'containerd Tasks.Get failed: boom');
  }
});

test('fromGrpcError() keeps BerthErrors and wraps foreign values', () => {
  const own = new BerthError('CONFLICT', 'x');
  assert.equal(fromGrpcError(own, 'X'), own);
  assert.equal(fromGrpcError(new Error('plain'), 'X').code, 'INTERNAL');
});
