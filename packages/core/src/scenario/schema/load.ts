/**
 * The load: closed model (virtual users, Locust style) or open model (arrival rate,
 * k6 / Artillery style). The keys used choose the model; in TypeScript the models
 * are a discriminated union (the other model's keys are `never`), so
 * `{ users: 10, rate: 5 }` does not compile, and the validator says they cannot be mixed.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { isObj } from '../values.js';
import { described, Num, PositiveDuration } from './primitives.js';

const { Optional } = Type;

export const CLOSED_KEYS = ['users', 'spawnRate', 'iterations'] as const;
export const OPEN_KEYS = ['rate', 'arrivalRate', 'rampTo', 'startRate', 'maxInFlight', 'connections'] as const;
const CLOSED_STAGE_KEYS = ['users', 'spawnRate'] as const;
const OPEN_STAGE_KEYS = ['rate', 'arrivalRate', 'rampTo'] as const;

const users = (min: number) => Num(`an integer >= ${min}`, { integer: true, minimum: min, description: min === 0 ? 'Virtual users at the end of the stage' : 'Virtual users' });
const spawnRate = () => Num('users per second > 0', { exclusiveMinimum: 0, description: 'Users started (or stopped) per second; omitted: all at once' });
const rate = (description: string) => Num('iterations per second >= 0', { minimum: 0, description });
const stageDuration = () => described(PositiveDuration('How long the stage lasts'), { missing: 'duration: <how long the stage lasts, e.g. 5m>' });
const never = (conflictsWith?: string) => Optional(described(Type.Never(), conflictsWith ? { conflictsWith } : {}));
const nevers = <K extends string>(keys: readonly K[], conflictsWith?: string) => Object.fromEntries(keys.map((k) => [k, never(conflictsWith)])) as Record<K, ReturnType<typeof never>>;

export const ClosedStage = described(
  Type.Object(
    {
      name: Optional(Type.String({ description: 'Stage name' })),
      users: described(users(0), { missing: 'users: <virtual users at the end of the stage>' }),
      spawnRate: Optional(spawnRate()),
      duration: stageDuration(),
    },
    { additionalProperties: false, description: 'The user count moves toward `users` at `spawnRate`/s, then holds' },
  ),
  { expected: 'a stage like { users: 100, spawnRate: 10, duration: 5m }' },
);

export const OpenStage = described(
  Type.Object(
    {
      name: Optional(Type.String({ description: 'Stage name' })),
      rate: Optional(rate('Rate at the end of the stage, ramped linearly from the previous one (k6 style)')),
      arrivalRate: Optional(rate('Rate at the start of the stage (Artillery style)')),
      rampTo: Optional(rate('Rate at the end of an arrivalRate stage')),
      duration: stageDuration(),
    },
    { additionalProperties: false, description: '{ rate, duration } (k6) or { arrivalRate, rampTo, duration } (Artillery)' },
  ),
  { expected: 'a stage like { rate: 100, duration: 1m }' },
);

const stages = (stage: TSchema, example: string) =>
  described(Type.Array(stage, { minItems: 1, description: 'The load over time, stage by stage' }), { expected: `a list of stages like ${example}`, empty: ['no stages', 'at least one stage'] });

const closedCommon = {
  spawnRate: Optional(spawnRate()),
  iterations: Optional(Num('an integer >= 1', { integer: true, minimum: 1, description: 'Stop after this many iterations in total (without duration: 10m cap)' })),
};
const openCommon = {
  startRate: Optional(rate('Rate at time 0 (default 0, or the first arrivalRate, or the constant rate)')),
  maxInFlight: Optional(Num('an integer >= 1', { integer: true, minimum: 1, description: 'Iterations in flight at once; arrivals beyond it are dropped (counted)' })),
  connections: Optional(Num('an integer >= 1', { integer: true, minimum: 1, description: 'Connections opened to the target (default min(maxInFlight, 256))' })),
};
const object = <T extends Record<string, TSchema>>(props: T, description: string) => Type.Object(props, { additionalProperties: false, description });

/** Closed model, constant: `{ users, spawnRate?, duration }` (or `iterations`). */
export const ClosedLoad = object(
  { users: users(1), ...closedCommon, duration: Optional(PositiveDuration('Run length, ramp included')), stages: never(), ...nevers(OPEN_KEYS) },
  'Closed model: virtual users run iterations back to back',
);
/** Closed model, staged: `{ stages: [{ users, duration }], spawnRate? }`. */
export const ClosedStagedLoad = object(
  { ...closedCommon, stages: stages(ClosedStage, '{ users: 100, spawnRate: 10, duration: 5m }'), users: never('stages'), duration: never('stages'), ...nevers(OPEN_KEYS) },
  'Closed model in stages',
);
/** Open model, constant: `{ rate, duration }` (or Artillery's `{ arrivalRate, rampTo?, duration }`). */
export const OpenLoad = object(
  {
    rate: Optional(rate('Constant rate (iterations per second)')),
    arrivalRate: Optional(rate('Rate at the start (Artillery style)')),
    rampTo: Optional(rate('Rate at the end (with arrivalRate)')),
    duration: described(PositiveDuration('Run length'), { missing: 'duration: <how long the stage lasts, e.g. 5m>' }),
    ...openCommon,
    stages: never(),
    ...nevers(CLOSED_KEYS),
  },
  'Open model: iterations start at an arrival rate, whatever the latency',
);
/** Open model, staged: `{ startRate?, stages: [{ rate, duration }] }`. */
export const OpenStagedLoad = object(
  {
    ...openCommon,
    stages: stages(OpenStage, '{ rate: 100, duration: 1m }'),
    ...nevers(['rate', 'arrivalRate', 'rampTo', 'duration'], 'stages'),
    ...nevers(CLOSED_KEYS),
  },
  'Open model in stages',
);

const has = (o: Record<string, unknown>, keys: readonly string[]) => keys.find((k) => o[k] !== undefined);

/** Which model a load object means by its keys: 0-3 as in `Load.anyOf`, or why neither. */
export function loadVariant(v: unknown) {
  if (!isObj(v)) return undefined;
  const list = Array.isArray(v.stages) ? v.stages.filter(isObj) : [];
  const closedKey = has(v, CLOSED_KEYS) ?? (list.some((s) => has(s, CLOSED_STAGE_KEYS)) ? 'stages' : undefined);
  const openKey = has(v, OPEN_KEYS) ?? (list.some((s) => has(s, OPEN_STAGE_KEYS)) ? 'stages' : undefined);
  if (closedKey !== undefined && openKey !== undefined) {
    const k = has(v, OPEN_KEYS) ?? 'stages';
    return {
      code: 'E_CONFLICT' as const,
      path: [k],
      at: 'key' as const,
      problem: `the closed model (${has(v, CLOSED_KEYS) ?? 'users'}) and the open model (${k}) cannot be mixed`,
      expected: 'users/spawnRate/iterations (closed) or rate/arrivalRate/startRate/maxInFlight/connections (open)',
    };
  }
  if (closedKey === undefined && openKey === undefined) {
    return { code: 'E_MISSING' as const, key: 'users', path: [], at: 'key' as const, problem: 'missing "users"', expected: 'users (closed model: virtual users) or rate (open model: iterations/s)' };
  }
  const staged = v.stages !== undefined ? 1 : 0;
  return closedKey !== undefined ? staged : 2 + staged;
}

export const Load = described(Type.Union([ClosedLoad, ClosedStagedLoad, OpenLoad, OpenStagedLoad], { description: 'How hard: { users, spawnRate, duration } (closed model) or { rate, duration } (open model)' }), {
  expected: 'a mapping: { users, duration } or { rate, duration }',
  missing: 'load: { users, spawnRate, duration } (closed model) or { rate, duration } (open model)',
  select: loadVariant,
});

export type ClosedLoadInput = Static<typeof ClosedLoad> | Static<typeof ClosedStagedLoad>;
export type OpenLoadInput = Static<typeof OpenLoad> | Static<typeof OpenStagedLoad>;
export type LoadInput = Static<typeof Load>;
