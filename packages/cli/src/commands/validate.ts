import { Args, Flags } from '@oclif/core';
import { validateScenarioFile } from '@loadctl/core';
import { BaseCommand } from '../lib/base-command.js';
import { countFlag, loadCeilingOf } from '../lib/flags.js';
import { EXIT } from '../lib/outcome.js';

export default class Validate extends BaseCommand {
  static override summary = 'Check scenario files without sending any load';
  static override description = 'Every problem is reported as file:line:column, the path of the bad key, what was expected and, for typos, the nearest known key. Exit 2 if any file has a problem.';
  static override examples = ['<%= config.bin %> validate scenarios/*.yml'];
  static override strict = false;
  static override args = { scenario: Args.string({ required: true, description: 'scenario YAML file(s)' }) };
  static override flags = {
    env: Flags.string({ char: 'e', description: 'set a variable for ${env.NAME} substitution: NAME=value (repeatable)', multiple: true }),
    workers: countFlag({ description: 'worker threads the load will run on, for the load ceilings (default: CPU cores - 1)' }),
    'load-ceiling': Flags.boolean({ description: 'check users, rates and connections against what one machine can hold', default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Validate);
    const env: Record<string, string | undefined> = { ...process.env };
    for (const kv of flags.env ?? []) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    let bad = 0;
    for (const file of argv as string[]) {
      const r = validateScenarioFile(file, { env, workers: flags.workers, loadCeiling: loadCeilingOf(flags) });
      if (r.ok) {
        const s = r.scenario!;
        process.stdout.write(`✓ ${file}: ${s.name} → ${s.target}, ${s.flows.length} flow(s), ${s.load.model} model, ${s.thresholds.length} threshold(s)\n`);
      } else {
        bad++;
        for (const i of r.issues) process.stderr.write(`${i.message}\n`);
      }
    }
    this.exit(bad > 0 ? EXIT.badInput : EXIT.ok);
  }
}
