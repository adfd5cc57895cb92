/**
 * Calling hooks from a runner: the mutable request `beforeRequest` edits (headers turned
 * into an object only when the hook reads them), the response `afterResponse` reads, the
 * per-iteration context, and `invoke`, which tells a synchronous return, a throw and a
 * promise apart so that synchronous hooks cost no promise.
 */
import type { Dispatcher } from 'undici';
import type { IterationContext } from '../plan/compile.js';
import type { HttpMethod } from '../plan/program.js';
import type { HookContext, HookRequest, HookResponse, Hooks, WorkerHookName } from './hooks.js';

/** The hooks a worker runs, with the setup data and where hook errors go. */
export interface WorkerHooks {
  readonly beforeFlow?: Hooks['beforeFlow'];
  readonly beforeRequest?: Hooks['beforeRequest'];
  readonly afterResponse?: Hooks['afterResponse'];
  readonly data: unknown;
  readonly worker: number;
  /** Count a hook failure (its check, once-per-hook stack). */
  failed(hook: WorkerHookName, err: unknown): void;
}

/** A hook that threw or rejected. */
export class HookFailure {
  constructor(readonly hook: WorkerHookName, readonly error: unknown) {}
}

const METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE = /[\r\n\0]/;
const BAD_PATH = /[\s\0]/;
/** Headers the client writes itself. */
const OWN_HEADERS: ReadonlySet<string> = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Call `fn(a, b)`: undefined when it returned synchronously, a HookFailure when it threw, or
 * a promise of either when it returned one (given up after `timeoutMs`).
 */
export function invoke<A, B>(
  hook: WorkerHookName,
  fn: (a: A, b: B) => unknown,
  a: A,
  b: B,
  timeoutMs: number,
): undefined | HookFailure | Promise<undefined | HookFailure> {
  let r: unknown;
  try {
    r = fn(a, b);
  } catch (err) {
    return new HookFailure(hook, err);
  }
  if (!isThenable(r)) return undefined;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(new HookFailure(hook, new Error(`${hook} did not settle within ${timeoutMs} ms (the request's timeout)`))), timeoutMs);
    r.then(
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
      (err: unknown) => {
        clearTimeout(timer);
        resolve(new HookFailure(hook, err));
      },
    );
  });
}

/** The request a runner lets `beforeRequest` edit; one per runner, reset for every request. */
export class MutableRequest implements HookRequest {
  name = '';
  method: HttpMethod = 'GET';
  path = '/';
  body: string | null = null;
  private origin = '';
  private flat: string[] = [];
  private map: Record<string, string> | null = null;
  private was: { method: HttpMethod; path: string; body: string | null } = { method: 'GET', path: '/', body: null };

  reset(name: string, method: HttpMethod, origin: string, path: string, headers: string[], body: string | null): this {
    this.name = name;
    this.method = this.was.method = method;
    this.origin = origin;
    this.path = this.was.path = path;
    this.flat = headers;
    this.map = null;
    this.body = this.was.body = body;
    return this;
  }

  /** The hook changed nothing (it did not even read the headers): the request as prepared can go. */
  unchanged(): boolean {
    return this.map === null && this.method === this.was.method && this.path === this.was.path && this.body === this.was.body;
  }

  get url(): string {
    return this.origin + this.path;
  }

  set url(u: string) {
    if (typeof u !== 'string') throw new TypeError(`url must be a string, got ${typeof u}`);
    if (u.startsWith('/')) {
      this.path = u;
      return;
    }
    const parsed = new URL(u);
    if (parsed.origin !== this.origin) throw new Error(`a hook cannot send "${this.name}" to another origin (${parsed.origin} instead of ${this.origin})`);
    this.path = parsed.pathname + parsed.search;
  }

  get headers(): Record<string, string> {
    if (this.map === null) {
      const m: Record<string, string> = {};
      const f = this.flat;
      for (let i = 0; i + 1 < f.length; i += 2) m[f[i]] = f[i + 1];
      this.map = m;
    }
    return this.map;
  }

  set headers(h: Record<string, string>) {
    if (h === null || typeof h !== 'object') throw new TypeError('headers must be an object of name -> value');
    this.map = h;
  }

  /** The dispatch options of the edited request; throws when the hook left it invalid. */
  toDispatch(): Dispatcher.DispatchOptions {
    const method = typeof this.method === 'string' ? this.method.toUpperCase() : '';
    if (!METHODS.has(method)) throw new Error(`beforeRequest set method ${JSON.stringify(this.method)}; expected one of ${[...METHODS].join(', ')}`);
    if (typeof this.path !== 'string' || !this.path.startsWith('/') || BAD_PATH.test(this.path)) {
      throw new Error(`beforeRequest set path ${JSON.stringify(this.path)}; expected a path starting with "/" without spaces`);
    }
    if (this.body !== null && typeof this.body !== 'string') throw new Error(`beforeRequest set body to a ${typeof this.body}; expected a string or null (JSON.stringify objects)`);
    let headers = this.flat;
    if (this.map !== null) {
      headers = [];
      for (const k of Object.keys(this.map)) {
        const v = this.map[k];
        if (v === undefined || v === null) continue;
        const name = k.toLowerCase();
        if (!TOKEN.test(name)) throw new Error(`beforeRequest set header ${JSON.stringify(k)}: not a valid header name`);
        if (OWN_HEADERS.has(name)) throw new Error(`beforeRequest set header "${name}": loadctl sets it itself`);
        const value = String(v);
        if (BAD_VALUE.test(value)) throw new Error(`beforeRequest set header "${name}" to a value with a line break or NUL`);
        headers.push(name, value);
      }
    }
    return { path: this.path, method: method as Dispatcher.HttpMethod, headers, body: this.body, blocking: false };
  }
}

/** The response view of one exchange, for `afterResponse`. */
export function hookResponse(name: string, status: number, headers: Record<string, string>, body: string, durationMs: number): HookResponse {
  let parsed: { value: unknown } | null = null;
  return {
    name,
    status,
    headers,
    body,
    durationMs,
    json() {
      parsed ??= { value: JSON.parse(body) as unknown };
      return parsed.value;
    },
  };
}

/** What a runner's hook context records through. */
export interface HookContextHost {
  recordCheck(name: string, passed: boolean): void;
  random(): number;
}

/** The context a runner's hooks see; one per runner, pointed at each new iteration. */
export class RunnerHookContext implements HookContext {
  flow = '';
  iteration = 0;
  private it: IterationContext | null = null;

  constructor(
    readonly data: unknown,
    readonly worker: number,
    readonly vu: number,
    private readonly host: HookContextHost,
  ) {}

  begin(flow: string, it: IterationContext): void {
    this.flow = flow;
    this.iteration = it.iteration;
    this.it = it;
  }

  get vars(): Record<string, unknown> {
    return this.it!.captures;
  }

  check(name: string, passed: boolean): boolean {
    const ok = Boolean(passed);
    this.host.recordCheck(String(name), ok);
    return ok;
  }

  random(): number {
    return this.host.random();
  }
}
