import type { InfluxDB1Server } from '../../../../scripts/servers/index.mjs';

/** Mandatory field of each measurement: counting it counts the points. */
export const POINT_FIELD: Record<string, string> = {
  loadctl_requests: 'count',
  loadctl_status: 'count',
  loadctl_checks: 'passes',
  loadctl_flows: 'iterations',
  loadctl_run: 'rps',
  loadctl_summary: 'count',
  loadctl_events: 'text',
};

type Row = Record<string, unknown>;

/** Rows of the first statement's series, as objects (tags merged in). */
export async function rows(server: InfluxDB1Server, q: string): Promise<Row[]> {
  const res = await server.query(q);
  const out: Row[] = [];
  for (const s of res.results[0]?.series ?? []) {
    for (const v of s.values) {
      const row: Row = { ...(s.tags ?? {}) };
      s.columns.forEach((c, i) => (row[c] = v[i]));
      out.push(row);
    }
  }
  return out;
}

/** Points stored per measurement for a run (0 for absent measurements). */
export async function pointCounts(server: InfluxDB1Server, runId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [m, f] of Object.entries(POINT_FIELD)) {
    const r = await rows(server, `SELECT count("${f}") FROM "${m}" WHERE "run_id" = '${runId}'`);
    out[m] = (r[0]?.count as number | undefined) ?? 0;
  }
  return out;
}

export async function totalPoints(server: InfluxDB1Server, runId: string): Promise<number> {
  return Object.values(await pointCounts(server, runId)).reduce((a, b) => a + b, 0);
}
