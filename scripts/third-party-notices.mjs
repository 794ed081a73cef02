// Prints the notices of everything bundled into dist/berth, as their authors ship them, for the Debian
// package's /usr/share/doc/berth/third-party-notices.gz:
//   node scripts/third-party-notices.mjs NODE_PACKAGE_DIR BUNDLE.cjs…
// The npm packages are the ones esbuild bundled (it names each module's path in a comment above its
// code), then Node.js's own LICENSE, which holds the notices of the libraries Node.js includes.
// Fails on a package whose license packaging/deb/copyright does not cover, so the copyright file
// cannot fall behind a new dependency.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** package.json license → the paragraph of packaging/deb/copyright that covers it. */
const COVERED = { 'Apache-2.0': 'Apache-2.0', MIT: 'Expat', 'BSD-3-Clause': 'BSD-3-Clause' };

const [nodeDir, ...bundles] = process.argv.slice(2);
if (!nodeDir || bundles.length === 0) {
  process.stderr.write('usage: node scripts/third-party-notices.mjs NODE_PACKAGE_DIR BUNDLE.cjs…\n');
  process.exit(2);
}

/** Package directories (node_modules/a, node_modules/@s/b, node_modules/a/node_modules/c) esbuild bundled. */
function bundledPackageDirs(files) {
  const dirs = new Set();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/^\/\/ (.*node_modules\/(?:@[^/]+\/)?[^/]+)\//gm)) dirs.add(m[1]);
  }
  return [...dirs].sort();
}

function licenseText(dir) {
  const name = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!name) throw new Error(`${dir} ships no license file`);
  return readFileSync(path.join(dir, name), 'utf8').trim();
}

const rule = '-'.repeat(78);
const parts = [];
for (const dir of bundledPackageDirs(bundles)) {
  if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`${dir}/package.json is missing: was node_modules changed after the build?`);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (!COVERED[pkg.license]) {
    throw new Error(`${pkg.name} is under '${pkg.license}', which packaging/deb/copyright does not cover: add its license there and to COVERED`);
  }
  parts.push(`${pkg.name} ${pkg.version} (${pkg.license}), bundled into /usr/bin/berth\n\n${licenseText(dir)}`);
}
const node = JSON.parse(readFileSync(path.join(nodeDir, 'package.json'), 'utf8'));
parts.push(`Node.js ${node.version}, the runtime of /usr/bin/berth\n\n${licenseText(nodeDir)}`);
process.stdout.write(parts.join(`\n\n${rule}\n\n`) + '\n');
