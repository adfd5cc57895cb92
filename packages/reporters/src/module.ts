/**
 * Reporters of your own, as modules (docs/reporters.md, "A reporter of your own"): a module
 * whose default export is a factory `(options) => Reporter`, named by `--reporter
 * ./my-reporter.mjs` or by a scenario's `reporters: [{ type: ./my-reporter.mjs, ... }]`.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LoadctlError, type Reporter } from '@loadctl/core';

/** What a reporter module's factory is given. */
export interface ReporterModuleOptions {
  /** The other keys of its scenario entry (`{ type: ./x.mjs, file: out.jsonl }` gives `{ file: 'out.jsonl' }`); `{}` from `--reporter`. */
  options: Record<string, unknown>;
  /** The run's output directory (`--out-dir`), when there is one. */
  outDir?: string;
  /** `--quiet` was given: print nothing. */
  quiet: boolean;
  /** The environment (for secrets such as webhook tokens). */
  env: Record<string, string | undefined>;
}

/** The default export of a reporter module. */
export type ReporterFactory = (options: ReporterModuleOptions) => Reporter | Promise<Reporter>;

const METHODS = ['start', 'interval', 'end', 'notes', 'losses'] as const;

function moduleError(spec: string, problem: string, hint?: string): LoadctlError {
  return new LoadctlError('E_REPORTER_MODULE', `reporter module ${spec}: ${problem}`, 2, hint ?? 'a reporter module default-exports a function (options) => Reporter (docs/reporters.md)');
}

/** A reporter type that names a module rather than a built-in reporter: a path (`./x.mjs`, `/abs/x.js`) or a file: URL. */
export function isReporterModule(type: string): boolean {
  return /^(\.{1,2}[\\/]|[\\/]|file:)/i.test(type) || /\.[cm]?[jt]s$/i.test(type);
}

/** Check that `r` keeps the Reporter contract (a name, methods where given); returns it. */
export function checkReporter(r: unknown, spec: string): Reporter {
  if (r === null || typeof r !== 'object') throw moduleError(spec, `the factory returned ${r === null ? 'null' : typeof r}, not a reporter object`);
  const o = r as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name.trim() === '') throw moduleError(spec, 'the reporter has no name (a non-empty string `name`)');
  for (const m of METHODS) {
    if (o[m] !== undefined && typeof o[m] !== 'function') throw moduleError(spec, `"${m}" is a ${typeof o[m]}, not a function`);
  }
  if (o.kind !== undefined && !['sink', 'file', 'output'].includes(o.kind as string)) throw moduleError(spec, `kind "${String(o.kind)}" is not sink, file or output`);
  return r as Reporter;
}

/**
 * Import a reporter module (a path relative to `baseDir`, default the working directory, or a
 * file: URL), call its factory and check what it returns. Errors are bad input
 * (`E_REPORTER_MODULE`, exit 2), raised before any load is sent.
 */
export async function loadReporterModule(spec: string, o: ReporterModuleOptions & { baseDir?: string }): Promise<Reporter> {
  const url = /^file:/i.test(spec) ? spec : pathToFileURL(isAbsolute(spec) ? spec : resolve(o.baseDir ?? process.cwd(), spec)).href;
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw moduleError(spec, e?.code === 'ERR_MODULE_NOT_FOUND' ? `not found (${url})` : (e?.message ?? String(err)));
  }
  if (typeof mod.default !== 'function') throw moduleError(spec, 'its default export is not a function');
  const { baseDir: _b, ...options } = o;
  let made: unknown;
  try {
    made = await (mod.default as ReporterFactory)(options);
  } catch (err) {
    throw moduleError(spec, `the factory threw: ${err instanceof Error ? err.message : String(err)}`);
  }
  return checkReporter(made, spec);
}
