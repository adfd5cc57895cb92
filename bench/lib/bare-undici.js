// The reference ceiling for an undici-based generator: a bare Client.dispatch loop,
// N connections, a trivial handler, nothing measured but the count. Prints {"rps":…}.
// Usage: node bare-undici.js URL SECONDS CONNECTIONS
import { Client } from 'undici';

const url = new URL(process.argv[2]);
const seconds = Number(process.argv[3] ?? 10);
const connections = Number(process.argv[4] ?? 50);
let count = 0;
let stop = false;
const opts = { path: url.pathname, method: 'GET', headers: [], blocking: false };
for (let i = 0; i < connections; i++) {
  const client = new Client(url.origin);
  const handler = {
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
