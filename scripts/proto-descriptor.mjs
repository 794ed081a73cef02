// Compiles berth's .proto files (proto/) into one protobufjs JSON descriptor, proto/descriptor.json,
// which src/containerd/protos.ts imports: the single executable then carries the definitions
// inside it instead of reading .proto files at run time. Field names stay as written (keepCase).
import { readdirSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const dir = fileURLToPath(new URL('../proto/', import.meta.url));
const out = path.join(dir, 'descriptor.json');

function protoFiles(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? protoFiles(path.join(d, e.name)) : e.name.endsWith('.proto') ? [path.join(d, e.name)] : [],
  );
}

const files = protoFiles(dir).sort();
const newest = Math.max(...files.map((f) => statSync(f).mtimeMs), statSync(fileURLToPath(import.meta.url)).mtimeMs);
const current = statSync(out, { throwIfNoEntry: false })?.mtimeMs ?? 0;
if (current > newest) process.exit(0);

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') || path.isAbsolute(target) ? target : path.join(dir, target));
root.loadSync(files, { keepCase: true });
root.resolveAll();
writeFileSync(out, JSON.stringify(root.toJSON()));
process.stderr.write('berth build: wrote proto/descriptor.json\n');
