import type { Store } from './types.js';

export function postgresStore(_url: string): Store {
  throw new Error('PostgreSQL store is not built yet');
}
