import { accountsStore } from './accounts.js';
import { apisStore } from './apis.js';
import { auditStore } from './audit.js';
import { authorizationStore } from './authorization.js';
import { clientsStore } from './clients.js';
import { factorsStore } from './factors.js';
import type { Dialect, Tables } from './dialect.js';
import { dpopProofsStore } from './dpop-proofs.js';
import { keysStore } from './keys.js';
import { limitsStore } from './limits.js';
import { maintenanceStore, type MaintenanceOptions } from './maintenance.js';
import { outboxStore } from './outbox.js';
import { pushedRequestsStore } from './pushed.js';
import { registrationTokensStore } from './registration-tokens.js';
import { revocationFeedStore } from './revocation-feed.js';
import { sessionEnds } from './session-ends.js';
import { sessionsStore } from './sessions.js';
import type { Store } from './types.js';
import { upstreamStore } from './upstream.js';
import { usersStore } from './users.js';
import { webhookStore } from './webhooks.js';

export type StoreOptions = MaintenanceOptions;

/** The Store over either dialect's tables: one implementation per capability (store/types.ts), composed. */
export function createStore(dialect: Dialect, tables: Tables, options: StoreOptions = {}): Store {
  const ends = sessionEnds(dialect, tables);
  return {
    dialect: dialect.name,
    ...maintenanceStore(dialect, tables, options),
    ...usersStore(dialect, tables, ends),
    ...clientsStore(dialect, tables, ends),
    ...sessionsStore(dialect, tables, ends),
    ...revocationFeedStore(dialect, tables),
    ...authorizationStore(dialect, tables),
    ...pushedRequestsStore(dialect, tables),
    ...keysStore(dialect, tables, ends),
    ...auditStore(dialect, tables),
    ...limitsStore(dialect, tables),
    ...upstreamStore(dialect, tables),
    ...outboxStore(dialect, tables),
    ...webhookStore(dialect, tables),
    ...dpopProofsStore(dialect, tables),
    ...registrationTokensStore(dialect, tables),
    ...accountsStore(dialect, tables),
    ...apisStore(dialect, tables),
    ...factorsStore(dialect, tables, ends),
  };
}
