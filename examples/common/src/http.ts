// Shared plumbing for the example services (the same file lives in each example
// package, so every package stays self-contained and publishable on its own).
import fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';

/** Options every example service understands. */
export interface BaseAppOptions {
  /** Enable fastify's logger (off by default: logging would slow a load test down). */
  logger?: boolean;
  /** Maximum accepted body size in bytes (default 1 MiB). */
  bodyLimit?: number;
}

export interface ListenOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
}

export interface RunningService {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** An HTTP error carrying the JSON body `{ error, field? }`. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly field: string | undefined;
  constructor(statusCode: number, message: string, field?: string) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.field = field;
  }
}

export const badRequest = (message: string, field?: string): HttpError => new HttpError(400, message, field);
export const notFound = (message: string, field?: string): HttpError => new HttpError(404, message, field);

/** JSON schema of the error body, used for response serialisation. */
export const errorSchema = {
  type: 'object',
  properties: { error: { type: 'string' }, field: { type: 'string' } },
} as const;

interface AjvErrorLike {
  keyword: string;
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

function fieldFromValidation(err: FastifyError): string {
  const first = err.validation?.[0] as AjvErrorLike | undefined;
  const context = err.validationContext ?? 'body';
  if (!first) return context;
  const segments = first.instancePath.split('/').filter((s) => s.length > 0);
  const missing = first.params['missingProperty'];
  if (typeof missing === 'string') segments.push(missing);
  const additional = first.params['additionalProperty'];
  if (typeof additional === 'string') segments.push(additional);
  return segments.length > 0 ? segments.join('.') : context;
}

function messageFromValidation(err: FastifyError, field: string): string {
  const first = err.validation?.[0] as AjvErrorLike | undefined;
  if (!first) return err.message;
  if (first.keyword === 'required') return `${field} is required`;
  if (first.keyword === 'enum') {
    const allowed = first.params['allowedValues'];
    return Array.isArray(allowed) ? `${field} must be one of ${allowed.join(', ')}` : `${field} ${first.message ?? 'is invalid'}`;
  }
  return `${field} ${first.message ?? 'is invalid'}`;
}

/**
 * Creates a fastify instance with the conventions shared by all examples:
 * logger off, no type coercion (a number where a string is expected is a 400),
 * tolerant JSON body parsing (any content type is parsed as JSON; an empty body
 * is `undefined`), `{ error, field }` error bodies, a JSON 404 and `GET /health`.
 */
export function createBaseApp(options: BaseAppOptions = {}): FastifyInstance {
  const app = fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false, allErrors: false, allowUnionTypes: true } },
  });

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  const parser = (req: unknown, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.length === 0 || text.trim().length === 0) {
      done(null, undefined);
      return;
    }
    // The default parser only inspects the body; `req` is part of its signature.
    parseJson(req as never, text, done as never);
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parser);
  app.addContentTypeParser('*', { parseAs: 'string' }, parser);

  app.setErrorHandler((error: FastifyError | HttpError, _request, reply) => {
    if (error instanceof HttpError) {
      void reply.code(error.statusCode).send(error.field === undefined ? { error: error.message } : { error: error.message, field: error.field });
      return;
    }
    if (error.validation) {
      const field = fieldFromValidation(error);
      void reply.code(400).send({ error: messageFromValidation(error, field), field });
      return;
    }
    // Includes bodies with `__proto__` / `constructor.prototype` keys, which the parser rejects.
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      void reply.code(400).send({ error: 'body is not valid JSON', field: 'body' });
      return;
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      void reply.code(413).send({ error: 'body too large', field: 'body' });
      return;
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    void reply.code(status).send({ error: status >= 500 ? 'internal error' : error.message });
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0] ?? ''}` });
  });

  app.get('/health', { schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  return app;
}

/** Starts listening and returns the URL, the port and a `close()` function. */
export async function listen(app: FastifyInstance, options: ListenOptions = {}): Promise<RunningService> {
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  const address = app.server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' || host.includes(':') ? `[${address.address}]` : host;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    close: async () => {
      await app.close();
    },
  };
}

/** Parses a time given as an ISO-8601 string or epoch milliseconds; returns epoch ms or undefined. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) <= 8.64e15 ? value : undefined;
  }
  if (typeof value !== 'string' || value.length === 0) return undefined;
  if (/^-?\d+$/.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) && Math.abs(n) <= 8.64e15 ? n : undefined;
  }
  return parseIsoDate(value);
}

/**
 * Parses an ISO-8601 date (`2030-06-12`, midnight UTC) or date-time (`2030-06-12T19:30:00Z`,
 * offsets allowed; without a zone it is the server's local time). Impossible dates such as
 * Feb 31 are rejected rather than rolled over. Returns epoch ms or undefined.
 */
export function parseIsoDate(value: string): number | undefined {
  const match = ISO_8601.exec(value);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

// Date, or date-time with optional seconds, fraction and zone.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Reads `--name value` / `--name=value` from argv. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/** Port and host for a runnable entry: `--port`/`--host` flags win over `PORT`/`HOST`. */
export function listenOptionsFromProcess(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Required<ListenOptions> {
  const rawPort = argValue(argv, 'port') ?? env['PORT'] ?? '0';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port ${JSON.stringify(rawPort)}: expected an integer 0-65535`);
  }
  return { port, host: argValue(argv, 'host') ?? env['HOST'] ?? '127.0.0.1' };
}

/**
 * Runs a service as a process: prints `<name> listening on <url>` (one line on stdout),
 * closes it on SIGINT/SIGTERM and exits 0 (or 1 if closing fails or takes over 5 s).
 */
export async function runMain(name: string, startService: (listen: Required<ListenOptions>) => Promise<RunningService>): Promise<void> {
  let service: RunningService;
  try {
    service = await startService(listenOptionsFromProcess());
  } catch (err) {
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  process.stdout.write(`${name} listening on ${service.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => process.exit(1), 5000);
    timer.unref();
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${name}: error while closing: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
