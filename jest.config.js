/**
 * Four tiers, as separate jest projects (`npm run test:unit`, `test:integration`,
 * `test:e2e`, `test:load`; `npm test` runs the first three together, then the load tier
 * alone):
 * - unit: pure functions; no database, no build, no global set-up.
 * - integration: services, repositories and the DataSource on a clone of the migrated
 *   template database, without HTTP.
 * - e2e: the service over HTTP, and the compiled service and CLI as processes (its set-up
 *   also builds the project with tsc).
 * @type {import('jest').Config}
 */
// d3-scale and d3-shape (the portal's charts) and openid-client (the workspace's OpenID
// Connect sign-in, with oauth4webapi and its own jose 6) are ES modules only: Node loads them
// with require(esm), jest's module registry cannot, so jest transpiles them (and their
// dependencies) to CommonJS. jose 6 is told apart by its dist/webapi folder: the top-level
// jose (5, CommonJS) is left alone.
const ESM_ONLY = '(d3-[a-z-]+|internmap|openid-client|oauth4webapi|jose/dist/webapi)';
const esmToCommonJs = {
  [`node_modules/${ESM_ONLY}/.+\\.m?js$`]: [
    'ts-jest',
    { tsconfig: { allowJs: true, isolatedModules: true }, diagnostics: false },
  ],
};
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
    ...esmToCommonJs,
  },
};

module.exports = {
  maxWorkers: 2,
  // A run-wide option: jest ignores testTimeout inside a project.
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/test/unit'],
      // Transpile only (no type-checking program per worker, which costs seconds): lint
      // type-checks the tests.
      transform: {
        '^.+\\.tsx?$': [
          'ts-jest',
          {
            tsconfig: { isolatedModules: true, jsx: 'react-jsx', jsxImportSource: 'preact' },
            diagnostics: false,
          },
        ],
        ...esmToCommonJs,
      },
    },
    {
      ...shared,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      globalSetup: '<rootDir>/test/support/global-setup-database.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // - browser: the portal's pages in Debian's Chromium (playwright-core), on the compiled
      //   service with the demo data.
      ...shared,
      displayName: 'browser',
      roots: ['<rootDir>/test/browser'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      // - load: latency under load (e.g. /health while 50 clients run batches). Timed, so
      //   `npm test` runs it after the others, with the machine to itself.
      ...shared,
      displayName: 'load',
      roots: ['<rootDir>/test/load'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
