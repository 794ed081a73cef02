import assert from 'node:assert/strict';

/** For unit tests: `run` throws INVALID_ARGUMENT whose details name `key` and whose message matches. */
export function assertRefused(run: () => unknown, expected: { key: string; message: RegExp; what: string }): void {
  assert.throws(
    run,
    (err: Error & { code?: string; details?: { key?: string } }) => {
      assert.equal(err.code, 'INVALID_ARGUMENT', expected.what);
      assert.equal(err.details?.key, expected.key, expected.what);
      assert.match(err.message, expected.message, expected.what);
      return true;
    },
    expected.what,
  );
}
