/**
 * The generator (this process) and its host, sampled on the main thread from what Node
 * already keeps: V8 heap statistics, process CPU time, an event-loop delay histogram, and the
 * os module's CPU times, available memory and load average. None of it touches the workers.
 *
 * The host's CPU comes from os.cpus() deltas rather than systeminformation.currentLoad(),
 * which runs `cat /proc/stat` synchronously (a blocked main thread every interval).
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { MonitorSourceHealth, MonitorValues } from '../metrics/model.js';
import type { Source } from './source.js';

export class GeneratorSource implements Source {
  readonly health: MonitorSourceHealth = { name: 'generator', kind: 'generator', what: `loadctl (pid ${process.pid})`, samples: 0, failures: 0 };
  private readonly lag: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private cpu = process.cpuUsage();
  private at = performance.now();

  constructor() {
    this.lag.enable();
  }

  async sample(out: MonitorValues): Promise<void> {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const usedUs = cpu.user - this.cpu.user + (cpu.system - this.cpu.system);
    const wallMs = now - this.at;
    this.cpu = cpu;
    this.at = now;
    out.heap = getHeapStatistics().used_heap_size;
    out.rss = process.memoryUsage.rss();
    // All threads of the process (workers included), in cores: 1 = one core busy.
    if (wallMs > 0) out.cpu = usedUs / 1000 / wallMs;
    // The main thread's event-loop delay p99 since the last sample (what the aggregator and reporters wait).
    if (this.lag.count > 0) out.lag = this.lag.percentile(99) / 1e6;
    this.lag.reset();
  }

  async close(): Promise<void> {
    this.lag.disable();
  }
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const t = c.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total };
}

export class HostSource implements Source {
  readonly health: MonitorSourceHealth = { name: 'host', kind: 'host', what: 'this host', samples: 0, failures: 0 };
  private last = cpuTimes();

  async sample(out: MonitorValues): Promise<void> {
    const now = cpuTimes();
    const total = now.total - this.last.total;
    if (total > 0) out.cpu = (now.busy - this.last.busy) / total;
    this.last = now;
    out['mem.used'] = totalmem() - freemem();
    out.load1 = loadavg()[0];
  }

  async close(): Promise<void> {}
}
