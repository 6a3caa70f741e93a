import type { User } from '../../domain/types.js';
import { InvalidInput } from '../../errors/domain.js';
import { TooManyRequests } from '../../errors/oauth.js';
import type { AuthorizeOutcome } from '../authorize.js';
import { recordAudit } from '../audit.js';
import type { Actor, Deps } from '../deps.js';
import { verifyPasskey, type PasskeyProof } from '../factors/passkeys.js';
import { useRecoveryCode } from '../factors/recovery.js';
import { factorSummary } from '../factors/summary.js';
import { checkTotp } from '../factors/totp.js';
import { checkAttemptLimits } from '../login.js';
import { completeSignIn, type SignInBrowser } from './complete.js';
import { recheckPending } from './resume.js';
import { secondStep } from './second-step.js';
import type { SecondStepState } from './second-step-state.js';

/** What the second step's form sent: one of a code from the app, a recovery code, or a passkey's answer. */
export type SecondStepAnswer = { code?: string; recoveryCode?: string; credential?: string };

/**
 * The answer on the second step's page. A good one completes the sign-in with both methods in its amr; a
 * wrong one counts as a failed password does (contract section 10) and shows the page again. A state that
 * says a factor was just enrolled (forced enrollment) carries on without asking.
 */
export async function answerSecondStep(
  deps: Deps,
  actor: Actor,
  input: { state: SecondStepState; answer: SecondStepAnswer; browser: SignInBrowser },
): Promise<AuthorizeOutcome | { kind: 'expired' }> {
  const { state, answer, browser } = input;
  const checked = await recheckPending(deps, state.request);
  if (checked.kind === 'outcome') return checked.outcome;
  const { pending } = checked;
  const user = await deps.store.findUserById(state.userId);
  if (!user || user.disabledAt !== null || (user.sessionsValidAfter !== null && state.authTime < user.sessionsValidAfter)) return { kind: 'expired' };
  const proof = { user, authTime: state.authTime, amr: state.amr, provider: state.provider };
  const done = ['login', 'second_factor'] as const;
  if (state.passed) return completeSignIn(deps, actor, { pending, proof, browser, done });

  const summary = await factorSummary(deps, user.id);
  let limits;
  try {
    limits = await checkAttemptLimits(deps, user.username, actor.ip ?? null);
  } catch (error) {
    if (!(error instanceof TooManyRequests)) throw error;
    return secondStep(deps, { pending, proof, summary, browser, error: { problem: 'too_many', retryAfter: error.retryAfterSeconds } });
  }
  const method = await checkAnswer(deps, actor, user, answer);
  if (method === null) {
    await limits.countFailure();
    await recordAudit(deps, actor, { type: 'factor.failed', userId: user.id, clientId: pending.client.id, details: { kind: answerKind(answer) } });
    return secondStep(deps, { pending, proof, summary, browser, error: { problem: 'wrong_code' } });
  }
  return completeSignIn(deps, actor, { pending, proof: { ...proof, amr: [...state.amr, ...method] }, browser, done });
}

const answerKind = (answer: SecondStepAnswer) => (answer.credential ? 'passkey' : answer.recoveryCode ? 'recovery_code' : 'totp');

/** The amr values a good answer adds, or null for a wrong one. */
async function checkAnswer(deps: Deps, actor: Actor, user: User, answer: SecondStepAnswer) {
  if (answer.credential) {
    const proof: PasskeyProof | null = await verifyPasskey(deps, answer.credential, user.id).catch((error: unknown) => {
      if (error instanceof InvalidInput) return null;
      throw error;
    });
    if (!proof) return null;
    await recordAudit(deps, actor, { type: 'factor.used', userId: user.id, details: { kind: 'passkey', name: proof.passkey.name } });
    return proof.amr;
  }
  if (answer.recoveryCode) return (await useRecoveryCode(deps, actor, user, answer.recoveryCode)) ? ['otp'] : null;
  if (answer.code && (await checkTotp(deps, user, answer.code))) {
    await recordAudit(deps, actor, { type: 'factor.used', userId: user.id, details: { kind: 'totp' } });
    return ['otp'];
  }
  return null;
}
