/** thresholds (list or k6-style map) -> ThresholdSpec[]: scope references, grammar, scope fit. */
import { suggest } from '../errors.js';
import type { Flow, ThresholdSpec } from '../model.js';
import type { Seg } from '../parse.js';
import { ScopedThreshold, type ScenarioInput, type ThresholdInput } from '../schema/scenario.js';
import { checkThresholdScope, parseThreshold, scopeKind, ThresholdSyntaxError } from '../../thresholds/parse.js';
import { isObj } from '../values.js';
import type { Context } from './context.js';

type Item = Exclude<ThresholdInput, string> | string;
const DELAY = ScopedThreshold.properties.delayAbortEval;

export interface ThresholdNames {
  flows: Flow[];
  /** False when flows had issues: an unknown scope is then not reported (it may be one of them). */
  complete: boolean;
}

export function normalizeThresholds(c: Context, v: ScenarioInput['thresholds'], names: ThresholdNames): ThresholdSpec[] {
  const out: ThresholdSpec[] = [];
  if (v === undefined || v === null) return out;
  const requests = new Set(names.flows.flatMap((f) => f.steps.map((s) => s.name)));
  const flowNames = new Set(names.flows.map((f) => `flow:${f.name}`));

  const add = (item: Item, p: Seg[], fixedScope: string | undefined) => {
    c.tick();
    if (!c.ok(p)) return;
    let expression: string | undefined;
    let exprPath = p;
    let scope = fixedScope ?? 'total';
    let scopePath: Seg[] = fixedScope === undefined ? p : p.slice(0, 2);
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
    const kind = scopeKind(scope);
    const known = kind === 'total' || (kind === 'flow' ? flowNames.has(scope) : requests.has(scope));
    if (!known) {
      if (!names.complete) return;
      const all = ['total', ...flowNames, ...requests];
      c.issue('E_UNKNOWN_REFERENCE', scopePath, kind === 'flow' ? `no flow named "${scope.slice(5)}"` : `no request named "${scope}"`, {
        at: fixedScope !== undefined ? 'key' : 'value',
        expected: `"total", "flow:<name>" or a request name (${all.slice(1, 6).map((x) => `"${x}"`).join(', ')}${all.length > 6 ? ', ...' : ''})`,
        suggestion: suggest(scope, all),
      });
      return;
    }
    try {
      const why = checkThresholdScope(parseThreshold(expression), kind);
      if (why) return c.issue('E_BAD_THRESHOLD', exprPath, `"${expression}" in scope "${scope}": ${why}`, { expected: 'a metric measured in this scope' });
    } catch (e) {
      if (!(e instanceof ThresholdSyntaxError)) throw e;
      return c.issue('E_BAD_THRESHOLD', exprPath, `"${expression}": ${e.message}`, { expected: e.expected, needle: expression.slice(e.offset) || undefined });
    }
    out.push({ expression: expression.trim(), scope, abortOnFail, delayAbortEvalMs });
  };

  if (Array.isArray(v)) v.forEach((item, i) => add(item, ['thresholds', i], undefined));
  else if (isObj(v)) {
    for (const [scope, items] of Object.entries(v)) {
      const p: Seg[] = ['thresholds', scope];
      if (Array.isArray(items)) items.forEach((item, i) => add(item, [...p, i], scope));
      else add(items, p, scope);
    }
  }
  return out;
}
