import { describe } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { accountsSuite } from './suites/accounts.js';
import { apiSuite } from './suites/apis.js';
import { authorizationSuite } from './suites/authorization.js';
import { eventSuite } from './suites/events.js';
import { factorSuite } from './suites/factors.js';
import { familySuite } from './suites/families.js';
import { keySuite } from './suites/keys.js';
import { lifecycleSuite } from './suites/lifecycle.js';
import { pushedSuite } from './suites/pushed.js';
import { recordSuite } from './suites/records.js';
import { refreshTokenSuite } from './suites/refresh-tokens.js';
import { registrationTokenSuite } from './suites/registration-tokens.js';
import { upstreamSuite } from './suites/upstream.js';
import { usageSuite } from './suites/usage.js';

/**
 * Makes an empty, isolated database and returns an opener for it: each call opens another migrated
 * store on the same data, as a second instance would.
 */
export type FreshDatabase = () => Promise<() => Promise<Store>>;

export type StoreSetup = { store: Store; open: () => Promise<Store> };

/**
 * The behaviour every Store implementation must have, run once per dialect. `overlapping`: whether calls on a
 * store can run at the same time (PostgreSQL's pool), so that racing them tests something.
 */
export function describeStoreContract(name: string, freshDatabase: FreshDatabase, { overlapping }: { overlapping: boolean }): void {
  const setup = async (): Promise<StoreSetup> => {
    const open = await freshDatabase();
    return { store: await open(), open };
  };
  describe(`Store contract: ${name}`, () => {
    lifecycleSuite(setup, freshDatabase);
    recordSuite(setup);
    familySuite(setup);
    refreshTokenSuite(setup, { overlapping });
    keySuite(setup);
    usageSuite(setup);
    authorizationSuite(setup);
    pushedSuite(setup, { overlapping });
    upstreamSuite(setup);
    eventSuite(setup, { overlapping });
    registrationTokenSuite(setup, { overlapping });
    accountsSuite(setup);
    apiSuite(setup);
    factorSuite(setup);
  });
}
