/**
 * A raw `net` server on loopback that answers each request with byte-exact response
 * bytes chosen by its path, written whole, split at given offsets or one byte at a
 * time, and then keeps, ends or drops the connection, or closes it once idle. It reads
 * pipelined requests and answers them in order. It records what it received.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface CorpusAnswer {
  /** The response bytes (latin1 if a string); omitted: never answer. */
  bytes?: Buffer | string;
  /** Write the bytes in pieces split at these offsets, pausing between pieces; 'drip': one byte at a time. */
  split?: number[] | 'drip';
  /** After writing: keep the connection (default), end it (FIN), or destroy it (RST when data is unread). */
  after?: 'keep' | 'end' | 'destroy';
  /** Close the connection once it has been idle this long after the answer. */
  closeIdleAfterMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  /** The request's length in bytes (head and body) and the bytes themselves. */
  bytes: number;
  raw: Buffer;
  connection: number;
}

export interface CorpusServer {
  origin: string;
  port: number;
  received: ReceivedRequest[];
  connections: number;
  /** Resolves when the server-side socket of connection `n` (1-based) has closed. */
  closed(n: number): Promise<void>;
  close(): Promise<void>;
}

const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 1));

async function writeAnswer(s: Socket, a: CorpusAnswer): Promise<void> {
  const bytes = a.bytes === undefined ? Buffer.alloc(0) : typeof a.bytes === 'string' ? Buffer.from(a.bytes, 'latin1') : a.bytes;
  const cuts = a.split === 'drip' ? Array.from({ length: Math.max(0, bytes.length - 1) }, (_, i) => i + 1) : (a.split ?? []);
  let from = 0;
  for (const at of [...cuts, bytes.length]) {
    if (s.destroyed) return;
    if (at > from) s.write(bytes.subarray(from, at));
    from = at;
    if (at < bytes.length) await pause();
  }
  if (a.after === 'end') s.end();
  else if (a.after === 'destroy') s.destroy();
}

/** `route(path, n)` answers the n-th request (1-based, over all connections). */
export function startCorpusServer(route: (path: string, n: number) => CorpusAnswer): Promise<CorpusServer> {
  const received: ReceivedRequest[] = [];
  const closes = new Map<number, Promise<void>>();
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((s) => {
    const id = ++connections;
    sockets.add(s);
    closes.set(id, new Promise((r) => s.once('close', () => r())));
    s.once('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let chain = Promise.resolve();
    let idle: NodeJS.Timeout | null = null;
    s.on('data', (d: Buffer) => {
      if (idle) clearTimeout(idle);
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        const m = /^content-length:\s*(\d+)/im.exec(head);
        const total = end + 4 + (m ? Number(m[1]) : 0);
        if (buf.length < total) return;
        const [method, path] = head.split(' ');
        const raw = Buffer.from(buf.subarray(0, total));
        buf = buf.subarray(total);
        received.push({ method, path, bytes: total, raw, connection: id });
        const answer = route(path, received.length);
        chain = chain.then(async () => {
          await writeAnswer(s, answer);
          if (answer.closeIdleAfterMs !== undefined && !s.destroyed) idle = setTimeout(() => s.destroy(), answer.closeIdleAfterMs);
        });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        received,
        get connections() {
          return connections;
        },
        closed: (n) => closes.get(n) ?? Promise.reject(new Error(`no connection ${n}`)),
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
