import { payloadTypes } from './protos.js';

/**
 * `google.protobuf.Any` payloads as containerd registers them: bare full names, no
 * `type.googleapis.com/` prefix (a prefixed runc options URL breaks shim start), and JSON values for
 * the OCI runtime-spec types.
 */
export const TYPE_URLS = {
  spec: 'types.containerd.io/opencontainers/runtime-spec/1/Spec',
  process: 'types.containerd.io/opencontainers/runtime-spec/1/Process',
  runcOptions: 'containerd.runc.v1.Options',
} as const;

export interface AnyMessage {
  type_url: string;
  value: Buffer;
}

export function jsonAny(typeUrl: string, value: unknown): AnyMessage {
  return { type_url: typeUrl, value: Buffer.from(JSON.stringify(value)) };
}

export function decodeJsonAny<T>(any: AnyMessage | null | undefined): T | undefined {
  if (!any || !any.value || any.value.length === 0) return undefined;
  return JSON.parse(Buffer.from(any.value).toString('utf8')) as T;
}

/** Encode a protobuf payload whose type is declared in proto/ (e.g. containerd.runc.v1.Options). */
export function protoAny(typeName: string, value: Record<string, unknown>): AnyMessage {
  const type = payloadTypes().lookupType(typeName);
  const err = type.verify(value);
  if (err) throw new Error(`Invalid ${typeName}: ${err}`);
  return { type_url: typeName, value: Buffer.from(type.encode(type.fromObject(value)).finish()) };
}

/** Decode a protobuf payload; undefined when berth does not know the type. */
export function decodeProtoAny(any: AnyMessage | null | undefined): Record<string, unknown> | undefined {
  if (!any) return undefined;
  const typeName = any.type_url.replace(/^.*\//, '');
  let type;
  try {
    type = payloadTypes().lookupType(typeName);
  } catch {
    return undefined;
  }
  const message = type.decode(Buffer.from(any.value ?? []));
  return type.toObject(message, { longs: Number, enums: String, defaults: true });
}
