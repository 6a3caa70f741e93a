import type { AuditStore, FactorsStore, UsersStore } from '../../store/types.js';
import type { Uses } from '../deps.js';

/** What the factor services use: the factors, the users they belong to, and the audit log. */
export type FactorDeps = Uses<'clock' | 'ids' | 'config', FactorsStore & AuditStore & Pick<UsersStore, 'findUserById'>>;
