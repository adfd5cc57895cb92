// Start one example service in the foreground until Ctrl-C (`pnpm example <name> [--port N]`,
// after `pnpm build`), on the port its scenario expects by default, and print how to load it.
//
//   pnpm example behaviour            # http://127.0.0.1:3001
//   pnpm example docstore             # http://127.0.0.1:3002
//   pnpm example restaurants          # http://127.0.0.1:3003, plus its slow upstream on a free port
//   pnpm example events               # http://127.0.0.1:3004, with the seed data
//   pnpm example events --port 0      # any free port
//
// Options: --port N, --host H. Restaurants also reads CACHE_TTL_MS (default 10000) and
// UPSTREAM_DELAY_MS (default 50).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SERVICES = {
  behaviour: { port: 3001, env: 'BEHAVIOUR_URL' },
  docstore: { port: 3002, env: 'DOCSTORE_URL' },
  restaurants: { port: 3003, env: 'RESTAURANTS_URL' },
  events: { port: 3004, env: 'EVENTS_URL' },
};
const USAGE = `usage: pnpm example <${Object.keys(SERVICES).join('|')}> [--port N] [--host H]`;

function fail(message, code = 2) {
  console.error(message);
  process.exit(code);
}

function option(argv, name) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}`) return argv[i + 1];
    if (argv[i].startsWith(`--${name}=`)) return argv[i].slice(name.length + 3);
  }
  return undefined;
}

function number(name, raw, fallback) {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) fail(`${name} must be a non-negative number, got "${raw}"`);
  return n;
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const name = argv.find((a, i) => !a.startsWith('-') && !['--port', '--host'].includes(argv[i - 1] ?? ''));
if (name === undefined) fail(USAGE);
const known = SERVICES[name];
if (known === undefined) fail(`unknown example "${name}"\n${USAGE}`);
const rawPort = option(argv, 'port');
const port = rawPort === undefined ? known.port : Number(rawPort);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad --port "${rawPort}": expected 0-65535`);
const host = option(argv, 'host') ?? '127.0.0.1';

const entry = resolve(root, 'examples', name, 'dist', 'index.js');
if (!existsSync(entry)) fail(`${name} is not built: run \`pnpm build\` first`, 3);
const mod = await import(entry);

const closers = [];
let service;
try {
  if (name === 'restaurants') {
    const upstream = await mod.startUpstream({ host, port: 0, delayMs: number('UPSTREAM_DELAY_MS', process.env.UPSTREAM_DELAY_MS, 50) });
    closers.push(() => upstream.close());
    console.log(`restaurants: slow upstream menu service on ${upstream.url}`);
    service = await mod.start({ host, port, upstreamUrl: upstream.url, ttlMs: number('CACHE_TTL_MS', process.env.CACHE_TTL_MS, 10_000) });
  } else {
    service = await mod.start({ host, port, ...(name === 'events' ? { seed: true } : {}) });
  }
} catch (err) {
  for (const close of closers) await close();
  if (err?.code === 'EADDRINUSE') fail(`${name}: port ${port} is already in use; pick another with --port N (0 for any free port)`, 3);
  throw err;
}
closers.unshift(() => service.close());

const scenario = `scenarios/${name}.yml`;
const envFlag = port === known.port && host === '127.0.0.1' ? '' : ` --env ${known.env}=${service.url}`;
console.log(`${name} listening on ${service.url}`);
console.log('');
console.log('Load it from another terminal:');
console.log(`  pnpm loadctl run ${scenario}${envFlag}`);
console.log(`  pnpm loadctl run scenarios/${name}-smoke.yml${envFlag}     # 4 seconds`);
console.log('');
console.log('Ctrl-C to stop.');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 5000).unref();
  for (const close of closers) await close();
  console.log(`\n${name} stopped`);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
