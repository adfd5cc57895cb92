import { Args, Flags } from '@oclif/core';
import { validateScenarioFile, type Scenario } from '@loadctl/core';
import { scenarioFlows, scenarioLoads } from '@loadctl/core/internal';
import { BaseCommand } from '../lib/base-command.js';
import { countFlag, loadCeilingOf } from '../lib/flags.js';
import { EXIT } from '../lib/outcome.js';

export default class Validate extends BaseCommand {
  static override summary = 'Check scenario files without sending any load';
  static override description = 'Every problem is reported as file:line:column, the path of the bad key, what was expected and, for typos, the nearest known key. Exit 2 if any file has a problem.';
  static override examples = ['<%= config.bin %> validate scenarios/*.yml', '<%= config.bin %> validate scenarios/*.yml --json'];
  static override strict = false;
  static override args = { scenario: Args.string({ required: true, description: 'scenario YAML file(s)' }) };
  static override flags = {
    env: Flags.string({ char: 'e', description: 'set a variable for ${env.NAME} substitution: NAME=value (repeatable)', multiple: true }),
    workers: countFlag({ description: 'worker threads the load will run on, for the load ceilings (default: CPU cores - 1)' }),
    'load-ceiling': Flags.boolean({ description: 'check users, rates and connections against what one machine can hold', default: true, allowNo: true }),
    json: Flags.boolean({ description: 'print one entry per file as JSON on stdout: { file, ok, scenario | issues }' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parseInput(Validate);
    const env: Record<string, string | undefined> = { ...process.env };
    for (const kv of flags.env ?? []) {
      const i = kv.indexOf('=');
      if (i <= 0) this.fail(`error: bad --env "${kv}": expected NAME=value`, EXIT.badInput);
      env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const files: unknown[] = [];
    let bad = 0;
    for (const file of argv as string[]) {
      const r = validateScenarioFile(file, { env, workers: flags.workers, loadCeiling: loadCeilingOf(flags) });
      if (r.ok) {
        const s = r.scenario!;
        files.push({ file, ok: true, scenario: describe(s) });
        if (!flags.json) process.stdout.write(`✓ ${file}: ${s.name} → ${s.target}, ${describeLoads(s)}, ${s.thresholds.length} threshold(s)\n`);
      } else {
        bad++;
        files.push({ file, ok: false, issues: r.issues });
        for (const i of r.issues) process.stderr.write(`${i.message}\n`);
      }
    }
    if (flags.json) this.printJson({ ok: bad === 0, files });
    this.exit(bad > 0 ? EXIT.badInput : EXIT.ok);
  }
}

/** What `--json` says of a valid scenario; `loads` for loads side by side. */
function describe(s: Scenario): Record<string, unknown> {
  const out: Record<string, unknown> = { name: s.name, target: s.target, flows: scenarioFlows(s).length, model: s.loads === undefined ? s.load.model : 'loads', thresholds: s.thresholds.length };
  if (s.loads !== undefined) out.loads = s.loads.map((l) => ({ name: l.name, model: l.load.model, flows: l.flows.length }));
  return out;
}

/** "2 flow(s), open model", or "2 loads side by side (api: open, 1 flow; writers: closed, 2 flows)". */
function describeLoads(s: Scenario): string {
  if (s.loads === undefined) return `${s.flows.length} flow(s), ${s.load.model} model`;
  const each = scenarioLoads(s).map((l) => `${l.name}: ${l.load.model}, ${l.flows.length} flow(s)`);
  return `${s.loads.length} loads side by side (${each.join('; ')})`;
}
