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
const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
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
        '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }],
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
