/**
 * Real HTTP servers on loopback for the tests: they count what they receive and
 * misbehave on purpose (status codes, delays, stalls, silence).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Requests received (all of them, answered or not). */
  received: number;
  /** Requests by "METHOD path". */
  byRoute: Map<string, number>;
  /** Highest number of requests in flight at once. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export type Handler = (n: number, req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A server that calls `handler` for request number n (1-based). */
export function startServer(handler: Handler): Promise<TestServer> {
  let inflight = 0;
  const state = { received: 0, byRoute: new Map<string, number>(), maxConcurrent: 0 };
  const server: Server = createServer((req, res) => {
    const n = ++state.received;
    const key = `${req.method} ${req.url}`;
    state.byRoute.set(key, (state.byRoute.get(key) ?? 0) + 1);
    inflight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inflight);
    res.on('close', () => inflight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(n, req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        get received() {
          return state.received;
        },
        byRoute: state.byRoute,
        get maxConcurrent() {
          return state.maxConcurrent;
        },
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** 200 with a small JSON body, except 500 for every `every`-th request. */
export function failEvery(every: number): Handler {
  return (n, _req, res) => json(res, n % every === 0 ? 500 : 200, { n });
}

/** Answers after `delayMs(n)` milliseconds. */
export function delayed(delayMs: (n: number) => number): Handler {
  return (n, _req, res) => {
    setTimeout(() => json(res, 200, { n }), delayMs(n));
  };
}

/** Never answers (the socket stays open until the client gives up). */
export const silent: Handler = () => {};

/** A loopback port with nothing listening on it. */
export function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
