/** Where a run's hooks module is imported from: each worker imports it by this URL (docs/hooks.md). */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The file: URL of a hooks module given as a path (relative to `baseDir`, default the working directory) or a file: URL. */
export function hooksModuleUrl(pathOrUrl: string, baseDir = process.cwd()): string {
  if (/^file:/i.test(pathOrUrl)) return pathOrUrl;
  return pathToFileURL(isAbsolute(pathOrUrl) ? pathOrUrl : resolve(baseDir, pathOrUrl)).href;
}
