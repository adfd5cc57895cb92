/**
 * `loadctl k8s`: the manifests are valid Kubernetes objects (checked against the API's own
 * schemas by kubernetes-models, not by hand), and the commands they run work: the
 * ConfigMap is laid out as the pods would see it, each shard's script is run as pod
 * JOB_COMPLETION_INDEX would run it (against a loopback server), then the merge Job's
 * script, and the merged result is the whole run.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigMap, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadPort, json, startServer, type TestServer } from '../../../test/support/servers.js';
import { BIN, loadctl } from './cli.js';

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}
interface Container {
  name: string;
  command: string[];
  env: Array<{ name: string; value: string }>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  volumes: Array<{ name: string; configMap?: { name: string; items: Array<{ key: string; path: string }> } }>;
}

/** Validate with the Kubernetes schema of the object's kind; throws on any violation. */
function validate(o: Obj): void {
  switch (o.kind) {
    case 'ConfigMap':
      return new ConfigMap(o as ConstructorParameters<typeof ConfigMap>[0]).validate();
    case 'PersistentVolumeClaim':
      return new PersistentVolumeClaim(o as ConstructorParameters<typeof PersistentVolumeClaim>[0]).validate();
    case 'Job':
      return new Job(o as ConstructorParameters<typeof Job>[0]).validate();
    default:
      throw new Error(`unexpected kind ${o.kind}`);
  }
}

const pod = (job: Obj): PodSpec => (job.spec as { template: { spec: PodSpec } }).template.spec;

let server: TestServer;
let dir: string;
let scenario: string;

beforeAll(async () => {
  server = await startServer((n, _req, res) => json(res, 200, { n }));
  dir = mkdtempSync(join(tmpdir(), 'loadctl-k8s-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'users.csv'), 'user\nann\nbob\ncid\n');
  scenario = join(dir, 'shop.yml');
  writeFileSync(
    scenario,
    `name: Shop Checkout
target: \${env.TARGET}
data:
  users: data/users.csv
load: { users: 4, iterations: 60 }
steps:
  - get: /users/\${data.users.user}
thresholds: [ "count == 60" ]
`,
  );
});
afterAll(async () => {
  await server.close();
});

async function manifests(args: string[]): Promise<Obj[]> {
  const r = await loadctl(['k8s', scenario, ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^# loadctl k8s: Shop Checkout split over \d+ pods, starting at \S+Z\n# apply now: +kubectl apply/);
  return parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj).filter((o) => o !== null);
}

describe('loadctl k8s', () => {
  it('prints a ConfigMap, a results claim, an Indexed Job of N pods and a merge Job, all valid Kubernetes objects', async () => {
    const objs = await manifests(['--shards', '8', '--image', 'registry.example.com/loadctl:0.1.0', '--namespace', 'perf', '-e', 'TARGET=http://shop:8080', '--cpu', '4', '--memory', '2Gi']);
    expect(objs.map((o) => o.kind)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Job', 'Job']);
    for (const o of objs) {
      expect(() => validate(o)).not.toThrow();
      expect(o.metadata.namespace).toBe('perf');
    }
    const [cm, , job, mergeJob] = objs;
    expect(Object.values(cm.data!)).toContain('user\nann\nbob\ncid\n');
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 8, parallelism: 8 });
    const c = pod(job).containers[0];
    expect(c.resources).toEqual({ requests: { cpu: '4', memory: '2Gi' }, limits: { cpu: '4', memory: '2Gi' } });
    const script = c.command[2];
    expect(script).toContain('K=$((JOB_COMPLETION_INDEX + 1))');
    expect(script).toMatch(/loadctl run \/scenario\/shop\.yml --segment "\$K\/8" --start-at \d{4}-\d\d-\d\dT[\d:.]+Z .*--workers 3 /);
    expect(c.env).toContainEqual({ name: 'TARGET', value: 'http://shop:8080' });
    expect(pod(job).volumes[0].configMap!.items).toContainEqual({ key: expect.stringMatching(/users\.csv$/), path: 'data/users.csv' });
    expect(pod(mergeJob).containers[0].command[2]).toContain('loadctl merge');
  });

  it('kubernetes-models does reject an invalid object (the validation is live)', async () => {
    const [, , job] = await manifests(['--shards', '2', '--image', 'loadctl:1', '-e', 'TARGET=http://shop:8080']);
    const broken = structuredClone(job) as Obj & { spec: { completionMode: string } };
    broken.spec.completionMode = 'indexed';
    expect(() => validate(broken)).toThrow(/completionMode/);
  });

  it('influxdb results: no claim, no merge Job, every pod streams tagged with its shard', async () => {
    const objs = await manifests(['--shards', '3', '--image', 'loadctl:1', '-e', 'TARGET=http://shop:8080', '--results', 'influxdb', '--influxdb-url', 'http://influxdb:8086', '--influxdb-db', 'loadctl', '--secret', 'influx-token']);
    expect(objs.map((o) => o.kind)).toEqual(['ConfigMap', 'Job']);
    for (const o of objs) expect(() => validate(o)).not.toThrow();
    expect(pod(objs[1]).containers[0].command[2]).toContain('--reporter influxdb --influxdb-url http://influxdb:8086 --influxdb-db loadctl');
    expect(pod(objs[1]).containers[0]).toMatchObject({ envFrom: [{ secretRef: { name: 'influx-token' } }] });
  });

  it('a load beyond one machine is what it is for: the whole is not held to one machine\'s ceiling', async () => {
    const big = join(dir, 'big.yml');
    writeFileSync(big, `target: http://127.0.0.1:${await deadPort()}\nload: { users: 400000, duration: 10m }\nsteps: [GET /]\n`);
    const alone = await loadctl(['run', big, '--workers', '1', '--quiet']);
    expect(alone.code).toBe(2); // one machine refuses it
    expect(alone.stderr).toMatch(/split the load over shards/);
    const part = await loadctl(['run', big, '--segment', '1/40', '--workers', '1', '--quiet']);
    expect(part.code).toBe(3); // a 40th passes the ceiling (then finds nothing listening: no load is sent anywhere)
    expect(part.stderr).toMatch(/cannot reach/);
    const r = await loadctl(['k8s', big, '--shards', '40', '--image', 'loadctl:1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--segment "$K/40"');
  });

  it('refuses bad input with exit 2', async () => {
    const noImage = await loadctl(['k8s', scenario, '--shards', '2', '-e', 'TARGET=http://x:1']);
    expect(noImage.code).toBe(2);
    const outside = join(dirname(dir), `outside-${Date.now()}.yml`);
    writeFileSync(outside, `target: http://x:1\ndata: { u: ${join(dir, 'data', 'users.csv')} }\nload: { users: 1, duration: 1s }\nsteps: [GET /]\n`);
    const r = await loadctl(['k8s', outside, '--shards', '2', '--image', 'loadctl:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/outside the scenario's folder/);
  });

  it("the pods' commands run: every shard's script, then the merge Job's, give the whole run", async () => {
    const n = 3;
    const startIn = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000).toISOString();
    const objs = await manifests(['--shards', String(n), '--image', 'loadctl:1', '-e', `TARGET=${server.url}`, '--start-at', startIn, '--start-tolerance', '10m', '--workers', '1']);
    const [cm, , job, mergeJob] = objs;
    // Lay the ConfigMap out as the volume would, and put `loadctl` on the PATH.
    const root = mkdtempSync(join(tmpdir(), 'loadctl-k8s-pods-'));
    const mount = (p: string): string => p.replaceAll('/scenario/', `${root}/scenario/`).replaceAll('/results/', `${root}/results/`).replace(/^dir=\/results\//m, `dir=${root}/results/`);
    for (const item of pod(job).volumes[0].configMap!.items) {
      const file = join(root, 'scenario', item.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, cm.data![item.key]);
    }
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'loadctl'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'loadctl'), 0o755);
    const sh = (script: string, env: Record<string, string>): Promise<number | null> =>
      new Promise((resolve) => {
        const child = spawn('/bin/sh', ['-c', mount(script)], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...env }, stdio: 'ignore' });
        child.on('close', resolve);
      });
    const shard = pod(job).containers[0];
    const env = Object.fromEntries(shard.env.map((e) => [e.name, e.value]));
    const codes = await Promise.all(Array.from({ length: n }, (_, i) => sh(shard.command[2], { ...env, JOB_COMPLETION_INDEX: String(i) })));
    expect(codes).toEqual([0, 0, 0]); // each shard's own `count == 60` fails (exit 1), which is not a pod failure
    expect(server.received).toBe(60);
    expect(await sh(pod(mergeJob).containers[0].command[2], env)).toBe(0); // the merged verdict: count == 60 holds
    const merged = JSON.parse(readFileSync(join(root, 'results', job.metadata.name, 'merged.json'), 'utf8'));
    expect(merged.summary.total.count).toBe(60);
    expect(merged.summary.meta.shards.map((s: { segment: string }) => s.segment).sort()).toEqual(['1/3', '2/3', '3/3']);
    expect(merged.summary.verdict.passed).toBe(true);
  });
});
