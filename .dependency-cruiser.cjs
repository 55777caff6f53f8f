/**
 * The layers of src/, checked by `npm run lint` (see CONTRIBUTING.md, "How the code is layered").
 *
 * - Infrastructure (common, config, database, crypto, events) imports no feature.
 * - A feature imports another feature only through that feature's index.ts, the files it chose
 *   to expose; its other files are its own business.
 * - No cycles, between files or (through the index files) between features.
 * - Prisma's generated client is imported only where queries are written.
 * The composition roots (main.ts, app.module.ts, app.setup.ts, cli/) may import anything.
 */
const INFRASTRUCTURE = '(common|config|database|crypto|events)';
const ROOTS = ['^src/main\\.ts$', '^src/app\\.(module|setup)\\.ts$', '^src/cli/', '^src/generated/'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two pieces cannot be understood, tested or changed apart.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'infrastructure-imports-no-feature',
      severity: 'error',
      comment: 'common, config, database, crypto and events are below every feature: they must not know one.',
      from: { path: `^src/${INFRASTRUCTURE}/` },
      to: { path: '^src/', pathNot: [`^src/${INFRASTRUCTURE}/`, '^src/generated/'] },
    },
    {
      name: 'feature-through-its-index',
      severity: 'error',
      comment: "A feature reaches another only through that feature's index.ts.",
      from: { path: '^src/([^/]+)/', pathNot: [`^src/${INFRASTRUCTURE}/`, ...ROOTS] },
      to: {
        path: '^src/[^/]+/',
        pathNot: ['^src/$1/', `^src/${INFRASTRUCTURE}/`, '^src/generated/', '^src/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'prisma-only-in-repositories',
      severity: 'error',
      comment: 'Prisma types stop at the repository: services and controllers speak in domain terms.',
      from: { path: '^src/', pathNot: ['^src/database/', '\\.repository\\.ts$', '\\.query\\.ts$', '^src/generated/'] },
      to: { path: '^src/generated/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file nothing imports is dead code (or a forgotten registration).',
      from: { orphan: true, path: '^src/', pathNot: [...ROOTS, '\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
