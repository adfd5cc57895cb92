import { existsSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { DEFAULT_STARTER_URL, scenarioSchemaPath, starterScenario } from '@loadctl/core/internal';
import { BaseCommand } from '../lib/base-command.js';
import { describeError, EXIT } from '../lib/outcome.js';

export default class Init extends BaseCommand {
  static override summary = 'Write a commented starter scenario for a URL';
  static override description = `The scenario validates and runs as written: one GET of the URL with a status check,
a closed (virtual users) or open (arrival rate) load, and three thresholds. Its first line,
# yaml-language-server: $schema=..., points editors at the scenario JSON Schema of the installed
@loadctl/core (as a path relative to the file), so keys are completed and checked while you edit.`;
  static override examples = ['<%= config.bin %> init http://127.0.0.1:3000/health', '<%= config.bin %> init https://staging.example.com/api/items --model open -o items.yml'];
  static override args = { url: Args.string({ required: false, description: `the URL to load (default ${DEFAULT_STARTER_URL})` }) };
  static override flags = {
    model: Flags.string({ description: 'closed: virtual users back to back; open: a fixed arrival rate', options: ['closed', 'open'], default: 'closed' }),
    output: Flags.string({ char: 'o', description: 'the file to write', default: 'scenario.yml' }),
    force: Flags.boolean({ description: 'overwrite the file if it exists' }),
    schema: Flags.string({ description: 'path or URL of scenario.schema.json for the editor line (default: the installed package, relative to the file)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Init);
    const out = resolve(flags.output);
    if (existsSync(out) && !flags.force) this.fail(`error: ${flags.output} exists; choose another file with -o, or overwrite it with --force`, EXIT.badInput);
    let schema = flags.schema;
    if (schema === undefined) {
      schema = relative(dirname(out), scenarioSchemaPath()).split(sep).join('/');
      if (!schema.startsWith('.') && !schema.startsWith('/')) schema = `./${schema}`;
    }
    try {
      const text = starterScenario({ url: args.url, model: flags.model as 'closed' | 'open', schema, file: flags.output });
      writeFileSync(out, text);
    } catch (err) {
      const { lines, exitCode } = describeError(err, false);
      this.fail(lines.join('\n'), exitCode);
    }
    process.stdout.write(`wrote ${flags.output} (${flags.model} model)\nnext: loadctl validate ${flags.output} && loadctl run ${flags.output}\n`);
  }
}
