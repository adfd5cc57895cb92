/**
 * `loadctl k8s`: Kubernetes manifests that run one scenario split over N pods of an
 * Indexed Job. Pod i runs `loadctl run … --segment (i+1)/N --start-at T`: each runs its
 * exact part of the load and all start together; results go to a shared volume (and/or
 * InfluxDB, tagged `shard`), and a second Job merges them when all N are there.
 *
 * Objects: a ConfigMap (the scenario and its data files), a PersistentVolumeClaim
 * (ReadWriteMany, unless an existing claim is named), the shard Job and the merge Job.
 */
import { stringify } from 'yaml';
import { badInput } from '../errors.js';
import { plannedDurationMs } from '../scenario/loads.js';
import type { Scenario } from '../scenario/model.js';
import { bundleScenario } from './bundle.js';

export type K8sResults = 'pvc' | 'influxdb';

export interface K8sOptions {
  /** Path of the scenario file (read as written; its data files are bundled too). */
  scenarioFile: string;
  /** The loaded scenario (for its name, data files and planned duration). */
  scenario: Scenario;
  shards: number;
  image: string;
  namespace?: string;
  /** Base name of the objects; default `loadctl-<scenario>-<start time>`. */
  name?: string;
  /** Where results go; default ['pvc']. */
  results?: readonly K8sResults[];
  /** Epoch ms every shard starts at. */
  startAt: number;
  /** How late a pod may start and still run (default 30 s). */
  startToleranceMs?: number;
  /** CPU per pod (request = limit), Kubernetes quantity; default "2". */
  cpu?: string;
  /** Memory per pod (request = limit); default "1Gi". */
  memory?: string;
  /** Worker threads per pod; default CPUs - 1 (at least 1): the main thread needs its share. */
  workers?: number;
  /** Plain environment variables of the pods (e.g. for `${env.X}` in the scenario). */
  env?: Readonly<Record<string, string>>;
  /** Secrets whose keys become environment variables of the pods (tokens, LOADCTL_INFLUXDB_TOKEN). */
  secrets?: readonly string[];
  /** An existing ReadWriteMany claim to write results to, instead of a new one. */
  claimName?: string;
  storageClass?: string;
  /** Size of the new claim; default "1Gi". */
  storage?: string;
  /** InfluxDB to stream to (with results including 'influxdb'). */
  influxdb?: { url: string; db?: string; org?: string; bucket?: string };
  /** Extra `loadctl run` arguments (e.g. ["--duration", "10m"]). */
  runArgs?: readonly string[];
}

/** A Kubernetes object as plain data. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

const SCENARIO_MOUNT = '/scenario';
const RESULTS_MOUNT = '/results';
/** How long the merge Job waits beyond the planned end for the shard results. */
const MERGE_GRACE_S = 600;
/** Count-bounded scenarios have no planned duration: wait this long for them. */
const UNBOUNDED_WAIT_S = 3600;

/** A DNS-1123 label: lower case letters, digits and '-', at most `max` characters. */
export function dnsLabel(text: string, max = 63): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+/, '');
  return s.slice(0, max).replace(/-+$/, '') || 'loadctl';
}

function defaultName(s: Scenario, startAt: number): string {
  const stamp = new Date(startAt).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').toLowerCase(); // 20250601t120000
  return `${dnsLabel(`loadctl-${s.name}`, 40)}-${stamp}`;
}

/** Whole CPUs of a Kubernetes CPU quantity ("2", "1500m", "0.5"), at least 1. */
export function wholeCpus(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  if (!m) throw badInput('E_BAD_OPTION', `"${q}" is not a CPU quantity`, 'e.g. 2, 1.5 or 1500m');
  const cpus = m[2] === 'm' ? Number(m[1]) / 1000 : Number(m[1]);
  return Math.max(1, Math.floor(cpus));
}

/** Quote for a POSIX shell. */
const sh = (s: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`);

function validate(o: K8sOptions): void {
  if (!Number.isInteger(o.shards) || o.shards < 1 || o.shards > 10_000) throw badInput('E_BAD_OPTION', `--shards must be a whole number 1..10000, got ${o.shards}`);
  if (o.image.trim() === '' || /\s/.test(o.image)) throw badInput('E_BAD_OPTION', `--image "${o.image}" is not an image reference`, 'e.g. registry.example.com/loadctl:0.1.0');
  if (o.namespace !== undefined && dnsLabel(o.namespace) !== o.namespace) throw badInput('E_BAD_OPTION', `--namespace "${o.namespace}" is not a valid namespace name`);
  if (o.name !== undefined && (dnsLabel(o.name, 52) !== o.name)) throw badInput('E_BAD_OPTION', `--name "${o.name}" must be lower case letters, digits and '-', at most 52 characters`);
  for (const k of Object.keys(o.env ?? {})) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw badInput('E_BAD_OPTION', `--env: "${k}" is not an environment variable name`);
  const results = o.results ?? ['pvc'];
  if (results.length === 0) throw badInput('E_BAD_OPTION', '--results needs pvc, influxdb or both');
  if (results.includes('influxdb') && !o.influxdb?.url) throw badInput('E_BAD_OPTION', '--results influxdb needs --influxdb-url (and --influxdb-db, or --influxdb-org and --influxdb-bucket)');
}

/** The Kubernetes objects of a sharded run, in the order to apply them. */
export function kubernetesManifests(o: K8sOptions): K8sObject[] {
  validate(o);
  const bundle = bundleScenario(o.scenarioFile, o.scenario);
  const name = o.name ?? defaultName(o.scenario, o.startAt);
  const results = o.results ?? ['pvc'];
  const pvc = results.includes('pvc');
  const cpu = o.cpu ?? '2';
  const memory = o.memory ?? '1Gi';
  const workers = o.workers ?? Math.max(1, wholeCpus(cpu) - 1);
  const n = o.shards;
  const labels = { 'app.kubernetes.io/name': 'loadctl', 'app.kubernetes.io/instance': name, 'loadctl.dev/scenario': dnsLabel(o.scenario.name) };
  const meta = (suffix: string, extra: Record<string, string> = {}): K8sObject['metadata'] => ({
    name: suffix ? `${name}-${suffix}` : name,
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    labels: { ...labels, ...extra },
  });
  const claim = o.claimName ?? `${name}-results`;
  const startIso = new Date(o.startAt).toISOString();
  const tolerance = `${Math.round((o.startToleranceMs ?? 30_000) / 1000)}s`;

  const configMap: K8sObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('scenario'),
    data: Object.fromEntries(bundle.entries.map((e) => [e.key, e.text])),
  };

  const objects: K8sObject[] = [configMap];
  if (pvc && o.claimName === undefined) {
    objects.push({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('results'),
      spec: {
        // every shard pod writes here, possibly from different nodes
        accessModes: ['ReadWriteMany'],
        resources: { requests: { storage: o.storage ?? '1Gi' } },
        ...(o.storageClass !== undefined ? { storageClassName: o.storageClass } : {}),
      },
    });
  }

  const runDir = `${RESULTS_MOUNT}/${name}`;
  const runArgs = [
    'loadctl', 'run', `${SCENARIO_MOUNT}/${bundle.scenarioPath}`,
    '--segment', `"$K/${n}"`,
    '--start-at', startIso,
    '--start-tolerance', tolerance,
    '--workers', String(workers),
    '--quiet',
    '--out-dir', `"${runDir}/shard-$K"`,
    ...(results.includes('influxdb') ? influxArgs(o.influxdb!) : []),
    ...(o.runArgs ?? []).map(sh),
  ];
  const shardScript = [
    'K=$((JOB_COMPLETION_INDEX + 1))',
    runArgs.join(' '),
    'code=$?',
    "# exit 1 is this shard's own threshold verdict over its part of the load: the run's verdict is the merge's",
    'if [ "$code" -eq 1 ]; then exit 0; fi',
    'exit "$code"',
  ].join('\n');

  const volumes: unknown[] = [
    { name: 'scenario', configMap: { name: configMap.metadata.name, items: bundle.entries.map((e) => ({ key: e.key, path: e.path })) } },
    pvc ? { name: 'results', persistentVolumeClaim: { claimName: claim } } : { name: 'results', emptyDir: {} },
  ];
  const env = [...Object.entries(o.env ?? {}).map(([k, v]) => ({ name: k, value: v })), { name: 'NO_COLOR', value: '1' }];
  const envFrom = (o.secrets ?? []).map((s) => ({ secretRef: { name: s } }));
  const container = (cname: string, script: string, res: { cpu: string; memory: string }, withScenario: boolean): unknown => ({
    name: cname,
    image: o.image,
    command: ['/bin/sh', '-c', script],
    env,
    ...(envFrom.length > 0 ? { envFrom } : {}),
    resources: { requests: res, limits: res },
    volumeMounts: [...(withScenario ? [{ name: 'scenario', mountPath: SCENARIO_MOUNT, readOnly: true }] : []), { name: 'results', mountPath: RESULTS_MOUNT }],
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  });
  const podSecurity = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } };

  objects.push({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta('', { 'loadctl.dev/role': 'shard' }), annotations: { 'loadctl.dev/start-at': startIso, 'loadctl.dev/shards': String(n) } },
    spec: {
      completionMode: 'Indexed',
      completions: n,
      parallelism: n,
      // a retried shard still starts on the common grid if it is within the tolerance; later it exits 2
      backoffLimit: n,
      podFailurePolicy: {
        rules: [
          { action: 'FailJob', onExitCodes: { containerName: 'loadctl', operator: 'In', values: [2] } },
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
        ],
      },
      template: {
        metadata: { labels: { ...labels, 'loadctl.dev/role': 'shard' } },
        spec: {
          restartPolicy: 'Never',
          securityContext: podSecurity,
          containers: [container('loadctl', shardScript, { cpu, memory }, true)],
          volumes,
        },
      },
    },
  });

  if (pvc) {
    const planned = plannedDurationMs(o.scenario) ?? UNBOUNDED_WAIT_S * 1000;
    const waitUntil = Math.ceil((o.startAt + planned) / 1000) + MERGE_GRACE_S;
    const mergeScript = [
      `dir=${runDir}`,
      `# wait for the ${n} shard results (until ${new Date(waitUntil * 1000).toISOString()})`,
      `while [ "$(ls "$dir"/shard-*/result.json 2>/dev/null | wc -l)" -lt ${n} ] && [ "$(date +%s)" -lt ${waitUntil} ]; do sleep 10; done`,
      'loadctl merge "$dir"/shard-*/result.json -o "$dir/merged.json" --html "$dir/report.html"',
    ].join('\n');
    objects.push({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('merge', { 'loadctl.dev/role': 'merge' }),
      spec: {
        // the exit code is the merged verdict: 0 passed, 1 a threshold failed, 2 shards missing or mismatched
        backoffLimit: 0,
        template: {
          metadata: { labels: { ...labels, 'loadctl.dev/role': 'merge' } },
          spec: {
            restartPolicy: 'Never',
            securityContext: podSecurity,
            containers: [container('merge', mergeScript, { cpu: '500m', memory: '512Mi' }, false)],
            volumes: volumes.slice(1),
          },
        },
      },
    });
  }
  return objects;
}

function influxArgs(i: NonNullable<K8sOptions['influxdb']>): string[] {
  const out = ['--reporter', 'influxdb', '--influxdb-url', sh(i.url)];
  if (i.db) out.push('--influxdb-db', sh(i.db));
  if (i.org) out.push('--influxdb-org', sh(i.org));
  if (i.bucket) out.push('--influxdb-bucket', sh(i.bucket));
  return out;
}

/** The objects as one multi-document YAML stream, with a header saying how to use it. */
export function manifestsToYaml(objects: readonly K8sObject[], header: readonly string[] = []): string {
  const head = header.map((l) => `# ${l}`.trimEnd()).join('\n');
  const docs = objects.map((obj) => stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false }).trimEnd());
  return `${head ? `${head}\n` : ''}---\n${docs.join('\n---\n')}\n`;
}
