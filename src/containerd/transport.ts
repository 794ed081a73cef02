import * as grpc from '@grpc/grpc-js';
import { BerthError } from '../errors/index.js';
import { fromGrpcError } from './grpc-errors.js';

/** The shapes of the methods grpc-js generates on a service client. */
type UnaryMethod<Res> = (
  request: object,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, res: Res) => void,
) => grpc.ClientUnaryCall;
type ServerStreamMethod<Res> = (request: object, metadata: grpc.Metadata, options: grpc.CallOptions) => grpc.ClientReadableStream<Res>;
type BidiMethod<Req, Res> = (metadata: grpc.Metadata, options: grpc.CallOptions) => grpc.ClientDuplexStream<Req, Res>;

/** A method of a generated client by name (the protos define them, so the type is asserted here). */
function methodOf<M>(stub: grpc.Client, method: string, name: string): M {
  const fn = (stub as unknown as Record<string, unknown>)[method];
  if (typeof fn !== 'function') throw new BerthError('INTERNAL', `No gRPC method ${name}`);
  return fn as M;
}
import { serviceConstructor } from './protos.js';

/** Per-call options. Every field is optional. */
export interface CallOptions {
  /** Lease id sent as `containerd-lease`, so objects created by the call survive GC. */
  lease?: string;
  /** Deadline in milliseconds; 0 means none (Tasks.Wait, Events.Subscribe). Default: the client's. */
  timeoutMs?: number;
  /** Aborts the call. */
  signal?: AbortSignal;
  /**
   * Queue the call while the socket is down (daemon restarting) instead of failing at once.
   * Default true: with a deadline this rides out a containerd restart.
   */
  waitForReady?: boolean;
}

export interface TransportOptions {
  /** Path of containerd's gRPC socket. Required. */
  socket: string;
  /** Default deadline of unary calls in ms. Default 30000. */
  defaultTimeoutMs?: number;
}

const SERVICE_PREFIX = 'containerd.services.';

/**
 * One grpc-js channel over containerd's Unix socket, shared by every service stub. 16 MiB messages
 * both ways (containerd's own limit) and no keepalive: containerd's server rejects pings more often
 * than every 5 minutes with GOAWAY too_many_pings.
 */
export class Transport {
  readonly socket: string;
  readonly defaultTimeoutMs: number;
  #channel: grpc.Channel;
  #stubs = new Map<string, grpc.Client>();

  constructor(options: TransportOptions) {
    this.socket = options.socket;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
    this.#channel = new grpc.Channel(`unix://${options.socket}`, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 16 << 20,
      'grpc.max_send_message_length': 16 << 20,
      'grpc.enable_retries': 0,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 2000,
    });
  }

  /** `service` is relative to `containerd.services.`, e.g. `tasks.v1.Tasks`, or a full name. */
  #stub(service: string): grpc.Client {
    let stub = this.#stubs.get(service);
    if (!stub) {
      const full = service.includes('.services.') || service.startsWith('grpc.') ? service : SERVICE_PREFIX + service;
      const Ctor = serviceConstructor(full);
      stub = new Ctor(`unix://${this.socket}`, grpc.credentials.createInsecure(), { channelOverride: this.#channel });
      this.#stubs.set(service, stub);
    }
    return stub;
  }

  #metadata(namespace: string | undefined, options: CallOptions): grpc.Metadata {
    // waitForReady is a Metadata option in grpc-js, not a call option.
    const md = new grpc.Metadata({ waitForReady: options.waitForReady ?? true });
    // Namespaces.Create/Update need the header too, or the event publish fails.
    if (namespace) md.set('containerd-namespace', namespace);
    if (options.lease) md.set('containerd-lease', options.lease);
    return md;
  }

  #callOptions(options: CallOptions, streaming: boolean): grpc.CallOptions {
    const timeout = options.timeoutMs ?? (streaming ? 0 : this.defaultTimeoutMs);
    return timeout > 0 ? { deadline: Date.now() + timeout } : {};
  }

  unary<Res>(
    target: { service: string; method: string; namespace?: string | undefined },
    request: object,
    options: CallOptions = {},
  ): Promise<Res> {
    const stub = this.#stub(target.service);
    const name = `${shortName(target.service)}.${target.method}`;
    const fn = methodOf<UnaryMethod<Res>>(stub, target.method, name);
    return new Promise<Res>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new BerthError('CANCELED', `containerd ${name} canceled`));
        return;
      }
      const call = fn.call(stub, request, this.#metadata(target.namespace, options), this.#callOptions(options, false), (err, res) => {
        options.signal?.removeEventListener('abort', onAbort);
        if (err) reject(fromGrpcError(err, name));
        else resolve(res);
      });
      const onAbort = (): void => call.cancel();
      options.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  serverStream<Res>(
    target: { service: string; method: string; namespace?: string | undefined },
    request: object,
    options: CallOptions = {},
  ): grpc.ClientReadableStream<Res> {
    const stub = this.#stub(target.service);
    const fn = methodOf<ServerStreamMethod<Res>>(stub, target.method, `${shortName(target.service)}.${target.method}`);
    return fn.call(stub, request, this.#metadata(target.namespace, options), this.#callOptions(options, true));
  }

  bidiStream<Req, Res>(
    target: { service: string; method: string; namespace?: string | undefined },
    options: CallOptions = {},
  ): grpc.ClientDuplexStream<Req, Res> {
    const stub = this.#stub(target.service);
    const fn = methodOf<BidiMethod<Req, Res>>(stub, target.method, `${shortName(target.service)}.${target.method}`);
    return fn.call(stub, this.#metadata(target.namespace, options), this.#callOptions(options, true));
  }

  /** Collects a server stream into an array, translating errors. */
  async collect<Res>(
    target: { service: string; method: string; namespace?: string | undefined },
    request: object,
    options: CallOptions = {},
  ): Promise<Res[]> {
    const name = `${shortName(target.service)}.${target.method}`;
    const stream = this.serverStream<Res>(target, request, {
      ...options,
      timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs,
    });
    const out: Res[] = [];
    try {
      for await (const item of stream) out.push(item as Res);
    } catch (err) {
      throw fromGrpcError(err, name);
    }
    return out;
  }

  close(): void {
    for (const stub of this.#stubs.values()) stub.close();
    this.#stubs.clear();
    this.#channel.close();
  }
}

function shortName(service: string): string {
  return service.slice(service.lastIndexOf('.') + 1);
}
