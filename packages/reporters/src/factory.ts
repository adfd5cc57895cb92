/**
 * Building reporters from what users ask for: the output options of a run
 * (console, result files) and `reporters:` entries of a scenario or flags
 * (`{ type: influxdb, ... }`). Shared by the CLI and library users.
 */
import { join, resolve } from 'node:path';
import { LoadctlError, type Reporter, type ReporterConfig } from '@loadctl/core';
import { ConsoleReporter } from './console/reporter.js';
import { HtmlReporter } from './html/index.js';
import { createInfluxReporter, influxOptionsFromEnv } from './influxdb/index.js';
import { JsonResultReporter } from './json/index.js';
import { JUnitReporter } from './junit/index.js';
import { createPrometheusReporter, PrometheusReporter } from './prometheus/index.js';

export interface OutputOptions {
  /** The redacted scenario/options stored in result files. */
  config: unknown;
  /** Console: live line and summary (default on). */
  console?: boolean;
  quiet?: boolean;
  /** Print no human summary (the caller prints JSON). */
  silentSummary?: boolean;
  /** Write result.json, junit.xml and report.html into this directory. */
  outDir?: string;
  /** Explicit file paths (override outDir's defaults; '' disables). */
  resultFile?: string;
  junitFile?: string;
  htmlFile?: string;
  /** Serve Prometheus /metrics on this port during the run. */
  prometheusPort?: number;
  /** Where secrets for sinks come from (LOADCTL_INFLUXDB_TOKEN, ...). Default process.env. */
  env?: Record<string, string | undefined>;
}

function configError(message: string): LoadctlError {
  return new LoadctlError('E_REPORTER_CONFIG', message, 2);
}

function pathOption(c: ReporterConfig, base: string | undefined, fallback: string): string {
  const p = c.options.path;
  if (p !== undefined && typeof p !== 'string') throw configError(`reporter "${c.type}": "path" must be a string`);
  return resolve(base ?? '.', p ?? fallback);
}

/** One reporter from a `{ type, ...options }` entry. */
export function reporterFromConfig(c: ReporterConfig, o: Pick<OutputOptions, 'config' | 'env' | 'outDir'>): Reporter {
  switch (c.type) {
    case 'influxdb':
    case 'influx':
      return createInfluxReporter({ ...influxOptionsFromEnv(o.env ?? process.env), ...c.options });
    case 'prometheus':
      return createPrometheusReporter(c.options);
    case 'json':
      return new JsonResultReporter({ path: pathOption(c, o.outDir, 'result.json') });
    case 'junit':
      return new JUnitReporter(pathOption(c, o.outDir, 'junit.xml'));
    case 'html':
      return new HtmlReporter(pathOption(c, o.outDir, 'report.html'));
    default:
      throw configError(`unknown reporter type "${c.type}"; expected one of influxdb, prometheus, json, junit, html`);
  }
}

/** The reporters of a run: console and files from `o`, plus the configured ones. */
export function createReporters(o: OutputOptions, configs: readonly ReporterConfig[] = []): Reporter[] {
  const reporters: Reporter[] = [];
  if (o.console !== false) reporters.push(new ConsoleReporter({ quiet: o.quiet, silentSummary: o.silentSummary }));
  const file = (explicit: string | undefined, name: string): string | undefined => {
    if (explicit === '') return undefined;
    if (explicit !== undefined) return resolve(explicit);
    return o.outDir !== undefined ? join(resolve(o.outDir), name) : undefined;
  };
  const result = file(o.resultFile, 'result.json');
  const junit = file(o.junitFile, 'junit.xml');
  const html = file(o.htmlFile, 'report.html');
  const types = new Set(configs.map((c) => c.type));
  if (result && !types.has('json')) reporters.push(new JsonResultReporter({ path: result }));
  if (junit && !types.has('junit')) reporters.push(new JUnitReporter(junit));
  if (html && !types.has('html')) reporters.push(new HtmlReporter(html));
  if (o.prometheusPort !== undefined && !types.has('prometheus')) reporters.push(new PrometheusReporter({ port: o.prometheusPort }));
  for (const c of configs) reporters.push(reporterFromConfig(c, o));
  return reporters;
}
