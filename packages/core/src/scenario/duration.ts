/**
 * Durations as users write them: `500ms`, `30s`, `5m`, `3h`, `1h30m`, `1.5s`, `250us`, `2d`.
 * One or more `<number><unit>` parts, units us|µs|ms|s|m|h|d; `0` alone is allowed.
 * A bare number other than 0 is rejected (is `30` seconds or milliseconds?).
 */

const UNIT_MS: Record<string, number> = { us: 0.001, 'µs': 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:us|µs|ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(us|µs|ms|s|m|h|d)/g;

/**
 * Milliseconds of a duration (`"500ms"`, `"30s"`, `"1h30m"`; the number 0), or undefined if
 * `input` is not one.
 */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return input === 0 ? 0 : undefined;
  const s = input.trim();
  if (s === '0') return 0;
  if (!WHOLE.test(s)) return undefined;
  let ms = 0;
  for (const m of s.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

/** A think-time range: `1s` (fixed) or `500ms..2s` (uniform between the two). */
export function parseDurationRange(input: string | number): { minMs: number; maxMs: number } | undefined {
  if (typeof input === 'string' && input.includes('..')) {
    const [a, b, ...rest] = input.split('..');
    if (rest.length > 0) return undefined;
    const min = parseDuration(a);
    const max = parseDuration(b);
    if (min === undefined || max === undefined || max < min) return undefined;
    return { minMs: min, maxMs: max };
  }
  const v = parseDuration(input);
  return v === undefined ? undefined : { minMs: v, maxMs: v };
}

/** Compact human form: 90000 -> "1m30s", 1500 -> "1.5s", 250 -> "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(3)}s`;
  let rest = Math.round(ms / 1000);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
}
