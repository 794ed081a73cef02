// Writes the V8 code cache of each program bundle (argv: bundle files), run by the pinned Node with
// the executable's own V8 flags so that the cache is accepted at run time. Each bundle is compiled
// as src/cli/sea-main.ts compiles it and run once (defining its exports, starting nothing), so the
// cache holds the functions its start-up compiles too.
const { readFileSync, writeFileSync } = require('node:fs');
const vm = require('node:vm');
const path = require('node:path');

for (const file of process.argv.slice(2)) {
  const name = path.basename(file, '.cjs');
  const script = new vm.Script(`(function (exports, require, module) {${readFileSync(file, 'utf8')}\n})`, { filename: `berth:${name}.cjs` });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module);
  if (typeof module.exports.main !== 'function') throw new Error(`${file} exports no main()`);
  writeFileSync(file.replace(/\.cjs$/, '.cache'), script.createCachedData());
}
