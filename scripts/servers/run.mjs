#!/usr/bin/env node
// Start one test server in the foreground and print its URL; Ctrl-C stops it.
//   node scripts/servers/run.mjs influxdb1 [db]
//   node scripts/servers/run.mjs victoriametrics
import { startInfluxDB1 } from './influxdb1.mjs';
import { startVictoriaMetrics } from './victoriametrics.mjs';

const [kind, arg] = process.argv.slice(2);
let server;
if (kind === 'influxdb1') server = await startInfluxDB1({ db: arg ?? 'loadctl' });
else if (kind === 'victoriametrics') server = await startVictoriaMetrics();
else {
  console.error('usage: run.mjs influxdb1 [db] | victoriametrics');
  process.exit(2);
}
console.log(`${kind} listening on ${server.url}${server.db ? ` (database "${server.db}")` : ''} — Ctrl-C to stop`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
