/**
 * The Dockerfile cannot be built here (no Docker engine): it is linted with
 * dockerfile-utils (the VS Code Docker extension's validator) and parsed with dockerfile-ast
 * to check what a build would trip on — every COPY source exists in the repository, every
 * --from names a stage, the stages are Node 20 slim, the runtime runs as a non-root user and
 * its entry point is the file the deploy step puts there. The build steps themselves
 * (install, tsc -b, pnpm deploy) were run by hand outside Docker; see docs/distributed.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

describe('Dockerfile', () => {
  it('passes the dockerfile-utils linter (which does catch mistakes)', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    expect(validate(text.replace('WORKDIR /src', 'WORKDIRR /src')).map((d) => d.message)).toContain('Unknown instruction: WORKDIRR');
  });

  it('is multi-stage on Node 20 slim, runs as a non-root user, and enters through the deployed CLI', () => {
    const arg = dockerfile.getInstructions().find((i) => i.getKeyword() === 'ARG')!;
    const image = /^NODE_IMAGE=(.+)$/.exec(arg.getArguments()[0].getValue())![1];
    expect(image).toMatch(/^node:20(\.\d+)*-(bookworm-|bullseye-)?slim$/);
    const froms = dockerfile.getFROMs();
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f.getImage()).toBe('${NODE_IMAGE}');
    const stages = froms.map((f) => f.getBuildStage()).filter((s): s is string => s !== null);
    const lastFrom = froms[froms.length - 1].getRange().start.line;
    const runtime = dockerfile.getInstructions().filter((i) => i.getRange().start.line > lastFrom);
    const user = runtime.filter((i) => i.getKeyword() === 'USER').pop();
    expect(user?.getArguments()[0].getValue()).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.some((i) => i.getKeyword() === 'ENTRYPOINT' && /loadctl/.test(i.getArgumentsContent() ?? ''))).toBe(true);
    // the runtime links /app/bin/run.js: the CLI package ships bin/ and dist/ (pnpm deploy copies its "files")
    expect(text).toContain('ln -s /app/bin/run.js /usr/local/bin/loadctl');
    expect(existsSync(join(root, 'packages/cli/bin/run.js'))).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).files).toEqual(expect.arrayContaining(['bin', 'dist']));
    for (const copy of dockerfile.getCOPYs()) {
      const from = copy.getFromFlag();
      if (from) {
        expect(stages).toContain(from.getValue());
        continue;
      }
      const args = copy.getArguments().map((a) => a.getValue());
      for (const src of args.slice(0, -1)) {
        expect(existsSync(join(root, src)), `COPY ${src}`).toBe(true);
        expect(ignored.some((p) => p === src || p === src.replace(/\/$/, '')), `COPY ${src} is in .dockerignore`).toBe(false);
      }
    }
    // the compile step builds the CLI project and its references
    expect(text).toMatch(/tsc -b packages\/cli/);
    expect(existsSync(join(root, 'packages/cli/tsconfig.json'))).toBe(true);
  });
});
