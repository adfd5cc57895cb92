// A tiny API that wants a login and a signature on every request, for the hooks example
// (docs/library.md, "Log in once, sign every request"). Node's http module only.
//
//   POST /login   { user, password }  -> 200 { token, key }   (password "secret"; 401 otherwise)
//   GET  /orders/:id, POST /orders     need  authorization: Bearer <token>
//                                      and   x-signature: hex HMAC-SHA256(key, "METHOD path body")
//                                      -> 200/201, or 401 { error } (counted in /stats)
//   GET  /stats   -> { logins, signed, rejected }
//
//   node examples/library/signed-api.mjs [port]     # prints "signed-api listening on http://127.0.0.1:PORT"
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Start the API on 127.0.0.1 (port 0: a free one). */
export function startSignedApi({ port = 0 } = {}) {
  const sessions = new Map(); // token -> key
  const stats = { logins: 0, signed: 0, rejected: 0 };
  let orders = 0;
  const send = (res, status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.method === 'GET' && req.url === '/stats') return send(res, 200, stats);
      if (req.method === 'POST' && req.url === '/login') {
        const { password } = JSON.parse(body || '{}');
        if (password !== 'secret') return send(res, 401, { error: 'wrong password' });
        stats.logins++;
        const token = randomBytes(16).toString('hex');
        const key = randomBytes(16).toString('hex');
        sessions.set(token, key);
        return send(res, 200, { token, key });
      }
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const key = token === undefined ? undefined : sessions.get(token);
      const expected = key === undefined ? undefined : createHmac('sha256', key).update(`${req.method} ${req.url} ${body}`).digest('hex');
      if (expected === undefined || req.headers['x-signature'] !== expected) {
        stats.rejected++;
        return send(res, 401, { error: key === undefined ? 'not logged in' : 'bad signature' });
      }
      stats.signed++;
      if (req.method === 'POST' && req.url === '/orders') return send(res, 201, { id: `o-${++orders}` });
      if (req.method === 'GET' && req.url?.startsWith('/orders/')) return send(res, 200, { id: req.url.slice('/orders/'.length) });
      return send(res, 404, { error: 'no such route' });
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url,
        stats,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const api = await startSignedApi({ port: Number(process.argv[2] ?? 0) });
  console.log(`signed-api listening on ${api.url}`);
}
