import type { ClientReadableStream } from '@grpc/grpc-js';
import type { Transport } from '../transport.js';
import type { Envelope } from '../types.js';
import { decodeProtoAny } from '../any.js';
import { fromGrpcError } from '../grpc-errors.js';
import type { BerthError } from '../../errors/index.js';

export interface ContainerdEvent {
  topic: string;
  namespace: string;
  timestamp: Date | undefined;
  /** The decoded payload, or undefined for types berth does not declare. */
  payload: Record<string, unknown> | undefined;
}

export interface Subscription {
  /** Ends the stream (channel.close() alone would not). */
  cancel(): void;
  /** Resolves when the stream ends: undefined after cancel(), the error otherwise. */
  readonly done: Promise<BerthError | undefined>;
}

export class EventsService {
  #t: Transport;
  constructor(transport: Transport) {
    this.#t = transport;
  }

  /**
   * Subscribes to containerd's event stream. Events are hints, never replayed: after the stream
   * ends (daemon restart), re-subscribe and reconcile from the listings.
   */
  subscribe(filters: string[], onEvent: (event: ContainerdEvent) => void): Subscription {
    const stream: ClientReadableStream<Envelope> = this.#t.serverStream(
      { service: 'events.v1.Events', method: 'Subscribe' },
      { filters },
      { timeoutMs: 0, waitForReady: true },
    );
    let canceled = false;
    const done = new Promise<BerthError | undefined>((resolve) => {
      stream.on('data', (env: Envelope) => {
        onEvent({
          topic: env.topic,
          namespace: env.namespace,
          timestamp: env.timestamp ? new Date(env.timestamp.seconds * 1000) : undefined,
          payload: decodeProtoAny(env.event),
        });
      });
      stream.on('error', (err) => resolve(canceled ? undefined : fromGrpcError(err, 'Events.Subscribe')));
      stream.on('end', () => resolve(undefined));
    });
    return {
      cancel: () => {
        canceled = true;
        stream.cancel();
      },
      done,
    };
  }
}
