/**
 * Imports only go down the layers (leaves → config → pure stages → adapters → composition, as the
 * style guide describes them); `npm run lint:deps` checks it and `npm test` runs that check. Type-only
 * imports count (tsPreCompilationDeps): a cycle of types is a cycle of understanding.
 */
/** The wiring and what it writes. report/markdown.ts is not part of it: a text-escaping leaf every layer may use. */
const COMPOSITION =
  '^src/(gate|capacity-gate|cloud-gate|main|cli|bin|index)[.]ts$|^src/results/build[.]ts$|^src/action/|^src/report/(?!markdown[.]ts$)|^src/shards/(run-shard|merge-gate)[.]ts$'
const ENTRY_POINTS = '^src/(main|cli|bin|index)[.]ts$'
/** I/O at the edges: the k6 process, GitHub, stores, the webhook, the user's scripts, the target, the model provider. */
const ADAPTERS =
  '^src/(k6|github|storage)/|^src/webhook/(deliver)[.]ts$|^src/user-scripts/(run)[.]ts$|^src/(context|preflight)[.]ts$|^src/baseline/local-history[.]ts$|^src/analyst/(model-provider|analyse)[.]ts$|^src/shards/(store|rendezvous)[.]ts$|^src/cloud/(api|run)[.]ts$'
/** Readers of k6's output formats: data in, data out, no process and no file. */
const K6_OUTPUT_FORMATS = '^src/k6/(summary|timeline|json-lines|exit-codes)[.]ts$'
/** Leaves every layer may use: number formatting and the list splitter. */
const LEAVES = '^src/format/|^src/list[.]ts$'
/** src/analyst/ is pure but for the model provider and the analyses that call it (adapters, listed above). */
const PURE_STAGES =
  '^src/(spec|plan|script|export|verdict|stats|capacity)/|^src/(sli|verdict|liveness)[.]ts$|^src/baseline/(?!local-history[.]ts$)|^src/webhook/(payload|verify|url)[.]ts$|^src/user-scripts/(failure|judge)[.]ts$|^src/analyst/(?!(model-provider|analyse)[.]ts$)|^src/shards/(shard|shard-file|merge|plan)[.]ts$|^src/cloud/figures[.]ts$'

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle, even of type imports only: move the shared declaration down into a leaf.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'results-schema-is-a-leaf',
      severity: 'error',
      comment: 'The persisted results contract (perf-xi/results@1) imports nothing from the stages: planning code cannot change the file format.',
      from: { path: '^src/results/schema[.]ts$' },
      to: { path: '^src/' },
    },
    {
      name: 'formatting-and-lists-are-leaves',
      severity: 'error',
      comment: 'How numbers read (src/format/) and how list inputs split (src/list.ts) serve every layer, so they import nothing of the project.',
      from: { path: LEAVES },
      to: { path: '^src/' },
    },
    {
      name: 'config-imports-no-adapter',
      severity: 'error',
      comment: 'Config is read once from inputs and the config file; it knows no process, store, GitHub or report.',
      from: { path: '^src/config/' },
      to: { path: [ADAPTERS, COMPOSITION] },
    },
    {
      name: 'config-sections-are-leaves',
      severity: 'error',
      comment: "A feature's config section (merged into src/config/schema.ts) imports only leaves, never its stage nor src/config/.",
      from: {
        path: '^src/plan/(phase|categories|dataset)-config[.]ts$|^src/baseline/config[.]ts$|^src/capacity/config[.]ts$|^src/slo-config[.]ts$|^src/spec/auth-config[.]ts$|^src/analyst/(slo-recommendations-)?config[.]ts$|^src/outputs/config[.]ts$|^src/cloud/config[.]ts$',
      },
      to: {
        path: '^src/',
        pathNot: ['^src/(errors|duration|slo-config|url-credentials)[.]ts$|^src/results/schema[.]ts$|^src/plan/run-bounds[.]ts$', LEAVES],
      },
    },
    {
      name: 'pure-stages-import-no-adapter',
      severity: 'error',
      comment: 'Pure stages take data and return data: no k6 process, GitHub, store, webhook, report or composition.',
      from: { path: PURE_STAGES },
      to: { path: [ADAPTERS, COMPOSITION], pathNot: K6_OUTPUT_FORMATS },
    },
    {
      name: 'adapters-import-no-composition',
      severity: 'error',
      comment: 'Adapters are wired by the composition (gate, main, cli), never the other way round.',
      from: { path: ADAPTERS },
      to: { path: COMPOSITION },
    },
    {
      name: 'nothing-imports-entry-points',
      severity: 'error',
      comment: 'main.ts, cli.ts, bin.ts and index.ts only start things; bin.ts starts cli.ts and index.ts starts main.ts.',
      from: { pathNot: '^src/(bin|index)[.]ts$' },
      to: { path: ENTRY_POINTS },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
}
