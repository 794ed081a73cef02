// A stand-in for berth's API server: listens on the socket path given, answers every
// connection with one line, and prints its own SELinux context once it is listening.
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';

const socketPath = process.argv[2];
const server = createServer((conn) => conn.end('berth-api-ok\n'));
server.listen(socketPath, () => {
  const context = readFileSync('/proc/self/attr/current', 'utf8').replace(/\0/g, '').trim();
  console.log(`listening ${socketPath} as ${context}`);
});
