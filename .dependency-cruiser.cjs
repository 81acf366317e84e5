/**
 * The layering rules `npm run lint` keeps (ARCHITECTURE.md explains them). Layers from the bottom:
 * each may import its own layer and the layers below it, never one above. Test files and
 * benchmarks are not checked: they sit on top and may reach anything.
 */
const LAYERS = [
  { name: 'base', path: '^src/(time/|errors\\.ts$|log\\.ts$|metrics\\.ts$)' },
  { name: 'domain', path: '^src/domain/' },
  { name: 'config', path: '^src/(config|env)\\.ts$' },
  { name: 'chat port', path: '^src/(chat/(port|message)\\.ts|directory\\.ts)$' },
  { name: 'store', path: '^src/store/' },
  { name: 'delivery', path: '^src/delivery/' },
  { name: 'render and chat adapters', path: '^src/(render/|chat/(slack|mattermost|console)/)' },
  { name: 'dispatch and services', path: '^src/(dispatch|services)/' },
  { name: 'commands', path: '^commands/' },
  { name: 'http', path: '^src/http/' },
  { name: 'app', path: '^src/(app\\.ts|main\\.ts|cli/|boot/)' },
];

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-upward-from-${layer.name.replace(/\W+/g, '-')}`,
  comment: `${layer.name} may import only ${LAYERS.slice(0, i + 1).map((l) => l.name).join(', ')}`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(i + 1).map((l) => l.path) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'Two modules that need each other are one module, or share a third below them.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment: 'Domain logic imports only domain, time and errors: no logging, metrics, config loading, chat or Redis.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/(domain/|time/|errors\\.ts$)' },
    },
    {
      name: 'dispatch-and-services-are-siblings',
      comment: 'The dispatcher knows no feature, and no feature knows the dispatcher; commands/ joins them.',
      severity: 'error',
      from: { path: '^src/dispatch/' },
      to: { path: '^src/services/' },
    },
    {
      name: 'services-and-dispatch-are-siblings',
      comment: 'The dispatcher knows no feature, and no feature knows the dispatcher; commands/ joins them.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/dispatch/' },
    },
    {
      name: 'http-only-from-the-app',
      comment: 'Routes are mounted by the app; nothing else reaches into the HTTP server.',
      severity: 'error',
      from: { path: '^(src|commands)/', pathNot: '^src/(http/|app\\.ts$|main\\.ts$|cli/|boot/)' },
      to: { path: '^src/http/' },
    },
    {
      name: 'bullmq-only-in-delivery',
      comment: 'Deliveries and timers go through src/delivery/; nothing else talks to BullMQ.',
      severity: 'error',
      from: { path: '^(src|commands)/', pathNot: '^src/delivery/' },
      to: { path: 'node_modules/bullmq/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
