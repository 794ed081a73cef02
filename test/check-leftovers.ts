import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describeReport, leftBehind, reap } from './helpers/reap.js';
import { rootsMadeUnder } from './helpers/temp-root.js';

/**
 * scripts/test.sh runs this after the tests, pass or fail, with the run's directory of test roots:
 * whatever is still there — processes under any root or started with this run's environment,
 * mounts, cgroups of any root made in the run, network interfaces and CNI results that name a
 * root — is printed, then killed and removed with the directory. Exits 1 when something was left,
 * 0 otherwise.
 */
async function main(parent: string): Promise<number> {
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => []);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => path.join(parent, e.name));
  const roots = [...new Set([...(await rootsMadeUnder(parent)), ...dirs])];
  const report = await reap({ under: parent, cgroupsOf: roots, environ: `BERTH_TEST_ROOTS=${parent}` });
  if (dirs.length > 0) console.error(`note: ${dirs.length} test root(s) in ${parent} were not removed by their tests: ${dirs.map((d) => path.basename(d)).join(' ')}`);
  if (!leftBehind(report)) return 0;
  console.error(`\nLEFT BEHIND by the tests in ${parent} (now killed and removed):`);
  for (const line of describeReport(report)) console.error(`  ${line}`);
  return 1;
}

const parent = process.argv[2];
if (!parent || !path.isAbsolute(parent)) {
  console.error('usage: check-leftovers.js /ABSOLUTE/DIRECTORY-OF-TEST-ROOTS');
  process.exit(2);
}
process.exit(await main(parent));
