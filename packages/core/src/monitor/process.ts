/**
 * A running process sampled every interval: RSS and CPU through pidusage (cross-platform),
 * threads, descriptors and TCP connections per state from /proc on Linux (proc.ts).
 */
import pidusage from 'pidusage';
import type { MonitorSourceHealth, MonitorValues } from '../metrics/model.js';
import { procAvailable, readFds, readTcpStates, readThreads } from './proc.js';
import type { Source } from './source.js';

/** pidusage forgets a pid's previous reading after this long; keep it for a few intervals at least. */
const MIN_HISTORY_MS = 60_000;

export class ProcessSource implements Source {
  readonly health: MonitorSourceHealth;

  constructor(
    /** The pid, or a function giving it (a started command's pid, undefined once it has exited). */
    private readonly pid: number | (() => number | undefined),
    prefix: string,
    kind: 'pid' | 'cmd',
    what: string,
    private readonly intervalMs: number,
  ) {
    this.health = { name: prefix, kind, what, samples: 0, failures: 0 };
  }

  async sample(out: MonitorValues): Promise<void> {
    const pid = typeof this.pid === 'function' ? this.pid() : this.pid;
    if (pid === undefined) throw new Error(`${this.health.what} is not running`);
    let stat: pidusage.Status;
    try {
      stat = await pidusage(pid, { maxage: Math.max(MIN_HISTORY_MS, this.intervalMs * 3) });
    } catch (err) {
      const gone = (err as Error).message === 'No matching pid found' || (err as NodeJS.ErrnoException).code === 'ESRCH';
      throw gone ? new Error(`process ${pid} is gone`) : err;
    }
    out.rss = stat.memory;
    out.cpu = stat.cpu / 100;
    if (!procAvailable()) return;
    const [threads, fd] = await Promise.all([readThreads(pid), readFds(pid)]);
    out.threads = threads;
    out.fds = fd.fds;
    const tcp = await readTcpStates(pid, fd.sockets);
    for (const state in tcp) out[`tcp.${state}`] = tcp[state];
  }

  async close(): Promise<void> {
    pidusage.clear(); // closes the /proc/PID/stat descriptors pidusage keeps open
  }
}
