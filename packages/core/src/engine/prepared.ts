/**
 * Steps and flows prepared for dispatch, once per worker before the run: each
 * step with its recorder, its dispatcher for a foreign origin, and the dispatch
 * options of a static request built once.
 */
import { Pool, type Dispatcher } from 'undici';
import type { CompiledStep } from '../plan/compile.js';
import type { ThinkTime } from '../plan/program.js';
import type { CompiledProgram } from '../plan/worker-program.js';
import { FlowRecorder, type RequestRecorder } from './recorder.js';

export interface PreparedStep {
  step: CompiledStep;
  recorder: RequestRecorder;
  /** Captures or checks to run on the response. */
  hasEvaluation: boolean;
  /** Buffer the response body / keep its headers: for the step's captures and checks, or for afterResponse. */
  needsBody: boolean;
  needsHeaders: boolean;
  /**
   * A pool for a step whose absolute URL points at another origin than the target; null for
   * the target (and in a worker with no connections, which starts no iteration).
   */
  foreign: Dispatcher | null;
  /** Built once when the step is static: the same object is dispatched every time. */
  staticOpts: Dispatcher.DispatchOptions | null;
  staticBytesOut: number;
  timeoutMs: number;
}

export interface PreparedFlow {
  name: string;
  steps: PreparedStep[];
  /** Every step prebuilt, nothing captured or checked, no data rows: iterations need no context of their own. */
  stateless: boolean;
  recorder: FlowRecorder;
  pace?: ThinkTime;
}

/** Bytes a request puts on the wire (request line, headers, body), close to exact. */
export function requestBytes(hostHeaderBytes: number, method: string, path: string, headers: string[], body: string | null): number {
  let n = method.length + path.length + 12 + hostHeaderBytes + 2;
  for (let i = 0; i < headers.length; i++) n += headers[i].length + 2;
  if (body !== null) {
    const len = Buffer.byteLength(body);
    n += len + `content-length: ${len}\r\n`.length;
  }
  return n;
}

export interface PrepareContext {
  hostHeaderBytes: number;
  /** Connections of each pool to a foreign origin (the plan's share for this worker). */
  foreignConnections: number;
  /** The recorder of a request name (shared by steps of the same name). */
  recorderFor(name: string): RequestRecorder;
  /** Pools to origins other than the target, one per origin, created here on first use. */
  foreignPools: Map<string, Pool>;
  /** JavaScript hooks run in this worker: iterations need a context; afterResponse reads every body and header. */
  hooks?: { afterResponse: boolean };
}

function prepareStep(step: CompiledStep, c: PrepareContext): PreparedStep {
  let staticOpts: Dispatcher.DispatchOptions | null = null;
  let staticBytesOut = 0;
  if (step.isStatic && step.staticRequest !== undefined) {
    const r = step.staticRequest;
    staticOpts = { path: r.path, method: step.method as Dispatcher.HttpMethod, headers: r.headers, body: r.body, blocking: false };
    staticBytesOut = requestBytes(c.hostHeaderBytes, step.method, r.path, r.headers, r.body);
  }
  let foreign: Pool | null = null;
  if (step.foreign && c.foreignConnections > 0) {
    foreign = c.foreignPools.get(step.origin) ?? null;
    if (foreign === null) {
      const t = step.timeoutMs;
      foreign = new Pool(step.origin, { connections: c.foreignConnections, connectTimeout: Math.min(t, 10_000), headersTimeout: t, bodyTimeout: t });
      c.foreignPools.set(step.origin, foreign);
    }
  }
  const all = c.hooks?.afterResponse === true;
  return {
    step,
    recorder: c.recorderFor(step.name),
    hasEvaluation: step.hasEvaluation,
    needsBody: all || step.needsBody,
    needsHeaders: all || step.needsHeaders,
    foreign,
    staticOpts,
    staticBytesOut,
    timeoutMs: step.timeoutMs,
  };
}

export function prepareFlows(program: CompiledProgram, c: PrepareContext): PreparedFlow[] {
  return program.flows.map((f) => {
    const steps = f.steps.map((step) => prepareStep(step, c));
    const stateless = c.hooks === undefined && f.dataSources.length === 0 && steps.every((p) => p.staticOpts !== null && !p.hasEvaluation);
    const flow: PreparedFlow = { name: f.name, recorder: new FlowRecorder(), steps, stateless };
    if (f.pace) flow.pace = f.pace;
    return flow;
  });
}
