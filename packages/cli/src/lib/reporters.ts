import { ConsoleReporter } from '@loadctl/reporters';
import type { Reporter } from '@loadctl/core';

export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
  out?: string;
  html?: string;
  junit?: string;
}

/** The reporters the shared output flags ask for. */
export function outputReporters(flags: OutputFlags): Reporter[] {
  const reporters: Reporter[] = [new ConsoleReporter({ quiet: flags.quiet, silentSummary: flags.json })];
  return reporters;
}
