/**
 * Leaks on purpose, for soak tests (docs/soak.md): switches that make every request keep
 * memory, or leave a TCP connection open, forever — the two faults a soak run exists to catch.
 * Off by default. Count-based (per request, not per second), so a test knows how much leaked
 * from how many requests it sent, however slow the machine.
 *
 *   LEAK_MEMORY_KB=N       (--leak-memory-kb N)       keep N KiB per request, in touched pages
 *   LEAK_SOCKETS_EVERY=N   (--leak-sockets-every N)   every Nth request opens a connection to an
 *                                                     in-process sink that neither side closes
 *                                                     (2 descriptors, 2 ESTABLISHED sockets each)
 *
 * Bounded so a forgotten switch cannot take a machine down: at most LEAK_MAX_MB (default 2048)
 * of memory and 10 000 connections; past that the service stops leaking.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { argValue } from '@loadctl-example/common';

export interface LeakOptions {
  /** KiB kept per request (0: none). */
  memoryKb?: number;
  /** Leak one TCP connection every this many requests (0: none). */
  socketsEvery?: number;
  /** Most memory leaked, MiB (default 2048). */
  maxMemoryMb?: number;
}

export const MAX_LEAKED_SOCKETS = 10_000;

/** What has leaked so far (for tests and GET /leak). */
export interface LeakState {
  requests: number;
  bytes: number;
  sockets: number;
}

/** Leak options from the environment and argv of a running service; undefined when all are off. */
export function leakOptionsFromProcess(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv.slice(2)): LeakOptions | undefined {
  const flag = (name: string): string | undefined => argValue(argv, name.slice(2));
  const num = (what: string, text: string | undefined): number => {
    if (text === undefined || text === '') return 0;
    const n = Number(text);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${what} must be a number >= 0, got "${text}"`);
    return n;
  };
  const memoryKb = num('LEAK_MEMORY_KB', flag('--leak-memory-kb') ?? env['LEAK_MEMORY_KB']);
  const socketsEvery = Math.floor(num('LEAK_SOCKETS_EVERY', flag('--leak-sockets-every') ?? env['LEAK_SOCKETS_EVERY']));
  const maxMemoryMb = num('LEAK_MAX_MB', env['LEAK_MAX_MB']) || undefined;
  if (memoryKb === 0 && socketsEvery === 0) return undefined;
  return { memoryKb, socketsEvery, maxMemoryMb };
}

/** Install the leaks on an app (an onResponse hook); the sink closes with the app. */
export function installLeaks(app: FastifyInstance, o: LeakOptions): LeakState {
  const state: LeakState = { requests: 0, bytes: 0, sockets: 0 };
  const kept: Buffer[] = [];
  const held: Socket[] = [];
  const perRequest = Math.floor((o.memoryKb ?? 0) * 1024);
  const maxBytes = (o.maxMemoryMb ?? 2048) * 1024 * 1024;
  const every = o.socketsEvery ?? 0;
  let sink: Server | undefined;
  let sinkPort = 0;

  if (every > 0) {
    app.addHook('onReady', async () => {
      sink = createServer((s) => held.push(s));
      await new Promise<void>((resolve) => sink!.listen(0, '127.0.0.1', resolve));
      sinkPort = (sink.address() as AddressInfo).port;
    });
    app.addHook('onClose', async () => {
      for (const s of held) s.destroy();
      await new Promise<void>((resolve) => (sink ? sink.close(() => resolve()) : resolve()));
    });
  }

  app.addHook('onResponse', async () => {
    state.requests++;
    if (perRequest > 0 && state.bytes + perRequest <= maxBytes) {
      kept.push(Buffer.alloc(perRequest, (state.requests & 0xff) | 1)); // filled: every page is touched and counts in RSS
      state.bytes += perRequest;
    }
    if (every > 0 && sinkPort > 0 && state.requests % every === 0 && state.sockets < MAX_LEAKED_SOCKETS) {
      const s = connect(sinkPort, '127.0.0.1');
      s.on('error', () => undefined);
      held.push(s);
      state.sockets++;
    }
  });
  return state;
}
