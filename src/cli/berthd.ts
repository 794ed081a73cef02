#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { Berthd, stopBerthd } from '../daemon/berthd.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../daemon/logger.js';
import { exitCodeOf } from './exit-codes.js';
import { messageOf } from '../errors/index.js';

function rootOption(): Option {
  return new Option('--root <dir>', 'prefix of every path berth uses (sockets, state, data, logs)')
    .default('/')
    .argParser((v: string) => {
      if (!v.startsWith('/')) throw new InvalidArgumentError(`must be an absolute path, got '${v}'`);
      return v;
    });
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
  .action(async (opts: { root: string; containerd: 'managed' | 'external'; logLevel: LogLevel }) => {
    const logger = createLogger(opts.logLevel);
    const berthd = new Berthd({ root: opts.root, containerd: opts.containerd, logger });
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
      logger.error({ err }, 'berthd failed to start');
      process.stderr.write(`berthd: ${messageOf(err)}\n`);
      process.exit(exitCodeOf(err));
    }
  });

program
  .command('stop')
  .description('stop berthd and the containerd daemons it manages, in order')
  .addOption(rootOption())
  .action(async (opts: { root: string }) => {
    try {
      await stopBerthd({ root: opts.root, logger: createLogger('warn') });
    } catch (err) {
      process.stderr.write(`berthd: ${messageOf(err)}\n`);
      process.exit(exitCodeOf(err));
    }
  });

await program.parseAsync(process.argv);
