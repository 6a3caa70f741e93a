import type { ApisStore, AuditStore, AuthorizationStore, FactorsStore, UpstreamStore } from '../../store/types.js';
import { authorizationResponseUri, type AuthorizationRequest } from '../../domain/authorize.js';
import { formatScope } from '../../domain/scope.js';
import { nextSignInStep, type SignInRefusal, type SignInStep } from '../../domain/sign-in.js';
import type { User } from '../../domain/types.js';
import { InvalidRequest } from '../../errors/oauth.js';
import { recordAudit } from '../audit.js';
import { errorRedirect, type AuthorizeOutcome, type SignInError } from '../authorize.js';
import type { LiveBrowserSession } from '../browser-sessions.js';
import { issueCode } from '../codes.js';
import type { Actor, Uses } from '../deps.js';
import { readIdTokenHint } from '../logout.js';
import { sealPendingRequest } from '../pending-request.js';
import { signInGrant, type SignInGrant } from './grants.js';
import type { SignInBrowser } from './types.js';
import type { PendingSignIn } from './resume.js';
import { secondStep } from './second-step.js';
import { browserBinding, sealSecondStep } from './second-step-state.js';
import { factorFacts, factorSummary } from '../factors/summary.js';
import { parseAmr } from '../../domain/amr.js';
import { accountClientId, securityPagePath } from '../account-client.js';

const refusals: Record<SignInRefusal, string> = {
  login_required: 'the user is not signed in',
  consent_required: 'the user has not approved this application',
};

/**
 * Takes a valid request as far as it can go with the browser's session: to the page of the step it
 * still needs (login, consent), or back to the client with a code or an error. `done`: the steps
 * settled in this sign-in, so a prompt=login is not asked twice and a consent just given is not
 * asked again.
 */
export async function continueSignIn(
  deps: Uses<'clock' | 'config' | 'ids' | 'keys', ApisStore & AuditStore & AuthorizationStore & FactorsStore & UpstreamStore>,
  actor: Actor,
  input: { pending: PendingSignIn; live: LiveBrowserSession | null; done: readonly SignInStep[]; browser: Pick<SignInBrowser, 'csrfToken'> },
): Promise<AuthorizeOutcome> {
  const { pending, done, browser } = input;
  const { request, client } = pending;
  let live = input.live;
  if (!done.includes('login')) {
    const hinted = await hintedUser(deps, request);
    if (hinted === 'invalid') return errorRedirect(deps, request.redirectUri, request.state, 'invalid_request', 'id_token_hint is not an id_token issued here');
    // A session of another user than the hint names counts as none: that user must sign in.
    if (hinted !== null && live !== null && hinted !== live.user.id) live = null;
  }
  const grant = live ? await signInGrant(deps, request, client, live.user) : null;
  const scopes = grant?.items ?? [];
  const consented = live && !done.includes('consent') ? ((await deps.store.findConsent(live.user.id, client.id))?.scopes ?? null) : null;
  const summary = live ? await factorSummary(deps, live.user.id) : null;
  const amr = live ? parseAmr(live.session.amr) : [];
  const next = nextSignInStep({
    done,
    prompt: request.prompt,
    maxAge: request.maxAge,
    now: deps.clock.now().getTime(),
    client,
    signedIn: live && { authTime: live.session.authTime, scopes, consented, factors: factorFacts(deps, { client, request, amr, summary: summary! }) },
  });
  if (next.kind === 'refuse') return errorRedirect(deps, request.redirectUri, request.state, next.error, refusals[next.error]);
  if (live === null || (next.kind === 'ask' && next.step === 'login')) return loginStep(deps, pending);
  if (next.kind === 'ask' && next.step === 'second_factor') {
    const { session, user } = live;
    return secondStep(deps, { pending, proof: { user, authTime: session.authTime, amr, provider: session.provider }, summary: summary!, browser });
  }
  if (next.kind === 'ask' && next.step === 'enroll') return enrollStep(deps, pending, live, amr, browser);
  if (next.kind === 'ask') return consentStep(deps, pending, live.user, grant!);
  return issueAuthorizationCode(deps, actor, request, live, grant!);
}

/** The login page for a pending request; `again` carries a failed attempt's username and message. */
export async function loginStep(
  deps: Uses<'clock' | 'config' | 'keys', UpstreamStore>,
  pending: PendingSignIn,
  again: { username?: string; error?: SignInError } = {},
): Promise<AuthorizeOutcome> {
  const sealedRequest = await sealPendingRequest(deps, { request: pending.request, userId: null });
  const providers = (await deps.store.listProviders()).map((p) => ({ id: p.id, name: p.name }));
  return { kind: 'login', ...pending, sealedRequest, providers, ...again };
}

async function consentStep(deps: Uses<'clock' | 'config' | 'keys'>, pending: PendingSignIn, user: User, grant: SignInGrant): Promise<AuthorizeOutcome> {
  const sealedRequest = await sealPendingRequest(deps, { request: pending.request, userId: user.id });
  return { kind: 'consent', ...pending, user, groups: grant.groups, sealedRequest };
}

/**
 * A second factor is required and the user has none: the security page, in the session just started,
 * enrolls one and then carries the request on (POST /login/continue).
 */
async function enrollStep(
  deps: Uses<'clock' | 'config' | 'keys'>,
  pending: PendingSignIn,
  { session, user }: LiveBrowserSession,
  amr: readonly string[],
  browser: Pick<SignInBrowser, 'csrfToken'>,
): Promise<AuthorizeOutcome> {
  const sealed = await sealSecondStep(deps, {
    request: pending.request,
    userId: user.id,
    authTime: session.authTime,
    amr: [...amr],
    provider: session.provider,
    browser: browserBinding(browser.csrfToken),
    passed: false,
  });
  return { kind: 'redirect', location: `/account/security?${new URLSearchParams({ continue: sealed })}` };
}

/** The sign-in is complete: the code, back to the client (RFC 6749 §4.1.2, RFC 9207). */
async function issueAuthorizationCode(
  deps: Uses<'clock' | 'config' | 'ids', AuditStore & AuthorizationStore>,
  actor: Actor,
  request: AuthorizationRequest,
  { user, session }: LiveBrowserSession,
  grant: SignInGrant,
): Promise<AuthorizeOutcome> {
  // The account pages' own sign-in ends on the page: no code, nothing to redeem.
  if (request.clientId === accountClientId) return { kind: 'redirect', location: securityPagePath };
  const scope = formatScope(grant.items);
  const clientId = request.clientId;
  const code = await issueCode(deps, {
    clientId,
    userId: user.id,
    redirectUri: request.redirectUri,
    codeChallenge: request.codeChallenge,
    scope,
    nonce: request.nonce,
    authTime: session.authTime,
    provider: session.provider,
    dpopJkt: request.dpopJkt ?? null,
    browserSessionId: session.id,
    grants: grant.grants,
    audience: grant.audience,
    amr: session.amr,
  });
  await recordAudit(deps, actor, { type: 'authorization_code.issued', userId: user.id, clientId, details: { scope } });
  return { kind: 'redirect', location: authorizationResponseUri(request.redirectUri, { code, state: request.state, iss: deps.config.issuer }) };
}

/** The user an `id_token_hint` names (null without one), or `invalid` for a hint that is not an id_token of ours. */
async function hintedUser(deps: Uses<'clock' | 'config' | 'keys'>, request: AuthorizationRequest): Promise<string | null | 'invalid'> {
  if (request.idTokenHint === null) return null;
  try {
    return (await readIdTokenHint(deps, request.idTokenHint)).sub;
  } catch (error) {
    if (error instanceof InvalidRequest) return 'invalid';
    throw error;
  }
}
