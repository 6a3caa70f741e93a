import { describe, expect, it } from 'vitest';
import { nextSignInStep, type SignInFacts } from '../../../src/domain/sign-in.js';

const now = 1_700_000_000_000;
const firstParty = { thirdParty: false };
const thirdParty = { thirdParty: true };
/** Signed in a minute ago; would grant `read`; consented to nothing yet. */
const signedIn = { authTime: now - 60_000, scopes: ['read'], consented: null };

const facts = (overrides: Partial<SignInFacts>): SignInFacts => ({
  done: [],
  prompt: [],
  maxAge: null,
  now,
  client: firstParty,
  signedIn,
  ...overrides,
});

describe('nextSignInStep', () => {
  it('asks for the login when the browser has no session, or refuses with login_required under prompt=none', () => {
    expect(nextSignInStep(facts({ signedIn: null }))).toEqual({ kind: 'ask', step: 'login' });
    expect(nextSignInStep(facts({ signedIn: null, prompt: ['none'] }))).toEqual({ kind: 'refuse', error: 'login_required' });
  });

  it('completes at once for a first-party client with a live session (single sign-on)', () => {
    expect(nextSignInStep(facts({}))).toEqual({ kind: 'complete' });
  });

  it('asks for the login again under prompt=login or an exceeded max_age, but not once the login is done', () => {
    expect(nextSignInStep(facts({ prompt: ['login'] }))).toEqual({ kind: 'ask', step: 'login' });
    expect(nextSignInStep(facts({ maxAge: 30 }))).toEqual({ kind: 'ask', step: 'login' });
    expect(nextSignInStep(facts({ maxAge: 0 }))).toEqual({ kind: 'ask', step: 'login' });
    expect(nextSignInStep(facts({ maxAge: 120 }))).toEqual({ kind: 'complete' });
    // The login just taken satisfies prompt=login and max_age=0: they are not asked twice.
    expect(nextSignInStep(facts({ done: ['login'], prompt: ['login'] }))).toEqual({ kind: 'complete' });
    expect(nextSignInStep(facts({ done: ['login'], maxAge: 0 }))).toEqual({ kind: 'complete' });
  });

  it('asks a third-party client’s user for consent after the login, unless an earlier consent covers every scope', () => {
    expect(nextSignInStep(facts({ client: thirdParty }))).toEqual({ kind: 'ask', step: 'consent' });
    expect(nextSignInStep(facts({ client: thirdParty, done: ['login'] }))).toEqual({ kind: 'ask', step: 'consent' });
    expect(nextSignInStep(facts({ client: thirdParty, signedIn: { ...signedIn, consented: ['read', 'write'] } }))).toEqual({ kind: 'complete' });
    expect(nextSignInStep(facts({ client: thirdParty, signedIn: { ...signedIn, scopes: ['read', 'write'], consented: ['read'] } }))).toEqual({
      kind: 'ask',
      step: 'consent',
    });
    // The login comes first: a user who must sign in again is not asked for consent yet.
    expect(nextSignInStep(facts({ client: thirdParty, prompt: ['login', 'consent'] }))).toEqual({ kind: 'ask', step: 'login' });
  });

  it('asks for consent again under prompt=consent, and refuses with consent_required under prompt=none', () => {
    const covered = { ...signedIn, consented: ['read'] };
    expect(nextSignInStep(facts({ client: thirdParty, signedIn: covered, prompt: ['consent'] }))).toEqual({ kind: 'ask', step: 'consent' });
    expect(nextSignInStep(facts({ client: thirdParty, prompt: ['none'] }))).toEqual({ kind: 'refuse', error: 'consent_required' });
    expect(nextSignInStep(facts({ client: thirdParty, signedIn: covered, prompt: ['none'] }))).toEqual({ kind: 'complete' });
  });

  it('completes once the consent is given, even under prompt=consent, which asked for it', () => {
    expect(nextSignInStep(facts({ client: thirdParty, done: ['login', 'consent'], prompt: ['login', 'consent'] }))).toEqual({ kind: 'complete' });
  });

  it('asks for the login whatever is done when there is no session to answer with', () => {
    expect(nextSignInStep(facts({ done: ['login', 'consent'], signedIn: null }))).toEqual({ kind: 'ask', step: 'login' });
  });
});
