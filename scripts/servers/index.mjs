export { startInfluxDB1 } from './influxdb1.mjs';
export { startVictoriaMetrics } from './victoriametrics.mjs';
export { startPrometheus } from './prometheus.mjs';
export { freePort } from './common.mjs';
