/**
 * Send one request through an HttpClient (fast or undici) with a handler that records
 * everything the engine could see: every head (1xx included) with its raw headers, the
 * body bytes, the trailers, the error kind, and the lean client's exact wire bytes.
 */
import { createHash } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { classifyError } from '../../src/engine/errors.js';
import { createClient, type HttpClient, type HttpClientKind } from '../../src/engine/connections.js';
import type { ErrorKind } from '../../src/metrics/model.js';

export interface Recorded {
  heads: Array<{ status: number; statusText: string; headers: string[] }>;
  bodyBytes: number;
  /** The body as latin1 text when short, else its sha256. */
  body: string;
  trailers: string[];
  error: ErrorKind | null;
}

export interface Sent {
  result: Recorded;
  /** From onWireBytes (the lean client only). */
  wire: { sent: number; received: number } | null;
}

export interface SendOptions {
  method?: Dispatcher.HttpMethod;
  body?: string;
  /** Flat [name, value, ...] as the engine passes them. */
  headers?: string[];
  /** Called with the abort callback when the request is written. */
  onConnect?: (abort: (err?: Error) => void) => void;
  /** Lean-client hints: false skips headers / body. */
  wantsHeaders?: boolean;
  wantsBody?: boolean;
}

export const CLIENTS: readonly HttpClientKind[] = ['fast', 'undici'];

export function client(kind: HttpClientKind, origin: string, pipelining = 1): HttpClient {
  return createClient({ origin, pipelining, timeoutMs: 5000, httpClient: kind });
}

export function send(c: HttpClient, path: string, o: SendOptions = {}): Promise<Sent> {
  return new Promise((resolve) => {
    const result: Recorded = { heads: [], bodyBytes: 0, body: '', trailers: [], error: null };
    const chunks: Buffer[] = [];
    let wire: Sent['wire'] = null;
    const done = (): void => {
      const body = Buffer.concat(chunks);
      result.bodyBytes = body.length;
      result.body = body.length <= 256 ? body.toString('latin1') : `sha256:${createHash('sha256').update(body).digest('hex')}`;
      resolve({ result, wire });
    };
    const handler: Dispatcher.DispatchHandler & Record<string, unknown> = {
      onConnect: (abort) => o.onConnect?.(abort),
      onHeaders: (status, raw, _resume, statusText) => {
        result.heads.push({ status, statusText, headers: raw.map((b) => b.toString('latin1')) });
        return true;
      },
      onData: (chunk) => {
        chunks.push(Buffer.from(chunk));
        return true;
      },
      onComplete: (trailers) => {
        result.trailers = (trailers ?? []).map((b) => String(b));
        done();
      },
      onError: (err) => {
        result.error = classifyError(err);
        done();
      },
      onWireBytes: (sent: number, received: number) => {
        wire = { sent, received };
      },
    };
    if (o.wantsHeaders !== undefined) handler.wantsHeaders = o.wantsHeaders;
    if (o.wantsBody !== undefined) handler.wantsBody = o.wantsBody;
    c.dispatch({ path, method: o.method ?? 'GET', headers: o.headers ?? [], body: o.body ?? null, blocking: false }, handler);
  });
}

/** Wait (bounded) until `cond` holds, checking on every turn of the event loop. */
export async function until(cond: () => boolean, turns = 5000): Promise<void> {
  for (let i = 0; i < turns && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!cond()) throw new Error('condition not reached');
}
