// Connects to the socket path given and prints what the server says. On a refused or denied
// connection prints the error code and exits 1 ("Permission denied" for EACCES); exits 1 too
// when the server does not answer. Prints its own SELinux context first (on stderr).
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const socketPath = process.argv[2];
// Who is asking: the client's own SELinux context, first, on stderr.
console.error(`client context ${readFileSync('/proc/self/attr/current', 'utf8').replace(/\0/g, '').trim()}`);
const conn = connect(socketPath);
let reply = '';
conn.on('data', (chunk) => (reply += chunk));
conn.on('end', () => {
  process.stdout.write(reply);
  process.exit(reply.includes('berth-api-ok') ? 0 : 1);
});
// A server that accepts but never answers (berth's HTTP API waits for a request) must not hang
// the check.
conn.setTimeout(20_000, () => {
  console.error(`connect ${socketPath}: connected, but no reply in 20 s`);
  process.exit(1);
});
conn.on('error', (err) => {
  const text = err.code === 'EACCES' ? 'Permission denied' : err.message;
  console.error(`connect ${socketPath}: ${text}`);
  process.exit(1);
});
