import type { ChalkInstance } from 'chalk';
import type { Interval, LoadInterval, RunMeta } from '@loadctl/core';
import { bytes, duration, int, ms, pct, rate } from './format.js';

/** One progress line per interval: elapsed/remaining, stage, users or rate, RPS, p50/p95/p99, errors, checks. */
export function liveLine(i: Interval, meta: RunMeta, c: ChalkInstance): string {
  const parts: string[] = [];
  const planned = meta.plannedDurationMs;
  parts.push(planned !== undefined ? `${duration(i.elapsedMs)}/${duration(planned)}` : duration(i.elapsedMs));
  if (i.stage && meta.kind === 'scenario') parts.push(i.stage);
  // Loads side by side: each load's rate or users (and its stage); else the run's.
  if (i.loads) for (const [name, l] of Object.entries(i.loads)) parts.push(`${c.bold(name)} ${loadState(l, meta, c).join(' ')}`);
  else parts.push(...loadState(i, meta, c));
  parts.push(c.bold(`${rate(i.rps)} req/s`));
  const p = i.total.latency.percentiles;
  parts.push(`p50 ${ms(p['50'] ?? 0)} p95 ${ms(p['95'] ?? 0)} p99 ${ms(p['99'] ?? 0)} ms`);
  const errors = i.total.failed;
  parts.push(errors > 0 ? c.red(`errors ${int(errors)}`) : 'errors 0');
  let passes = 0;
  let fails = 0;
  for (const k in i.checks) {
    passes += i.checks[k].passes;
    fails += i.checks[k].fails;
  }
  if (passes + fails > 0) parts.push(fails > 0 ? c.yellow(`checks ${pct(passes / (passes + fails), 1)}`) : `checks ${pct(1, 0)}`);
  if (i.dropped > 0) parts.push(c.red(`dropped ${int(i.dropped)}`));
  const target = i.monitor?.target;
  if (target?.rss !== undefined) parts.push(`target ${bytes(target.rss)}${target.fds !== undefined ? ` ${int(target.fds)} fds` : ''}`);
  if (i.generator.cpu >= 0.95) parts.push(c.yellow('generator busy'));
  return parts.join(c.dim(' │ '));
}

/** The open model's achieved/requested rate and in-flight count, or the closed model's users. */
function loadState(l: Pick<LoadInterval, 'targetRate' | 'achievedRate' | 'activeUsers'>, meta: RunMeta, c: ChalkInstance): string[] {
  const out: string[] = [];
  if (l.targetRate !== undefined) {
    const achieved = l.achievedRate ?? 0;
    const short = l.targetRate > 0 ? 1 - achieved / l.targetRate : 0;
    const r = `rate ${rate(achieved)}/${rate(l.targetRate)}/s`;
    out.push(short > 0.05 ? c.red.bold(`${r} SHORT ${pct(short, 0)}`) : r);
    out.push(`in flight ${int(l.activeUsers)}`);
  } else {
    out.push(`${meta.kind === 'quick' ? 'conns' : 'users'} ${int(l.activeUsers)}`);
  }
  return out;
}
