// Path navigation and update operations on JSON documents.
import { randomInt } from 'node:crypto';
import { badRequest, HttpError, notFound } from '@loadctl-example/common';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
const INDEX = /^(?:0|[1-9]\d{0,8})$/;

/** Splits `a/b/0` into segments; empty segments and prototype keys are a 400. */
export function parsePath(raw: string): string[] {
  const segments = raw.split('/');
  for (const segment of segments) {
    if (segment.length === 0) throw badRequest(`bad path "${raw}": empty segment`, 'path');
    if (FORBIDDEN.has(segment)) throw badRequest(`bad path "${raw}": "${segment}" is not allowed`, 'path');
  }
  return segments;
}

function kindOf(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Steps from `container` into `segment`: undefined if missing, 400 if it cannot be stepped into. */
function step(container: Json, segment: string, pathSoFar: string): Json | undefined {
  if (Array.isArray(container)) {
    if (!INDEX.test(segment)) throw badRequest(`bad path: "${pathSoFar}" is an array, "${segment}" is not an index`, 'path');
    return container[Number(segment)];
  }
  if (isObject(container)) return Object.hasOwn(container, segment) ? container[segment] : undefined;
  throw badRequest(`bad path: "${pathSoFar || '/'}" is ${kindOf(container)}, it has no fields`, 'path');
}

/** The value at `segments` in `doc`; 404 if a field or index is missing. */
export function getAt(doc: Json, segments: readonly string[]): Json {
  let current: Json = doc;
  let sofar = '';
  for (const segment of segments) {
    const next = step(current, segment, sofar);
    sofar = sofar ? `${sofar}/${segment}` : segment;
    if (next === undefined) throw notFound(`no field "${sofar}"`, 'path');
    current = next;
  }
  return current;
}

/** Top-level field names of the object at the path (400 if it is not an object). */
export function keysOf(value: Json, path: string): string[] {
  if (!isObject(value)) throw badRequest(`"${path || '/'}" is ${kindOf(value)}, not an object`, 'path');
  return Object.keys(value);
}

export type Operation =
  | { op: 'set'; value: Json }
  | { op: 'append'; value: Json }
  | { op: 'increment'; by: number }
  | { op: 'multiply'; by: number };

/** Validates a PUT body into an operation. */
export function parseOperation(body: unknown): Operation {
  if (!isObject(body as Json)) throw badRequest('body must be a JSON object like {"op":"set","value":...}', 'body');
  const b = body as JsonObject;
  const op = b['op'];
  switch (op) {
    case 'set':
    case 'append':
      if (!Object.hasOwn(b, 'value')) throw badRequest(`op "${op}" needs a value`, 'value');
      return { op, value: b['value'] as Json };
    case 'increment':
    case 'multiply': {
      const by = b['by'];
      if (typeof by !== 'number' || !Number.isFinite(by)) throw badRequest(`op "${op}" needs a numeric "by"`, 'by');
      return { op, by };
    }
    case undefined:
      throw badRequest('op is required (set, append, increment, multiply)', 'op');
    default:
      throw badRequest('op must be one of set, append, increment, multiply', 'op');
  }
}

/** Applies `op` at `segments` (non-empty) inside `doc`, in place; returns the new value. */
export function applyAt(doc: JsonObject, segments: readonly string[], op: Operation): Json {
  const parentSegments = segments.slice(0, -1);
  const last = segments[segments.length - 1]!;
  const parent = getAt(doc, parentSegments);
  const path = segments.join('/');
  const current = step(parent, last, parentSegments.join('/'));
  if (Array.isArray(parent) && op.op === 'set' && current === undefined && Number(last) !== parent.length) {
    throw notFound(`index ${last} is out of range (length ${parent.length}); set at index ${parent.length} to append`, 'path');
  }
  const container = parent as Record<string, Json>;
  switch (op.op) {
    case 'set':
      container[last] = op.value;
      return op.value;
    case 'append':
      if (current === undefined) throw notFound(`no field "${path}"`, 'path');
      if (!Array.isArray(current)) throw badRequest(`cannot append: "${path}" is ${kindOf(current)}, not an array`, 'path');
      current.push(op.value);
      return current;
    case 'increment':
    case 'multiply': {
      if (current === undefined) throw notFound(`no field "${path}"`, 'path');
      if (typeof current !== 'number') throw badRequest(`cannot ${op.op}: "${path}" is ${kindOf(current)}, not a number`, 'path');
      const result = op.op === 'increment' ? current + op.by : current * op.by;
      if (!Number.isFinite(result)) throw new HttpError(400, `result of ${op.op} is not a finite number`, 'by');
      container[last] = result;
      return result;
    }
  }
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Radia', 'Edsger'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Perlman', 'Dijkstra'];
const CITIES = ['Paris', 'Berlin', 'Lisbon', 'Oslo', 'Madrid', 'Rome', 'Vienna', 'Prague', 'Dublin', 'Warsaw'];
const STREETS = ['Main St', 'High St', 'Station Rd', 'Park Ave', 'Mill Lane', 'Church St'];
const TAGS = ['alpha', 'beta', 'gamma', 'delta', 'red', 'green', 'blue', 'fast', 'slow', 'new'];

const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)]!;

/**
 * A random nested document. The shape is fixed so scenarios can rely on paths:
 * `name`, `email`, `age`, `active`, `address/{street,city,zip,geo/{lat,lon}}`,
 * `tags` (1-4 strings), `stats/{visits,score}`, `orders` (array of `{id,total,items}`).
 */
export function randomDoc(): JsonObject {
  const first = pick(FIRST);
  const last = pick(LAST);
  const orders: Json[] = [];
  for (let i = 0, n = 1 + randomInt(3); i < n; i++) {
    orders.push({ id: `o-${randomInt(1_000_000)}`, total: randomInt(100_00) / 100, items: 1 + randomInt(5) });
  }
  const tags: Json[] = [];
  for (let i = 0, n = 1 + randomInt(4); i < n; i++) tags.push(pick(TAGS));
  return {
    name: `${first} ${last}`,
    email: `${first}.${last}@example.com`.toLowerCase(),
    age: 18 + randomInt(70),
    active: randomInt(2) === 1,
    address: {
      street: `${1 + randomInt(200)} ${pick(STREETS)}`,
      city: pick(CITIES),
      zip: String(10000 + randomInt(90000)),
      geo: { lat: randomInt(-90_000, 90_000) / 1000, lon: randomInt(-180_000, 180_000) / 1000 },
    },
    tags,
    stats: { visits: randomInt(1000), score: randomInt(10_000) / 100 },
    orders,
  };
}
