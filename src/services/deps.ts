import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { KeyRing } from '../keys/key-ring.js';
import type { Clock } from '../lib/clock.js';
import type { Hasher } from '../lib/password-hasher.js';
import type { Ids } from '../lib/ids.js';
import type { Metrics } from '../lib/metrics.js';
import type { Store } from '../store/types.js';
import type { Emitter } from './events.js';

/** Everything a use case needs, built once in main.ts (or by makeDeps() in tests). */
export type Deps = {
  config: Config;
  store: Store;
  keys: KeyRing;
  clock: Clock;
  ids: Ids;
  hasher: Hasher;
  log: Logger;
  /** Prometheus instruments on a registry of this Deps' own. */
  metrics: Metrics;
  /** Domain events of this process's committed changes, for in-process subscribers (services/events.ts). */
  events: Emitter;
  /** An argon2 hash of a random password, verified against when a login names no user, so both cases cost the same. */
  dummyPasswordHash: string;
};

export type { Actor } from '../domain/audit.js';

/**
 * What a use case declares it needs: these members of Deps and, of the store, only these capabilities
 * (store/types.ts), e.g. `Uses<'clock' | 'ids', UsersStore & AuditStore>`. Routes and the CLI pass the whole Deps.
 */
export type Uses<K extends Exclude<keyof Deps, 'store'> = never, S = never> = Pick<Deps, K> & ([S] extends [never] ? unknown : { store: S });
