import { amrOf } from '../../domain/amr.js';
import { secondFactorStep, type SignInStep } from '../../domain/sign-in.js';
import type { ApisStore, AuditStore, AuthorizationStore, FactorsStore, UpstreamStore, UsersStore } from '../../store/types.js';
import type { AuthorizeOutcome } from '../authorize.js';
import { endBrowserSession, startBrowserSession } from '../browser-sessions.js';
import type { Actor, Uses } from '../deps.js';
import { factorFacts, factorSummary } from '../factors/summary.js';
import { continueSignIn } from './continue.js';
import type { PendingSignIn } from './resume.js';
import { secondStep } from './second-step.js';
import type { SignInBrowser, SignInProof } from './types.js';

export type { SignInBrowser, SignInProof } from './types.js';

/**
 * The person has proved who they are. If the second step is still due (a user with a factor after a
 * password, a step-up, the policy), its page comes first and no session starts; otherwise the browser's
 * previous session ends (another user, or prompt=login), a new one starts, and the request carries on
 * (enrollment, consent, or the code). `done`: the steps this proof settles.
 */
export async function completeSignIn(
  deps: Uses<'clock' | 'config' | 'ids' | 'keys', ApisStore & AuditStore & AuthorizationStore & FactorsStore & UpstreamStore & UsersStore>,
  actor: Actor,
  input: { pending: PendingSignIn; proof: SignInProof; browser: SignInBrowser; done?: readonly SignInStep[] },
): Promise<AuthorizeOutcome> {
  const { pending, proof, browser } = input;
  const done = input.done ?? ['login'];
  const amr = amrOf(proof.amr);
  const summary = await factorSummary(deps, proof.user.id);
  const facts = factorFacts(deps, { client: pending.client, request: pending.request, amr, summary });
  if (secondFactorStep(facts, done) === 'second_factor') return secondStep(deps, { pending, proof: { ...proof, amr }, summary, browser });
  await endBrowserSession(deps, actor, browser.sessionCookie);
  const { cookie, session } = await startBrowserSession(deps, actor, proof.user, proof.authTime, proof.provider ?? null, amr);
  browser.setSessionCookie(cookie);
  return continueSignIn(deps, actor, { pending, live: { session, user: proof.user }, done, browser });
}
