import { describe, it } from 'vitest';
import { freshSchema, pgSkipReason, testDatabaseUrl } from '../helpers/postgres.js';
import { describeStoreContract } from './contract.js';

// A fresh schema per test in a database of this file's own; every opener call is another pool, like a second instance.
if (testDatabaseUrl) describeStoreContract('postgres', freshSchema, { overlapping: true });
else {
  describe.skip(`Store contract: postgres (${pgSkipReason})`, () => {
    it('runs every Store behaviour on PostgreSQL', () => {});
  });
}
