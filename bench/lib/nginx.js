// Start Debian nginx (one worker) on a free loopback port with a fixed small JSON body,
// optionally pinned to one CPU core with taskset.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function which(bin) {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/sbin']) if (existsSync(join(dir, bin))) return join(dir, bin);
  return null;
}

export async function startNginx({ core = 0, body = '{"status":"ok","items":[1,2,3]}' } = {}) {
  const nginx = which('nginx');
  if (!nginx) throw new Error('nginx not found: apt-get install nginx-light');
  const dir = mkdtempSync(join(tmpdir(), 'loadctl-nginx-'));
  const port = await freePort();
  const conf = `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:${port};
    location / { default_type application/json; return 200 '${body}'; }
  }
}`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const cmd = which('taskset') ? ['taskset', ['-c', String(core), nginx, '-c', join(dir, 'nginx.conf')]] : [nginx, ['-c', join(dir, 'nginx.conf')]];
  const proc = spawn(cmd[0], cmd[1], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url: `http://127.0.0.1:${port}/`,
    stop() {
      proc.kill('SIGTERM');
      try { execFileSync('sleep', ['0.2']); } catch {}
    },
  };
}
