export { ContainerdClient, type ContainerdClientOptions } from './client.js';
export type { CallOptions } from './transport.js';
export { TYPE_URLS, jsonAny, decodeJsonAny, protoAny, decodeProtoAny, type AnyMessage } from './any.js';
export { WRITE_CHUNK, type BlobSource, type BlobTarget, type WriteOutcome } from './content-writer.js';
export type { ContainerdEvent, Subscription } from './services/events.js';
export type { NewContainer } from './services/containers.js';
export type { CreateTaskRequest, ExecRequest, TaskIO } from './services/tasks.js';
export type { VersionInfo } from './services/version.js';
export * from './types.js';
