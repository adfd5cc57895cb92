import { connect } from 'node:net';
import { cannotProceed } from '../errors.js';

/** Open one TCP connection to the target before any load, so a typo'd port fails fast with exit 3. */
export function preflight(target: string, timeoutMs = 3000): Promise<void> {
  const url = new URL(target);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (why: string): void => {
      socket.destroy();
      reject(cannotProceed('E_TARGET_UNREACHABLE', `cannot reach ${url.host}: ${why}`, 'is the service running and listening on that address?'));
    };
    socket.setTimeout(timeoutMs, () => fail(`no connection within ${timeoutMs} ms`));
    socket.once('connect', () => {
      socket.end();
      socket.destroy();
      resolve();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => fail(err.code ?? err.message));
  });
}
