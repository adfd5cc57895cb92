import { LoadctlError, type MonitorConfig } from '@loadctl/core';
import { splitMonitorName } from '@loadctl/core/internal';

export interface MonitorFlags {
  'monitor-pid'?: string[];
  'monitor-cmd'?: string[];
  'monitor-url'?: string[];
  'monitor-series'?: string[];
  'monitor-self'?: boolean;
  'out-dir'?: string;
}

/** The monitor config the --monitor-* flags ask for, or undefined when nothing is to be sampled. Core validates the rest (exit 2). */
export function monitorConfigFrom(flags: MonitorFlags, defaultOutDir: string): MonitorConfig | undefined {
  const pids = (flags['monitor-pid'] ?? []).map((v) => {
    const { name, value } = splitMonitorName(v);
    if (!/^\s*\d+\s*$/.test(value)) throw new LoadctlError('E_BAD_OPTION', `--monitor-pid "${v}": expected a process id, or NAME=PID`, 2);
    return { name, pid: Number(value) };
  });
  const commands = (flags['monitor-cmd'] ?? []).map((command) => ({ command }));
  const urls = (flags['monitor-url'] ?? []).map((v) => {
    const { name, value } = splitMonitorName(v);
    return { name, url: value };
  });
  const self = flags['monitor-self'] !== false;
  if (pids.length + commands.length + urls.length === 0 && !self) return undefined;
  return { pids, commands, urls, series: flags['monitor-series'], generator: self, host: self, logDir: flags['out-dir'] ?? defaultOutDir };
}
