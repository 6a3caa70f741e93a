import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const postgres = Boolean(process.env.TEST_DATABASE_URL);
if (!postgres) {
  console.warn('TEST_DATABASE_URL is not set: the PostgreSQL tests (store contract, test/http on PostgreSQL, several instances) are skipped');
}

// Shared by the projects, which do not extend the root: the root's globalSetup (building dist/) then runs once.
// Only the process tests need dist/; they wait for the build in test/wait-for-build.ts while the others run.
const common = { testTimeout: 20_000, hookTimeout: 30_000, pool: 'forks' as const, setupFiles: ['test/setup.ts'] };
// Every test file shares its worker's loaded modules instead of importing src/ afresh (the imports cost more than
// most files' tests), and the browser tests their worker's Chromium (test/browser/harness.ts). Per-test state lives
// in the objects each test builds (makeDeps(), testServer(), browser contexts), and test/setup.ts releases them
// after each test. The browser tests are in-process tests: in a project of their own, each worker imported src/ once
// more.
const inProcess = { ...common, isolate: false };

// Tests that run Tessera or its CLI as real processes (the built dist/), or several instances at once. They spend
// most of their time waiting on those processes, so they share the workers with the in-process tests instead of
// running after them; `npx vitest run --project processes` (or `--project main`) selects one side.
const processTests = [
  'test/cli/**/*.test.ts',
  'test/process/**/*.test.ts',
  'test/multi-instance/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/keys/cli.test.ts',
  'test/keys/instances.test.ts',
  'test/verify/restart.test.ts',
  'test/verify/package.test.ts',
  'examples/**/*.test.ts',
];

// The slowest files as measured, slowest first: the order of a run without timings from an earlier one (a fresh
// clone, as in CI), where Vitest would order by size and leave these short but slow files for the end.
const slowFiles = [
  'test/e2e/readme.test.ts',
  'test/browser/second-factors.test.ts',
  'test/browser/accounts.test.ts',
  'test/browser/account.test.ts',
  'test/browser/passkeys.test.ts',
  'test/multi-instance/refresh.test.ts',
  'test/cli/smoke.test.ts',
  'test/http/malformed.test.ts',
  'test/keys/instances.test.ts',
  'test/store/postgres.test.ts',
  'test/process/startup.test.ts',
  'test/verify/package.test.ts',
  'test/process/webhook-crash.test.ts',
  'test/verify/restart.test.ts',
  'test/browser/consent-apis.test.ts',
  'test/e2e/dpop-client.test.ts',
  'test/multi-instance/keys.test.ts',
  'test/keys/lifecycle.test.ts',
];

/**
 * Longest first across all projects, so the long files (mostly process tests, which wait more than they compute)
 * start at once and the short ones fill the workers at the end. Vitest would run the projects one after another,
 * each longest first, leaving the process tests' long tail for the end. Durations come from the last run where
 * Vitest has them, else slowFiles leads.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const key = (file: TestSpecification) => `${file.project.name}:${relative(this.ctx.config.root, file.moduleId)}`;
    const timed = files.some((file) => this.ctx.cache.getFileTestResults(key(file)));
    const expected = (file: TestSpecification) => {
      if (timed) return this.ctx.cache.getFileTestResults(key(file))?.duration ?? Number.POSITIVE_INFINITY;
      const rank = slowFiles.indexOf(relative(this.ctx.config.root, file.moduleId));
      return rank < 0 ? 0 : slowFiles.length - rank;
    };
    const order = await super.sort(files);
    const position = new Map(order.map((file, i) => [file, i]));
    return order.sort((a, b) => expected(b) - expected(a) || position.get(a)! - position.get(b)!);
  }
}

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // Vitest's default is one worker less than the cores: a single one on 2 cores. The suite waits on sockets, child
    // processes and PostgreSQL often enough that half a worker more per core keeps the cores busy (3 on 2 cores,
    // measured against 2 and 4). Every project shares this one limit; --maxWorkers overrides it.
    maxWorkers: Math.ceil(availableParallelism() * 1.5),
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...inProcess, name: 'main', include: ['test/**/*.test.ts'], exclude: processTests } },
      { test: { ...inProcess, name: 'processes', include: processTests, setupFiles: [...common.setupFiles, 'test/wait-for-build.ts'] } },
      // The HTTP and hardening tests once more, each test on a fresh PostgreSQL schema (test/helpers/deps.ts testStore()).
      ...(postgres
        ? [
            {
              test: {
                ...inProcess,
                name: 'http-postgres',
                include: ['test/http/**/*.test.ts', 'test/hardening/**/*.test.ts'],
                env: { TESSERA_TEST_STORE: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
