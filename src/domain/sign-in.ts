import { hasMfa } from './amr.js';
import { consentDecision, loginDecision, type Prompt } from './authorize.js';
import type { Client } from './types.js';

// Which step a browser sign-in still needs before the authorization request is answered. Each step
// is a page the person answers; every way of signing in (password, upstream provider, passkey) takes
// the same path through this one decision.

/** A step of a sign-in, in the order they are taken. */
export type SignInStep = 'login' | 'second_factor' | 'enroll' | 'consent';

/** Why the request goes back to its client unanswered: prompt=none, and a step would need the person. */
export type SignInRefusal = 'login_required' | 'consent_required';

export type SignInNext = { kind: 'ask'; step: SignInStep } | { kind: 'refuse'; error: SignInRefusal } | { kind: 'complete' };

/** What the second-factor policy needs to know of a sign-in (contract section 12). */
export type FactorFacts = {
  /** How the person signed in so far (RFC 8176 amr values). */
  amr: readonly string[];
  /** The user has a confirmed TOTP secret or a passkey. */
  hasFactor: boolean;
  /** MFA=required, or the client was registered with --require-mfa. */
  required: boolean;
  /** The request's acr_values ask for urn:tessera:mfa: a second factor in this sign-in, even inside single sign-on. */
  stepUp: boolean;
};

/**
 * Whether a sign-in still needs the second step: the factor of a user who has one after a password, a
 * step-up, or what the policy requires; `enroll` when it is needed and the user has no factor to give.
 * Once the second step is done in this sign-in, nothing more is asked.
 */
export function secondFactorStep(facts: FactorFacts, done: readonly SignInStep[]): 'second_factor' | 'enroll' | null {
  if (done.includes('second_factor')) return null;
  const passwordOnly = facts.amr.includes('pwd') && !hasMfa(facts.amr);
  const needed = facts.stepUp || (facts.required && !hasMfa(facts.amr)) || (facts.hasFactor && passwordOnly);
  if (!needed) return null;
  return facts.hasFactor ? 'second_factor' : 'enroll';
}

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
   * user consented to before (null when never, or not looked up because consent is settled); `factors`
   * what the second-factor policy says of it (absent: nothing asked).
   */
  signedIn: { authTime: number; scopes: readonly string[]; consented: readonly string[] | null; factors?: FactorFacts } | null;
};

/** The next step of a sign-in: ask the person for a step, refuse (prompt=none), or complete it (issue the code). */
export function nextSignInStep(facts: SignInFacts): SignInNext {
  const { done, prompt, signedIn } = facts;
  if (!done.includes('login') || signedIn === null) {
    const login = loginDecision({ session: signedIn, prompt, maxAge: facts.maxAge, now: facts.now });
    if (login === 'login_required') return { kind: 'refuse', error: 'login_required' };
    if (login === 'login' || signedIn === null) return { kind: 'ask', step: 'login' };
  }
  const factor = signedIn.factors ? secondFactorStep(signedIn.factors, done) : null;
  // prompt=none cannot show the second step: as for a login, the client must send the person.
  if (factor !== null) return prompt.includes('none') ? { kind: 'refuse', error: 'login_required' } : { kind: 'ask', step: factor };
  if (!done.includes('consent')) {
    const consent = consentDecision({ client: facts.client, scopes: signedIn.scopes, consented: signedIn.consented, prompt });
    if (consent === 'consent_required') return { kind: 'refuse', error: 'consent_required' };
    if (consent === 'consent') return { kind: 'ask', step: 'consent' };
  }
  return { kind: 'complete' };
}
