// The demo (`pnpm demo`, after `pnpm build`): start the behaviour example service, run
// scenarios/behaviour.yml against it with the live console, then say where the result
// files are, stop the service and exit with loadctl's exit code.
//
// Environment:
//   LOADCTL_DEMO_DURATION  run length given to `loadctl run --duration` (default 20s)
//   LOADCTL_DEMO_OUT       where result.json, junit.xml and report.html go (default out/demo)
//   LOADCTL_DEMO_PORT      port for the service (default 3001; a free one if that is taken)
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = resolve(root, 'packages/cli/bin/run.js');
const scenario = resolve(root, 'scenarios/behaviour.yml');
const serviceEntry = resolve(root, 'examples/behaviour/dist/index.js');
const duration = process.env.LOADCTL_DEMO_DURATION || '20s';
const outDir = resolve(root, process.env.LOADCTL_DEMO_OUT || 'out/demo');
const port = Number(process.env.LOADCTL_DEMO_PORT || 3001);
/** A path as the user would type it: relative to the current directory when inside it. */
const show = (p) => {
  const r = relative(process.cwd(), p);
  return r === '' ? '.' : r.startsWith('..') ? p : r;
};

for (const f of [serviceEntry, resolve(root, 'packages/cli/dist')]) {
  if (!existsSync(f)) {
    console.error(`demo: ${relative(root, f)} is missing; run \`pnpm build\` first (\`pnpm demo\` does).`);
    process.exit(3);
  }
}

const { start } = await import(serviceEntry);
let service;
try {
  service = await start({ port });
} catch (err) {
  if (err?.code !== 'EADDRINUSE') throw err;
  service = await start({ port: 0 });
  console.log(`demo: port ${port} is taken, using ${service.port} instead`);
}
console.log(`demo: behaviour service listening on ${service.url}`);

const args = [bin, 'run', scenario, '--duration', duration, '--out-dir', outDir, '--env', `BEHAVIOUR_URL=${service.url}`];
console.log(`demo: loadctl run ${show(scenario)} --duration ${duration} --out-dir ${show(outDir)}\n`);

// Ctrl-C reaches loadctl too (same process group): it stops the run, still writes the
// results and exits 130. Wait for it instead of dying first.
const onSignal = () => {};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const startedAt = Date.now() - 1000;
const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: root });
const code = await new Promise((done) => {
  child.on('error', (err) => {
    console.error(`demo: cannot start loadctl: ${err.message}`);
    done(3);
  });
  child.on('close', (c, signal) => done(c ?? (signal === 'SIGINT' ? 130 : 1)));
});

console.log('');
const written = ['result.json', 'junit.xml', 'report.html'].map((f) => resolve(outDir, f)).filter((f) => existsSync(f) && statSync(f).mtimeMs >= startedAt);
if (written.length > 0) {
  console.log('demo: results written to');
  for (const f of written) console.log(`  ${show(f)}`);
  if (written.some((f) => f.endsWith('report.html'))) console.log(`  open ${show(resolve(outDir, 'report.html'))} in a browser for the charts`);
} else {
  console.log(`demo: no result files in ${show(outDir)}`);
}
await service.close();
console.log(`demo: service stopped; loadctl exited with ${code}`);
process.exit(code);
