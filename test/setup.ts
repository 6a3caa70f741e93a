import { afterAll, afterEach } from 'vitest';
import { runCleanups } from './helpers/deps.js';
import { dropDatabases } from './helpers/postgres.js';

// Registered here, a setup file, rather than where the helpers are defined: Vitest runs setup files again for
// every test file, also when the files of one worker share their modules (isolate: false in vitest.config.ts).
afterEach(runCleanups);
afterAll(dropDatabases);
