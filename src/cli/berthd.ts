import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { Berthd, stopBerthd } from '../daemon/berthd.js';
import { writeContainerdConfig } from '../daemon/write-config.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../daemon/logger.js';
import { codeOf, messageOf } from '../errors/index.js';
import { registerImageCommands } from './berthd-images.js';
import { exitCodeOf } from './exit-codes.js';
import { rootOption, secondsOption } from './options.js';
import { NOCLOUD_DEVICE } from '../daemon/user-data-sources.js';
import { notifyReady } from '../daemon/systemd-notify.js';

interface RunOptions {
  root: string;
  containerd: 'managed' | 'external';
  logLevel: LogLevel;
  userData?: string;
  nocloud?: string | true;
  apiGroup?: string;
  imagesDir?: string;
  stopGrace: number;
  bootstrapTimeout: number;
}

/** Reports a failed command on stderr and exits with the status of its error code. */
function fail(err: unknown): never {
  process.stderr.write(`berthd: ${messageOf(err)}\n`);
  process.exit(exitCodeOf(err));
}

async function run(opts: RunOptions): Promise<void> {
  const logger = createLogger(opts.logLevel);
  const berthd = new Berthd({
    root: opts.root,
    containerd: opts.containerd,
    logger,
    stopGraceMs: opts.stopGrace * 1000,
    bootstrapTimeoutMs: opts.bootstrapTimeout * 1000,
    userData: {
      ...(opts.nocloud ? { nocloud: opts.nocloud === true ? NOCLOUD_DEVICE : opts.nocloud } : {}),
      ...(opts.userData ? { file: path.resolve(opts.userData) } : {}),
    },
    ...(opts.apiGroup ? { apiGroup: /^\d+$/.test(opts.apiGroup) ? Number(opts.apiGroup) : opts.apiGroup } : {}),
    ...(opts.imagesDir ? { imagesDir: path.resolve(opts.imagesDir) } : {}),
    // Under systemd (Type=notify) the unit is started once the API answers, not when the process is.
    onReady: () => {
      notifyReady({ status: 'API ready' }).catch((err: unknown) => logger.error({ err: messageOf(err) }, 'systemd was not told berthd is ready'));
    },
  });
  let exiting = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (exiting) return;
    exiting = true;
    logger.info({ signal }, 'signal received');
    void berthd.exit().finally(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await berthd.start();
  } catch (err) {
    logger.error({ err: messageOf(err), code: codeOf(err) }, 'berthd failed to start');
    await berthd.exit().catch(() => undefined);
    fail(err);
  }
}

function registerRun(program: Command): void {
  program
    .command('run')
    .description('run berthd in the foreground (JSON logs on stdout)')
    .addOption(rootOption())
    .addOption(new Option('--containerd <mode>', 'managed: berth runs both containerd daemons; external: it only connects').choices(['managed', 'external']).default('managed'))
    .addOption(new Option('--log-level <level>', 'log level').choices([...LOG_LEVELS]).default('info'))
    .option('--user-data <file>', 'boot user data: a TOML file with a [settings] table, applied on first start only (a missing file is none)')
    .option('--nocloud [device]', `also boot user data from a cloud-init NoCloud seed: the user-data file of the filesystem labelled CIDATA (or of DEVICE or an image file); default ${NOCLOUD_DEVICE}`)
    .option('--api-group <group>', 'group (name or gid) owning the API socket, mode 0660')
    .option('--images-dir <dir>', 'where the control and admin image archives are (default: the installed ones)')
    .addOption(secondsOption('--stop-grace <seconds>', 'grace between SIGTERM and SIGKILL when stopping a host container', 20))
    .addOption(secondsOption('--bootstrap-timeout <seconds>', 'longest a bootstrap container may run', 600))
    .action(run);
}

function registerStop(program: Command): void {
  program
    .command('stop')
    .description('stop berthd and the containerd daemons it manages, in order')
    .addOption(rootOption())
    .addOption(secondsOption('--grace <seconds>', 'grace between SIGTERM and SIGKILL for each host container', 20))
    .action(async (opts: { root: string; grace: number }) => {
      await stopBerthd({ root: opts.root, logger: createLogger('warn'), graceMs: opts.grace * 1000 }).catch(fail);
    });
}

function registerWriteConfig(program: Command): void {
  program
    .command('write-config')
    .description("write the config of one containerd instance (external mode: run by the units' ExecStartPre)")
    .argument('<instance>', 'host-containerd or containerd', (v: string) => {
      if (v !== 'host-containerd' && v !== 'containerd') throw new InvalidArgumentError(`expected host-containerd or containerd, got '${v}'`);
      return v;
    })
    .addOption(rootOption())
    .option('--stdout', 'print it instead of writing it')
    .action(async (instance: 'host-containerd' | 'containerd', opts: { root: string; stdout?: boolean }) => {
      const role = instance === 'host-containerd' ? 'host' : 'orchestrator';
      const file = await writeContainerdConfig({ root: opts.root, role, toStdout: opts.stdout === true }).catch(fail);
      if (file) process.stderr.write(`berthd: wrote ${file}\n`);
    });
}

/** `berthd`: runs, stops and configures the supervisor; exits the process with the command's status. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('berthd')
    .description('berth: the host-container supervisor')
    .showHelpAfterError()
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));
  registerRun(program);
  registerStop(program);
  registerWriteConfig(program);
  const dockerConfig = path.join(process.env['DOCKER_CONFIG'] ?? path.join(process.env['HOME'] ?? '/root', '.docker'), 'config.json');
  registerImageCommands(program, { stdout: process.stdout, stderr: process.stderr, exit: (code) => process.exit(code), arch: process.arch, dockerConfigPath: dockerConfig });
  await program.parseAsync([...argv], { from: 'user' });
}
