import type { ChalkInstance } from 'chalk';
import type { Interval, RunMeta } from '@loadctl/core';
import { bytes, duration, int, ms, pct, rate } from './format.js';

/** One progress line per interval: elapsed/remaining, stage, users or rate, RPS, p50/p95/p99, errors, checks. */
export function liveLine(i: Interval, meta: RunMeta, c: ChalkInstance): string {
  const parts: string[] = [];
  const planned = meta.plannedDurationMs;
  parts.push(planned !== undefined ? `${duration(i.elapsedMs)}/${duration(planned)}` : duration(i.elapsedMs));
  if (i.stage && meta.kind === 'scenario') parts.push(i.stage);
  if (i.targetRate !== undefined) {
    const achieved = i.achievedRate ?? 0;
    const short = i.targetRate > 0 ? 1 - achieved / i.targetRate : 0;
    const r = `rate ${rate(achieved)}/${rate(i.targetRate)}/s`;
    parts.push(short > 0.05 ? c.red.bold(`${r} SHORT ${pct(short, 0)}`) : r);
    parts.push(`in flight ${int(i.activeUsers)}`);
  } else {
    parts.push(`${meta.kind === 'quick' ? 'conns' : 'users'} ${int(i.activeUsers)}`);
  }
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
