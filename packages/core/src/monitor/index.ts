/** Monitoring of the target (processes, Prometheus endpoints), the generator and its host during a run. */
export { Monitor } from './monitor.js';
export { planSources, splitName, parseSeriesSelector, DEFAULT_SCRAPED_SERIES, DEFAULT_STOP_GRACE_MS, DEFAULT_READY_TIMEOUT_MS, type MonitorConfig } from './config.js';
export { execForm } from './command.js';
export { describeUrl } from './scrape.js';
