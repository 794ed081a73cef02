#!/usr/bin/env -S node --max-semi-space-size=2
// The young generation is capped at 2 MiB per semi-space: V8 grows it up to 16 MiB under a burst of
// exec traffic and keeps it, which left berthd's RSS a third higher after every burst.
import { Command, InvalidArgumentError, Option } from 'commander';
import { Berthd, stopBerthd } from '../daemon/berthd.js';
import { writeContainerdConfig } from '../daemon/write-config.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../daemon/logger.js';
import { exitCodeOf } from './exit-codes.js';
import { codeOf, messageOf } from '../errors/index.js';
import path from 'node:path';
import { registerImageCommands } from './berthd-images.js';

function rootOption(): Option {
  return new Option('--root <dir>', 'prefix of every path berth uses (sockets, state, data, logs)')
    .default('/')
    .argParser((v: string) => {
      if (!v.startsWith('/')) throw new InvalidArgumentError(`must be an absolute path, got '${v}'`);
      return v;
    });
}

function seconds(flags: string, description: string, def: number): Option {
  return new Option(flags, description).default(def).argParser((v: string) => {
    const n = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number of seconds, got '${v}'`);
    return n;
  });
}

interface RunOptions {
  root: string;
  containerd: 'managed' | 'external';
  logLevel: LogLevel;
  userData?: string;
  apiGroup?: string;
  imagesDir?: string;
  stopGrace: number;
  bootstrapTimeout: number;
}

const program = new Command('berthd')
  .description('berth: the host-container supervisor')
  .showHelpAfterError()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program
  .command('run')
  .description('run berthd in the foreground (JSON logs on stdout)')
  .addOption(rootOption())
  .addOption(new Option('--containerd <mode>', 'managed: berth runs both containerd daemons; external: it only connects').choices(['managed', 'external']).default('managed'))
  .addOption(new Option('--log-level <level>', 'log level').choices([...LOG_LEVELS]).default('info'))
  .option('--user-data <file>', 'boot user data: a TOML file with a [settings] table, applied on first start only')
  .option('--api-group <group>', 'group (name or gid) owning the API socket, mode 0660')
  .option('--images-dir <dir>', 'where the control and admin image archives are (default: build/images)')
  .addOption(seconds('--stop-grace <seconds>', 'grace between SIGTERM and SIGKILL when stopping a host container', 20))
  .addOption(seconds('--bootstrap-timeout <seconds>', 'longest a bootstrap container may run', 600))
  .action(async (opts: RunOptions) => {
    const logger = createLogger(opts.logLevel);
    const berthd = new Berthd({
      root: opts.root,
      containerd: opts.containerd,
      logger,
      stopGraceMs: opts.stopGrace * 1000,
      bootstrapTimeoutMs: opts.bootstrapTimeout * 1000,
      ...(opts.userData ? { userData: path.resolve(opts.userData) } : {}),
      ...(opts.apiGroup ? { apiGroup: /^\d+$/.test(opts.apiGroup) ? Number(opts.apiGroup) : opts.apiGroup } : {}),
      ...(opts.imagesDir ? { imagesDir: path.resolve(opts.imagesDir) } : {}),
    });
    let exiting = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (exiting) return;
      exiting = true;
      logger.info({ signal }, 'signal received');
      berthd.exit().finally(() => process.exit(0));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    try {
      await berthd.start();
    } catch (err) {
      logger.error({ err: messageOf(err), code: codeOf(err) }, 'berthd failed to start');
      process.stderr.write(`berthd: ${messageOf(err)}\n`);
      await berthd.exit().catch(() => undefined);
      process.exit(exitCodeOf(err));
    }
  });

program
  .command('stop')
  .description('stop berthd and the containerd daemons it manages, in order')
  .addOption(rootOption())
  .addOption(seconds('--grace <seconds>', 'grace between SIGTERM and SIGKILL for each host container', 20))
  .action(async (opts: { root: string; grace: number }) => {
    try {
      await stopBerthd({ root: opts.root, logger: createLogger('warn'), graceMs: opts.grace * 1000 });
    } catch (err) {
      process.stderr.write(`berthd: ${messageOf(err)}\n`);
      process.exit(exitCodeOf(err));
    }
  });

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
    try {
      const file = await writeContainerdConfig({ root: opts.root, role: instance === 'host-containerd' ? 'host' : 'orchestrator', toStdout: opts.stdout === true });
      if (file) process.stderr.write(`berthd: wrote ${file}\n`);
    } catch (err) {
      process.stderr.write(`berthd: ${messageOf(err)}\n`);
      process.exit(exitCodeOf(err));
    }
  });

registerImageCommands(program, { stdout: process.stdout, stderr: process.stderr, exit: (code) => process.exit(code), arch: process.arch, dockerConfigPath: path.join(process.env.DOCKER_CONFIG ?? path.join(process.env.HOME ?? '/root', '.docker'), 'config.json') });

await program.parseAsync(process.argv);
