/**
 * A real API server on a real Unix socket over a real datastore, in a unique temp dir, for the
 * tests in this folder. Loading this file starts nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiServer, type ApiServer, type ApiServerOptions } from '../../src/api/index.js';
import { ApiClient } from '../../src/apiclient/index.js';
import { Datastore } from '../../src/datastore/index.js';
import { defaultSettings } from '../../src/model/index.js';

export const TEST_DEFAULTS = defaultSettings({ controlSource: 'oci-archive:/images/control.tar', adminSource: 'oci-archive:/images/admin.tar' });

export interface ApiFixture {
  root: string;
  socketPath: string;
  datastore: Datastore;
  server: ApiServer;
  client: ApiClient;
}

type Cleanup = { after(fn: () => Promise<void>): void };

export async function startApi(t: Cleanup, options: Partial<Omit<ApiServerOptions, 'datastore' | 'socketPath'>> = {}): Promise<ApiFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'berth-api-'));
  const socketPath = path.join(root, 'run/berth/api.sock');
  const datastore = await Datastore.open({ dir: path.join(root, 'var/lib/berth/datastore'), defaults: TEST_DEFAULTS });
  const server = createApiServer({ datastore, socketPath, ...options });
  t.after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });
  await server.listen();
  return { root, socketPath, datastore, server, client: new ApiClient({ socketPath }) };
}

/** Status and parsed JSON (or text) of one request, whatever the status. */
export async function call(client: ApiClient, method: string, uri: string, body?: string | Buffer): Promise<{ status: number; json: unknown; text: string }> {
  const res = await client.requestRaw(method, uri, body);
  const text = res.body.toString('utf8');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}
