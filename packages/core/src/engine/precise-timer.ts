/**
 * Arrival timers for the open model. Node's timers fire on a 1 ms grid (libuv keeps
 * time in whole milliseconds and sleeps in epoll for whole milliseconds), so an
 * arrival due at 10.3 ms is sent at 11 ms or later: up to ~1 ms of the generator's
 * own delay in every latency figure.
 *
 * PreciseTimer sends arrivals on time in the cheapest way the moment allows:
 *  - when no iteration is running (`idle()`: nothing in flight whose response could be
 *    delayed) and the arrival is at most BLOCK_MS away, the load thread itself sleeps
 *    in Atomics.wait (a futex with a sub-millisecond timeout) until the due time: no
 *    CPU while waiting, one system call; farther arrivals first wait on a setTimeout;
 *  - otherwise a small companion thread sleeps until the due time in Atomics.wait and
 *    notifies; the load thread waits for that notification with Atomics.waitAsync,
 *    which lets its event loop go on serving sockets meanwhile. This cross-thread
 *    wake-up costs CPU on both threads (a few µs on a quiet machine, far more on a
 *    busy one), so the timer avoids it where it can:
 *  - `poll()` fires a due call from wherever the load thread already is (the lean
 *    HTTP client calls it after every socket read): under load, arrivals go out on the
 *    back of I/O and the companion's wake-up is not needed;
 *  - moving the due time later (the next arrival) costs no system call: the companion
 *    finds the new time when its sleep ends and sleeps on; it is notified only when a
 *    due time comes earlier than the one it sleeps toward, or it sleeps without one;
 *  - waits shorter than SPIN_BELOW_MS are bridged with setImmediate turns (the loop
 *    still polls I/O), and a coarse setTimeout after the due time backs it all up.
 *
 * CoarseTimer is the plain setTimeout (for comparison, and where threads are not wanted).
 */
import { Worker } from 'node:worker_threads';

export type ArrivalTimerKind = 'precise' | 'coarse';

export interface ArrivalTimer {
  /** Call `fn` once, as soon as performance.now() >= `at` (ms); replaces a pending call. */
  schedule(at: number, fn: () => void): void;
  /** Fire the pending call now if it is due (a free check from callbacks the thread runs anyway). */
  poll(): void;
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

  poll(): void {}

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
/** Longest sleep of the load thread itself (only while nothing is in flight). */
export const BLOCK_MS = 1.5;

// Atomics.waitAsync is in Node 20 (V8) but in TypeScript's ES2024 lib only.
type WaitAsync = (a: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };
const waitAsync: WaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

// Shared memory: Int32 [FIRED, SEQ, SLEEP, -], then the due time as epoch ms (Float64; Infinity: none, -1: exit).
const FIRED = 0;
const SEQ = 1;
/** Never notified: the load thread's own sleeps wait on it until their timeout. */
const SLEEP = 2;

/**
 * The companion thread (CommonJS, evaluated): sleep until the due time, notify once per due
 * time, re-read the due time whenever a sleep ends (it may have moved later meanwhile).
 */
const COMPANION = `
const { workerData } = require('node:worker_threads');
const i32 = new Int32Array(workerData);
const due = new Float64Array(workerData, 16, 1);
const origin = performance.timeOrigin;
let fired = NaN;
for (;;) {
  const seq = Atomics.load(i32, ${SEQ});
  const at = due[0];
  if (at < 0) break;
  if (at === Infinity || at === fired) { Atomics.wait(i32, ${SEQ}, seq); continue; }
  const wait = at - (origin + performance.now());
  if (wait > 0) { Atomics.wait(i32, ${SEQ}, seq, wait); continue; }
  fired = at;
  Atomics.store(i32, ${FIRED}, 1);
  Atomics.notify(i32, ${FIRED});
}
`;

export class PreciseTimer implements ArrivalTimer {
  private readonly shared = new SharedArrayBuffer(24);
  private readonly i32 = new Int32Array(this.shared, 0, 4);
  private readonly due = new Float64Array(this.shared, 16, 1);
  private readonly companion: Worker;
  private fn: (() => void) | null = null;
  private at = 0;
  /** The due time (epoch ms) the companion sleeps toward; Infinity when it sleeps without one. */
  private companionAt = Infinity;
  private waiting = false;
  private spinning = false;
  /**
   * Whether waits with something in flight need the companion: not while the last arrivals
   * were caught by the thread itself (a response came back first, and it slept the rest).
   */
  private needCompanion = true;
  private closed = false;
  private backup: NodeJS.Timeout | null = null;
  private backupAt = Infinity;
  private readonly onWake = (): void => {
    this.waiting = false;
    // The companion fired: it now sleeps until told of a new due time.
    this.companionAt = Infinity;
    this.check();
  };
  private readonly onTurn = (): void => {
    this.spinning = false;
    this.check();
  };
  private readonly onBackup = (): void => {
    this.backup = null;
    this.backupAt = Infinity;
    // An arrival left to this coarse timer was not caught by anything cheaper: use the companion again.
    if (this.fn !== null && performance.now() >= this.at) this.needCompanion = true;
    this.check();
  };

  /** @param idle true when nothing is in flight: the load thread may then sleep until an arrival. */
  constructor(private readonly idle: () => boolean = () => false) {
    this.due[0] = Infinity;
    this.companion = new Worker(COMPANION, { eval: true, workerData: this.shared });
    this.companion.unref();
  }

  schedule(at: number, fn: () => void): void {
    if (this.closed) throw new Error('PreciseTimer is closed');
    this.fn = fn;
    this.at = at;
    this.arm(true);
  }

  /** Fire now if the scheduled call is due, or sleep until it if that is soon and nothing is in flight. */
  poll(): void {
    if (this.fn === null) return;
    const wait = this.at - performance.now();
    if (wait <= 0 || (wait <= BLOCK_MS && this.idle())) {
      this.needCompanion = false;
      this.sleepAndFire();
    }
  }

  cancel(): void {
    this.fn = null;
    if (this.backup !== null) clearTimeout(this.backup);
    this.backup = null;
    this.backupAt = Infinity;
  }

  close(): void {
    if (this.closed) return;
    this.cancel();
    this.closed = true;
    this.due[0] = -1;
    Atomics.add(this.i32, SEQ, 1);
    Atomics.notify(this.i32, SEQ);
    // Resolve a pending waitAsync so nothing of ours stays pending.
    Atomics.store(this.i32, FIRED, 1);
    Atomics.notify(this.i32, FIRED);
  }

  /** `fromSchedule`: never call back (nor sleep) from inside schedule(); after this turn of the loop. */
  private arm(fromSchedule = false): void {
    const wait = this.at - performance.now();
    if (wait <= 0 || (wait <= BLOCK_MS && this.idle())) {
      if (fromSchedule) this.turn();
      else this.sleepAndFire();
      return;
    }
    if (this.idle()) {
      // Come back a little before the due time, then sleep the rest.
      this.setBackup(this.at - BLOCK_MS + 0.5, wait - BLOCK_MS + 0.5);
      return;
    }
    if (wait < SPIN_BELOW_MS) {
      this.turn();
      return;
    }
    if (!this.needCompanion) {
      // Expect a response (and poll()) before the due time; the coarse timer if not.
      this.setBackup(this.at, Math.ceil(wait));
      return;
    }
    // Listen before telling the companion, so that its notification cannot come first.
    if (!this.waiting) {
      Atomics.store(this.i32, FIRED, 0);
      const r = waitAsync(this.i32, FIRED, 0);
      if (r.async) {
        this.waiting = true;
        void r.value.then(this.onWake);
      } else {
        this.turn();
      }
    }
    const epoch = performance.timeOrigin + this.at;
    this.due[0] = epoch;
    if (!(this.companionAt <= epoch)) {
      // Earlier than the companion's wake-up, or it has none: tell it.
      this.companionAt = epoch;
      Atomics.add(this.i32, SEQ, 1);
      Atomics.notify(this.i32, SEQ);
    }
    this.setBackup(this.at + 1, Math.ceil(wait) + 1);
  }

  /** A coarse timer at `at` (ms, performance.now()) unless an earlier one is pending. */
  private setBackup(at: number, delay: number): void {
    if (at >= this.backupAt) return;
    if (this.backup !== null) clearTimeout(this.backup);
    this.backupAt = at;
    this.backup = setTimeout(this.onBackup, Math.max(1, delay));
  }

  /** The load thread sleeps (no CPU) until the due time (only when nothing is in flight), then calls. */
  private sleepAndFire(): void {
    if (this.idle()) this.needCompanion = false;
    for (let wait = this.at - performance.now(); wait > 0; wait = this.at - performance.now()) Atomics.wait(this.i32, SLEEP, 0, wait);
    this.fire();
  }

  /** A wake-up (companion, event-loop turn or backup): fire if due, else wait on. */
  private check(): void {
    if (this.fn === null || this.closed) return;
    if (performance.now() >= this.at) this.fire();
    else this.arm();
  }

  /** Check again after one turn of the event loop (I/O is polled meanwhile). */
  private turn(): void {
    if (this.spinning) return;
    this.spinning = true;
    setImmediate(this.onTurn);
  }

  private fire(): void {
    const fn = this.fn;
    this.fn = null;
    // Whoever fired, the companion must not wake the thread for this due time: it now
    // sleeps until told of the next one.
    this.due[0] = Infinity;
    this.companionAt = Infinity;
    fn?.();
  }
}

/** `idle`: nothing is in flight (see PreciseTimer). */
export function createArrivalTimer(kind: ArrivalTimerKind, idle?: () => boolean): ArrivalTimer {
  return kind === 'precise' ? new PreciseTimer(idle) : new CoarseTimer();
}
