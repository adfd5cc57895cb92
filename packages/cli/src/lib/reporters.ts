import { createReporters } from '@loadctl/reporters';
import type { Reporter, ReporterConfig } from '@loadctl/core';

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

/** The reporters the output flags (and a scenario's `reporters:` section) ask for. */
export function reportersFor(flags: OutputFlags, config: unknown, scenarioReporters: readonly ReporterConfig[] = [], defaultOutDir?: string): Reporter[] {
  const configs: ReporterConfig[] = [...scenarioReporters];
  for (const type of flags.reporter ?? []) {
    const fromFlags =
      type === 'influxdb'
        ? defined({ url: flags['influxdb-url'], db: flags['influxdb-db'], rp: flags['influxdb-rp'], org: flags['influxdb-org'], bucket: flags['influxdb-bucket'], flushIntervalMs: flags['influxdb-flush'] })
        : defined({ port: flags['prometheus-port'] });
    const existing = configs.findIndex((c) => c.type === type);
    if (existing >= 0) configs[existing] = { type, options: { ...configs[existing].options, ...fromFlags } };
    else configs.push({ type, options: fromFlags });
  }
  return createReporters(
    {
      config,
      quiet: flags.quiet,
      silentSummary: flags.json,
      outDir: flags['out-dir'] ?? defaultOutDir,
      resultFile: flags.out,
      htmlFile: flags.html,
      junitFile: flags.junit,
      prometheusPort: flags.reporter?.includes('prometheus') ? undefined : flags['prometheus-port'],
    },
    configs,
  );
}
