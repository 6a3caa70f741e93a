import { join } from 'node:path';
import { sqliteFileStore, tempDir } from '../helpers/deps.js';
import { describeStoreContract } from './contract.js';

// A real database file per test; every opener call is another connection to it, like a second process.
// better-sqlite3 runs each call to its end before the next one starts: calls never overlap within one process.
describeStoreContract(
  'sqlite',
  async () => {
    const path = join(tempDir(), 'tessera.db');
    return () => sqliteFileStore(path);
  },
  { overlapping: false },
);
