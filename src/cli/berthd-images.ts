import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ApiClient } from '../apiclient/index.js';
import { ContainerdClient } from '../containerd/index.js';
import { berthPaths } from '../daemon/paths.js';
import { BerthError, messageOf } from '../errors/index.js';
import { importImage } from '../images/import.js';
import { hostPlatform } from '../images/platform.js';
import { ProgressDisplay, type ProgressOutput } from '../images/progress-display.js';
import { pullImage } from '../images/registry/index.js';
import { parseImageReference, type ContainerRegistrySettings } from '../model/index.js';
import { exitCodeOf } from './exit-codes.js';
import { rootOption } from './options.js';

/** What `berthd images` needs from its process; the bin entry passes the real ones. */
export interface ImagesCliIo {
  stdout: { write(text: string): unknown };
  /** Progress goes here: a live view when it is a terminal. */
  stderr: ProgressOutput;
  exit(code: number): void;
  /** docker's config.json, the credentials fallback of pulls. */
  dockerConfigPath: string;
  /** Node's process.arch, for the platform picked from an index. */
  arch: string;
}

interface CommonOptions {
  root: string;
  name?: string;
}

/** A client of the root's host-containerd (namespace `default`), after checking that its socket exists. */
async function connect(root: string): Promise<ContainerdClient> {
  const socket = berthPaths(root).hostContainerd.socket;
  await stat(socket).catch((err) => {
    throw new BerthError('UNAVAILABLE', `host-containerd is not running: no socket at ${socket} (start it with 'berthd run --root ${root}')`, { cause: err });
  });
  return ContainerdClient.connect({ socket, namespace: 'default' });
}

/** `settings.container-registry` from a running berthd; none (with a note) when its API does not answer. */
async function registrySettings(root: string, io: ImagesCliIo): Promise<ContainerRegistrySettings> {
  const socketPath = berthPaths(root).apiSocket;
  try {
    const settings = await new ApiClient({ socketPath, timeoutMs: 5000 }).getSettings({ prefix: 'container-registry' });
    return (settings)['container-registry'] ?? {};
  } catch (err) {
    io.stderr.write(`berthd: not using settings.container-registry (mirrors, credentials): ${messageOf(err)}\n`);
    return {};
  }
}

async function runWithClient(io: ImagesCliIo, root: string, work: (client: ContainerdClient, display: ProgressDisplay) => Promise<string>): Promise<void> {
  let client: ContainerdClient | undefined;
  const display = new ProgressDisplay(io.stderr);
  try {
    client = await connect(root);
    const line = await work(client, display);
    display.finish();
    io.stdout.write(line + '\n');
  } catch (err) {
    display.finish();
    io.stderr.write(`berthd: ${messageOf(err)}\n`);
    io.exit(exitCodeOf(err));
  } finally {
    client?.close();
  }
}

/** Adds `berthd images pull` and `berthd images import` to the berthd program. */
export function registerImageCommands(program: Command, io: ImagesCliIo): void {
  const images = new Command('images').description('pull or import images into host-containerd (namespace default)');
  images
    .command('pull')
    .description('pull an image from a registry, with the mirrors and credentials of a running berthd')
    .argument('<ref>', 'image reference, e.g. registry.example/team/app:v1')
    .addOption(rootOption())
    .option('--name <name>', 'image record name (default: the reference as given)')
    .option('--ca-file <file>', 'PEM file of CA certificates to trust besides the system ones')
    .addOption(
      new Option('--attempts <n>', 'tries of each registry request before giving up (backoff from 1 s, with jitter)').default(6).argParser((v: string) => {
        if (!/^[1-9][0-9]?$/.test(v)) throw new InvalidArgumentError(`expected a number from 1 to 99, got '${v}'`);
        return Number(v);
      }),
    )
    .action(async (text: string, opts: CommonOptions & { caFile?: string; attempts: number }) => {
      await runWithClient(io, opts.root, async (client, display) => {
        const ref = parseImageReference(text);
        if (ref.kind !== 'registry') throw new BerthError('INVALID_ARGUMENT', `'${text}' is an archive: use 'berthd images import ${ref.path}'`);
        const res = await pullImage(client, ref, {
          name: opts.name ?? text,
          platform: hostPlatform(io.arch),
          registry: await registrySettings(opts.root, io),
          dockerConfigPath: io.dockerConfigPath,
          onProgress: display.listener,
          retry: { attempts: opts.attempts },
          ...(opts.caFile ? { caFile: path.resolve(opts.caFile) } : {}),
        });
        return `${res.name} ${res.target.digest}${res.fromCache ? ' (registry unreachable: the stored image)' : ''}`;
      });
    });
  images
    .command('import')
    .description('import an OCI archive (tar) or OCI layout directory')
    .argument('<path>', 'the archive or layout')
    .addOption(rootOption())
    .option('--name <name>', "image record name (default: the image's io.containerd.image.name annotation, else the path)")
    .action(async (file: string, opts: CommonOptions) => {
      await runWithClient(io, opts.root, async (client, display) => {
        const res = await importImage(client, {
          path: path.resolve(file),
          platform: hostPlatform(io.arch),
          onProgress: display.listener,
          ...(opts.name ? { name: opts.name } : {}),
        });
        return `${res.name} ${res.target.digest}`;
      });
    });
  program.addCommand(images);
}
