import { Chalk, type ChalkInstance } from 'chalk';
import type { Interval, Reporter, RunMeta, Summary } from '@loadctl/core';
import { liveLine } from './live.js';
import { renderSummary } from './summary.js';

export interface ConsoleReporterOptions {
  /** Where the live line goes (default stderr, so --json stdout stays clean). */
  live?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where the summary goes (default stdout). */
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  /** No live line; summary only. */
  quiet?: boolean;
  /** No summary either (e.g. --json prints its own). */
  silentSummary?: boolean;
  /** Force colours on/off; default: chalk's detection (honours NO_COLOR, FORCE_COLOR, TTY). */
  color?: boolean;
}

function chalkFor(stream: { isTTY?: boolean }, color: boolean | undefined): ChalkInstance {
  if (color === false || process.env.NO_COLOR) return new Chalk({ level: 0 });
  if (color === true) return new Chalk({ level: 1 });
  return new Chalk({ level: stream.isTTY ? 1 : 0 });
}

/** Live progress and the final summary table on the terminal. */
export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  readonly kind = 'output' as const;
  private meta!: RunMeta;
  private readonly live: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly out: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly liveColor: ChalkInstance;
  private readonly outColor: ChalkInstance;
  private lineOpen = false;

  constructor(private readonly o: ConsoleReporterOptions = {}) {
    this.live = o.live ?? process.stderr;
    this.out = o.out ?? process.stdout;
    this.liveColor = chalkFor(this.live, o.color);
    this.outColor = chalkFor(this.out, o.color);
  }

  start(meta: RunMeta): void {
    this.meta = meta;
    if (!this.o.quiet) this.live.write(this.liveColor.dim(`loadctl ${meta.kind === 'quick' ? 'quick' : meta.scenario} → ${meta.target} · ${meta.model} · ${meta.workers} worker(s)\n`));
  }

  interval(i: Interval): void {
    if (this.o.quiet) return;
    const line = liveLine(i, this.meta, this.liveColor);
    if (this.live.isTTY) {
      this.live.write(`\r\u001b[2K${line}`);
      this.lineOpen = true;
    } else {
      this.live.write(`${line}\n`);
    }
  }

  end(summary: Summary): void {
    if (this.lineOpen) {
      this.live.write('\n');
      this.lineOpen = false;
    }
    if (!this.o.silentSummary) this.out.write(`${renderSummary(summary, this.outColor)}\n`);
  }
}
