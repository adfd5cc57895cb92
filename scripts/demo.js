// The demo: start an example service, run loadctl against it with the live console,
// print the summary, write the result files, stop the service.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';

const bin = new URL('../packages/cli/bin/run.js', import.meta.url).pathname;
const outDir = new URL('../out/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const child = spawn(process.execPath, [bin, 'quick', url, '-c', '20', '-d', '10s'], { stdio: 'inherit' });
const code = await new Promise((r) => child.on('close', r));
server.close();
process.exit(code ?? 1);
