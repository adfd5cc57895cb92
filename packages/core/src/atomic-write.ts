/**
 * Writing output files so that nobody ever finds half of one: the data goes to a temp
 * file in the same directory, renamed over the target when complete. A temp file still
 * being written when the process exits (a third Ctrl-C, process.exit) is removed by an
 * exit hook, so an interrupted run never leaves partial or 0-byte files behind.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const inProgress = new Set<string>();
let hooked = false;

function removeLeftovers(): void {
  for (const tmp of inProgress) {
    try {
      unlinkSync(tmp);
    } catch {
      // already renamed or never created
    }
  }
  inProgress.clear();
}

/**
 * Track a temp file being written elsewhere (a streamed result.json, a checkpoint) so that it
 * is removed if the process exits before it is renamed; call the returned function when done.
 */
export function trackTempFile(tmp: string): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', removeLeftovers);
  }
  inProgress.add(tmp);
  return () => inProgress.delete(tmp);
}

/** Write `data` to `path` atomically (temp file + rename), creating parent directories. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  if (!hooked) {
    hooked = true;
    process.on('exit', removeLeftovers);
  }
  inProgress.add(tmp);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  } finally {
    inProgress.delete(tmp);
  }
}
