/**
 * `npm run test:vm`: berth on a real host. A Debian 12 disk with systemd and berth's package
 * installed by `dpkg -i` alone boots under QEMU with a NoCloud seed of admin user data; from outside
 * the VM, over SSH into the admin container and `sudo sheltie`, it shows systemd as PID 1, the three
 * services active, control and admin running, host containers surviving a killed host-containerd
 * and a restarted berthd, a reboot keeping host key, settings and audit records, CRI on the
 * orchestrator's containerd, a package upgrade leaving the datastore byte-identical; then two more
 * first boots with invalid seeds come up with their defaults and say why on the console.
 * Each check is printed with its output; on failure, the journal of the unit at fault.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { REPO } from '../helpers/repo.js';
import { freePort, generateKeyPair, hostKeyFingerprint } from '../helpers/ssh-client.js';
import { buildGuestImage, type GuestImage } from './debian-image.js';
import { GuestShell } from './guest-shell.js';
import { GuestVm } from './guest-vm.js';
import { makeNoCloudSeed } from './nocloud-seed.js';
import { until } from '../helpers/berthd-process.js';

/** Each poll of the guest is an SSH round trip into an emulated machine: not too often. */
const POLL_MS = 2000;
import { checkGuestCri } from './cri-check.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
let failures = 0;

/** Runs a check; prints ✔ with its output or ✖ with the reason (and whatever `explain` adds). */
async function check(name: string, run: () => Promise<string>, explain?: () => Promise<string>): Promise<void> {
  try {
    const out = await run();
    log(`✔ ${name}${out ? `\n    ${out.trim().split('\n').join('\n    ')}` : ''}`);
  } catch (err) {
    failures++;
    log(`✖ ${name}: ${(err as Error).message}`);
    if (explain) log(`    ${(await explain().catch((e: Error) => e.message)).trim().split('\n').join('\n    ')}`);
  }
}

function expect(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}

async function out(r: Promise<{ code: number; stdout: string; stderr: string }>, what: string): Promise<string> {
  const res = await r;
  if (res.code !== 0) throw new Error(`${what} exited ${res.code}: ${res.stderr.trim() || res.stdout.trim()}`);
  return res.stdout;
}

/** The pids `apiclient status` reports for the running host containers. */
async function pids(shell: GuestShell): Promise<Record<string, number>> {
  const status = JSON.parse(await out(shell.onHost('apiclient status --json'), 'apiclient status')) as { hostContainers: Array<{ name: string; state: string; pid?: number }> };
  return Object.fromEntries(status.hostContainers.filter((c) => c.state === 'running').map((c) => [c.name, c.pid as number]));
}


const journal = (shell: GuestShell, unit: string) => async () => out(shell.onHost(`journalctl -b -u ${unit} --no-pager -o short-monotonic | tail -n 40`), 'journalctl');

async function mainBoot(image: GuestImage, work: string, deb: string): Promise<void> {
  const key = await generateKeyPair(work, 'berth-vm');
  const adminUserData = Buffer.from(JSON.stringify({ ssh: { 'authorized-keys': [key.publicKey] } })).toString('base64');
  const seed = await makeNoCloudSeed(path.join(work, 'seed.img'), `[settings.host-containers.admin]\nenabled = true\nuser-data = "${adminUserData}"\n`);
  const port = await freePort();
  const vm = await GuestVm.boot({ ...image, baseDisk: image.disk, overlay: path.join(work, 'main.qcow2'), seed, sshPort: port, consoleLog: path.join(work, 'main-console.log') });
  const shell = new GuestShell(port, key.key);
  try {
    const bootMs = await shell.waitReachable(600_000);
    log(`boot: SSH into the admin container answered ${(bootMs / 1000).toFixed(0)} s after QEMU started`);
    const analyzed = await shell.onHost('systemd-analyze time').catch((err: Error) => ({ stdout: err.message }));
    log(`boot: systemd-analyze time: ${analyzed.stdout.trim().replace(/\s+/g, ' ')}`);
    await check('sudo sheltie cat /proc/1/comm prints systemd', async () => {
      const comm = (await out(shell.inAdmin('sudo sheltie cat /proc/1/comm'), 'sheltie')).trim();
      expect(comm === 'systemd', `got '${comm}'`);
      return comm;
    });
    await check('berthd, host-containerd and containerd are active', async () => {
      const states = await out(shell.inAdmin('sudo sheltie systemctl is-active berthd host-containerd containerd'), 'systemctl is-active');
      expect(states.trim().split('\n').every((s) => s === 'active') && states.trim().split('\n').length === 3, states);
      return states;
    }, journal(shell, 'berthd'));
    await check('control and admin are running (apiclient status through sheltie)', async () => {
      const table = await out(shell.onHost('apiclient status'), 'apiclient status');
      expect(/^control\s+running/m.test(table) && /^admin\s+running/m.test(table), table);
      return table;
    }, journal(shell, 'berthd'));
    await check('apiclient exec into control works, and apiclient inside control reaches the API', async () => {
      const r = await out(shell.onHost('apiclient exec control apiclient get host-containers.admin.enabled'), 'apiclient exec');
      expect(/"enabled": true/.test(r), r);
      return r;
    });
    const before = await pids(shell);
    await check('kill -9 of host-containerd: systemd restarts it, the containers keep their pids', async () => {
      const main = (await out(shell.onHost('systemctl show -p MainPID --value host-containerd'), 'systemctl show')).trim();
      await out(shell.onHost(`kill -9 ${main}`), 'kill');
      const restarted = await until('host-containerd active again with a new pid', async () => {
        const now = (await out(shell.onHost('systemctl show -p MainPID --value host-containerd; systemctl is-active host-containerd'), 'systemctl')).trim().split('\n');
        return now[0] !== main && now[0] !== '0' && now[1] === 'active' ? now[0] : undefined;
      }, 120_000, POLL_MS);
      const after = await until('apiclient status', () => pids(shell), 60_000, POLL_MS);
      expect(JSON.stringify(after) === JSON.stringify(before), `pids before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
      return `host-containerd ${main} → ${restarted}; containers ${JSON.stringify(after)}`;
    }, journal(shell, 'host-containerd'));
    await check('systemctl restart berthd: containers untouched', async () => {
      await out(shell.onHost('systemctl restart berthd && systemctl is-active berthd'), 'systemctl restart');
      const after = await until('apiclient status after the restart', () => pids(shell), 120_000, POLL_MS);
      expect(JSON.stringify(after) === JSON.stringify(before), `pids before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
      return JSON.stringify(after);
    }, journal(shell, 'berthd'));

    const hostKey = await hostKeyFingerprint(port);
    const settings = await out(shell.onHost('apiclient get settings'), 'apiclient get');
    const audit = JSON.parse(await out(shell.onHost('apiclient audit --json'), 'apiclient audit')) as unknown[];
    await check('a reboot keeps the SSH host key, the settings and the audit records; control and admin run again', async () => {
      await shell.onHost('systemctl reboot').catch(() => undefined);
      const marker = vm.console.length;
      await vm.waitForConsole(/reboot: Restarting system|Linux version/, 300_000, marker);
      const again = await shell.waitReachable(600_000);
      expect((await hostKeyFingerprint(port)) === hostKey, 'the host key changed');
      expect((await out(shell.onHost('apiclient get settings'), 'apiclient get')) === settings, 'the settings changed');
      const auditAfter = JSON.parse(await out(shell.onHost('apiclient audit --json'), 'apiclient audit')) as unknown[];
      expect(JSON.stringify(auditAfter.slice(0, audit.length)) === JSON.stringify(audit), 'the audit records before the reboot are not all there');
      const running = await until('control and admin running', async () => {
        const p = await pids(shell);
        return p['control'] && p['admin'] ? p : undefined;
      }, 300_000, POLL_MS);
      return `back in ${(again / 1000).toFixed(0)} s; host key ${hostKey}; ${audit.length} audit records kept; running ${JSON.stringify(running)}`;
    }, journal(shell, 'berthd'));

    await check("CRI on the guest's orchestrator containerd: Version, a pod sandbox, a container, ExecSync, teardown", () => checkGuestCri(shell, work), journal(shell, 'containerd'));

    await check('dpkg -i of the package again (an upgrade) leaves the datastore byte-identical', async () => {
      const sum = 'sha256sum /var/lib/berth/datastore/* | sort';
      const beforeSum = await out(shell.onHost(sum), 'sha256sum');
      await shell.copyToHost(await readFile(deb), '/tmp/berth.deb');
      await out(shell.onHost('dpkg -i /tmp/berth.deb >/dev/null && rm /tmp/berth.deb'), 'dpkg -i');
      const afterSum = await out(shell.onHost(sum), 'sha256sum');
      expect(afterSum === beforeSum, `before:\n${beforeSum}\nafter:\n${afterSum}`);
      const states = await out(shell.inAdmin('sudo sheltie systemctl is-active berthd host-containerd containerd'), 'systemctl is-active');
      return `${beforeSum.trim()}\n${states.trim().split('\n').join(' ')}`;
    }, journal(shell, 'berthd'));
  } finally {
    await vm.stop();
  }
}

/** A first boot with a seed berth must refuse: the host comes up with its defaults, the error visible. */
async function invalidSeedBoot(image: GuestImage, work: string, name: string, userData: string, error: RegExp): Promise<void> {
  const file = name.replaceAll(' ', '-');
  const seed = await makeNoCloudSeed(path.join(work, `${file}.img`), userData);
  const vm = await GuestVm.boot({
    ...image,
    baseDisk: image.disk,
    overlay: path.join(work, `${file}.qcow2`),
    seed,
    sshPort: await freePort(),
    consoleLog: path.join(work, `${file}-console.log`),
    append: 'berth-vm-report',
  });
  try {
    await check(`a NoCloud seed with ${name}: control runs with the defaults, the error is in apiclient status and the journal`, async () => {
      const text = await vm.waitForConsole(/@@berth-journal-end/, 600_000);
      const status = text.slice(text.indexOf('@@berth-status-begin'), text.indexOf('@@berth-status-end'));
      const journalText = text.slice(text.indexOf('@@berth-journal-begin'), text.indexOf('@@berth-journal-end'));
      expect(/^control\s+running/m.test(status), `control not running:\n${status}`);
      expect(/^admin\s+disabled/m.test(status), `admin not left disabled:\n${status}`);
      expect(/BOOT: user data not applied/.test(status) && error.test(status), `no error in apiclient status:\n${status}`);
      expect(error.test(journalText), `no error in berthd's journal:\n${journalText}`);
      return status.replace('@@berth-status-begin', '').trim();
    }, async () => vm.console.slice(-4000));
  } finally {
    await vm.stop();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const deb = (await readdir(path.join(REPO, 'dist'))).find((f) => /^berth_.*_amd64\.deb$/.test(f));
  if (!deb) throw new Error('no dist/berth_*_amd64.deb: run npm run package first');
  // scripts/vm-test.sh makes the directory and, however this ends, kills what still names it.
  const work = process.argv[2] ?? (await mkdtemp('/tmp/berth-vm-'));
  try {
    const image = await buildGuestImage({ deb: path.join(REPO, 'dist', deb), dir: path.join(work, 'image'), log });
    log(`guest image built in ${((Date.now() - started) / 1000).toFixed(0)} s (${deb}, sha256 ${createHash('sha256').update(await readFile(path.join(REPO, 'dist', deb))).digest('hex').slice(0, 12)})`);
    await mainBoot(image, work, path.join(REPO, 'dist', deb));
    await invalidSeedBoot(image, work, 'invalid TOML', '[settings.host-containers.admin]\nenabled = true\nuser-data = \n', /Invalid TOML in the NoCloud seed/);
    await invalidSeedBoot(image, work, 'an unknown setting', '[settings.host-containers.admin]\nenabled = true\n[settings.frobnicate]\nlevel = 11\n', /Unknown setting 'frobnicate'/);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  log(`VM proof: ${failures === 0 ? 'all checks passed' : `${failures} check(s) failed`} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = failures === 0 ? 0 : 1;
}

await main();
