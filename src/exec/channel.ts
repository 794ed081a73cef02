/**
 * What an exec session needs of its client connection: framed messages both ways, flow control on
 * what the client sends, and the end of the connection. The WebSocket adapter is in
 * ./ws-channel.ts; unit tests use an in-memory one.
 */
export interface ExecChannel {
  /** Queues a frame (a string as text, a Buffer as binary); `sent` runs once the socket took it or failed. */
  send(data: string | Buffer, sent?: (err?: Error) => void): void;
  /** A closing handshake with this code and reason, after the frames already queued. */
  close(code: number, reason: string): void;
  /** Drops the connection at once (a client that stopped answering). */
  terminate(): void;
  /** Stops reading from the client until resume(): its sends then wait in the kernel, not in berthd. */
  pause(): void;
  resume(): void;
  ping(): void;
  /** Frames can still be sent. */
  readonly isOpen: boolean;
  onMessage(listener: (data: Buffer, isBinary: boolean) => void): void;
  /** Anything from the client: a message, a pong. */
  onActivity(listener: () => void): void;
  /** The connection is gone; `code` is the close code the client sent or the one berthd sent. */
  onClose(listener: (code: number) => void): void;
  /** A protocol violation or a socket error; the adapter has already begun closing with `closeCode`. */
  onError(listener: (err: Error, closeCode: number | undefined) => void): void;
}
