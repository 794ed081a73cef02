import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
// berth's own .proto files (proto/, see its README), compiled at build time by
// scripts/proto-descriptor.mjs: the definitions travel inside the program, not beside it.
import json from '../../proto/descriptor.json' with { type: 'json' };

const descriptor = json as protobuf.INamespace;

/** proto-loader options: snake_case fields as on the wire, sizes as numbers, enums as names. */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

let grpcObject: grpc.GrpcObject | undefined;
let payloadRoot: protobuf.Root | undefined;

/** The gRPC service constructors, built once on first use (never at import time). */
export function grpcDefinitions(): grpc.GrpcObject {
  grpcObject ??= grpc.loadPackageDefinition(protoLoader.fromJSON(descriptor, LOADER_OPTIONS));
  return grpcObject;
}

/** A protobufjs root for the payloads carried in `Any` (events, runc options). */
export function payloadTypes(): protobuf.Root {
  payloadRoot ??= protobuf.Root.fromJSON(descriptor);
  return payloadRoot;
}

/** Look up a service constructor by its full name, e.g. `containerd.services.tasks.v1.Tasks`. */
export function serviceConstructor(fullName: string): grpc.ServiceClientConstructor {
  let node: unknown = grpcDefinitions();
  for (const part of fullName.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'function') throw new Error(`Unknown gRPC service: ${fullName}`);
  return node as grpc.ServiceClientConstructor;
}
