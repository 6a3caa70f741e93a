import { defineConfig } from 'vitest/config';

const postgres = Boolean(process.env.TEST_DATABASE_URL);
if (!postgres) {
  console.warn('TEST_DATABASE_URL is not set: the PostgreSQL tests (store contract, test/http on PostgreSQL, several instances) are skipped');
}

// Shared by the projects, which do not extend the root: the root's globalSetup (building dist/) then runs once.
const common = { testTimeout: 20_000, hookTimeout: 30_000, pool: 'forks' } as const;

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { test: { ...common, name: 'main', include: ['test/**/*.test.ts', 'examples/**/*.test.ts'] } },
      // The HTTP and hardening tests once more, each test on a fresh PostgreSQL schema (test/helpers/deps.ts testStore()).
      ...(postgres ? [{ test: { ...common, name: 'http-postgres', include: ['test/http/**/*.test.ts', 'test/hardening/**/*.test.ts'], env: { TESSERA_TEST_STORE: 'postgres' } } }] : []),
    ],
  },
});
