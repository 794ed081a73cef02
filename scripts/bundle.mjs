// Bundles berth's compiled CLI modules for the single executable (scripts/build-sea.sh):
//   node scripts/bundle.mjs OUT_DIR NAME=ENTRY…
// Each entry becomes OUT_DIR/NAME.cjs, one CommonJS file that requires nothing but Node's built-ins.
import path from 'node:path';
import * as esbuild from 'esbuild';

// commander requires node:child_process when it loads, for subcommands that are separate
// executables, which berth never uses; loading it costs every apiclient start about 4 ms. Here it
// is resolved to a stand-in that loads the real module only when a property is read.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${path.sep}commander${path.sep}`) ? { path: 'child_process', namespace: 'lazy' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });",
      loader: 'js',
    }));
  },
};

const [outDir, ...entries] = process.argv.slice(2);
for (const entry of entries) {
  const [name, file] = entry.split('=');
  await esbuild.build({
    entryPoints: [file],
    outfile: path.join(outDir, `${name}.cjs`),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    // ws would try its optional native add-ons at load time; a SEA can only require built-ins.
    define: { 'process.env.WS_NO_BUFFER_UTIL': '"1"', 'process.env.WS_NO_UTF_8_VALIDATE': '"1"' },
    // import.meta is read only outside a SEA (src/daemon/install-paths.ts).
    logOverride: { 'empty-import-meta': 'silent' },
    logLevel: 'warning',
    plugins: [lazyChildProcess],
  });
}
