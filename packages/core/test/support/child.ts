/**
 * Child processes for monitor tests: the built docstore example (a real fastify service)
 * started with `node`, its URL read from the line it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DOCSTORE_MAIN = fileURLToPath(new URL('../../../../examples/docstore/dist/main.js', import.meta.url));

export interface Child {
  proc: ChildProcess;
  pid: number;
  url: string;
  /** Kill it and wait until it has exited. */
  stop(): Promise<void>;
  exited: Promise<void>;
}

/** Start docstore on a free loopback port with extra env (e.g. LEAK_MEMORY_KB). */
export function startDocstore(env: Record<string, string> = {}): Promise<Child> {
  const proc = spawn(process.execPath, [DOCSTORE_MAIN, '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        resolve({
          proc,
          pid: proc.pid!,
          url: m[1],
          exited,
          stop: async () => {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    proc.once('exit', (code) => reject(new Error(`docstore exited (${code}) before listening: ${err}`)));
  });
}
