/**
 * Arrival timers for the open model. Node's timers fire on a 1 ms grid (libuv keeps
 * time in whole milliseconds and sleeps in epoll for whole milliseconds), so an
 * arrival due at 10.3 ms is sent at 11 ms or later: up to ~1 ms of the generator's
 * own delay in every latency figure.
 *
 * PreciseTimer wakes the event loop at the due time instead: a small companion
 * thread sleeps until then in Atomics.wait (a futex with a sub-millisecond timeout)
 * and notifies; the load thread waits for that notification with Atomics.waitAsync,
 * which lets its event loop go on serving sockets meanwhile. Waits shorter than
 * SPIN_BELOW_MS are bridged with setImmediate turns (the loop still polls I/O), and a
 * coarse setTimeout one millisecond after the due time backs the thread up. The
 * companion costs one futex wake-up and one cross-thread task per timer firing; it
 * sleeps the rest of the time.
 *
 * CoarseTimer is the plain setTimeout (for comparison, and where threads are not wanted).
 */
import { Worker } from 'node:worker_threads';

export type ArrivalTimerKind = 'precise' | 'coarse';

export interface ArrivalTimer {
  /** Call `fn` once, as soon as performance.now() >= `at` (ms); replaces a pending call. */
  schedule(at: number, fn: () => void): void;
  cancel(): void;
  /** Release the timer's resources (the companion thread); the timer is unusable after. */
  close(): void;
}

export class CoarseTimer implements ArrivalTimer {
  private timer: NodeJS.Timeout | null = null;

  schedule(at: number, fn: () => void): void {
    this.cancel();
    // libuv's clock is the loop's cached whole milliseconds: a timer can fire a little early.
    this.timer = setTimeout(() => {
      this.timer = null;
      if (performance.now() < at) this.schedule(at, fn);
      else fn();
    }, Math.max(1, at - performance.now()));
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  close(): void {
    this.cancel();
  }
}

/** Below this many ms to go, wait by turning the event loop rather than by the companion thread. */
export const SPIN_BELOW_MS = 0.05;

// Atomics.waitAsync is in Node 20 (V8) but in TypeScript's ES2024 lib only.
type WaitAsync = (a: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync: WaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

// Shared memory: Int32 [FIRED, SEQ], then the due time as epoch ms (Float64; Infinity: none, -1: exit).
const FIRED = 0;
const SEQ = 1;

/** The companion thread (CommonJS, evaluated): sleep until the due time of the latest request, then notify once. */
const COMPANION = `
const { workerData } = require('node:worker_threads');
const i32 = new Int32Array(workerData);
const due = new Float64Array(workerData, 8, 1);
const origin = performance.timeOrigin;
let firedSeq = -1;
for (;;) {
  const seq = Atomics.load(i32, ${SEQ});
  const at = due[0];
  if (at < 0) break;
  if (seq === firedSeq || at === Infinity) { Atomics.wait(i32, ${SEQ}, seq); continue; }
  const wait = at - (origin + performance.now());
  if (wait > 0) { Atomics.wait(i32, ${SEQ}, seq, wait); continue; }
  firedSeq = seq;
  Atomics.store(i32, ${FIRED}, 1);
  Atomics.notify(i32, ${FIRED});
}
`;

export class PreciseTimer implements ArrivalTimer {
  private readonly shared = new SharedArrayBuffer(16);
  private readonly i32 = new Int32Array(this.shared, 0, 2);
  private readonly due = new Float64Array(this.shared, 8, 1);
  private readonly companion: Worker;
  private fn: (() => void) | null = null;
  private at = 0;
  private waiting = false;
  private spinning = false;
  private closed = false;
  private backup: NodeJS.Timeout | null = null;
  private readonly onWake = (): void => {
    this.waiting = false;
    this.check();
  };
  private readonly onTurn = (): void => {
    this.spinning = false;
    this.check();
  };
  private readonly onBackup = (): void => {
    this.backup = null;
    this.check();
  };

  constructor() {
    this.due[0] = Infinity;
    this.companion = new Worker(COMPANION, { eval: true, workerData: this.shared });
    this.companion.unref();
  }

  schedule(at: number, fn: () => void): void {
    if (this.closed) throw new Error('PreciseTimer is closed');
    this.fn = fn;
    this.at = at;
    this.arm();
  }

  cancel(): void {
    this.fn = null;
    this.due[0] = Infinity;
    this.bump();
    if (this.backup !== null) clearTimeout(this.backup);
    this.backup = null;
  }

  close(): void {
    if (this.closed) return;
    this.cancel();
    this.closed = true;
    this.due[0] = -1;
    this.bump();
    // Resolve a pending waitAsync so nothing of ours stays pending.
    Atomics.store(this.i32, FIRED, 1);
    Atomics.notify(this.i32, FIRED);
  }

  private bump(): void {
    Atomics.add(this.i32, SEQ, 1);
    Atomics.notify(this.i32, SEQ);
  }

  private arm(): void {
    const wait = this.at - performance.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    if (wait < SPIN_BELOW_MS) {
      if (!this.spinning) {
        this.spinning = true;
        setImmediate(this.onTurn);
      }
      return;
    }
    Atomics.store(this.i32, FIRED, 0);
    this.due[0] = performance.timeOrigin + this.at;
    this.bump();
    if (!this.waiting) {
      const r = waitAsync(this.i32, FIRED, 0);
      if (r.async) {
        this.waiting = true;
        void r.value.then(this.onWake);
      } else if (!this.spinning) {
        this.spinning = true;
        setImmediate(this.onTurn);
      }
    }
    if (this.backup !== null) clearTimeout(this.backup);
    this.backup = setTimeout(this.onBackup, Math.ceil(wait) + 1);
  }

  /** A wake-up (companion, event-loop turn or backup): fire if due, else wait on. */
  private check(): void {
    if (this.fn === null || this.closed) return;
    if (performance.now() >= this.at) this.fire();
    else this.arm();
  }

  private fire(): void {
    const fn = this.fn;
    this.fn = null;
    this.due[0] = Infinity;
    if (this.backup !== null) clearTimeout(this.backup);
    this.backup = null;
    fn?.();
  }
}

export function createArrivalTimer(kind: ArrivalTimerKind): ArrivalTimer {
  return kind === 'precise' ? new PreciseTimer() : new CoarseTimer();
}
