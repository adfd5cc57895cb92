import { LoadctlError, type Reporter, type Summary } from '@loadctl/core';
import { writeFileAtomic } from '@loadctl/core/internal';
import { renderJUnit } from './render.js';

/** Writes the JUnit XML of the summary to `path` at the end of the run (atomically). */
export class JUnitReporter implements Reporter {
  readonly name = 'junit';
  readonly kind = 'file' as const;
  readonly path: string;
  private written = false;

  constructor(path: string) {
    if (typeof path !== 'string' || path === '') throw new LoadctlError('E_REPORTER_CONFIG', 'JUnitReporter: path must be a non-empty string', 2);
    this.path = path;
  }

  async end(summary: Summary): Promise<void> {
    await writeFileAtomic(this.path, renderJUnit(summary));
    this.written = true;
  }

  notes(): string[] {
    return this.written ? [`JUnit XML written to ${this.path}`] : [];
  }
}
