/**
 * What pidusage does not read (it covers CPU and RSS): a Linux process's threads, open file
 * descriptors and TCP connections per state. A connection belongs to the process when the
 * inode of one of its socket descriptors (/proc/PID/fd/N -> "socket:[INODE]") appears in
 * /proc/PID/net/tcp or tcp6 (the tables of the process's own network namespace).
 *
 * TIME_WAIT connections have no inode (no process owns them any more), so they cannot be
 * attributed and are not counted here.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** /proc/net/tcp state codes (include/net/tcp_states.h). */
export const TCP_STATES: Record<string, string> = {
  '01': 'established',
  '02': 'syn_sent',
  '03': 'syn_recv',
  '04': 'fin_wait1',
  '05': 'fin_wait2',
  '06': 'time_wait',
  '07': 'close',
  '08': 'close_wait',
  '09': 'last_ack',
  '0A': 'listen',
  '0B': 'closing',
};

/** States always reported (0 when none), so their series never has gaps. */
export const REPORTED_TCP_STATES = ['established', 'listen', 'close_wait', 'syn_sent', 'syn_recv', 'fin_wait1', 'fin_wait2', 'last_ack', 'closing'];

/** Most descriptors read per sample: a target with more is counted, but its sockets beyond this are not classified. */
export const MAX_FDS_CLASSIFIED = 100_000;

export function procAvailable(): boolean {
  return process.platform === 'linux';
}

/** Thread count from /proc/PID/status. */
export async function readThreads(pid: number): Promise<number> {
  const text = await readFile(`/proc/${pid}/status`, 'latin1');
  const m = /^Threads:\s+(\d+)/m.exec(text);
  if (!m) throw new Error(`no thread count in /proc/${pid}/status`);
  return Number(m[1]);
}

/** Open descriptors and the inodes of the sockets among them. */
export async function readFds(pid: number): Promise<{ fds: number; sockets: Set<string> }> {
  const dir = `/proc/${pid}/fd`;
  const names = await readdir(dir);
  const sockets = new Set<string>();
  const todo = names.slice(0, MAX_FDS_CLASSIFIED);
  // Bounded concurrency: a target with 50 000 connections must not open 50 000 promises at once.
  const BATCH = 512;
  for (let i = 0; i < todo.length; i += BATCH) {
    const links = await Promise.all(todo.slice(i, i + BATCH).map((n) => readlink(`${dir}/${n}`).catch(() => '')));
    for (const l of links) if (l.startsWith('socket:[')) sockets.add(l.slice(8, -1));
  }
  return { fds: names.length, sockets };
}

/** Count the rows of a /proc/net/tcp table whose inode is in `sockets`, by state. */
export function countTcpStates(table: string, sockets: ReadonlySet<string>, into: Record<string, number>): void {
  let at = table.indexOf('\n') + 1; // skip the header
  while (at > 0 && at < table.length) {
    const end = table.indexOf('\n', at);
    const line = table.slice(at, end < 0 ? table.length : end);
    at = end < 0 ? table.length : end + 1;
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    if (!sockets.has(cols[9])) continue;
    const state = TCP_STATES[cols[3]] ?? 'other';
    into[state] = (into[state] ?? 0) + 1;
  }
}

/** TCP connections of the process by state (IPv4 and IPv6). */
export async function readTcpStates(pid: number, sockets: ReadonlySet<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const s of REPORTED_TCP_STATES) counts[s] = 0;
  if (sockets.size === 0) return counts;
  for (const file of ['tcp', 'tcp6']) {
    const table = await readFile(`/proc/${pid}/net/${file}`, 'latin1').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return ''; // no IPv6 in this kernel
      throw err;
    });
    countTcpStates(table, sockets, counts);
  }
  return counts;
}
