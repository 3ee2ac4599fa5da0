import { createRequire } from 'node:module';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const require = createRequire(import.meta.url);

// Node (and so Apollo Server) loads graphql's CommonJS build; tests must use the same copy,
// or graphql-js sees two realms (GraphQLError, scalar types) in one schema.
const resolve = { alias: { graphql: require.resolve('graphql') } };
const timeouts = { testTimeout: 60_000, hookTimeout: 120_000 };

/**
 * The slow project: whole-system tests that dominate a run. `npm test` leaves them out; `npm run
 * test:all` and .ci/run run them. Each entry says why it is here.
 */
export const SLOW_TESTS = [
  // Schema walks: every reachable field as every kind of caller.
  'tests/graphql/privacy-walk.test.ts',
  'tests/cities/privacy-walk.test.ts',
  'tests/demographics/no-individual-response.test.ts',
  // Property tests: hundreds of generated cases each.
  'tests/demographics/suppression.property.test.ts',
  'tests/input/hostile-input.property.test.ts',
  'tests/graphql/compiled-organizations-equivalence.test.ts',
  // The production bundle, built and started; the CLIs and the server as child processes.
  'tests/http/production-bundle.test.ts',
  'tests/app/build.test.ts',
  'tests/app/start-up-refusals.test.ts',
  'tests/app/private-logs.test.ts',
  'tests/auth/token-claims.test.ts',
  'tests/partner/persisted-queries.test.ts',
  'tests/partner/exports.test.ts',
  // Benchmarks.
  'tests/bench/**/*.test.ts',
  // Fault injection, several instances, shutdown, timeouts and memory bounds.
  'tests/faults/**/*.test.ts',
  'tests/app/several-instances.test.ts',
  'tests/http/graceful-shutdown.test.ts',
  'tests/http/statement-timeout.test.ts',
  'tests/http/memory-bounds.test.ts',
  'tests/db/fair-queue.test.ts',
  // Rate limits, driven to their windows' ends with many requests.
  'tests/http/rate-limit.test.ts',
  'tests/recruitment/rate-limit.test.ts',
  // Fresh databases migrated from nothing (not copied from the template), several per file.
  'tests/http/operations.test.ts',
  'tests/app/prepare-database.test.ts',
  'tests/import/reconcile-links.test.ts',
  'tests/import/officials.test.ts',
  'tests/geography/city-extent.test.ts',
  'tests/kinds/migration-upgrade.test.ts',
  // Whole datasets converted or imported into fresh databases, one or more per test.
  'tests/import/convert-nyc.test.ts',
  'tests/import/broken-dataset.test.ts',
  'tests/import/changed-dataset.test.ts',
  'tests/import/sample-members.test.ts',
  'tests/import/office-channels.test.ts',
  'tests/language/dataset-locales.test.ts',
];

const project = (name: string, test: TestProjectInlineConfiguration['test']): TestProjectInlineConfiguration => ({
  resolve,
  test: { name, ...timeouts, ...test },
});

export default defineConfig({
  resolve,
  test: {
    // Builds the test-database templates once per run, for every project (tests/helpers/global-setup.ts).
    globalSetup: ['tests/helpers/global-setup.ts'],
    // PGlite runs in-process: two files at a time keeps a 2-core machine busy without thrashing.
    maxWorkers: 2,
    projects: [
      // Files share a worker's loaded modules (isolate: false): each still opens its own copy of the
      // template database, but the server's modules and PGlite's WebAssembly load once per worker.
      project('fast', { include: ['tests/**/*.test.ts'], exclude: SLOW_TESTS, isolate: false }),
      project('slow', { include: SLOW_TESTS }),
    ],
  },
});
