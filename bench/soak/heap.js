// Heap of every thread after a forced full GC, and the process RSS, without touching the
// engine: the main thread through global.gc (node --expose-gc), the worker threads through
// the in-process inspector (NodeWorker domain: HeapProfiler.collectGarbage, then
// Runtime.getHeapUsage inside each worker).
import inspector from 'node:inspector';

export async function heapSampler() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  const workers = new Map();
  const pending = new Map();
  let nextId = 1;
  session.on('NodeWorker.attachedToWorker', ({ params }) => workers.set(params.sessionId, params.workerInfo.title));
  session.on('NodeWorker.detachedFromWorker', ({ params }) => workers.delete(params.sessionId));
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    const m = JSON.parse(params.message);
    const done = pending.get(m.id);
    if (done) {
      pending.delete(m.id);
      done(m);
    }
  });
  await post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  const toWorker = (sessionId, method, params = {}) =>
    new Promise((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ error: 'timeout' });
      }, 10_000);
      pending.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) });
    });

  return {
    /** { main, workers: { title: MB }, rss } in MB; heaps measured after a full GC. */
    async sample() {
      globalThis.gc();
      const mem = process.memoryUsage();
      const out = { main: mem.heapUsed / 1e6, rss: mem.rss / 1e6, workers: {} };
      for (const [sid, title] of workers) {
        await toWorker(sid, 'HeapProfiler.collectGarbage');
        const r = await toWorker(sid, 'Runtime.getHeapUsage');
        if (r.result) out.workers[title] = r.result.usedSize / 1e6;
      }
      return out;
    },
    close() {
      session.disconnect();
    },
  };
}

/** Least-squares slope of y over x. */
export function slope(points) {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : NaN;
}
