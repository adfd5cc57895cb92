// Pack the published packages (@loadctl/core, @loadctl/reporters, loadctl) as npm tarballs.
//   node scripts/pack.mjs [--clean] [--out DIR]      (default DIR: out/packages)
// --clean removes every dist/ and build info first and rebuilds, so that no output of a
// deleted source file ships (a release does this: `pnpm pack:all`). pnpm pack turns the
// workspace:* dependencies into the packages' versions. Prints the tarballs' paths.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['core', 'reporters', 'cli'];
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = resolve(outAt >= 0 ? args[outAt + 1] : join(root, 'out', 'packages'));

if (args.includes('--clean')) {
  for (const p of PACKAGES) {
    const dir = join(root, 'packages', p);
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    for (const f of readdirSync(dir)) if (f.endsWith('.tsbuildinfo')) rmSync(join(dir, f));
  }
  execFileSync('pnpm', ['build'], { cwd: root, stdio: 'inherit' });
}
mkdirSync(out, { recursive: true });
for (const p of PACKAGES) {
  const tgz = execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: join(root, 'packages', p), encoding: 'utf8' }).trim().split('\n').pop();
  console.log(tgz);
}
