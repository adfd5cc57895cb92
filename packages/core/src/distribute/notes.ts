/** The comment lines printed above `loadctl k8s` manifests: what they run and how to follow them. */
import type { K8sObject } from './k8s.js';

export function manifestNotes(objects: readonly K8sObject[], scenarioName: string): string[] {
  const job = objects.find((o) => o.kind === 'Job' && o.metadata.labels?.['loadctl.dev/role'] === 'shard');
  if (!job) return [];
  const name = job.metadata.name;
  const ns = job.metadata.namespace !== undefined ? ` -n ${job.metadata.namespace}` : '';
  const shards = job.metadata.annotations?.['loadctl.dev/shards'] ?? '?';
  const start = job.metadata.annotations?.['loadctl.dev/start-at'] ?? '?';
  const merging = objects.some((o) => o.kind === 'Job' && o.metadata.name === `${name}-merge`);
  return [
    `loadctl k8s: ${scenarioName} split over ${shards} pods, starting at ${start}`,
    `apply now:   kubectl apply${ns} -f <this file>`,
    `progress:    kubectl get pods${ns} -l app.kubernetes.io/instance=${name}`,
    ...(merging
      ? [
          `verdict:     kubectl wait${ns} --for=condition=complete --timeout=24h job/${name}-merge && kubectl logs${ns} job/${name}-merge`,
          `results:     merged.json and report.html in ${name}/ on the results volume (docs/distributed.md)`,
        ]
      : ['results:     in InfluxDB, tagged shard=k/n (no result files: add --results pvc for an exact merge)']),
  ];
}
