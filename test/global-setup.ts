/**
 * Vitest global setup: bring every package's build up to date (`tsc -b`, incremental:
 * about a second when nothing changed) before any test file runs. Tests that go
 * through `@loadctl/core` or the CLI run the built `dist` (the engine's worker
 * threads must be JavaScript), so a plain `vitest run` never tests stale code.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function buildBeforeTests(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    execFileSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the build failed, so tests would run stale code:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}
