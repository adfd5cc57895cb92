import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Send `signal` (default SIGINT) once, as soon as `when` holds for the output so far (never on a timer). */
export interface SignalOn {
  when: (out: { stdout: string; stderr: string }) => boolean;
  signal?: NodeJS.Signals;
}

/** Run the real loadctl binary; optionally send signals when its output shows it got somewhere. */
export function loadctl(args: string[], opts: { signals?: SignalOn[]; env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const pending = [...(opts.signals ?? [])];
    const poke = (): void => {
      // In order: a signal fires only after the ones before it.
      while (pending.length > 0 && pending[0].when({ stdout, stderr })) child.kill(pending.shift()!.signal ?? 'SIGINT');
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      poke();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      poke();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The run is under way: a live progress line has been printed (needs no --quiet). */
export const liveLine = ({ stderr }: { stderr: string }): boolean => /req\/s/.test(stderr);
