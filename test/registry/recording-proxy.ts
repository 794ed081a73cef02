import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The request's Range header, if any. */
  range?: string;
  status?: number;
  /** Body bytes passed on to the client. */
  bytes: number;
}

/**
 * An HTTP proxy in front of a registry that records each request (path, Range header, bytes sent
 * back). It can hold a response after some bytes, so a test can stop the registry mid-download.
 * When the registry is down it answers 502; when the registry dies mid-body it cuts the client off.
 */
export class RecordingProxy {
  readonly requests: ProxiedRequest[] = [];
  #server: http.Server;
  #target: number;
  #hold: { match: string; afterBytes: number; reached: () => void } | undefined;
  #held: Array<() => void> = [];

  private constructor(server: http.Server, targetPort: number) {
    this.#server = server;
    this.#target = targetPort;
  }

  static async start(targetPort: number): Promise<RecordingProxy> {
    const server = http.createServer();
    const proxy = new RecordingProxy(server, targetPort);
    server.on('request', (req, res) => proxy.#forward(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get host(): string {
    return `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Resolves when a response to a path containing `match` has passed `afterBytes` bytes; it is then held. */
  holdAfter(match: string, afterBytes: number): Promise<void> {
    return new Promise((resolve) => {
      this.#hold = { match, afterBytes, reached: resolve };
    });
  }

  /** Lets held responses go on. */
  release(): void {
    for (const go of this.#held.splice(0)) go();
  }

  close(): Promise<void> {
    this.release();
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  #forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const record: ProxiedRequest = { method: req.method ?? '', path: req.url ?? '', bytes: 0 };
    if (req.headers.range) record.range = req.headers.range;
    this.requests.push(record);
    const upstream = http.request(
      { host: '127.0.0.1', port: this.#target, method: req.method, path: req.url, headers: req.headers, agent: false },
      (upRes) => {
        record.status = upRes.statusCode;
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        let held = false;
        const hold = this.#hold && record.path.includes(this.#hold.match) && !record.range ? this.#hold : undefined;
        upRes.on('data', (chunk: Buffer) => {
          record.bytes += chunk.length;
          if (!res.write(chunk)) {
            upRes.pause();
            res.once('drain', () => {
              if (!held) upRes.resume();
            });
          }
          if (hold && this.#hold === hold && record.bytes >= hold.afterBytes) {
            this.#hold = undefined;
            held = true;
            upRes.pause();
            this.#held.push(() => {
              held = false;
              upRes.resume();
            });
            hold.reached();
          }
        });
        upRes.on('end', () => res.end());
        upRes.on('close', () => {
          if (!upRes.complete) res.destroy();
        });
        upRes.on('error', () => res.destroy());
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('registry down');
      else res.destroy();
    });
    req.pipe(upstream);
  }
}
