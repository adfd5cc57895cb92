/** Number and time formatting for the server-rendered parts of the HTML report. */

const DASH = '—';

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A count with thousands separators: 12 345. */
export function fmtInt(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return Math.round(v).toLocaleString('en-US');
}

/** A value with at most `digits` decimals, fewer for large values. */
export function fmtNum(v: number | null | undefined, digits = 2): string {
  if (!finite(v)) return DASH;
  const abs = Math.abs(v);
  const d = abs >= 1000 ? 0 : abs >= 100 ? Math.min(digits, 1) : digits;
  return v.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d });
}

/** Microseconds shown as milliseconds. */
export function fmtMsFromUs(us: number | null | undefined): string {
  if (!finite(us)) return DASH;
  return fmtNum(us / 1000, 2);
}

/** A ratio 0..1 as a percentage. */
export function fmtRatio(r: number | null | undefined, digits = 2): string {
  if (!finite(r)) return DASH;
  const pct = r * 100;
  const smallest = 10 ** -digits;
  if (pct > 0 && pct < smallest) return `<${smallest}%`;
  return `${fmtNum(pct, digits)}%`;
}

export function fmtBytes(b: number | null | undefined): string {
  if (!finite(b)) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = b;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? fmtInt(v) : fmtNum(v, 1)} ${units[i]}`;
}

/** A duration: "850 ms", "42.5 s", "3h 00m 00s". */
export function fmtDuration(ms: number | null | undefined): string {
  if (!finite(ms)) return DASH;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${fmtNum(ms / 1000, 1)} s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}h ${pad(m)}m ${pad(s)}s` : `${m}m ${pad(s)}s`;
}

/** An instant in UTC: "2026-01-02 03:04:05 UTC". */
export function fmtInstant(epochMs: number | null | undefined): string {
  if (!finite(epochMs)) return DASH;
  return `${new Date(epochMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

/** A threshold figure in its unit: latency in ms, rates as %, else plain. */
export function fmtMetric(v: number | null | undefined, unit: string): string {
  if (!finite(v)) return DASH;
  switch (unit) {
    case 'ratio':
    case '%':
      return fmtRatio(v);
    case 'ms':
      return `${fmtNum(v, 2)} ms`;
    case '':
      return fmtNum(v, 3);
    default:
      return `${fmtNum(v, 3)} ${unit}`;
  }
}

/**
 * Relative change from `base` to `current` as a signed percentage: "+12.5%".
 * Null when it has no meaning (no base value).
 */
export function relDelta(base: number | null | undefined, current: number | null | undefined): number | null {
  if (!finite(base) || !finite(current)) return null;
  if (base === 0) return current === 0 ? 0 : null;
  return ((current - base) / Math.abs(base)) * 100;
}

export function fmtDelta(pct: number | null): string {
  if (pct === null) return DASH;
  if (Math.abs(pct) < 0.05) return '±0%';
  return `${pct > 0 ? '+' : '−'}${fmtNum(Math.abs(pct), 1)}%`;
}
