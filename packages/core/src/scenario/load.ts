/**
 * Entry points: load a scenario file, parse scenario text, validate a file, or define a
 * scenario in code (library users). All go through the same normalisation.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import type { CeilingContext, LoadCeilingOption } from './ceiling.js';
import type { Env } from './env.js';
import { makeIssue, ScenarioError, type ScenarioIssue } from './errors.js';
import type { Scenario } from './model.js';
import { normalizeScenario } from './normalize/scenario.js';
import type { ScenarioInput } from './schema/scenario.js';

export type { ScenarioInput } from './schema/scenario.js';
import { noSource, parseYaml } from './parse.js';

export interface ParseScenarioOptions {
  /** File name shown in messages and stored in `Scenario.file`. */
  file?: string;
  /** Environment for `${env.X}`; default process.env. */
  env?: Env;
  /** Directory data files are resolved against; default the file's directory, else cwd. */
  baseDir?: string;
  /** Worker threads the load will run on, for the load ceilings; default cores - 1. */
  workers?: number;
  /** Per-worker load ceilings (scenario/ceiling.ts); `false` lifts them. */
  loadCeiling?: LoadCeilingOption;
}

/** Options of loadScenario / validateScenarioFile. */
export type LoadScenarioOptions = Pick<ParseScenarioOptions, 'env' | 'workers' | 'loadCeiling'>;

function ceilingOf(opts: Pick<ParseScenarioOptions, 'workers' | 'loadCeiling'>): CeilingContext {
  return { workers: opts.workers, ceiling: opts.loadCeiling };
}

function defaultName(file: string | undefined): string | undefined {
  return file === undefined ? undefined : basename(file, extname(file));
}

/** Parse and validate scenario YAML text (data files are read synchronously). Throws ScenarioError. */
export function parseScenario(text: string, opts: ParseScenarioOptions = {}): Scenario {
  const { value, source } = parseYaml(text, opts.file);
  return normalizeScenario(value, {
    source,
    env: opts.env ?? process.env,
    baseDir: opts.baseDir ?? (opts.file !== undefined ? dirname(resolve(opts.file)) : process.cwd()),
    defaultName: defaultName(opts.file),
    ceiling: ceilingOf(opts),
  });
}

function fileError(path: string, e: unknown): ScenarioError {
  const err = e as NodeJS.ErrnoException;
  const problem = err.code === 'ENOENT' ? 'file not found' : err.code === 'EISDIR' ? 'is a directory' : `cannot read: ${err.message}`;
  return new ScenarioError([makeIssue({ code: 'E_FILE', file: path, path: '', problem, expected: 'a readable scenario .yml file' })]);
}

/** Read, parse and validate a scenario file, including its data files. Throws ScenarioError. */
export async function loadScenario(path: string, opts: LoadScenarioOptions = {}): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw fileError(path, e);
  }
  return parseScenario(text, { ...opts, file: path, baseDir: dirname(resolve(path)) });
}

/** Load without throwing: every issue found (empty when ok). */
export function validateScenarioFile(path: string, opts: LoadScenarioOptions = {}): { ok: boolean; issues: ScenarioIssue[]; scenario?: Scenario } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, issues: fileError(path, e).issues };
  }
  try {
    const scenario = parseScenario(text, { ...opts, file: path });
    return { ok: true, issues: [], scenario };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, issues: e.issues };
    throw e;
  }
}

// ---------------------------------------------------------------- defineScenario: the YAML shape, typed

/**
 * A scenario from a typed object in the YAML shape (for library users): the same
 * validation and defaults as a file, messages without positions. Throws ScenarioError.
 *
 * ```ts
 * const s = defineScenario({
 *   target: 'http://127.0.0.1:3000',
 *   load: { rate: 200, duration: '1m' },       // open model; { users, rate } does not compile
 *   steps: [{ get: '/items/${randomInt(1, 100)}', check: { status: 200 } }],
 *   thresholds: ['p(95) < 100ms'],
 * });
 * ```
 */
export function defineScenario(input: ScenarioInput, opts: { env?: Env; baseDir?: string } & LoadScenarioOptions = {}): Scenario {
  return normalizeScenario(input, { source: noSource(), env: opts.env ?? process.env, baseDir: opts.baseDir ?? process.cwd(), ceiling: ceilingOf(opts) });
}
