import { createHmac } from 'node:crypto';
export function setup() {
  return { key: 'bench-key' };
}
export function beforeRequest(req, ctx) {
  req.headers['x-signature'] = createHmac('sha256', ctx.data.key).update(`${req.method} ${req.path}`).digest('hex');
}
