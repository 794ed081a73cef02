// Writes an OCI bundle for runc: `runc spec`'s default config, changed as the arguments say.
//   node oci-bundle.mjs BUNDLE --rootfs DIR [--label CONTEXT] [--mount-label CONTEXT]
//        [--mount SRC:DST[:ro]]... -- ARGS...
// The labels go to process.selinuxLabel and linux.mountLabel, as berth's container classes set
// them; runc applies them as it starts the container.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [bundle, ...rest] = process.argv.slice(2);
const sep = rest.indexOf('--');
if (!bundle || sep < 0) {
  console.error('usage: oci-bundle.mjs BUNDLE --rootfs DIR [--label C] [--mount-label C] [--mount SRC:DST[:ro]]... -- ARGS...');
  process.exit(2);
}
const flags = rest.slice(0, sep);
const args = rest.slice(sep + 1);
const opts = { mounts: [] };
for (let i = 0; i < flags.length; i += 2) {
  const [flag, value] = [flags[i], flags[i + 1]];
  if (flag === '--rootfs') opts.rootfs = value;
  else if (flag === '--label') opts.label = value;
  else if (flag === '--mount-label') opts.mountLabel = value;
  else if (flag === '--mount') opts.mounts.push(value);
  else {
    console.error(`oci-bundle.mjs: unknown flag ${flag}`);
    process.exit(2);
  }
}

mkdirSync(bundle, { recursive: true });
execFileSync('runc', ['spec', '--bundle', bundle]);
const file = path.join(bundle, 'config.json');
const spec = JSON.parse(readFileSync(file, 'utf8'));
spec.process.terminal = false;
spec.process.args = args;
if (opts.label) spec.process.selinuxLabel = opts.label;
if (opts.mountLabel) spec.linux.mountLabel = opts.mountLabel;
spec.root = { path: path.resolve(opts.rootfs), readonly: false };
for (const m of opts.mounts) {
  const [source, destination, mode] = m.split(':');
  spec.mounts.push({ destination, type: 'bind', source, options: ['rbind', mode === 'ro' ? 'ro' : 'rw'] });
}
writeFileSync(file, JSON.stringify(spec, null, 2));
