import type { CallOptions, Transport } from '../transport.js';

export interface PluginInfo {
  type: string;
  id: string;
  /** Set when the plugin failed to initialise. */
  init_err: { code: number; message: string } | null;
}

export class IntrospectionService {
  #t: Transport;
  constructor(transport: Transport) {
    this.#t = transport;
  }

  async plugins(filters: string[] = [], options?: CallOptions): Promise<PluginInfo[]> {
    const res = await this.#t.unary<{ plugins: PluginInfo[] }>(
      { service: 'introspection.v1.Introspection', method: 'Plugins' },
      { filters },
      options,
    );
    return res.plugins;
  }

  async serverUuid(options?: CallOptions): Promise<string> {
    const res = await this.#t.unary<{ uuid: string }>({ service: 'introspection.v1.Introspection', method: 'Server' }, {}, options);
    return res.uuid;
  }
}
