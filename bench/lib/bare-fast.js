// loadctl's lean HTTP/1.1 client (engine/http1) in a bare dispatch loop, like bare-undici.js:
// N connections, a trivial handler that reads nothing, nothing measured but the count.
// Prints {"rps":…,"cpuUsPerRequest":…}. Usage: node bare-fast.js URL SECONDS CONNECTIONS
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { FastClient } = await import(join(root, 'packages', 'core', 'dist', 'engine', 'http1', 'fast-client.js'));

const url = new URL(process.argv[2]);
const seconds = Number(process.argv[3] ?? 10);
const connections = Number(process.argv[4] ?? 50);
let count = 0;
let stop = false;
const opts = { path: url.pathname, method: 'GET', headers: [], blocking: false };
for (let i = 0; i < connections; i++) {
  const client = new FastClient(url.origin);
  const handler = {
    wantsHeaders: false,
    wantsBody: false,
    onConnect() {},
    onHeaders() {
      return true;
    },
    onData() {
      return true;
    },
    onComplete() {
      count++;
      if (!stop) client.dispatch(opts, handler);
    },
    onError(err) {
      console.error(err);
      process.exit(1);
    },
  };
  client.dispatch(opts, handler);
}
setTimeout(() => {
  stop = true;
  const cpu = process.cpuUsage();
  // CPU per request (user + system, whole process): steadier than RPS on a shared machine.
  console.log(JSON.stringify({ rps: count / seconds, cpuUsPerRequest: (cpu.user + cpu.system) / count }));
  process.exit(0);
}, seconds * 1000);
