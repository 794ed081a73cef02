import { finished, type Readable } from 'node:stream';
import type { ExecChannel } from './channel.js';

export interface OutputPumpOptions {
  /** Bytes handed to the channel and not yet taken by the socket, past which output pauses. */
  highWater: number;
}

/**
 * Process → client: each output chunk as a binary frame. While more than `highWater` bytes wait
 * for a slow client the output is paused (the process then blocks on a full pipe), and it resumes
 * when the socket has taken them down to a quarter — driven by the send callbacks, not a timer.
 * Once the client is gone the output is drained and dropped, so the process never blocks on it.
 */
export class OutputPump {
  /** Resolves when the output has ended and everything read has been handed to the channel. */
  readonly done: Promise<void>;
  #queued = 0;
  #paused = false;

  constructor(output: Readable, channel: ExecChannel, options: OutputPumpOptions) {
    const low = options.highWater / 4;
    const resume = () => {
      if (!this.#paused) return;
      this.#paused = false;
      output.resume();
    };
    output.on('data', (chunk: Buffer) => {
      if (!channel.isOpen) return;
      const size = chunk.length;
      this.#queued += size;
      channel.send(chunk, () => {
        this.#queued -= size;
        if (this.#queued <= low) resume();
      });
      if (!this.#paused && this.#queued > options.highWater) {
        this.#paused = true;
        output.pause();
      }
    });
    channel.onClose(resume);
    // finished() also settles for a stream that ended or was destroyed before this point.
    this.done = new Promise((resolve) => finished(output, () => resolve()));
  }
}
