/** Number formatting shared by the console views. Latency inputs are microseconds. */

export function ms(us: number): string {
  const v = us / 1000;
  if (v === 0) return '0';
  if (v < 1) return v.toFixed(3);
  if (v < 10) return v.toFixed(2);
  if (v < 100) return v.toFixed(1);
  return v.toFixed(0);
}

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function rate(n: number): string {
  return n >= 100 ? int(n) : n.toFixed(1);
}

export function pct(ratio: number, digits = 2): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

export function duration(msTotal: number): string {
  const s = msTotal / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s` : `${m}m${String(sec).padStart(2, '0')}s`;
}

/** Strip ANSI escapes, for width computations. */
export function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** A plain text table: first row is the header; columns after the first are right-aligned. */
export function table(rows: string[][], indent = '  '): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(c))));
  return rows
    .map((r) =>
      indent +
      r
        .map((c, i) => {
          const pad = ' '.repeat(widths[i] - visibleLength(c));
          return i === 0 ? c + pad : pad + c;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
