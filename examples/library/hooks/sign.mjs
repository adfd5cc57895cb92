// Hooks (docs/hooks.md) for examples/library/signed-load.mjs: log in once, before the load,
// and sign every request with the session's key. Each worker thread imports this file by
// its path; what setup() returns reaches every worker as ctx.data.
import { createHmac } from 'node:crypto';

/** Once, on the main thread: one login for the whole run. */
export async function setup({ target }) {
  const res = await fetch(`${target}/login`, { method: 'POST', body: JSON.stringify({ user: 'load', password: process.env.SIGNED_API_PASSWORD ?? 'secret' }) });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return await res.json(); // { token, key }
}

/** Before every request, in the workers: the session token and an HMAC of what is sent. */
export function beforeRequest(req, ctx) {
  req.headers.authorization = `Bearer ${ctx.data.token}`;
  req.headers['x-signature'] = createHmac('sha256', ctx.data.key).update(`${req.method} ${req.path} ${req.body ?? ''}`).digest('hex');
}

/** After every response: the new order's id for the next step (declared under variables:). */
export function afterResponse(res, ctx) {
  if (res.name === 'create order' && res.status === 201) ctx.vars.orderId = res.json().id;
}
