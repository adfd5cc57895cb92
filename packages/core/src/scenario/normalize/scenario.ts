/**
 * A scenario document -> the normalised `Scenario`. First the structure, against the
 * schema (types, keys, required keys, bounds, enums: structure.ts); then what a schema
 * cannot say (env substitution, defaults, conflicts between keys, references between
 * parts, templates, thresholds, data files), skipping the parts the schema rejected.
 * Every issue of both is collected before one ScenarioError is thrown.
 */
import { ScenarioError } from '../errors.js';
import { Issues } from '../issues.js';
import type { Scenario, ScenarioBase } from '../model.js';
import type { SourceMap } from '../parse.js';
import { COMMON, ScenarioSchema, type ScenarioInput } from '../schema/scenario.js';
import { checkStructure } from '../structure.js';
import { isObj } from '../values.js';
import { Context, type NormalizeOptions } from './context.js';
import { DEFAULT_PIPELINING, DEFAULT_TIMEOUT_MS } from './defaults.js';
import { normalizeFlows } from './flows.js';
import { normalizeLoad, normalizeRateShortfall } from './load.js';
import { normalizeLoads } from './loads.js';
import { dataColumns, normalizeData, normalizeHooks, normalizeReporters, normalizeSecrets, normalizeTags, normalizeTarget, normalizeVariables } from './sections.js';
import { templates } from './step.js';
import { normalizeThresholds } from './thresholds.js';

export type { NormalizeOptions } from './context.js';

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Validate and normalise a raw scenario document. Throws ScenarioError with every issue. */
export function normalizeScenario(raw: unknown, o: NormalizeOptions & { source: SourceMap }): Scenario {
  const issues = new Issues(o.source);
  const doc = raw === null || raw === undefined ? {} : raw;
  checkStructure(ScenarioSchema, doc, [], issues);
  if (!isObj(doc)) throw new ScenarioError(issues.done());
  const root = doc as ScenarioInput;
  const c = new Context(issues, o);
  const given = (k: keyof ScenarioInput) => root[k] !== undefined && c.ok([k]);
  const mapping = <T>(v: T): T | undefined => (isObj(v) ? v : undefined);

  const name = root.name === undefined ? (o.defaultName ?? 'scenario') : given('name') ? c.text(root.name, ['name'], { nonEmpty: true }) : undefined;
  const description = given('description') ? c.text(root.description, ['description']) : undefined;
  const target = root.target === undefined ? undefined : normalizeTarget(c, root.target);
  const timeoutMs = root.timeout === undefined ? DEFAULT_TIMEOUT_MS : given('timeout') ? c.ms(root.timeout, ['timeout'], COMMON.timeout) : undefined;
  const pipelining = root.pipelining === undefined ? DEFAULT_PIPELINING : given('pipelining') ? c.num(root.pipelining, ['pipelining'], COMMON.pipelining) : undefined;
  const secrets = normalizeSecrets(c, root.secrets);
  c.secretQuery = secrets?.query ?? [];
  const variables = normalizeVariables(c, mapping(root.variables));
  const data = normalizeData(c, mapping(root.data));
  const names = { vars: new Set(Object.keys(mapping(root.variables) ?? {}).filter((k) => VAR_NAME.test(k))), data: dataColumns(mapping(root.data), data) };

  // Side by side (`loads`) or one load (`load` + `flows`): the same checks, once per load.
  const multi = root.loads !== undefined;
  const loads = multi ? (Array.isArray(root.loads) ? normalizeLoads(c, root.loads, names) : undefined) : undefined;
  const flows = multi ? undefined : normalizeFlows(c, root, names);
  const captures = loads?.captures ?? flows?.captures;
  const headers = templates(c, mapping(root.headers), ['headers'], { ...names, captures: captures!, step: Infinity }, true);
  const load = multi ? undefined : normalizeLoad(c, root.load);
  const rateShortfall = multi ? undefined : normalizeRateShortfall(c, given('rateShortfall') ? root.rateShortfall : undefined, load);
  const thresholds = normalizeThresholds(
    c,
    root.thresholds,
    loads ? { flows: loads.flows, complete: loads.complete, loads: loads.names } : { flows: flows?.flows ?? [], complete: flows?.complete ?? false },
  );
  const reporters = Array.isArray(root.reporters) ? normalizeReporters(c, root.reporters) : [];
  const tags = normalizeTags(c, mapping(root.tags));
  const hooks = normalizeHooks(c, root.hooks);

  if (issues.count > 0 || name === undefined || target === undefined || timeoutMs === undefined || pipelining === undefined || (multi ? loads === undefined : load === undefined)) {
    throw new ScenarioError(issues.done());
  }
  const common: ScenarioBase = { name, target, headers, timeoutMs, pipelining, variables, data, thresholds: [...thresholds, ...(loads?.thresholds ?? [])], reporters, tags };
  if (description !== undefined) common.description = description;
  if (secrets) common.secrets = secrets;
  if (hooks !== undefined) common.hooks = hooks;
  if (o.source.file !== undefined) common.file = o.source.file;
  if (loads) return { ...common, loads: loads.loads };
  const s: Scenario = { ...common, load: load!, flows: flows!.flows };
  if (rateShortfall) s.rateShortfall = rateShortfall;
  return s;
}
