/** Steps (requests), their captures and checks, and flows of steps. */
import { Type, type Static } from '@sinclair/typebox';
import type { TemplateValue } from '../model.js';
import { described, DurationRange, Method, Num, PositiveDuration, RequestLine, Scalar, Template, Text, typed } from './primitives.js';

const { Optional } = Type;
const templates = (description: string) => Type.Record(Type.String(), Template('a string or number', 'A template'), { description });
const path = (method: string) => Optional(Template('a path like /users/${id}', `${method} this path: a template relative to the target, or an absolute http(s):// URL`));
const trueOnly = (description: string) => typed<true>(Type.Literal(true, { description }), { expected: 'true' });

/** One capture: where from (json, header or status) and the name later steps use. */
export type CaptureInput = { as: string; json: string } | { as: string; header: string } | { as: string; status: true };
export const Capture = described(
  Type.Object(
    {
      as: described(Text('a variable name', 'The name later steps use: ${name}'), { missing: 'as: <variable name>' }),
      json: Optional(Text('a JSON path like $.items[0].id', 'A JSON path into the response body: $.items[0].id, items.0.id')),
      header: Optional(Text('a header name', 'A response header (case-insensitive)', { nonEmpty: true })),
      status: Optional(trueOnly('Capture the status code')),
    },
    { additionalProperties: false, description: 'A value kept for later steps: json, header or status, and as' },
  ),
  { expected: 'a capture like { json: $.id, as: id }' },
);

const StatusCode = Type.Integer({ minimum: 100, maximum: 599 });
export const Check = described(
  Type.Object(
    {
      name: Optional(Text('a string', 'A custom name, for a check that tests one thing', { nonEmpty: true })),
      status: Optional(
        typed<number | number[]>(Type.Union([StatusCode, Type.Array(StatusCode, { minItems: 1 })], { description: 'Expected status code(s)' }), {
          atomic: true,
          expected: 'a status code (100-599) or a list of them',
        }),
      ),
      json: Optional(Text('a JSON path like $.id', 'A JSON path that must exist, or equal `equals`')),
      equals: Optional(
        typed<string | number | boolean | null>(Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()], { description: 'The value at `json` (a template)' }), {
          atomic: true,
          expected: 'a string, number, boolean or null',
        }),
      ),
      exists: Optional(trueOnly('The value at `json` exists')),
      bodyContains: Optional(Template('a string', 'Text the body must contain (a template)')),
      maxDuration: Optional(PositiveDuration('The request takes at most this long')),
    },
    { additionalProperties: false, description: 'An assertion on the response: status, json (+ equals or exists), bodyContains or maxDuration' },
  ),
  { expected: 'a check like { status: 200 }' },
);
export type CheckInput = Static<typeof Check>;

export const Step = described(
  Type.Object(
    {
      name: Optional(Scalar('a string', 'The metric key; default "METHOD /path/{name}"', { nonEmpty: true })),
      method: Optional(Method),
      path: path('Request'),
      get: path('GET'),
      post: path('POST'),
      put: path('PUT'),
      patch: path('PATCH'),
      delete: path('DELETE'),
      head: path('HEAD'),
      options: path('OPTIONS'),
      query: Optional(templates('Query parameters (templates), URL-encoded')),
      headers: Optional(templates('Headers of this request (templates), over the scenario headers')),
      json: Optional(typed<TemplateValue>(Type.Unknown({ description: 'A JSON body; strings are templates' }))),
      form: Optional(templates('A form body (application/x-www-form-urlencoded)')),
      body: Optional(Template('a string (use json: for structured bodies)', 'A raw body (a template); see contentType')),
      contentType: Optional(Text('a string', 'The content type of a raw body', { nonEmpty: true })),
      capture: Optional(
        typed<CaptureInput | CaptureInput[]>(Type.Union([Capture, Type.Array(Capture)], { description: 'Values to keep for later steps' }), { expected: 'a list of captures like { json: $.id, as: id }' }),
      ),
      check: Optional(typed<CheckInput | CheckInput[]>(Type.Union([Check, Type.Array(Check)], { description: 'Assertions on the response' }), { expected: 'a list of checks like { status: 200 }' })),
      think: Optional(DurationRange('Pause after this step: 1s, or uniform in 500ms..2s')),
      timeout: Optional(PositiveDuration('Overrides the scenario timeout')),
    },
    { additionalProperties: false, description: 'One HTTP request: get: /path (or post, put, ...), or method and path' },
  ),
  { expected: 'a request: { get: /path } or { method, path }' },
);
/** A request written as an object: `get: /x` (or post, put, ...) or `method` + `path`. */
export type StepInput = Static<typeof Step>;

export const StepOrLine = typed<StepInput | RequestLine>(Type.Union([RequestLine, Step]), { expected: 'a request: "GET /path", { get: /path } or { method, path }' });

export const Steps = () =>
  described(Type.Array(StepOrLine, { minItems: 1, description: 'The requests, run in order' }), {
    expected: 'a list of requests',
    empty: ['no steps', 'at least one request'],
    missing: 'steps: a list of requests',
  });

function flow(inList: boolean) {
  const name = described(Scalar('a string', 'Unique flow name, used in metrics and flow:<name> thresholds', { nonEmpty: true }), {
    missing: 'name: <flow name> (flows are named in metrics and thresholds)',
  });
  return described(
    Type.Object(
      {
        name: inList ? name : Optional(name),
        weight: Optional(Num('a number > 0', { exclusiveMinimum: 0, description: 'The share of iterations that run this flow (default 1)' })),
        pace: Optional(DurationRange('Think time after each iteration: 1s or 500ms..2s')),
        steps: Steps(),
      },
      { additionalProperties: false, description: 'A sequence of requests run by one iteration' },
    ),
    { expected: 'a flow: { name, weight, steps }' },
  );
}

export const FlowInList = flow(true);
export const FlowInMap = flow(false);
/** A flow in a list (named); in the mapping form the key is the name. */
export type FlowInput = Static<typeof FlowInList>;

export const Flows = (description: string) =>
  Type.Union(
    [
      described(Type.Array(FlowInList, { minItems: 1 }), { expected: 'a list of flows', empty: ['no flows', 'at least one flow'] }),
      described(Type.Record(Type.String(), FlowInMap, { minProperties: 1 }), { expected: 'a mapping of flows', empty: ['no flows', 'at least one flow'] }),
    ],
    { description },
  );
