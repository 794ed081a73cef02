import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { ContainerdClient } from '../../src/containerd/index.js';
import { SANDBOX_IMAGE } from '../../src/daemon/containerd-config.js';
import { CriCallError, CriClient, type ContainerConfig, type PodSandboxConfig } from '../cri/cri-client.js';
import { CRI_NAMESPACE, importPodImages } from '../cri/pod-images.js';
import { bridgePorts, removePodNetworkBridge, writePodNetwork, type PodNetwork } from '../cri/pod-network.js';
import { startBerthd, until, type BerthdProcess } from '../helpers/berthd-process.js';
import { describeReport } from '../helpers/reap.js';
import { makeTempRoot } from '../helpers/temp-root.js';
import { testImagesDir } from '../helpers/test-images-dir.js';

/**
 * berthd in managed mode, and the orchestrator's containerd driven over CRI the way kubelet drives
 * it: version and status, a pod sandbox on a CNI bridge network, a container in it, ExecSync, and
 * the teardown in kubelet's order. The test plays the orchestrator: it writes the CNI config, makes
 * the pod's log directory and cgroup parent, and provides the sandbox image.
 */

/** libcni's cache (containerd 1.6 cannot move it): removed afterwards when this test made it. */
const CNI_CACHE = '/var/lib/cni';
const cniCacheExisted = existsSync(CNI_CACHE);

let berthd: BerthdProcess | undefined;
let cri: CriClient;
let orchestrator: ContainerdClient;
let network: PodNetwork | undefined;
let cleanedUp = false;

const podUid = randomUUID();
let pod: PodSandboxConfig;
let sandboxId: string;
let sandboxIp: string;
let containerId: string;
let workloadImage: string;

before(async () => {
  for (const plugin of ['bridge', 'host-local', 'loopback']) {
    if (!existsSync(`/usr/lib/cni/${plugin}`)) throw new Error(`The CNI plugin /usr/lib/cni/${plugin} is missing: run scripts/setup.sh test (containernetworking-plugins)`);
  }
  const root = await makeTempRoot('cri');
  berthd = await startBerthd({ root, args: ['--images-dir', await testImagesDir(root)] });
  cri = await CriClient.connect(berthd.paths.orchestratorContainerd.socket);
  orchestrator = ContainerdClient.connect({ socket: berthd.paths.orchestratorContainerd.socket, namespace: CRI_NAMESPACE });
  pod = {
    metadata: { name: 'cri-test', uid: podUid, namespace: 'berth-test', attempt: 0 },
    hostname: 'cri-pod',
    log_directory: path.join(root, 'var/log/pods', `berth-test_cri-test_${podUid}`),
    // Under berth's cgroup for the orchestrator, as kubelet would put it under its /kubepods.
    linux: { cgroup_parent: `${berthd.paths.orchestratorContainerd.cgroupParent}/pod${podUid}` },
  };
});

after(async () => {
  cri?.close();
  orchestrator?.close();
  if (!cleanedUp) {
    if (network) await removePodNetworkBridge(network).catch(() => undefined);
    await berthd?.cleanup();
  }
  if (!cniCacheExisted) {
    // Only when empty: anything libcni still holds stays and is reported.
    await rmdir(path.join(CNI_CACHE, 'results')).catch(() => undefined);
    await rmdir(CNI_CACHE).catch(() => undefined);
  }
});

test('the orchestrator containerd answers CRI Version: containerd, CRI API v1', async () => {
  const v = await cri.version();
  assert.equal(v.runtime_name, 'containerd');
  assert.match(v.runtime_version, /^\d+\.\d+\.\d+/);
  assert.equal(v.runtime_api_version, 'v1');
});

test('host-containerd refuses CRI: the service is not there', async () => {
  const host = await CriClient.connect(berthd!.paths.hostContainerd.socket);
  try {
    await assert.rejects(host.version(), (err: unknown) => err instanceof CriCallError && err.code === grpc.status.UNIMPLEMENTED);
  } finally {
    host.close();
  }
});

test('the runtime is ready; the network becomes ready once a CNI config is written', async () => {
  const ready = (conditions: Array<{ type: string; status: boolean }>, type: string) => conditions.find((c) => c.type === type)?.status;
  const before = await cri.conditions();
  assert.equal(ready(before, 'RuntimeReady'), true);
  assert.equal(ready(before, 'NetworkReady'), false, 'no CNI config yet');
  network = await writePodNetwork(berthd!.paths);
  await until('NetworkReady', async () => ready(await cri.conditions(), 'NetworkReady'), 10_000);
});

test("images imported into k8s.io with berth's importer are CRI images", async () => {
  const images = await importPodImages(orchestrator);
  workloadImage = images.workloadImage;
  for (const image of [images.sandboxImage, images.workloadImage]) {
    // The CRI plugin learns of them from containerd's image events: wait like kubelet's ImageStatus.
    await until(`CRI to know ${image}`, () => cri.imageId(image), 10_000);
  }
});

test('RunPodSandbox starts a ready pod with an address from the CNI network, its netns under the root', async () => {
  await mkdir(pod.log_directory!, { recursive: true });
  sandboxId = await cri.runPodSandbox(pod);
  const { status, info } = await cri.podSandboxStatus(sandboxId, { verbose: true });
  assert.equal(status.state, 'SANDBOX_READY');
  sandboxIp = status.network?.ip ?? '';
  assert.match(sandboxIp, /^10\.199\.83\.\d+$/, `an address in ${network!.subnet}`);

  const verbose = JSON.parse(info['info'] ?? '{}') as { image?: string; runtimeSpec?: { linux?: { namespaces?: Array<{ type: string; path?: string }> } } };
  assert.equal(verbose.image, SANDBOX_IMAGE, 'started from the configured sandbox image');
  const netns = verbose.runtimeSpec?.linux?.namespaces?.find((n) => n.type === 'network')?.path ?? '';
  assert.ok(netns.startsWith(`${berthd!.paths.orchestratorContainerd.state}/`), `netns ${netns} under the containerd state dir`);
  assert.equal((await bridgePorts(network!)).length, 1, "the pod's veth is on the bridge");
  const allocation = await readFile(path.join(network!.ipamDir, network!.name, sandboxIp), 'utf8');
  assert.ok(allocation.startsWith(sandboxId), 'host-local recorded the address under the root');
});

test('CreateContainer and StartContainer run the workload; its output goes to the CRI log', async () => {
  const config: ContainerConfig = {
    metadata: { name: 'workload', attempt: 0 },
    image: { image: workloadImage },
    envs: [{ key: 'GREETING', value: 'hello' }],
    log_path: 'workload/0.log',
  };
  await mkdir(path.join(pod.log_directory!, 'workload'), { recursive: true });
  containerId = await cri.createContainer(sandboxId, config, pod);
  await cri.startContainer(containerId);
  const status = await cri.containerStatus(containerId);
  assert.equal(status.state, 'CONTAINER_RUNNING');
  assert.equal(status.log_path, path.join(pod.log_directory!, 'workload/0.log'));
  // CRI log lines: "<RFC 3339 time> stdout F <line>".
  await until('the workload log line', async () => /^\S+ stdout F workload started$/m.test(await readFile(status.log_path, 'utf8')), 10_000);
});

test('ExecSync returns the command stdout, stderr and exit code', async () => {
  const res = await cri.execSync(containerId, ['sh', '-c', 'echo "$GREETING from $(hostname)"; echo oops >&2; exit 3']);
  assert.deepEqual(res, { stdout: 'hello from cri-pod\n', stderr: 'oops\n', exitCode: 3 });
});

test('the container is on the pod network: loopback up (CNI loopback), the pod address its own', async () => {
  const res = await cri.execSync(containerId, ['cat', '/sys/class/net/lo/flags', '/proc/net/fib_trie']);
  assert.equal(res.exitCode, 0, res.stderr);
  const [loFlags, ...fib] = res.stdout.split('\n');
  assert.equal(Number(loFlags) & 1, 1, `lo is up (flags ${loFlags})`);
  assert.ok(fib.some((l) => l.trim() === `|-- ${sandboxIp}`), `${sandboxIp} in the container's routing table`);
});

test('teardown in kubelet order leaves no container, sandbox, netns, veth, address or CNI result', async () => {
  await cri.stopContainer(containerId, { graceS: 10 });
  const stopped = await cri.containerStatus(containerId);
  assert.equal(stopped.state, 'CONTAINER_EXITED');
  assert.equal(stopped.exit_code, 0, 'ended by its SIGTERM trap, not killed');
  await cri.removeContainer(containerId);
  await cri.stopPodSandbox(sandboxId);
  await cri.removePodSandbox(sandboxId);

  assert.deepEqual(await cri.listContainerIds(), []);
  assert.deepEqual(await cri.listPodSandboxIds(), []);
  assert.deepEqual(await orchestrator.containers.list(), [], 'no containerd container left in k8s.io');
  const netnsDir = path.join(berthd!.paths.orchestratorContainerd.state, 'io.containerd.grpc.v1.cri/netns');
  assert.deepEqual(await readdir(netnsDir).catch(() => []), [], 'no network namespace pinned');
  assert.deepEqual(await bridgePorts(network!), [], 'the veth went with the netns');
  assert.ok(!existsSync(path.join(network!.ipamDir, network!.name, sandboxIp)), 'the address was released');
  const cached = await readdir(path.join(CNI_CACHE, 'results')).catch(() => []);
  assert.deepEqual(cached.filter((f) => f.includes(sandboxId)), [], 'libcni dropped its cached results');
});

test('after the teardown and berthd stop, nothing is left for the reaper', async () => {
  await removePodNetworkBridge(network!);
  cleanedUp = true;
  const report = await berthd!.cleanup();
  assert.deepEqual(describeReport(report), []);
});
