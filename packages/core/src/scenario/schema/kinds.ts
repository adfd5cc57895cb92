/**
 * Values the JSON Schema can only spell-check: durations, think-time ranges and
 * ratios. One reader per kind gives the value or the problem; both the structural
 * check (a value that fails the schema) and the normaliser (a value after env
 * substitution) report through it, so the message is the same either way.
 */
import type { ScenarioErrorCode } from '../errors.js';
import { parseDuration, parseDurationRange } from '../duration.js';
import { typeName } from '../values.js';
import type { Meta, ValueKind } from './meta.js';
import { DURATION_EXPECTED, RANGE_EXPECTED, RATIO_EXPECTED } from './primitives.js';

export type Read<T> = { ok: true; value: T } | { ok: false; code: ScenarioErrorCode; problem: string; expected: string };

const bad = (code: ScenarioErrorCode, problem: string, expected: string): Read<never> => ({ ok: false, code, problem, expected });

/** Milliseconds of `500ms`, `1h30m`, `0`; a bare number other than 0 has no unit. */
export function readDuration(v: unknown, positive = false): Read<number> {
  if (typeof v === 'number') {
    if (v === 0 && !positive) return { ok: true, value: 0 };
    return bad('E_BAD_DURATION', `${v} has no unit`, `${DURATION_EXPECTED} (e.g. ${v}s)`);
  }
  if (typeof v !== 'string') return bad('E_BAD_DURATION', `got ${typeName(v)}`, DURATION_EXPECTED);
  const ms = parseDuration(v);
  if (ms === undefined) return bad('E_BAD_DURATION', `"${v}" is not a duration`, DURATION_EXPECTED);
  if (positive && ms <= 0) return bad('E_BAD_DURATION', `"${v}" must be longer than 0`, DURATION_EXPECTED);
  return { ok: true, value: ms };
}

/** A think time: `1s` (fixed) or `500ms..2s` (uniform). */
export function readDurationRange(v: unknown): Read<{ minMs: number; maxMs: number }> {
  if (v === 0) return { ok: true, value: { minMs: 0, maxMs: 0 } };
  if (typeof v !== 'string') return bad('E_BAD_DURATION', typeof v === 'number' ? `${v} has no unit` : `got ${typeName(v)}`, RANGE_EXPECTED);
  const r = parseDurationRange(v);
  return r ? { ok: true, value: r } : bad('E_BAD_DURATION', `"${v}" is not a duration or range`, RANGE_EXPECTED);
}

/** `10%` or a number 0..1. */
export function readRatio(v: unknown): Read<number> {
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
    if (m) n = Number(m[1]) / 100;
    else if (/^\s*\d+(\.\d+)?\s*$/.test(v)) n = Number(v);
  }
  if (n === undefined || n < 0 || n > 1) return bad(n === undefined ? 'E_TYPE' : 'E_BAD_VALUE', `got ${typeName(v)}`, RATIO_EXPECTED);
  return { ok: true, value: n };
}

export function readKind(kind: ValueKind, v: unknown, meta: Meta): Read<unknown> {
  if (kind === 'duration') return readDuration(v, meta.positive);
  if (kind === 'durationRange') return readDurationRange(v);
  return readRatio(v);
}
