import type { AuditStore, FactorsStore, UsersStore } from '../../store/types.js';
import type { Deps } from '../deps.js';

/** What the factor services use: the factors, the users they belong to, and the audit log. */
export type FactorDeps = Pick<Deps, 'clock' | 'ids' | 'config'> & { store: FactorsStore & AuditStore & Pick<UsersStore, 'findUserById'> };
