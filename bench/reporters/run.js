// bench/reporters: reporter overhead. loadctl quick against nginx, same connections and
// duration, three ways in alternating rounds: no reporters, InfluxDB reporter on with a 1 s
// flush (a real InfluxDB 1.6 on loopback), and InfluxDB reporter pointing at a port where
// nothing listens (InfluxDB down). Prints median RPS of each and the ratios (target: within 3%),
// and the CPU time per request of the loadctl process, which a shared machine disturbs less.
import { startNginx, freePort } from '../lib/nginx.js';
import { loadctl, median } from '../lib/tools.js';
import { startInfluxDB1 } from '../../scripts/servers/index.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = 50;

const server = await startNginx({ core: 0 });
const influx = await startInfluxDB1({ db: 'bench' });
const downPort = await freePort();
const influxFlags = (url) => ['--reporter', 'influxdb', '--influxdb-url', url, '--influxdb-db', 'bench', '--influxdb-flush', '1s'];
const modes = {
  'no reporters': [],
  'influxdb up (1 s flush)': influxFlags(influx.url),
  'influxdb down': influxFlags(`http://127.0.0.1:${downPort}`),
};
const results = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
const cpu = Object.fromEntries(Object.keys(modes).map((k) => [k, []]));
try {
  for (let r = 0; r < rounds; r++) {
    for (const [name, extra] of Object.entries(modes)) {
      const x = await loadctl(server.url, { connections, seconds, extra });
      results[name].push(x.rps);
      cpu[name].push(x.cpuUsPerRequest);
      console.log(`round ${r + 1} ${name.padEnd(24)} ${x.rps.toFixed(0).padStart(7)} req/s  ${x.cpuUsPerRequest.toFixed(2)} µs CPU/request`);
    }
  }
} finally {
  server.stop();
  await influx.stop();
}
const base = median(results['no reporters']);
const baseCpu = median(cpu['no reporters']);
console.log(`\nmedian of ${rounds} rounds, ${seconds}s each, ${connections} connections, nginx on core 0, loadctl on core 1`);
for (const name of Object.keys(modes)) {
  const m = median(results[name]);
  const c = median(cpu[name]);
  console.log(`${name.padEnd(24)} ${m.toFixed(0).padStart(7)} req/s (ratio ${(m / base).toFixed(3)})   ${c.toFixed(2)} µs CPU/request (ratio ${(c / baseCpu).toFixed(3)})`);
}
