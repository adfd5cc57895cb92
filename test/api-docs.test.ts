/**
 * The API reference (`pnpm docs:api`, TypeDoc over the public entries: @loadctl/core,
 * @loadctl/core/testing, @loadctl/reporters): TypeDoc converts and validates it without a
 * warning (every referenced type exported, every link resolved), and every public number
 * says its unit (ms, µs, req/s, bytes, a ratio, a count…) in its TSDoc.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Application, DeclarationReflection, ReflectionKind, TSConfigReader, TypeDocReader, type Comment, type SomeType } from 'typedoc';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Words that give a number its unit, or name what it counts (requests, iterations, users…). */
const UNIT = new RegExp(
  [
    '\\bms\\b', 'milli', 'micro', 'µs', '\\bus\\b', '\\bseconds?\\b', '\\d ?s\\b', '/s\\b', 'per second', '/h\\b', 'per hour', '\\bbytes?\\b',
    '0\\.\\.1', '\\bratio\\b', '%', '\\bepoch\\b', '\\bcount\\b', '\\bindex\\b', '[01]-based', '\\binteger\\b', 'status code',
    '`unit`', '\\bfactor\\b', '\\bseed\\b', '\\bpercentile\\b', '\\bdepth\\b',
    // what a count counts
    '\\b(request|response|iteration|user|arrival|connection|worker|thread|sample|point|interval|item|call|check|evaluation|error|slot|instance|name|series|port)s?\\b',
  ].join('|'),
  'i',
);

/** A number, a list of numbers, or either or nothing (`number | null`); not a scalar that may be text (`string | number`). */
function isNumber(t: SomeType | undefined): boolean {
  if (!t) return false;
  if (t.type === 'intrinsic') return t.name === 'number';
  if (t.type === 'array') return isNumber(t.elementType);
  if (t.type === 'union') {
    const nothing = (x: SomeType): boolean => (x.type === 'intrinsic' && (x.name === 'undefined' || x.name === 'null')) || (x.type === 'literal' && x.value === null);
    return t.types.some(isNumber) && t.types.every((x) => isNumber(x) || nothing(x));
  }
  return false;
}

function text(c: Comment | undefined): string {
  if (!c) return '';
  return [...c.summary, ...c.blockTags.flatMap((t) => t.content)].map((p) => p.text).join('');
}

describe('API reference', () => {
  it('TypeDoc converts and validates the public entries without a warning; every public number has its unit', async () => {
    const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json') }, [new TypeDocReader(), new TSConfigReader()]);
    const project = await app.convert();
    expect(project).toBeDefined();
    app.validate(project!);
    expect({ warnings: app.logger.warningCount, errors: app.logger.errorCount }).toEqual({ warnings: 0, errors: 0 });

    const missing: string[] = [];
    const numbers = project!.getReflectionsByKind(ReflectionKind.Property | ReflectionKind.Variable | ReflectionKind.Accessor);
    for (const r of numbers) {
      // Members inherited from the platform (Error.stackTraceLimit) are documented there; the
      // YAML-shaped input of defineScenario by its JSON Schema (scenario.schema.json) and docs/scenario.md.
      if (!(r instanceof DeclarationReflection) || r.flags.isExternal || r.getFullName().includes('.input.__type.')) continue;
      if (isNumber(r.type) && !UNIT.test(text(r.comment))) missing.push(r.getFullName());
    }
    for (const s of project!.getReflectionsByKind(ReflectionKind.CallSignature | ReflectionKind.ConstructorSignature)) {
      const sig = s as unknown as { parameters?: Array<{ name: string; type?: SomeType; comment?: Comment }>; comment?: Comment; getFullName(): string };
      for (const p of sig.parameters ?? []) if (isNumber(p.type) && !UNIT.test(text(p.comment) + text(sig.comment))) missing.push(`${sig.getFullName()}(${p.name})`);
    }
    expect(missing).toEqual([]);
    expect(numbers.length).toBeGreaterThan(100); // the walk does see the model
  }, 120_000);
});
