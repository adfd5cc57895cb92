/**
 * Hooks in JavaScript (docs/hooks.md): the contract a hooks module implements, and its
 * loading. A hooks module is imported by path in every worker thread (functions cannot be
 * sent to a thread, so each worker imports the module itself) and once on the main thread
 * for `setup` and `teardown`.
 */
import { badInput } from '../errors.js';
import type { HttpMethod } from '../plan/program.js';

/** What `setup` and `teardown` are given. */
export interface SetupContext {
  /** The scenario's target (base URL). */
  readonly target: string;
  /** Aborted when the run is interrupted (Ctrl-C, `stop()`): long setups should give up. */
  readonly signal: AbortSignal;
}

/** What `teardown` is given besides the setup data. */
export interface TeardownContext extends SetupContext {
  /** Why the load ended: `completed`, `interrupted`, `threshold_abort`, `rate_shortfall_abort` or `error`. */
  readonly endReason: string;
}

/** The state a hook sees: one per iteration of a flow, shared by that iteration's hooks. */
export interface HookContext<Data = unknown> {
  /** What `setup()` returned; each worker thread has its own copy (changes stay in that worker). */
  readonly data: Data;
  /** 0-based worker thread number within this process. */
  readonly worker: number;
  /** The global number (an integer) of the virtual user (closed model) or runner (open model) running the iteration. */
  readonly vu: number;
  /** The global number of this iteration (unique across workers and shards). */
  readonly iteration: number;
  /** The flow being run. */
  readonly flow: string;
  /**
   * This iteration's variables: the captures of earlier steps and whatever hooks set here.
   * `${name}` in a later step reads `vars.name` first; declare `name` under `variables:` (its
   * value there is the default) so that the scenario validates.
   */
  readonly vars: Record<string, unknown>;
  /** Count a named check; a failed one fails the iteration, like a scenario check. Returns `passed`. */
  check(name: string, passed: boolean): boolean;
  /** The worker's seeded PRNG, uniform in [0, 1): reproducible with the run's `seed`. */
  random(): number;
}

/** The request about to be sent: `beforeRequest` may change any writable field. */
export interface HookRequest {
  /** The request's name (its metric key); changing the request does not change it. */
  readonly name: string;
  method: HttpMethod;
  /** The absolute URL. Setting it changes the path and query; the origin cannot change. */
  url: string;
  /** Path and query string, e.g. `/users/42?page=2`. */
  path: string;
  /** Headers by lower-case name. Add, change or delete entries, or assign a new object. */
  headers: Record<string, string>;
  /** The body as text; `null` for none. */
  body: string | null;
}

/** The response `afterResponse` reads (every response with an HTTP status, whatever the status). */
export interface HookResponse {
  /** The request's name (its metric key). */
  readonly name: string;
  /** The HTTP status code (e.g. 200). */
  readonly status: number;
  /** Headers by lower-case name (repeated headers joined with ", "). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text. */
  readonly body: string;
  /** Latency of the request in ms, as recorded. */
  readonly durationMs: number;
  /** The body parsed as JSON (parsed once; throws when it is not JSON). */
  json(): unknown;
}

/**
 * A hooks module: named exports (or a default export object) of these functions, each
 * optional, each may be async. An error thrown (or a promise rejected) inside
 * `beforeFlow`, `beforeRequest` or `afterResponse` fails the check `hook:<name>` and ends the
 * iteration; the first error's stack is shown once as a HOOK_ERROR warning.
 */
export interface Hooks<Data = unknown> {
  /** Once, on the main thread, before the load; the value (structured-cloneable) reaches every worker as `ctx.data`. */
  setup?(ctx: SetupContext): Data | Promise<Data>;
  /** Once, on the main thread, after the load: also after an abort or an interrupt. */
  teardown?(data: Data, ctx: TeardownContext): void | Promise<void>;
  /** At the start of every iteration, before its first request. */
  beforeFlow?(ctx: HookContext<Data>): void | Promise<void>;
  /** Before every request is sent: may change its method, path, headers and body. */
  beforeRequest?(req: HookRequest, ctx: HookContext<Data>): void | Promise<void>;
  /** After every response, after the step's own captures and checks. */
  afterResponse?(res: HookResponse, ctx: HookContext<Data>): void | Promise<void>;
}

/** The hooks that run in workers, by name (checks are named `hook:<name>`). */
export const WORKER_HOOKS = ['beforeFlow', 'beforeRequest', 'afterResponse'] as const;
export type WorkerHookName = (typeof WORKER_HOOKS)[number];
const HOOK_NAMES = ['setup', 'teardown', ...WORKER_HOOKS] as const;

/** The check a failing hook fails. */
export const hookCheckName = (hook: WorkerHookName | string): string => `hook:${hook}`;

/** Import a hooks module and check its exports. Throws a bad-input LoadctlError (E_HOOKS) naming the module. */
export async function importHooks(url: string): Promise<Hooks> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e?.code === 'ERR_MODULE_NOT_FOUND' ? 'module not found' : e?.code === 'ERR_UNKNOWN_FILE_EXTENSION' ? 'no loader for this file type' : (e?.message ?? String(err));
    const hint =
      e?.code === 'ERR_UNKNOWN_FILE_EXTENSION'
        ? 'a .ts hooks file needs a TypeScript loader in node, e.g. NODE_OPTIONS="--import tsx" (docs/hooks.md)'
        : 'hooks are an ES module exporting setup, teardown, beforeFlow, beforeRequest or afterResponse';
    throw badInput('E_HOOKS', `cannot load the hooks module ${url}: ${why}`, hint);
  }
  const fromDefault = mod.default !== null && typeof mod.default === 'object' ? (mod.default as Record<string, unknown>) : {};
  const hooks: Record<string, unknown> = {};
  for (const name of HOOK_NAMES) {
    const own = mod[name] !== undefined;
    const fn = own ? mod[name] : fromDefault[name];
    if (fn === undefined) continue;
    if (typeof fn !== 'function') throw badInput('E_HOOKS', `hooks module ${url}: "${name}" is a ${typeof fn}, not a function`);
    hooks[name] = own ? fn : (fn as (...a: unknown[]) => unknown).bind(mod.default);
  }
  if (Object.keys(hooks).length === 0) {
    throw badInput('E_HOOKS', `hooks module ${url} exports no hook`, `export one of ${HOOK_NAMES.join(', ')} (named, or on a default export object)`);
  }
  return hooks as Hooks;
}
