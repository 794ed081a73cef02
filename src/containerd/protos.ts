import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';

/** berth's own .proto files (see proto/README.md); the include root for every import. */
export const PROTO_DIR = fileURLToPath(new URL('../../../proto/', import.meta.url));

const SERVICE_FILES = [
  'containerd/services/version.proto',
  'containerd/services/namespaces.proto',
  'containerd/services/content.proto',
  'containerd/services/images.proto',
  'containerd/services/leases.proto',
  'containerd/services/snapshots.proto',
  'containerd/services/diff.proto',
  'containerd/services/containers.proto',
  'containerd/services/tasks.proto',
  'containerd/services/events.proto',
  'containerd/services/introspection.proto',
];

const PAYLOAD_FILES = [
  'containerd/events/events.proto',
  'containerd/runc/options.proto',
  'containerd/services/images.proto',
];

/** proto-loader options: snake_case fields as on the wire, sizes as numbers, enums as names. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

let grpcObject: grpc.GrpcObject | undefined;
let payloadRoot: protobuf.Root | undefined;

/** The gRPC service constructors, loaded once on first use (never at import time). */
export function grpcDefinitions(): grpc.GrpcObject {
  grpcObject ??= grpc.loadPackageDefinition(protoLoader.loadSync(SERVICE_FILES, LOADER_OPTIONS));
  return grpcObject;
}

/** A protobufjs root for the payloads carried in `Any` (events, runc options). */
export function payloadTypes(): protobuf.Root {
  if (!payloadRoot) {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) =>
      target.startsWith('google/protobuf/') || path.isAbsolute(target) ? target : path.join(PROTO_DIR, target);
    root.loadSync(PAYLOAD_FILES, { keepCase: true });
    payloadRoot = root;
  }
  return payloadRoot;
}

/** Look up a service constructor by its full name, e.g. `containerd.services.tasks.v1.Tasks`. */
export function serviceConstructor(fullName: string): grpc.ServiceClientConstructor {
  let node: unknown = grpcDefinitions();
  for (const part of fullName.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'function') throw new Error(`Unknown gRPC service: ${fullName}`);
  return node as grpc.ServiceClientConstructor;
}
