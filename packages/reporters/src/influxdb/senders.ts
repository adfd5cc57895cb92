/**
 * The two write paths. Both POST line protocol with ms precision; both throw a
 * WriteError that says whether a retry may help. Secrets stay inside the sender.
 */
import { HttpError, InfluxDB } from '@influxdata/influxdb-client';

export class WriteError extends Error {
  readonly retriable: boolean;
  readonly status: number | undefined;
  /** Server-suggested delay (Retry-After), ms. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retriable: boolean, status?: number, retryAfterMs?: number) {
    super(message);
    this.name = 'WriteError';
    this.retriable = retriable;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface LineSender {
  /** Where points go, for notes — without secrets. */
  readonly target: string;
  send(body: string, signal: AbortSignal): Promise<void>;
  /** Every secret string this sender holds (to scrub from messages). */
  readonly secrets: readonly string[];
}

/** 408, 425, 429 and 5xx (but 501/505) are worth retrying; other 4xx are not (bad data, auth, missing db). */
export function retriableStatus(status: number): boolean {
  if (status === 408 || status === 425 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

function retryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  return /^\d+$/.test(value) ? Number(value) * 1000 : undefined;
}

/** Describe a network-level failure of fetch / http.request. */
function networkMessage(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return e.name === 'TimeoutError' ? 'request timed out' : 'request aborted';
  const cause = e?.cause;
  const code = cause?.code ?? e?.code;
  const msg = cause?.message ?? e?.message ?? String(err);
  return code && !msg.includes(code) ? `${code} ${msg}` : msg;
}

export interface V1SenderOptions {
  url: string;
  db: string;
  rp?: string;
  username?: string;
  password?: string;
}

/** InfluxDB 1.x: POST /write?db=&rp=&precision=ms with basic auth (Node's fetch). */
export class V1Sender implements LineSender {
  readonly target: string;
  readonly secrets: readonly string[];
  readonly #writeUrl: string;
  readonly #auth: string | undefined;

  constructor(o: V1SenderOptions) {
    const params = new URLSearchParams({ db: o.db, precision: 'ms' });
    if (o.rp) params.set('rp', o.rp);
    this.#writeUrl = `${o.url}/write?${params}`;
    this.target = `${o.url} (v1 db=${o.db}${o.rp ? ` rp=${o.rp}` : ''})`;
    if (o.username !== undefined) {
      const basic = Buffer.from(`${o.username}:${o.password ?? ''}`).toString('base64');
      this.#auth = `Basic ${basic}`;
      this.secrets = o.password ? [o.password, basic, encodeURIComponent(o.password)] : [basic];
    } else {
      this.secrets = [];
    }
  }

  async send(body: string, signal: AbortSignal): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
    if (this.#auth) headers.authorization = this.#auth;
    let res: Response;
    try {
      res = await fetch(this.#writeUrl, { method: 'POST', headers, body, signal });
    } catch (err) {
      throw new WriteError(networkMessage(err), true);
    }
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => undefined);
      return;
    }
    let text = '';
    try {
      text = (await res.text()).trim().slice(0, 300);
    } catch {
      /* body lost */
    }
    throw new WriteError(
      `HTTP ${res.status}${text ? `: ${text}` : ''}`,
      retriableStatus(res.status),
      res.status,
      retryAfter(res.headers.get('retry-after')),
    );
  }
}

export interface V2SenderOptions {
  url: string;
  org: string;
  bucket: string;
  token?: string;
  requestTimeoutMs: number;
}

/** InfluxDB 2.x API (`/api/v2/write`, also VictoriaMetrics): through the client library's transport. */
export class V2Sender implements LineSender {
  readonly target: string;
  readonly secrets: readonly string[];
  readonly #client: InfluxDB;
  readonly #path: string;

  constructor(o: V2SenderOptions) {
    // The client keeps the token in a private field and sends it as "Authorization: Token …".
    this.#client = new InfluxDB({ url: o.url, token: o.token, timeout: o.requestTimeoutMs });
    this.#path = `/api/v2/write?${new URLSearchParams({ org: o.org, bucket: o.bucket, precision: 'ms' })}`;
    this.target = `${o.url} (v2 org=${o.org} bucket=${o.bucket})`;
    this.secrets = o.token ? [o.token, encodeURIComponent(o.token)] : [];
  }

  async send(body: string, signal: AbortSignal): Promise<void> {
    try {
      await this.#client.transport.request(
        this.#path,
        body,
        { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, signal },
      );
    } catch (err) {
      if (err instanceof HttpError) {
        const text = (err.body ?? '').trim().slice(0, 300);
        throw new WriteError(
          `HTTP ${err.statusCode}${text ? `: ${text}` : ''}`,
          retriableStatus(err.statusCode),
          err.statusCode,
          err.retryAfter() > 0 ? err.retryAfter() * 1000 : undefined,
        );
      }
      const name = (err as Error)?.name;
      if (name === 'RequestTimedOutError') throw new WriteError('request timed out', true);
      throw new WriteError(networkMessage(err), true);
    }
  }
}
