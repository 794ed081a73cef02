import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CredentialLookup } from './registry-credentials.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('CredentialLookup.find() prefers the host contacted (a mirror), then the upstream registry', async () => {
  const lookup = new CredentialLookup({
    settings: [
      { registry: 'docker.io', username: 'hub', password: 'h' },
      { registry: 'mirror.example', auth: b64('mirror:m:with:colons') },
    ],
  });
  assert.deepEqual(await lookup.find('mirror.example', 'docker.io'), {
    kind: 'password',
    username: 'mirror',
    password: 'm:with:colons',
    source: 'settings.container-registry.credentials (registry "mirror.example")',
  });
  assert.equal((await lookup.find('other-mirror.example', 'docker.io'))?.source, 'settings.container-registry.credentials (registry "docker.io")');
  assert.equal((await lookup.find('registry-1.docker.io', 'docker.io'))?.kind, 'password', 'docker hub goes by three names');
  assert.equal(await lookup.find('quay.io', 'quay.io'), undefined);
});

test('CredentialLookup.find() uses an identity token over a password', async () => {
  const lookup = new CredentialLookup({ settings: [{ registry: 'r.example', identitytoken: 'refresh' }] });
  assert.equal((await lookup.find('r.example', 'r.example'))?.kind, 'identity-token');
});

test('CredentialLookup.find() falls back to docker config.json auths, whose keys may be URLs', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-creds-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'config.json');
  await writeFile(
    file,
    JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hubuser:hubpw') },
        'r.example:5000': { username: 'u', password: 'p' },
        'tok.example': { auth: b64('x:y'), identitytoken: 'it' },
      },
      credsStore: 'desktop',
    }),
  );
  const lookup = new CredentialLookup({ settings: [{ registry: 'r.example:5000', username: 'settings', password: 's' }], dockerConfigPath: file });
  assert.deepEqual(await lookup.find('registry-1.docker.io', 'docker.io'), { kind: 'password', username: 'hubuser', password: 'hubpw', source: `${file} (auths.https://index.docker.io/v1/)` });
  assert.equal((await lookup.find('r.example:5000', 'r.example:5000'))?.source.startsWith('settings'), true, 'settings win over docker config');
  assert.equal((await lookup.find('tok.example', 'tok.example'))?.kind, 'identity-token');
  assert.equal(await lookup.find('none.example', 'none.example'), undefined);
  const missing = new CredentialLookup({ dockerConfigPath: path.join(dir, 'absent.json') });
  assert.equal(await missing.find('r.example:5000', 'r.example:5000'), undefined, 'a missing docker config is fine');
});

test('CredentialLookup.find() reports a docker config that is not JSON or has a bad auth, naming the file', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'berth-creds-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'config.json');
  await writeFile(file, '{"auths": ');
  await assert.rejects(new CredentialLookup({ dockerConfigPath: file }).find('a.example', 'a.example'), (e: Error) => e.message.includes(file));
  await writeFile(file, JSON.stringify({ auths: { 'a.example': { auth: b64('no-colon') } } }));
  await assert.rejects(new CredentialLookup({ dockerConfigPath: file }).find('a.example', 'a.example'), /not base64 of "user:password"/);
});
