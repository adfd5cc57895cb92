// A bare dispatch loop: N connections, a trivial handler that reads nothing, nothing measured
// but the count. CLIENT is `undici` (Client.dispatch: the ceiling of any undici-based generator)
// or `fast` (loadctl's lean HTTP/1.1 client, engine/http1, with its skip-what-nobody-reads hints).
// Prints {"rps":…,"cpuUsPerRequest":…}. Usage: node bare-dispatch.js CLIENT URL SECONDS CONNECTIONS
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Client } from 'undici';
import { reportAfter } from './bare-report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const kind = process.argv[2];
const url = new URL(process.argv[3]);
const seconds = Number(process.argv[4] ?? 10);
const connections = Number(process.argv[5] ?? 50);
const { FastClient } = kind === 'fast' ? await import(join(root, 'packages', 'core', 'dist', 'engine', 'http1', 'fast-client.js')) : {};
const opts = { path: url.pathname, method: 'GET', headers: [], blocking: false };
const state = { count: 0, stop: false };
for (let i = 0; i < connections; i++) {
  const client = kind === 'fast' ? new FastClient(url.origin) : new Client(url.origin);
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
      state.count++;
      if (!state.stop) client.dispatch(opts, handler);
    },
    onError(err) {
      console.error(err);
      process.exit(1);
    },
  };
  client.dispatch(opts, handler);
}
reportAfter(seconds, state);
