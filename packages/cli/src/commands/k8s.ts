import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { loadScenario } from '@loadctl/core';
import { kubernetesManifests, manifestNotes, manifestsToYaml, type K8sResults } from '@loadctl/core/internal';
import { BaseCommand } from '../lib/base-command.js';
import { countFlag, durationFlag, positiveFlag, startAtFlag } from '../lib/flags.js';
import { describeError, EXIT } from '../lib/outcome.js';

export default class K8s extends BaseCommand {
  static override summary = 'Print Kubernetes manifests that run a scenario split over N pods (Indexed Job) and merge the results';
  static override description = `A ConfigMap with the scenario and its data files, a ReadWriteMany PersistentVolumeClaim for the results,
an Indexed Job of N pods each running \`loadctl run … --segment $((JOB_COMPLETION_INDEX+1))/N --start-at T\`, and a Job that
waits for the N results and merges them (its exit code is the run's verdict). Apply them right away: every pod starts
at --start-at (default: two minutes from now). See docs/distributed.md.`;
  static override examples = [
    '<%= config.bin %> k8s scenarios/checkout.yml --shards 8 --image registry.example.com/loadctl:0.1.0 | kubectl apply -f -',
    '<%= config.bin %> k8s soak.yml --shards 4 --image loadctl:0.1.0 --namespace perf --results influxdb --influxdb-url http://influxdb:8086 --influxdb-db loadctl --secret influx-token',
  ];
  static override args = { scenario: Args.string({ required: true, description: 'scenario YAML file' }) };
  static override flags = {
    shards: countFlag({ description: 'number of pods the load is split over', required: true }),
    image: Flags.string({ description: 'the loadctl container image (see the Dockerfile)', required: true }),
    namespace: Flags.string({ char: 'n', description: 'namespace of the objects' }),
    name: Flags.string({ description: 'base name of the objects (default loadctl-<scenario>-<start time>)' }),
    results: Flags.string({ description: 'where results go: pvc (files on a shared volume, merged by a Job) and/or influxdb', multiple: true, options: ['pvc', 'influxdb'], default: ['pvc'] }),
    'start-at': startAtFlag({ description: 'ISO 8601 time (with zone) every pod starts the load at', exclusive: ['start-in'] }),
    'start-in': durationFlag({ description: 'start the load this long after now (default 2m): time to apply, schedule and pull the image' }),
    'start-tolerance': durationFlag({ description: 'how late a pod may start and still run (default 30s)' }),
    cpu: Flags.string({ description: 'CPU per pod, request = limit (default 2)' }),
    memory: Flags.string({ description: 'memory per pod, request = limit (default 1Gi)' }),
    workers: countFlag({ description: 'worker threads per pod (default: CPUs - 1, at least 1)' }),
    env: Flags.string({ char: 'e', description: 'NAME=value: an environment variable of the pods, and for loading the scenario here (repeatable)', multiple: true }),
    secret: Flags.string({ description: 'a Secret whose keys become environment variables of the pods (repeatable)', multiple: true }),
    pvc: Flags.string({ description: 'an existing ReadWriteMany claim for the results (default: a new one)' }),
    'storage-class': Flags.string({ description: 'storage class of the new results claim' }),
    storage: Flags.string({ description: 'size of the new results claim (default 1Gi)' }),
    duration: durationFlag({ char: 'd', description: 'passed to every `loadctl run`: stretch or shrink the stages to this total duration' }),
    scale: positiveFlag({ description: 'passed to every `loadctl run`: multiply users or rates' }),
    'influxdb-url': Flags.string({ description: 'InfluxDB URL (with --results influxdb)' }),
    'influxdb-db': Flags.string({ description: 'InfluxDB 1.x database' }),
    'influxdb-org': Flags.string({ description: 'InfluxDB 2.x organization' }),
    'influxdb-bucket': Flags.string({ description: 'InfluxDB 2.x bucket' }),
    output: Flags.string({ char: 'o', description: 'write the manifests to this file instead of stdout' }),
    debug: Flags.boolean({ description: 'show stack traces for errors' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(K8s);
    const env: Record<string, string> = {};
    for (const kv of flags.env ?? []) {
      const i = kv.indexOf('=');
      if (i <= 0) this.fail(`bad --env "${kv}": expected NAME=value`, EXIT.badInput);
      env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    try {
      // The whole load may be beyond one machine: each pod holds its share to the ceiling when it runs.
      const scenario = await loadScenario(args.scenario, { env: { ...process.env, ...env }, loadCeiling: false });
      const startAt = flags['start-at'] ?? Math.ceil((Date.now() + (flags['start-in'] ?? 120_000)) / 1000) * 1000;
      const runArgs = [...(flags.duration !== undefined ? ['--duration', `${flags.duration}ms`] : []), ...(flags.scale !== undefined ? ['--scale', String(flags.scale)] : [])];
      const objects = kubernetesManifests({
        scenarioFile: args.scenario,
        scenario,
        shards: flags.shards,
        image: flags.image,
        namespace: flags.namespace,
        name: flags.name,
        results: flags.results as K8sResults[],
        startAt,
        startToleranceMs: flags['start-tolerance'],
        cpu: flags.cpu,
        memory: flags.memory,
        workers: flags.workers,
        env,
        secrets: flags.secret,
        claimName: flags.pvc,
        storageClass: flags['storage-class'],
        storage: flags.storage,
        influxdb: flags['influxdb-url'] ? { url: flags['influxdb-url'], db: flags['influxdb-db'], org: flags['influxdb-org'], bucket: flags['influxdb-bucket'] } : undefined,
        runArgs,
      });
      const yaml = manifestsToYaml(objects, manifestNotes(objects, scenario.name));
      if (flags.output) {
        await writeFile(flags.output, yaml, 'utf8');
        process.stderr.write(`wrote ${flags.output}\n`);
      } else process.stdout.write(yaml);
      this.exit(EXIT.ok);
    } catch (err) {
      if (err instanceof Error && 'oclif' in err) throw err;
      const { lines, exitCode } = describeError(err, flags.debug);
      this.fail(lines.join('\n'), exitCode);
    }
  }
}
