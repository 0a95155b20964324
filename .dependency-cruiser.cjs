/**
 * The folder layers of src/, enforced in `npm run lint`. Each folder may import only from the
 * folders below it, so no two folders can ever import each other:
 *
 *   common, logging < config < auth < graphql < audit < countries < principals, positive-lists
 *     < eligibility < bulk, webhooks < health, database, cli, portal < console (the officials'
 *     workspace, built on the portal's pages) < the top-level composition files (src/*.ts)
 *
 * - common, logging, config: no domain at all (errors, validation, logging, environment).
 * - auth: who may call what (roles, policies, the guard, the request's caller), implemented
 *   against interfaces that the features and the GraphQL edge fill in.
 * - graphql: the GraphQL edge kit features build on (scalars, pagination, context, limits,
 *   error mapping, per-request loader storage).
 * - audit ... eligibility: the features, each owning its entities, rules, services,
 *   repository, loaders and resolvers.
 * A new feature goes above what it uses and below what uses it; add it to LAYERS.
 */
const LAYERS = [
  ['common', 'logging'],
  ['config'],
  ['auth'],
  ['graphql'],
  ['audit'],
  ['countries'],
  ['principals', 'positive-lists'],
  ['eligibility'],
  ['bulk', 'webhooks'],
  ['health', 'database', 'cli', 'portal'],
  ['console'],
];

const rules = LAYERS.flatMap((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  const peers = layer.length > 1 ? layer : [];
  return layer.map((folder) => ({
    name: `layer-${folder}`,
    comment: `${folder}/ may import only from the folders below it (see .dependency-cruiser.cjs)`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: {
      path: [
        ...(above.length ? [`^src/(${above.join('|')})/`] : []),
        ...peers.filter((p) => p !== folder).map((p) => `^src/${p}/`),
        // the top-level composition files (app.module, resolvers, bootstrap, main)
        '^src/[^/]+\\.ts$',
      ],
    },
  }));
});

module.exports = {
  forbidden: [
    ...rules.filter((r) => r.from.path !== '^src/cli/'),
    {
      name: 'no-circular',
      comment: 'No module may depend on itself through others.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, dependencyTypesNot: ['core'] },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve packages as Node's require() does, through their "exports" (csv-parse/sync and
    // csv-stringify/sync exist only there).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default'],
    },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
