import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { containerdConfig, type ContainerdRole } from './containerd-config.js';
import { canLowerOomScores } from './host-facts.js';
import { berthPaths } from './paths.js';

/**
 * Renders one daemon's config.toml from berth's paths (what managed mode does itself), for the
 * systemd units of external mode. Returns the file written, or undefined when printed.
 */
export async function writeContainerdConfig(options: { root: string; role: ContainerdRole; toStdout: boolean }): Promise<string | undefined> {
  const paths = berthPaths(options.root);
  const p = options.role === 'host' ? paths.hostContainerd : paths.orchestratorContainerd;
  const text = containerdConfig(options.role, p, { restrictOomScoreAdj: !canLowerOomScores() });
  if (options.toStdout) {
    process.stdout.write(text);
    return undefined;
  }
  await mkdir(path.dirname(p.config), { recursive: true, mode: 0o755 });
  const tmp = `${p.config}.tmp`;
  await writeFile(tmp, text, { mode: 0o644 });
  await rename(tmp, p.config);
  return p.config;
}
