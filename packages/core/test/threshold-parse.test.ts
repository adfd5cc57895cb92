import { describe, expect, it } from 'vitest';
import { checkThresholdScope, parseThreshold, ThresholdSyntaxError } from '../src/thresholds/parse.js';

describe('parseThreshold: good', () => {
  it.each([
    ['p(95) < 200ms', { metric: 'p', percentile: 95, op: '<', limit: 200, unit: 'ms' }],
    ['p(99.9)<=1s', { metric: 'p', percentile: 99.9, op: '<=', limit: 1000, unit: 'ms' }],
    ['  avg   <   150  ', { metric: 'avg', op: '<', limit: 150, unit: 'ms' }],
    ['max < 1500us', { metric: 'max', op: '<', limit: 1.5, unit: 'ms' }],
    ['min > 2m', { metric: 'min', op: '>', limit: 120_000, unit: 'ms' }],
    ['med != 0', { metric: 'med', op: '!=', limit: 0, unit: 'ms' }],
    ['p(100) < 5µs', { metric: 'p', percentile: 100, op: '<', limit: 0.005, unit: 'ms' }],
    ['error_rate < 1%', { metric: 'error_rate', op: '<', limit: 0.01, unit: 'ratio' }],
    ['error_rate <= 0.05', { metric: 'error_rate', op: '<=', limit: 0.05, unit: 'ratio' }],
    ['checks > 99.5%', { metric: 'checks', op: '>', limit: 0.995, unit: 'ratio' }],
    ['failed_rate == 0%', { metric: 'failed_rate', op: '==', limit: 0, unit: 'ratio' }],
    ['rps >= 450', { metric: 'rps', op: '>=', limit: 450, unit: '1/s' }],
    ['rps >= 450/s', { metric: 'rps', op: '>=', limit: 450, unit: '1/s' }],
    ['count > 1000', { metric: 'count', op: '>', limit: 1000, unit: 'count' }],
    ['dropped == 0', { metric: 'dropped', op: '==', limit: 0, unit: 'count' }],
    ['service_time.p(99) < 50ms', { metric: 'p', percentile: 99, source: 'service_time', op: '<', limit: 50, unit: 'ms' }],
    ['iteration_duration.avg < 2s', { metric: 'avg', source: 'iteration_duration', op: '<', limit: 2000, unit: 'ms' }],
  ])('%j', (src, want) => expect(parseThreshold(src)).toEqual(want));
});

describe('parseThreshold: bad', () => {
  it.each([
    ['', 'empty threshold', 0],
    ['p95 < 200ms', '"p95" is not a metric', 0],
    ['p(0) < 1s', 'percentile 0 is out of range', 2],
    ['p(101) < 1s', 'percentile 101 is out of range', 2],
    ['latency < 200ms', 'unknown metric "latency"', 0],
    ['http_req_duration < 200', 'unknown metric "http_req_duration"', 0],
    ['p(95) = 200ms', '"=" is not an operator', 6],
    ['p(95) =< 200ms', '"=" is not an operator', 6],
    ['p(95) 200ms', 'expected an operator at "20"', 6],
    ['p(95) <', 'expected a number at "the end"', 7],
    ['p(95) < fast', 'expected a number at "fast"', 8],
    ['p(95) < 200 ms ms', 'unexpected "ms"', 15],
    ['p(95) < 2%', '"%" is not a time unit', 8],
    ['error_rate < 5', '5 is not a ratio between 0 and 1 (did you mean 5%?)', 13],
    ['error_rate < 101%', '101% is not between 0% and 100%', 13],
    ['error_rate < 1ms', '"ms" is not a unit of error_rate', 13],
    ['rps > 5%', '"%" is not a unit of rps', 6],
    ['count > 5s', 'count takes a plain number, not "s"', 8],
    ['latency.rps > 5', '"latency.rps" is not a metric', 8],
  ])('%j: %s', (src, msg, offset) => {
    try {
      parseThreshold(src);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ThresholdSyntaxError);
      expect((e as ThresholdSyntaxError).message).toBe(msg);
      expect((e as ThresholdSyntaxError).offset).toBe(offset);
      expect((e as ThresholdSyntaxError).code).toBe('E_BAD_THRESHOLD');
    }
  });
});

describe('metric and scope', () => {
  it.each([
    ['p(95) < 1s', 'flow', undefined],
    ['latency.p(95) < 1s', 'flow', 'latency is not measured per flow (use iteration_duration or a request scope)'],
    ['iteration_duration.p(95) < 1s', 'request', 'iteration_duration needs a flow scope ("flow:<name>")'],
    ['error_rate < 1%', 'flow', 'error_rate is per request; for flows use failed_rate'],
    ['failed_rate < 1%', 'total', 'failed_rate needs a flow scope ("flow:<name>"); for requests use error_rate'],
    ['checks > 99%', 'request', 'checks is only measured in total (scope "total")'],
    ['dropped == 0', 'flow', 'dropped is only measured in total (scope "total")'],
    ['rps > 1', 'flow', undefined],
    ['count > 1', 'request', undefined],
  ] as const)('%s in a %s scope', (src, kind, why) => expect(checkThresholdScope(parseThreshold(src), kind)).toBe(why));
});
