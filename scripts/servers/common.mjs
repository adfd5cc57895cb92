// Shared helpers for the test-server launchers: free ports, temp dirs, child
// processes that never outlive the process that started them.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(addr.port));
    });
  });
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

const live = new Set();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: a test that crashes before afterAll still leaves no server behind.
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

/**
 * Spawn `bin args` with output to `logFile`. Returns the child; it is SIGKILLed
 * when this process exits.
 */
export function spawnLogged(bin, args, logFile) {
  installExitHook();
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

export function logTail(logFile, lines = 30) {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Signal a child and wait for it to exit (SIGKILL after `graceMs`). */
export async function stopChild(child, signal = 'SIGTERM', graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Poll `check()` (async, truthy when ready) until it succeeds, the child exits
 * or `timeoutMs` passes.
 */
export async function waitReady(name, child, check, logFile, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited during startup (code ${child.exitCode}, signal ${child.signalCode}):\n${logTail(logFile)}`);
    }
    try {
      if (await check()) return;
    } catch {
      /* not listening yet */
    }
    await sleep(50);
  }
  await stopChild(child, 'SIGKILL');
  throw new Error(`${name} not ready after ${timeoutMs} ms:\n${logTail(logFile)}`);
}

export function removeDir(dir) {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
}
