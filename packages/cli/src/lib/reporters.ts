import { dirname, resolve } from 'node:path';
import { checkOutputPaths, checkWritableDir, createReporters, isReporterModule, loadReporterModule } from '@loadctl/reporters';
import { LoadctlError, type Reporter, type ReporterConfig } from '@loadctl/core';

export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
  'out-dir'?: string;
  out?: string;
  html?: string;
  junit?: string;
  reporter?: string[];
  'influxdb-url'?: string;
  'influxdb-db'?: string;
  'influxdb-rp'?: string;
  'influxdb-org'?: string;
  'influxdb-bucket'?: string;
  'influxdb-flush'?: number;
  'prometheus-port'?: number;
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const SINKS = ['influxdb', 'prometheus'];

/**
 * The reporters the output flags (and a scenario's `reporters:` section) ask for: the
 * built-in ones, then reporter modules (`--reporter ./x.mjs`, relative to the working
 * directory; `type: ./x.mjs` in a scenario, relative to `scenarioDir`).
 */
export async function reportersFor(
  flags: OutputFlags,
  config: unknown,
  scenarioReporters: readonly ReporterConfig[] = [],
  defaultOutDir?: string,
  scenarioDir?: string,
): Promise<Reporter[]> {
  const configs: ReporterConfig[] = scenarioReporters.filter((c) => !isReporterModule(c.type));
  const modules = scenarioReporters.filter((c) => isReporterModule(c.type)).map((c) => ({ spec: c.type, options: c.options, baseDir: scenarioDir }));
  for (const type of flags.reporter ?? []) {
    if (isReporterModule(type)) {
      modules.push({ spec: type, options: {}, baseDir: undefined });
      continue;
    }
    if (!SINKS.includes(type)) {
      throw new LoadctlError('E_BAD_OPTION', `unknown --reporter "${type}"`, 2, `expected ${SINKS.join(', ')} or the path of a reporter module, e.g. ./my-reporter.mjs`);
    }
    const fromFlags =
      type === 'influxdb'
        ? defined({ url: flags['influxdb-url'], db: flags['influxdb-db'], rp: flags['influxdb-rp'], org: flags['influxdb-org'], bucket: flags['influxdb-bucket'], flushIntervalMs: flags['influxdb-flush'] })
        : defined({ port: flags['prometheus-port'] });
    const existing = configs.findIndex((c) => c.type === type);
    if (existing >= 0) configs[existing] = { type, options: { ...configs[existing].options, ...fromFlags } };
    else configs.push({ type, options: fromFlags });
  }
  const outDir = flags['out-dir'] ?? defaultOutDir;
  const reporters = createReporters(
    {
      config,
      quiet: flags.quiet,
      silentSummary: flags.json,
      outDir,
      resultFile: flags.out,
      htmlFile: flags.html,
      junitFile: flags.junit,
      prometheusPort: flags.reporter?.includes('prometheus') ? undefined : flags['prometheus-port'],
    },
    configs,
  );
  for (const m of modules) reporters.push(await loadReporterModule(m.spec, { options: m.options, outDir, quiet: flags.quiet === true, env: process.env, baseDir: m.baseDir }));
  return reporters;
}

/**
 * Before any load: every output path (--out-dir, -o, --junit, --html, and paths of the
 * scenario's file reporters) must be writable; the error names the path and the flag (exit 2).
 */
export async function checkOutputs(flags: OutputFlags, reporters: readonly Reporter[], defaultOutDir?: string): Promise<void> {
  const outDir = flags['out-dir'] ?? defaultOutDir;
  if (outDir !== undefined) await checkWritableDir(outDir, flags['out-dir'] !== undefined ? '--out-dir' : 'output directory (default of --out-dir)');
  const byPath = new Map<string, string>();
  if (flags.out) byPath.set(resolve(flags.out), '-o/--out');
  if (flags.junit) byPath.set(resolve(flags.junit), '--junit');
  if (flags.html) byPath.set(resolve(flags.html), '--html');
  await checkOutputPaths(reporters, (path, r) => {
    const abs = resolve(path);
    return byPath.get(abs) ?? (outDir !== undefined && dirname(abs) === resolve(outDir) ? '--out-dir' : `reporter "${r.name}" path`);
  });
}
