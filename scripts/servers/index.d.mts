// Types for the .mjs server launchers (used from TypeScript tests).
export interface InfluxDB1Server {
  url: string;
  port: number;
  db: string;
  dataDir: string;
  logFile: string;
  query(q: string, db?: string): Promise<InfluxQueryResponse>;
  logTail(): string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}
export interface InfluxQueryResponse {
  results: Array<{
    statement_id: number;
    error?: string;
    series?: Array<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }>;
  }>;
}
export interface VictoriaMetricsServer {
  url: string;
  port: number;
  dataDir: string;
  logFile: string;
  logTail(): string;
  flush(): Promise<void>;
  export(selector: string): Promise<Array<{ metric: Record<string, string>; values: number[]; timestamps: number[] }>>;
  query(promql: string, time?: number): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}
export interface PrometheusServer {
  url: string;
  port: number;
  logTail(): string;
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  targets(): Promise<Array<{ scrapeUrl: string; health: string; lastError: string }>>;
  stop(): Promise<void>;
}
export function startInfluxDB1(options?: {
  dataDir?: string;
  db?: string;
  auth?: { user: string; password: string };
  bin?: string;
  startTimeoutMs?: number;
}): Promise<InfluxDB1Server>;
export function startVictoriaMetrics(options?: { dataDir?: string; bin?: string; startTimeoutMs?: number }): Promise<VictoriaMetricsServer>;
export function startPrometheus(options: {
  targets: string[];
  scrapeIntervalMs?: number;
  bin?: string;
  startTimeoutMs?: number;
}): Promise<PrometheusServer>;
export function freePort(): Promise<number>;
