/** The functions a template may call, and how values appear inside strings. */
import { randomUUID } from 'node:crypto';

/** What templates see at run time (vars and env are folded in when compiling). */
export interface TemplateContext {
  captures: Record<string, unknown>;
  /** Current row of each data source used by the flow. */
  rows: Record<string, Record<string, string> | undefined>;
  iteration: number;
  vu: number;
  /** Seeded PRNG in [0, 1). */
  rand: () => number;
}

interface FnDef {
  min: number;
  max: number;
  /** Literal argument kinds checked at parse time ('any' accepts refs too). */
  args?: Array<'number' | 'string' | 'any'>;
  constant?: boolean;
  impl: (args: unknown[], ctx: TemplateContext) => unknown;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function toInt(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

export const TEMPLATE_FUNCTIONS: Readonly<Record<string, FnDef>> = {
  uuid: { min: 0, max: 0, impl: () => randomUUID() },
  randomInt: {
    min: 2,
    max: 2,
    args: ['number', 'number'],
    impl: (a, ctx) => {
      const lo = toInt(a[0]);
      const hi = toInt(a[1]);
      return lo + Math.floor(ctx.rand() * (hi - lo + 1));
    },
  },
  randomString: {
    min: 1,
    max: 2,
    args: ['number', 'string'],
    impl: (a, ctx) => {
      const n = toInt(a[0]);
      const chars = a.length > 1 ? String(a[1]) || ALNUM : ALNUM;
      let s = '';
      for (let i = 0; i < n; i++) s += chars[Math.floor(ctx.rand() * chars.length)];
      return s;
    },
  },
  pick: { min: 1, max: Infinity, impl: (a, ctx) => a[Math.floor(ctx.rand() * a.length)] },
  now: { min: 0, max: 0, impl: () => Date.now() },
  isoNow: { min: 0, max: 0, impl: () => new Date().toISOString() },
  timestamp: { min: 0, max: 0, impl: () => Math.floor(Date.now() / 1000) },
  iteration: { min: 0, max: 0, impl: (_a, ctx) => ctx.iteration },
  vu: { min: 0, max: 0, impl: (_a, ctx) => ctx.vu },
  base64: { min: 1, max: 1, constant: true, impl: (a) => Buffer.from(stringify(a[0])).toString('base64') },
  urlencode: { min: 1, max: 1, constant: true, impl: (a) => encodeURIComponent(stringify(a[0])) },
  string: { min: 1, max: 1, constant: true, impl: (a) => stringify(a[0]) },
};

export const TEMPLATE_FUNCTION_NAMES: readonly string[] = Object.keys(TEMPLATE_FUNCTIONS);

/** How a value appears inside a string: null/undefined as "", objects as JSON. */
export function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
