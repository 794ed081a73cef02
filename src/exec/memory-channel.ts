import { EventEmitter } from 'node:events';
import type { ExecChannel } from './channel.js';

/** A frame as the memory channel recorded it. */
export type SentFrame = { text: string } | { binary: Buffer } | { close: number; reason: string };

/**
 * An in-memory ExecChannel for unit tests of the session logic: what the session sends is
 * recorded, what the client sends is injected, and sends complete when the test says so
 * (`autoComplete`, or `completeSends()`), which is how a slow client is simulated.
 */
export class MemoryChannel implements ExecChannel {
  readonly sent: SentFrame[] = [];
  paused = false;
  pings = 0;
  terminated = false;
  autoComplete = true;
  #open = true;
  #pending: Array<() => void> = [];
  #events = new EventEmitter();

  get isOpen(): boolean {
    return this.#open;
  }

  send(data: string | Buffer, sent?: (err?: Error) => void): void {
    this.sent.push(typeof data === 'string' ? { text: data } : { binary: Buffer.from(data) });
    const done = () => sent?.();
    if (this.autoComplete) queueMicrotask(done);
    else this.#pending.push(done);
  }

  /** Completes the sends held back while autoComplete is false. */
  completeSends(): void {
    for (const done of this.#pending.splice(0)) done();
  }

  close(code: number, reason: string): void {
    if (!this.#open) return;
    this.sent.push({ close: code, reason });
    this.#open = false;
    queueMicrotask(() => this.#events.emit('close', code));
  }

  terminate(): void {
    this.terminated = true;
    this.clientGone(1006);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }

  ping(): void {
    this.pings++;
  }

  onMessage(listener: (data: Buffer, isBinary: boolean) => void): void {
    this.#events.on('message', listener);
  }

  onActivity(listener: () => void): void {
    this.#events.on('message', listener);
  }

  onClose(listener: (code: number) => void): void {
    this.#events.on('close', listener);
  }

  onError(listener: (err: Error, closeCode: number | undefined) => void): void {
    this.#events.on('error', listener);
  }

  /** The client sends a text (string) or binary (Buffer) message. */
  receive(data: string | Buffer): void {
    this.#events.emit('message', Buffer.from(data), typeof data !== 'string');
  }

  /** The client broke the WebSocket protocol; the adapter closes with `closeCode`. */
  clientError(message: string, closeCode: number): void {
    this.#events.emit('error', new Error(message), closeCode);
    this.clientGone(closeCode);
  }

  /** The connection is gone. */
  clientGone(code = 1006): void {
    if (!this.#open) return;
    this.#open = false;
    this.#events.emit('close', code);
  }

  texts(): string[] {
    return this.sent.flatMap((f) => ('text' in f ? [f.text] : []));
  }

  binary(): Buffer {
    return Buffer.concat(this.sent.flatMap((f) => ('binary' in f ? [f.binary] : [])));
  }

  closed(): { close: number; reason: string } | undefined {
    return this.sent.find((f): f is { close: number; reason: string } => 'close' in f);
  }
}
