import { BerthError } from '../errors/index.js';
import type { SpecOpt } from './spec.js';

/** The process part of an image config (OCI image-spec `config`). */
export interface ImageProcessConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  User?: string;
  WorkingDir?: string;
}

/** Sets variables, replacing earlier values of the same name. */
export function withEnv(vars: readonly string[]): SpecOpt {
  return (spec) => {
    const env = spec.process.env;
    for (const v of vars) {
      const name = v.split('=', 1)[0] as string;
      const at = env.findIndex((e) => e === name || e.startsWith(`${name}=`));
      if (at >= 0) env[at] = v;
      else env.push(v);
    }
  };
}

/**
 * Numeric `uid[:gid]` or `root`; names other than root would need the image's /etc/passwd, which a
 * pure option cannot read, so they are refused with a clear error.
 */
export function withUser(user: string): SpecOpt {
  return (spec) => {
    if (user === '' || user === 'root' || user === '0') {
      spec.process.user = { uid: 0, gid: 0 };
      return;
    }
    const m = /^(\d+)(?::(\d+))?$/.exec(user);
    if (!m) throw new BerthError('INVALID_ARGUMENT', `Unsupported image user '${user}': use a numeric uid[:gid]`);
    const uid = Number(m[1]);
    spec.process.user = { uid, gid: m[2] === undefined ? uid : Number(m[2]) };
  };
}

/** Variables from a name → value table, as withEnv (a name set before takes the new value). */
export function withEnvTable(vars: Readonly<Record<string, string>>): SpecOpt {
  return withEnv(Object.entries(vars).map(([name, value]) => `${name}=${value}`));
}

/**
 * The image's entrypoint, cmd, env, user and working dir, as containerd's WithImageConfig. A
 * non-empty `command` is the whole argv instead of entrypoint + cmd (Bottlerocket's `command`, and
 * docker's `--entrypoint` with arguments), so an image with neither may still run one.
 */
export function withImageConfig(config: ImageProcessConfig | undefined, options: { command?: readonly string[] } = {}): SpecOpt {
  return (spec) => {
    const c = config ?? {};
    withEnv(c.Env ?? [])(spec);
    const command = options.command ?? [];
    const args = command.length > 0 ? [...command] : [...(c.Entrypoint ?? []), ...(c.Cmd ?? [])];
    if (args.length === 0) throw new BerthError('INVALID_ARGUMENT', 'Image has neither an entrypoint nor a cmd, and no command is set');
    spec.process.args = args;
    if (c.WorkingDir) spec.process.cwd = c.WorkingDir;
    if (c.User) withUser(c.User)(spec);
  };
}
