/** thresholds (list or k6-style map) -> ThresholdSpec[]: scope references, grammar, scope fit. */
import { suggest } from '../errors.js';
import type { Flow, ThresholdSpec } from '../model.js';
import type { Seg } from '../parse.js';
import { ScopedThreshold, type ThresholdInput, type ThresholdsInput } from '../schema/thresholds.js';
import { checkThresholdScope, parseThreshold, scopeKind, ThresholdSyntaxError } from '../../thresholds/parse.js';
import { isObj } from '../values.js';
import type { Context } from './context.js';

type Item = Exclude<ThresholdInput, string> | string;
const DELAY = ScopedThreshold.properties.delayAbortEval;
const LOAD_SCOPE = 'load:';

export interface ThresholdNames {
  /** The flows whose requests and flows the scopes may name (every load's at the top level). */
  flows: Flow[];
  /** False when flows had issues: an unknown scope is then not reported (it may be one of them). */
  complete: boolean;
  /** Top level of a scenario with loads side by side: the names `load:<name>` may take. */
  loads?: readonly string[];
  /** Inside one of `loads`: its name (every threshold is scoped to it). */
  load?: string;
  /** Where the thresholds are: `[]` (top level) or `['loads', i]`. */
  base?: readonly Seg[];
}

export function normalizeThresholds(c: Context, v: ThresholdsInput | undefined, names: ThresholdNames): ThresholdSpec[] {
  const out: ThresholdSpec[] = [];
  if (v === undefined || v === null) return out;
  const base = names.base ?? [];
  const requests = new Set(names.flows.flatMap((f) => f.steps.map((s) => s.name)));
  const flowNames = new Set(names.flows.map((f) => `flow:${f.name}`));
  const loadNames = new Set((names.loads ?? []).map((n) => `${LOAD_SCOPE}${n}`));

  const add = (item: Item, p: Seg[], fixedScope: string | undefined) => {
    c.tick();
    if (!c.ok(p)) return;
    let expression: string | undefined;
    let exprPath = p;
    let scope = fixedScope ?? 'total';
    let scopePath: Seg[] = fixedScope === undefined ? p : p.slice(0, base.length + 2);
    let abortOnFail = false;
    let delayAbortEvalMs = 0;
    if (typeof item === 'string') expression = c.text(item, p);
    else {
      exprPath = [...p, 'expression'];
      expression = c.text(item.expression, exprPath);
      if ('scope' in item && item.scope !== undefined) {
        const sc = c.text(item.scope, [...p, 'scope'], { nonEmpty: true });
        if (sc === undefined) return;
        scope = sc;
        scopePath = [...p, 'scope'];
      }
      if (item.abortOnFail !== undefined) {
        const b = c.bool(item.abortOnFail, [...p, 'abortOnFail']);
        if (b === undefined) return;
        abortOnFail = b;
      }
      if (item.delayAbortEval !== undefined) {
        const d = c.ms(item.delayAbortEval, [...p, 'delayAbortEval'], DELAY);
        if (d === undefined) return;
        delayAbortEvalMs = d;
      }
    }
    if (expression === undefined) return;
    // `load:<name>`: that load's total (scenario thresholds of side-by-side loads).
    let load = names.load;
    if (load === undefined && loadNames.has(scope)) {
      load = scope.slice(LOAD_SCOPE.length);
      scope = 'total';
    }
    const kind = scopeKind(scope);
    const known = kind === 'total' || (kind === 'flow' ? flowNames.has(scope) : requests.has(scope));
    if (!known) {
      if (!names.complete && !scope.startsWith(LOAD_SCOPE)) return;
      const all = ['total', ...loadNames, ...flowNames, ...requests];
      const problem = scope.startsWith(LOAD_SCOPE)
        ? names.load !== undefined
          ? `"${scope}": inside a load, scopes are that load's own`
          : loadNames.size > 0
            ? `no load named "${scope.slice(LOAD_SCOPE.length)}"`
            : `"${scope}": this scenario has one load (load:<name> scopes need loads side by side)`
        : kind === 'flow'
          ? `no flow named "${scope.slice(5)}"${names.load !== undefined ? ` in load "${names.load}"` : ''}`
          : `no request named "${scope}"${names.load !== undefined ? ` in load "${names.load}"` : ''}`;
      c.issue('E_UNKNOWN_REFERENCE', scopePath, problem, {
        at: fixedScope !== undefined ? 'key' : 'value',
        expected: `"total"${loadNames.size > 0 ? ', "load:<name>"' : ''}, "flow:<name>" or a request name${all.length > 1 ? ` (${all.slice(1, 6).map((x) => `"${x}"`).join(', ')}${all.length > 6 ? ', ...' : ''})` : ''}`,
        suggestion: suggest(scope, all),
      });
      return;
    }
    try {
      const parsed = parseThreshold(expression);
      const why = load !== undefined && parsed.metric === 'trend' ? 'trend() is measured over the whole run (a threshold of the scenario, scope "total")' : checkThresholdScope(parsed, kind);
      if (why) return c.issue('E_BAD_THRESHOLD', exprPath, `"${expression}" in scope "${load !== undefined && scope === 'total' ? `${LOAD_SCOPE}${load}` : scope}": ${why}`, { expected: 'a metric measured in this scope' });
    } catch (e) {
      if (!(e instanceof ThresholdSyntaxError)) throw e;
      return c.issue('E_BAD_THRESHOLD', exprPath, `"${expression}": ${e.message}`, { expected: e.expected, needle: expression.slice(e.offset) || undefined });
    }
    const spec: ThresholdSpec = { expression: expression.trim(), scope, abortOnFail, delayAbortEvalMs };
    if (load !== undefined) spec.load = load;
    out.push(spec);
  };

  const at: Seg[] = [...base, 'thresholds'];
  if (Array.isArray(v)) v.forEach((item, i) => add(item, [...at, i], undefined));
  else if (isObj(v)) {
    for (const [scope, items] of Object.entries(v)) {
      const p: Seg[] = [...at, scope];
      if (Array.isArray(items)) items.forEach((item, i) => add(item, [...p, i], scope));
      else add(items, p, scope);
    }
  }
  return out;
}
