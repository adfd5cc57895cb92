import { Flags } from '@oclif/core';
import { parseDuration } from '@loadctl/core';

/** A duration flag (`30s`, `5m`, `1h30m`) parsed to milliseconds. */
export const durationFlag = Flags.custom<number>({
  parse: async (input) => {
    const ms = parseDuration(input);
    if (ms === undefined || ms <= 0) throw new Error(`"${input}" is not a duration; use e.g. 500ms, 30s, 5m, 1h30m`);
    return ms;
  },
});

/** A positive whole number flag. */
export const countFlag = Flags.custom<number>({
  parse: async (input) => {
    const n = Number(input);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`"${input}" is not a positive whole number`);
    return n;
  },
});

/** A positive number flag (rates may be fractional). */
export const positiveFlag = Flags.custom<number>({
  parse: async (input) => {
    const n = Number(input);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`"${input}" is not a positive number`);
    return n;
  },
});

/** Flags every load-producing command shares. */
export const runFlags = {
  workers: countFlag({ description: 'worker threads generating load (default: CPU cores - 1)' }),
  json: Flags.boolean({ description: 'print the summary as JSON on stdout (live progress stays on stderr)' }),
  quiet: Flags.boolean({ char: 'q', description: 'no live progress line; summary only' }),
  out: Flags.string({ char: 'o', description: 'write the result file (result.json) here' }),
  html: Flags.string({ description: 'write the HTML report here' }),
  junit: Flags.string({ description: 'write JUnit XML (thresholds and checks as test cases) here' }),
  debug: Flags.boolean({ description: 'show stack traces for errors' }),
};
