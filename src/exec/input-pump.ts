import type { Writable } from 'node:stream';
import { BerthError } from '../errors/index.js';
import type { ExecChannel } from './channel.js';
import { CAPACITY_UPDATE_INTERVAL, capacityMessage, CLOSE, MAX_MESSAGES_OUTSTANDING, parseClientMessage, type TtySize } from './protocol.js';

/** What the input side drives in the process. */
export interface InputTarget {
  readonly stdin: Writable;
  closeStdin(): Promise<void>;
  resize(size: TtySize): Promise<void>;
}

export interface InputPumpOptions {
  /** Whether the session has a terminal (Winch applies only then). */
  tty: boolean;
  /** Bytes queued for stdin past which the client is no longer read. */
  highWater: number;
  /** The client broke the protocol: the session closes with `closeCode`. */
  violation(err: BerthError, closeCode: number): void;
}

/**
 * Client → process: binary frames to stdin in order, ContentComplete to EOF, Winch to a resize.
 * Two kinds of flow control: Bottlerocket's (the client keeps at most MAX_MESSAGES_OUTSTANDING
 * messages unwritten, told by a Capacity message every CAPACITY_UPDATE_INTERVAL writes), and the
 * socket's own: past `highWater` unwritten bytes the connection is paused until stdin drains, so a
 * process that does not read holds the client back instead of growing berthd's memory.
 */
export class InputPump {
  #target: InputTarget;
  #channel: ExecChannel;
  #options: InputPumpOptions;
  #received = 0;
  #written = 0;
  #ended = false;
  #paused = false;

  constructor(target: InputTarget, channel: ExecChannel, options: InputPumpOptions) {
    this.#target = target;
    this.#channel = channel;
    this.#options = options;
    const resume = () => {
      if (!this.#paused) return;
      this.#paused = false;
      channel.resume();
    };
    target.stdin.on('drain', resume);
    // A stdin that is gone never drains: keep reading the client (its input is dropped).
    target.stdin.once('close', resume);
  }

  /** Handles one client message; never throws. */
  message(data: Buffer, isBinary: boolean): void {
    if (isBinary) this.#input(data);
    else this.#control(data.toString('utf8'));
  }

  #input(data: Buffer): void {
    if (this.#ended) return;
    if (++this.#received - this.#written > MAX_MESSAGES_OUTSTANDING) {
      this.#options.violation(new BerthError('INVALID_ARGUMENT', 'write buffer full; obey capacity updates'), CLOSE.tooBig);
      return;
    }
    const stdin = this.#target.stdin;
    stdin.write(data, () => {
      if (++this.#written % CAPACITY_UPDATE_INTERVAL === 0 && this.#channel.isOpen) this.#channel.send(capacityMessage(this.#written));
    });
    if (!this.#paused && !stdin.destroyed && stdin.writableLength > this.#options.highWater) {
      this.#paused = true;
      this.#channel.pause();
    }
  }

  #control(text: string): void {
    let msg;
    try {
      msg = parseClientMessage(text);
    } catch (err) {
      this.#options.violation(err as BerthError, CLOSE.policy);
      return;
    }
    switch (msg.type) {
      case 'content-complete':
        this.#ended = true;
        void this.#target.closeStdin().catch(() => undefined);
        break;
      case 'winch':
        if (this.#options.tty) void this.#target.resize(msg.size).catch(() => undefined);
        break;
      case 'initialize':
        this.#options.violation(new BerthError('INVALID_ARGUMENT', 'Initialize was already sent'), CLOSE.policy);
        break;
    }
  }
}
