import { asksForMfa } from '../../domain/amr.js';
import type { AuthorizationRequest } from '../../domain/authorize.js';
import type { Passkey } from '../../domain/factors.js';
import type { FactorFacts } from '../../domain/sign-in.js';
import type { Client } from '../../domain/types.js';
import { audited } from '../audit.js';
import type { Actor, Uses } from '../deps.js';
import type { FactorsStore } from '../../store/types.js';
import type { FactorDeps } from './deps.js';

/** What a user has enrolled: a confirmed TOTP secret, recovery codes left, passkeys. */
export type FactorSummary = { totp: boolean; recoveryCodesLeft: number; passkeys: Passkey[] };

export async function factorSummary(deps: Uses<never, FactorsStore>, userId: string): Promise<FactorSummary> {
  const [factors, passkeys] = await Promise.all([deps.store.listFactors(userId), deps.store.listPasskeys(userId)]);
  return {
    totp: factors.some((f) => f.kind === 'totp' && f.confirmedAt !== null),
    recoveryCodesLeft: factors.filter((f) => f.kind === 'recovery' && f.usedAt === null).length,
    passkeys,
  };
}

/** Recovery codes stand in for a factor; alone they are none. */
export const hasFactor = (summary: FactorSummary): boolean => summary.totp || summary.passkeys.length > 0;

/** The second-factor policy for a sign-in: MFA=required, the client's --require-mfa, the request's acr_values. */
export function factorFacts(
  deps: Pick<FactorDeps, 'config'>,
  input: { client: Client; request: AuthorizationRequest; amr: readonly string[]; summary: FactorSummary },
): FactorFacts {
  return {
    amr: input.amr,
    hasFactor: hasFactor(input.summary),
    required: deps.config.mfa === 'required' || input.client.requireMfa,
    stepUp: asksForMfa(input.request.acrValues),
  };
}

/** Removes the user's TOTP secret (and, with no passkey left, the recovery codes that went with it). */
export async function removeTotp(deps: FactorDeps, actor: Actor, userId: string): Promise<boolean> {
  const now = deps.clock.now().getTime();
  const audit = audited(deps, actor, [{ type: 'factor.removed', userId, details: { kind: 'totp' } }]);
  const removed = await deps.store.deleteFactors(userId, 'totp', now, [{ type: 'factor.removed', data: { userId, kind: 'totp' } }], audit);
  if (removed === 0) return false;
  if ((await deps.store.listPasskeys(userId)).length === 0) await deps.store.deleteFactors(userId, 'recovery', now);
  return true;
}
