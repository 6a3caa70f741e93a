import type { Factor } from '../../domain/factors.js';
import type { User } from '../../domain/types.js';
import { sha256 } from '../../lib/hash.js';
import { audited, recordAudit } from '../audit.js';
import type { Actor } from '../deps.js';
import type { FactorDeps } from './deps.js';

// Recovery codes: ten, each used once, shown once; only their hashes are kept.

const count = 10;
const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';

/** The form a code is compared in: lower case, without the dashes and spaces people type. */
const normalize = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

/** `xxxxx-xxxxx`: 10 characters of a 31-letter alphabet (about 50 bits each) from the injected CSPRNG. */
function newCode(secret: string): string {
  const bytes = Buffer.from(sha256(secret), 'base64url');
  const chars = [...bytes.subarray(0, 10)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Replaces the user's recovery codes with ten new ones, returned this once. */
export async function renewRecoveryCodes(deps: FactorDeps, actor: Actor, user: User): Promise<string[]> {
  const now = deps.clock.now().getTime();
  const codes = Array.from({ length: count }, () => newCode(deps.ids.secret()));
  const factors: Factor[] = codes.map((code) => ({
    id: deps.ids.factorId(),
    userId: user.id,
    kind: 'recovery',
    secret: null,
    hash: sha256(normalize(code)),
    createdAt: now,
    confirmedAt: now,
    lastUsedStep: null,
    usedAt: null,
  }));
  const audit = audited(deps, actor, [{ type: 'factor.enrolled', userId: user.id, details: { kind: 'recovery_codes', count } }]);
  await deps.store.replaceRecoveryCodes(user.id, factors, [{ type: 'factor.enrolled', data: { userId: user.id, kind: 'recovery_codes' } }], audit);
  return codes;
}

/** Spends one of the user's recovery codes; each use is audited with how many are left. */
export async function useRecoveryCode(deps: FactorDeps, actor: Actor, user: User, code: string): Promise<boolean> {
  const typed = normalize(code);
  if (!/^[a-z0-9]{10}$/.test(typed)) return false;
  if (!(await deps.store.useRecoveryCode(user.id, sha256(typed), deps.clock.now().getTime()))) return false;
  const left = (await deps.store.listFactors(user.id)).filter((f) => f.kind === 'recovery' && f.usedAt === null).length;
  await recordAudit(deps, actor, { type: 'factor.used', userId: user.id, details: { kind: 'recovery_code', left } });
  return true;
}
