// Test helpers of the examples: build an example with tsc and run its dist entries as real
// child processes. `exampleTestkit(import.meta.url of a file in <example>/test/)` binds them
// to that example.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface ExampleTestkit {
  /** The example's directory, with a trailing slash. */
  packageDir: string;
  /** `tsc -b` the example (incremental: a no-op when dist is current). */
  buildPackage(): void;
  /** Spawn `node dist/<script>` and wait for its first stdout line, which must contain a URL. */
  spawnEntry(script: string, options?: { args?: string[]; env?: Record<string, string> }): Promise<Spawned>;
}

export function exampleTestkit(testFileUrl: string): ExampleTestkit {
  const packageDir = fileURLToPath(new URL('..', testFileUrl));
  return {
    packageDir,
    buildPackage: () => buildPackage(packageDir),
    spawnEntry: (script, options) => spawnEntry(packageDir, script, options),
  };
}

function buildPackage(packageDir: string): void {
  const tsc = `${repoRoot}node_modules/typescript/bin/tsc`;
  if (!existsSync(tsc)) throw new Error(`typescript not found at ${tsc}`);
  execFileSync(process.execPath, [tsc, '-b', packageDir], { stdio: 'pipe', timeout: 120_000 });
}

export interface Spawned {
  child: ChildProcessWithoutNullStreams;
  /** First stdout line. */
  line: string;
  url: string;
  stderr(): string;
  /** Sends a signal and resolves with the exit code and signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function spawnEntry(packageDir: string, script: string, options: { args?: string[]; env?: Record<string, string> } = {}): Promise<Spawned> {
  const child = spawn(process.execPath, [`${packageDir}dist/${script}`, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output from ${script} within 10 s; stderr: ${stderr}`)), 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const nl = stdout.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, nl));
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before printing; stderr: ${stderr}`));
    });
  });
  const url = /http:\/\/\S+/.exec(line)?.[0] ?? '';
  return {
    child,
    line,
    url,
    stderr: () => stderr,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** `fetch` + parsed JSON body. */
export async function http(url: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; headers: Headers; body: any }> {
  const { json, ...rest } = init;
  const requestInit: RequestInit = json === undefined ? rest : { ...rest, body: JSON.stringify(json), headers: { 'content-type': 'application/json', ...(rest.headers as Record<string, string> | undefined) } };
  const res = await fetch(url, requestInit);
  const text = await res.text();
  let body: unknown = text;
  if (text.length > 0 && (res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body };
}
