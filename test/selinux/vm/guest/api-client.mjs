// Connects to the socket path given and prints what the server says. On a refused or denied
// connection prints the error code and exits 1 ("Permission denied" for EACCES).
import { connect } from 'node:net';

const socketPath = process.argv[2];
const conn = connect(socketPath);
let reply = '';
conn.on('data', (chunk) => (reply += chunk));
conn.on('end', () => {
  process.stdout.write(reply);
  process.exit(reply.includes('berth-api-ok') ? 0 : 1);
});
conn.on('error', (err) => {
  const text = err.code === 'EACCES' ? 'Permission denied' : err.message;
  console.error(`connect ${socketPath}: ${text}`);
  process.exit(1);
});
