import { status as Status } from '@grpc/grpc-js';
import { BerthError, type ErrorCode } from '../errors/index.js';

/** containerd's errdefs travel as gRPC status codes; this is the one place they become berth's. */
const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [Status.INVALID_ARGUMENT]: 'INVALID_ARGUMENT',
  [Status.NOT_FOUND]: 'NOT_FOUND',
  [Status.ALREADY_EXISTS]: 'ALREADY_EXISTS',
  [Status.FAILED_PRECONDITION]: 'FAILED_PRECONDITION',
  [Status.ABORTED]: 'CONFLICT',
  [Status.UNAVAILABLE]: 'UNAVAILABLE',
  [Status.DEADLINE_EXCEEDED]: 'DEADLINE_EXCEEDED',
  [Status.CANCELLED]: 'CANCELED',
  [Status.UNIMPLEMENTED]: 'NOT_IMPLEMENTED',
  [Status.PERMISSION_DENIED]: 'PERMISSION_DENIED',
  [Status.OUT_OF_RANGE]: 'INVALID_ARGUMENT',
  [Status.RESOURCE_EXHAUSTED]: 'UNAVAILABLE',
};

interface GrpcLikeError {
  code?: unknown;
  details?: unknown;
  message?: unknown;
}

/** Translate a grpc-js error into a BerthError that names the call that failed. */
export function fromGrpcError(err: unknown, call: string): BerthError {
  if (BerthError.is(err)) return err;
  const e = (err ?? {}) as GrpcLikeError;
  const grpcCode = typeof e.code === 'number' ? e.code : undefined;
  const code = (grpcCode !== undefined && BY_STATUS[grpcCode]) || 'INTERNAL';
  const detail = typeof e.details === 'string' && e.details !== '' ? e.details : String(e.message ?? err);
  return new BerthError(code, `containerd ${call} failed: ${detail}`, {
    cause: err,
    details: { grpcCode, call },
  });
}
