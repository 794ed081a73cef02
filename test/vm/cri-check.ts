import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ContainerdClient } from '../../src/containerd/index.js';
import { CriClient } from '../cri/cri-client.js';
import { CRI_NAMESPACE, importPodImages } from '../cri/pod-images.js';
import type { GuestShell } from './guest-shell.js';
import { GuestSocketRelay } from './guest-socket-relay.js';
import { until } from '../helpers/berthd-process.js';

/** Each poll of the guest is an SSH round trip into an emulated machine: not too often. */
const POLL_MS = 1000;

/** The orchestrator's containerd, as the package's drop-in configures it on a real host. */
const GUEST_SOCKET = '/run/containerd/containerd.sock';

/** A bridge network for the guest's pods, written the way a network add-on would. */
const CONFLIST = JSON.stringify({
  cniVersion: '1.0.0',
  name: 'berth-vm',
  plugins: [{ type: 'bridge', bridge: 'cni-berth-vm', isGateway: false, ipMasq: false, ipam: { type: 'host-local', ranges: [[{ subnet: '10.199.84.0/24' }]] } }],
});


/**
 * Drives the guest's orchestrator containerd over CRI as kubelet would, through a relay of its
 * socket: Version, a CNI network, the pause and workload images imported with berth's importer,
 * a pod sandbox, a container in it, ExecSync, and the teardown. Returns what it saw.
 */
export async function checkGuestCri(shell: GuestShell, work: string): Promise<string> {
  const relay = await GuestSocketRelay.open(shell, GUEST_SOCKET, path.join(work, 'guest-containerd.sock'));
  const cri = await CriClient.connect(relay.path, { timeoutMs: 60_000 });
  const images = ContainerdClient.connect({ socket: relay.path, namespace: CRI_NAMESPACE });
  try {
    const version = await cri.version();
    const seen = [`Version: ${version.runtime_name} ${version.runtime_version}, CRI ${version.runtime_api_version}`];
    const written = await shell.onHost(`mkdir -p /etc/cni/net.d && printf '%s' '${CONFLIST}' > /etc/cni/net.d/10-berth-vm.conflist`);
    if (written.code !== 0) throw new Error(`writing the CNI config failed: ${written.stderr}`);
    await until('NetworkReady', async () => ((await cri.conditions()).find((c) => c.type === 'NetworkReady')?.status ? true : undefined), 60_000, POLL_MS);
    const { sandboxImage, workloadImage } = await importPodImages(images);
    for (const image of [sandboxImage, workloadImage]) await until(`CRI to know ${image}`, () => cri.imageId(image), 60_000, POLL_MS);
    const uid = randomUUID();
    const logDir = `/var/log/pods/berth-vm_proof_${uid}`;
    const made = await shell.onHost(`mkdir -p ${logDir}/workload`);
    if (made.code !== 0) throw new Error(`making the pod's log directory failed: ${made.stderr}`);
    const pod = { metadata: { name: 'proof', uid, namespace: 'berth-vm', attempt: 0 }, hostname: 'proof', log_directory: logDir };
    const sandbox = await cri.runPodSandbox(pod);
    const { status } = await cri.podSandboxStatus(sandbox, {});
    if (status.state !== 'SANDBOX_READY') throw new Error(`the pod is ${status.state}`);
    seen.push(`RunPodSandbox: ${sandbox.slice(0, 12)} ${status.state}, address ${status.network?.ip ?? 'none'}`);
    const container = await cri.createContainer(sandbox, { metadata: { name: 'workload' }, image: { image: workloadImage }, log_path: 'workload/0.log' }, pod);
    await cri.startContainer(container);
    const exec = await cri.execSync(container, ['sh', '-c', 'echo hello from $(cat /etc/hostname)'], { timeoutS: 30 });
    if (exec.exitCode !== 0 || exec.stdout.trim() !== 'hello from proof') throw new Error(`ExecSync gave ${exec.exitCode}: ${exec.stdout}${exec.stderr}`);
    seen.push(`CreateContainer, StartContainer: ${(await cri.containerStatus(container)).state}; ExecSync: ${exec.stdout.trim()}`);
    await cri.stopContainer(container, { graceS: 10 });
    await cri.removeContainer(container);
    await cri.stopPodSandbox(sandbox);
    await cri.removePodSandbox(sandbox);
    const left = await cri.listPodSandboxIds();
    if (left.length !== 0) throw new Error(`pods left after the teardown: ${left.join(', ')}`);
    seen.push('teardown: no pod left');
    return seen.join('\n');
  } finally {
    cri.close();
    images.close();
    await relay.close();
  }
}
