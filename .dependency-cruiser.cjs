/**
 * The layers of loadctl, enforced by `pnpm lint` (docs/architecture.md explains them).
 *
 * Inside packages/core/src every folder is a layer and may import only the folders
 * named in LAYERS below (and the leaf modules errors.ts / version.ts). A new folder
 * must be added here, with the layers it may import, and to docs/architecture.md.
 * Each rule is named for the directions it allows, so a back-edge fails with a
 * message that says which way imports may go.
 */
const CORE = '^packages/core/src/';

/** folder -> folders it may import (itself always included). Arrows in the docs point the same way. */
const LAYERS = {
  // the bottom: snapshots, histograms, aggregation, the result model
  metrics: [],
  // verdicts over metrics
  thresholds: ['metrics', 'soak', 'capacity'],
  capacity: ['metrics', 'thresholds'],
  soak: ['metrics', 'thresholds'],
  // samples the target and the host
  monitor: ['metrics', 'types'],
  // the reporter contract and bus
  reporting: ['metrics'],
  // parse, validate, model (a scenario carries threshold specs and checks their grammar)
  scenario: ['thresholds'],
  // ambient type declarations for untyped packages
  types: [],
  // shares, programs compiled from flows, schedules
  plan: ['scenario'],
  // workers, drivers, exchange, recorder: run what the plan says
  engine: ['plan', 'metrics'],
  // what a distributed run needs around the scenario: manifests, bundles of its files
  distribute: ['plan', 'scenario'],
  // helpers for test suites (assertPassed, the toPass matcher): words about a run's verdict
  testing: ['metrics'],
  // composes everything into one run
  run: ['engine', 'plan', 'scenario', 'metrics', 'thresholds', 'capacity', 'soak', 'monitor', 'reporting', 'distribute'],
};

/** Modules at the root of core/src: the package entry may import anything; leaves (used by every layer) import nothing from core. */
const ENTRIES = ['index.ts', 'internal.ts'];
const LEAVES = ['errors.ts', 'version.ts', 'atomic-write.ts'];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const folder = (name) => `${CORE}${name}/`;
const leafPaths = LEAVES.map((f) => `${CORE}${esc(f)}$`);

const layerRules = Object.entries(LAYERS).map(([name, allowed]) => ({
  name: allowed.length === 0 ? `${name}-imports-no-other-layer` : `${name}-may-import-only-${allowed.join('-')}`,
  comment:
    allowed.length === 0
      ? `${name}/ imports no other layer of core (only the leaves ${LEAVES.join(', ')}).`
      : `${name}/ may import only ${allowed.map((a) => `${a}/`).join(', ')} (and the leaves ${LEAVES.join(', ')}); never a layer above it.`,
  severity: 'error',
  from: { path: folder(name) },
  to: { path: CORE, pathNot: [folder(name), ...allowed.map(folder), ...leafPaths] },
}));

const known = [...Object.keys(LAYERS).map((n) => `${esc(n)}/`), ...[...ENTRIES, ...LEAVES].map((f) => `${esc(f)}$`)];

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'every-core-module-belongs-to-a-layer',
      comment: 'A new folder or root module in packages/core/src needs its place in LAYERS (.dependency-cruiser.cjs) and in docs/architecture.md.',
      severity: 'error',
      from: { path: CORE, pathNot: `${CORE}(${known.join('|')})` },
      to: {},
    },
    {
      name: 'root-leaves-import-nothing-from-core',
      comment: `${LEAVES.join(', ')} are imported by every layer, so they import nothing from core.`,
      severity: 'error',
      from: { path: leafPaths },
      to: { path: CORE },
    },
    {
      name: 'only-the-package-imports-its-entry',
      comment: 'index.ts (the public API) and internal.ts (@loadctl/core/internal) are the entries of @loadctl/core; modules inside core import each other, never an entry.',
      severity: 'error',
      from: { path: CORE },
      to: { path: ENTRIES.map((f) => `${CORE}${esc(f)}$`) },
    },
    {
      name: 'core-imports-no-other-package',
      comment: '@loadctl/core is the base: reporters and the CLI import it, never the other way round.',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^packages/(reporters|cli)/' },
    },
    {
      name: 'reporters-import-core-only-through-its-public-api',
      comment: 'reporters import "@loadctl/core" (its index), never files inside packages/core/src, and never the CLI.',
      severity: 'error',
      from: { path: '^packages/reporters/' },
      to: { path: ['^packages/core/src/', '^packages/cli/'] },
    },
    {
      name: 'cli-imports-packages-only-through-their-public-api',
      comment: 'the CLI imports "@loadctl/core" and "@loadctl/reporters", never files inside their src folders.',
      severity: 'error',
      from: { path: '^packages/cli/' },
      to: { path: '^packages/(core|reporters)/src/' },
    },
    {
      name: 'no-circular-imports',
      comment: 'No module may reach itself through its imports (type-only imports included).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-circular-folders',
      comment: 'No folder may reach itself through the imports of its modules.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^packages/' },
      to: { circular: true },
    },
  ],
  options: {
    // type-only imports count: a cycle through types is still a cycle in the design
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
