import type { CallOptions, Transport } from '../transport.js';

export interface VersionInfo {
  version: string;
  revision: string;
}

export class VersionService {
  #t: Transport;
  constructor(transport: Transport) {
    this.#t = transport;
  }

  version(options?: CallOptions): Promise<VersionInfo> {
    return this.#t.unary({ service: 'version.v1.Version', method: 'Version' }, {}, options);
  }
}
