import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultSpec } from './spec.js';
import { CPU_PERIOD_US, withResources } from './resource-opts.js';
import { withAllDevicesAllowed } from './device-opts.js';

const spec = () => defaultSpec({ namespace: 'default', id: 't', cgroupParent: '/berth/host' });

test('withResources() sets memory, CPU shares, CFS quota per 100 ms period and pids in linux.resources', () => {
  const s = spec();
  withResources({ memoryBytes: 16 * 1024 * 1024, cpuShares: 512, cpuQuotaMillicpus: 250, pidsMax: 64 })(s);
  assert.deepEqual(s.linux.resources, {
    devices: [{ allow: false, access: 'rwm' }],
    memory: { limit: 16 * 1024 * 1024 },
    cpu: { shares: 512, quota: 25_000, period: CPU_PERIOD_US },
    pids: { limit: 64 },
  });
  assert.equal(s.linux.cgroupsPath, '/berth/host/t', 'under the cgroup parent of host-containerd');
});

test('withResources() sets only what is given; an empty set leaves the spec as it was', () => {
  const s = spec();
  withResources({})(s);
  assert.deepEqual(s, spec());
  const quota = spec();
  withResources({ cpuQuotaMillicpus: 2500 })(quota);
  assert.deepEqual(quota.linux.resources.cpu, { quota: 250_000, period: CPU_PERIOD_US }, '2.5 CPUs');
  assert.equal(quota.linux.resources.memory, undefined);
  assert.equal(quota.linux.resources.pids, undefined);
});

test('withResources() keeps the device rules of options before and after it', () => {
  const s = spec();
  withResources({ pidsMax: 100 })(s);
  withAllDevicesAllowed(s);
  assert.deepEqual(s.linux.resources, { devices: [{ allow: true, access: 'rwm' }], pids: { limit: 100 } });
});
