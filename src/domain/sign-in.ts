import { consentDecision, loginDecision, type Prompt } from './authorize.js';
import type { Client } from './types.js';

// Which step a browser sign-in still needs before the authorization request is answered. Each step
// is a page the person answers; the steps still to come (a second factor, a passkey, enrolment)
// join this list and this one decision, so every way of signing in takes the same path.

/** A step of a sign-in, in the order they are taken. */
export type SignInStep = 'login' | 'consent';

/** Why the request goes back to its client unanswered: prompt=none, and a step would need the person. */
export type SignInRefusal = 'login_required' | 'consent_required';

export type SignInNext = { kind: 'ask'; step: SignInStep } | { kind: 'refuse'; error: SignInRefusal } | { kind: 'complete' };

export type SignInFacts = {
  /** The steps this sign-in has settled: taken on our pages, or answered already for this request. */
  done: readonly SignInStep[];
  prompt: readonly Prompt[];
  maxAge: number | null;
  now: number;
  client: Pick<Client, 'thirdParty'>;
  /**
   * The browser session that may answer this request (null without one, or when the request names
   * another user): when its user signed in, the scopes that user would grant, and the scopes that
   * user consented to before (null when never, or not looked up because consent is settled).
   */
  signedIn: { authTime: number; scopes: readonly string[]; consented: readonly string[] | null } | null;
};

/** The next step of a sign-in: ask the person for a step, refuse (prompt=none), or complete it (issue the code). */
export function nextSignInStep(facts: SignInFacts): SignInNext {
  const { done, prompt, signedIn } = facts;
  if (!done.includes('login') || signedIn === null) {
    const login = loginDecision({ session: signedIn, prompt, maxAge: facts.maxAge, now: facts.now });
    if (login === 'login_required') return { kind: 'refuse', error: 'login_required' };
    if (login === 'login' || signedIn === null) return { kind: 'ask', step: 'login' };
  }
  if (!done.includes('consent')) {
    const consent = consentDecision({ client: facts.client, scopes: signedIn.scopes, consented: signedIn.consented, prompt });
    if (consent === 'consent_required') return { kind: 'refuse', error: 'consent_required' };
    if (consent === 'consent') return { kind: 'ask', step: 'consent' };
  }
  return { kind: 'complete' };
}
