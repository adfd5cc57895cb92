/**
 * A scenario and the data files it reads, as the entries of one Kubernetes ConfigMap and
 * the paths they are mounted at, so that the pods see the same layout as the machine the
 * manifests were made on: the scenario file at the mount root, each data file at its path
 * relative to the scenario's folder.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { badInput } from '../errors.js';
import type { Scenario } from '../scenario/model.js';

/** ConfigMaps are limited to 1 MiB in all. */
export const CONFIGMAP_LIMIT_BYTES = 1024 * 1024;

export interface BundleEntry {
  /** ConfigMap key ([-._a-zA-Z0-9]+). */
  key: string;
  /** Path under the mount point. */
  path: string;
  text: string;
}

export interface ScenarioBundle {
  /** The scenario file's path under the mount point. */
  scenarioPath: string;
  entries: BundleEntry[];
  bytes: number;
}

const keyOf = (path: string): string => path.replace(/[^-._a-zA-Z0-9]/g, '_');

/**
 * The scenario file (as written, `${env.X}` unresolved: the pods resolve them) and every
 * data file it names. Data files must lie in the scenario's folder or below it (a
 * ConfigMap cannot mount `../x.csv`); the whole must fit a ConfigMap.
 */
export function bundleScenario(scenarioFile: string, scenario: Scenario): ScenarioBundle {
  const base = dirname(resolve(scenarioFile));
  const scenarioPath = keyOf(basename(scenarioFile));
  const entries: BundleEntry[] = [{ key: scenarioPath, path: scenarioPath, text: readFileSync(scenarioFile, 'utf8') }];
  const seen = new Set<string>();
  /** `asWritten`: the path as the scenario gives it (an absolute one is not mounted next to it). */
  const add = (file: string, asWritten: string, what: string, prefix: string): void => {
    const abs = isAbsolute(file) ? file : resolve(base, file);
    const rel = relative(base, abs);
    if (isAbsolute(asWritten) || rel.startsWith('..') || isAbsolute(rel)) {
      throw badInput(
        'E_K8S_DATA_FILE',
        `${what}: ${file} is outside the scenario's folder, so it cannot be mounted next to it`,
        'give data files and the hooks module as paths relative to the scenario file, in its folder or below, or bake them into the image',
      );
    }
    const path = normalize(rel).split(sep).join('/');
    if (seen.has(path)) return;
    seen.add(path);
    entries.push({ key: `${prefix}-${entries.length}.${keyOf(basename(path))}`, path, text: readFileSync(abs, 'utf8') });
  };
  for (const [name, d] of Object.entries(scenario.data)) {
    if (d.file === '(inline)') continue;
    add(d.file, d.file, `data source "${name}"`, 'data');
  }
  // The hooks module (stored resolved; one file: what it imports must be in the image).
  if (scenario.hooks !== undefined && !/^file:/i.test(scenario.hooks)) add(scenario.hooks, relative(base, scenario.hooks), 'hooks module', 'hooks');
  const bytes = entries.reduce((n, e) => n + Buffer.byteLength(e.text) + e.key.length, 0);
  if (bytes > CONFIGMAP_LIMIT_BYTES) {
    throw badInput(
      'E_K8S_TOO_BIG',
      `the scenario and its data files are ${(bytes / 1024).toFixed(0)} KiB, more than a ConfigMap holds (1 MiB)`,
      'bake large data files into the image (FROM loadctl … COPY data/ …) or mount them from a volume',
    );
  }
  return { scenarioPath, entries, bytes };
}
