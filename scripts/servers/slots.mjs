// A target whose capacity is known by construction: `slots` requests are served
// at once, each for exactly `serviceMs`; the rest wait in a FIFO queue. Capacity
// = slots / serviceMs requests per millisecond (slots × 1000 / serviceMs per second).
//
// Each slot keeps its own clock: the next request in a slot starts when the
// previous one was due to end, not when its timer happened to fire, so a late
// timer delays one answer but never lowers the capacity. Beyond the queue bound
// (`maxQueue`, default unbounded) requests get 503.
//
//   const s = await startSlotServer({ slots: 8, serviceMs: 20 });   // 400 req/s
//   s.url; s.capacity; s.stats(); await s.close();
//
// As a program (for benches and CI examples):
//   node scripts/servers/slots.mjs --slots 8 --service-ms 20 [--port 0] [--host 127.0.0.1]
// prints `slots listening on http://127.0.0.1:PORT (capacity 400 req/s)` and serves until SIGINT/SIGTERM.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

export function startSlotServer({ slots, serviceMs, host = '127.0.0.1', port = 0, maxQueue = Infinity }) {
  if (!(Number.isInteger(slots) && slots > 0)) throw new Error(`slots must be a positive whole number, got ${slots}`);
  if (!(serviceMs > 0)) throw new Error(`serviceMs must be positive, got ${serviceMs}`);
  const queue = [];
  // Per slot: the time (performance.now()) its current request is due to end, or null when free.
  const busyUntil = new Array(slots).fill(null);
  const stats = { received: 0, served: 0, rejected: 0, maxQueue: 0 };
  const body = '{"ok":true}';

  function serveNext(slot, at) {
    const res = queue.shift();
    if (res === undefined) {
      busyUntil[slot] = null;
      return;
    }
    const end = at + serviceMs;
    busyUntil[slot] = end;
    setTimeout(() => {
      if (!res.destroyed) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
        stats.served++;
      }
      serveNext(slot, end);
    }, Math.max(0, end - performance.now()));
  }

  const server = createServer((req, res) => {
    stats.received++;
    req.resume();
    req.on('end', () => {
      if (queue.length >= maxQueue) {
        stats.rejected++;
        res.writeHead(503, { 'content-length': 0 });
        res.end();
        return;
      }
      queue.push(res);
      stats.maxQueue = Math.max(stats.maxQueue, queue.length);
      const free = busyUntil.indexOf(null);
      // A slot that went idle starts its clock again now.
      if (free >= 0) serveNext(free, performance.now());
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({
        url: `http://${host}:${addr.port}`,
        port: addr.port,
        capacity: (slots * 1000) / serviceMs,
        stats: () => ({ ...stats, queued: queue.length }),
        close: () =>
          new Promise((r) => {
            queue.length = 0;
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : fallback;
  };
  const s = await startSlotServer({
    slots: Number(arg('slots', '8')),
    serviceMs: Number(arg('service-ms', '20')),
    port: Number(arg('port', '0')),
    host: arg('host', '127.0.0.1'),
  });
  console.log(`slots listening on ${s.url} (capacity ${s.capacity} req/s)`);
  const stop = () => s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
