import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Reporter, Summary } from '@loadctl/core';
import { renderJUnit } from './render.js';

/** Writes the JUnit XML of the summary to `path` at the end of the run (atomically). */
export class JUnitReporter implements Reporter {
  readonly name = 'junit';
  readonly kind = 'output' as const;
  readonly path: string;
  private written = false;

  constructor(path: string) {
    if (typeof path !== 'string' || path === '') throw new TypeError('JUnitReporter: path must be a non-empty string');
    this.path = path;
  }

  async end(summary: Summary): Promise<void> {
    const xml = renderJUnit(summary);
    const dir = dirname(this.path);
    const tmp = join(dir, `.${basename(this.path)}.${process.pid}.tmp`);
    await mkdir(dir, { recursive: true });
    try {
      await writeFile(tmp, xml, 'utf8');
      await rename(tmp, this.path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    this.written = true;
  }

  notes(): string[] {
    return this.written ? [`JUnit XML written to ${this.path}`] : [];
  }
}
