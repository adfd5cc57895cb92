/**
 * The main thread's side of a run's JavaScript hooks (docs/hooks.md): import the module,
 * run `setup()` once before the load and hand its value to every worker through the plan,
 * collect the first error of each worker hook (shown once, as a warning with its stack), and
 * run `teardown(data)` once at the end, on every way out.
 */
import { cannotProceed, badInput } from '../errors.js';
import { hookCheckName, importHooks, type Hooks, type TeardownContext } from '../engine/hooks.js';
import type { Warning } from '../metrics/model.js';
import type { HookErrorReport, WorkerSnapshot } from '../metrics/snapshot.js';
import { hooksModuleUrl } from '../plan/hooks.js';
import type { Plan } from '../plan/worker-plan.js';
import type { Scenario } from '../scenario/model.js';

/** How long `teardown` may take before the run gives up on it (ms). */
export const TEARDOWN_TIMEOUT_MS = 30_000;

export interface HookSession {
  /** Put the module and the setup data into every worker's plan. */
  attach(plan: Plan): void;
  /** Take the hook errors a worker snapshot carries; returns the warnings for errors seen for the first time. */
  observe(s: WorkerSnapshot): Warning[];
  /** Run teardown once (never throws; later calls do nothing): a warning when it failed. */
  teardown(endReason: string): Promise<Warning[]>;
  /** HOOK_ERROR warnings, one per failing hook (the objects `observe` returned). */
  warnings(): Warning[];
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`;
  return String(err);
}

function hookWarning(r: HookErrorReport): Warning {
  const first = r.stack !== undefined && r.stack.length > 0 ? r.stack : r.message;
  return {
    code: 'HOOK_ERROR',
    severity: 'error',
    message: `hook ${r.hook} failed (the check "${hookCheckName(r.hook)}" counts every failure); the first error, in worker ${r.worker}:\n${first}`,
  };
}

/** Import the scenario's hooks and run setup. Null when the scenario has none. */
export async function openHooks(scenario: Scenario, signal: AbortSignal | undefined): Promise<HookSession | null> {
  if (scenario.hooks === undefined) return null;
  const url = hooksModuleUrl(scenario.hooks);
  const hooks: Hooks = await importHooks(url);
  const ac = new AbortController();
  const onAbort = (): void => ac.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) ac.abort();
  let data: unknown;
  try {
    if (hooks.setup) data = await hooks.setup({ target: scenario.target, signal: ac.signal });
  } catch (err) {
    signal?.removeEventListener('abort', onAbort);
    throw cannotProceed('E_HOOK_SETUP', `setup() of the hooks ${url} failed: ${describe(err)}`, 'the load did not start; teardown was not run');
  }
  try {
    structuredClone(data);
  } catch (err) {
    signal?.removeEventListener('abort', onAbort);
    throw badInput(
      'E_HOOK_SETUP',
      `setup() of the hooks ${url} returned a value that cannot be sent to the worker threads: ${(err as Error).message}`,
      'return plain data (objects, arrays, strings, numbers, Maps, Dates...), no functions or sockets',
    );
  }
  const first = new Map<string, Warning>();
  let closed = false;
  return {
    attach(plan) {
      for (const w of plan.workers) w.hooks = { module: url, data };
    },
    observe(s) {
      const out: Warning[] = [];
      for (const r of s.hookErrors ?? []) {
        if (first.has(r.hook)) continue;
        const w = hookWarning(r);
        first.set(r.hook, w);
        out.push(w);
      }
      return out;
    },
    async teardown(endReason) {
      if (closed) return [];
      closed = true;
      signal?.removeEventListener('abort', onAbort);
      if (!hooks.teardown) return [];
      const ctx: TeardownContext = { target: scenario.target, signal: ac.signal, endReason };
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(() => hooks.teardown!(data, ctx)),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`teardown did not finish within ${TEARDOWN_TIMEOUT_MS / 1000} s`)), TEARDOWN_TIMEOUT_MS);
            timer.unref();
          }),
        ]);
        return [];
      } catch (err) {
        return [{ code: 'HOOK_TEARDOWN', severity: 'error', message: `teardown() of the hooks failed: ${describe(err)}` }];
      } finally {
        clearTimeout(timer);
      }
    },
    warnings() {
      return [...first.values()];
    },
  };
}
