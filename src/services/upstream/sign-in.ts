import * as oidc from 'openid-client';
import type { AuthorizationRequest } from '../../domain/authorize.js';
import type { Provider, UpstreamLogin } from '../../domain/upstream.js';
import { readUpstreamIdentity } from '../../domain/upstream-claims.js';
import { epochSeconds, systemClock } from '../../lib/clock.js';
import { sha256 } from '../../lib/hash.js';
import { recordAudit } from '../audit.js';
import type { AuthorizeOutcome } from '../authorize.js';
import type { Actor, Deps } from '../deps.js';
import { completeSignIn, type SignInBrowser } from '../sign-in/complete.js';
import { loginStep } from '../sign-in/continue.js';
import { recheckPending, type PendingSignIn } from '../sign-in/resume.js';
import { describeFailure, providerConfiguration } from './client.js';
import { userForIdentity } from './link.js';
import { upstreamRedirectUri } from './providers.js';

// The round trip to an upstream provider: authorization code + PKCE (S256), state and nonce
// (OpenID Connect Core §3.1). The state names a one-use store row bound to the browser that started
// it, so a callback from another browser (login CSRF) or a second time finds nothing.

/** How long the user may take at the provider. */
export const upstreamLoginTtlMs = 600_000;

export type UpstreamStep =
  /** Off to the provider. */
  | { kind: 'redirect'; location: string }
  /** An error page: there is no pending request to go back to. */
  | { kind: 'failed'; message: string }
  /** Where the sign-in goes on: the login page with a message, consent, the code, or what /authorize says instead. */
  | { kind: 'outcome'; outcome: AuthorizeOutcome };

/** A failure: back on the login page of the pending request with `message`, or on an error page when there is none. */
async function failedStep(deps: Deps, message: string, pending: PendingSignIn | null, retryAfter?: number): Promise<UpstreamStep> {
  if (!pending) return { kind: 'failed', message };
  return { kind: 'outcome', outcome: await loginStep(deps, pending, { error: retryAfter === undefined ? { message } : { message, retryAfter } }) };
}

export const upstreamMessages = {
  /** On the error page, which adds that the user should go back to the application. */
  expired: 'This sign-in has expired or was started in another browser.',
  used: 'This sign-in was already completed or has expired. Try again.',
  gone: 'Signing in with this provider is no longer offered. Use another way to sign in.',
  cancelled: (name: string) => `Signing in with ${name} was cancelled. Choose how to sign in.`,
  refused: (name: string) => `${name} did not sign you in. Try again, or use another way to sign in.`,
  unreachable: (name: string) => `${name} cannot be reached right now. Try again later, or use another way to sign in.`,
  unverified: (name: string) => `Tessera could not confirm your sign-in with ${name}. Try again, or use another way to sign in.`,
  noAccount: (name: string) =>
    `No account here is linked to this ${name} account, and new accounts cannot be created with ${name}. Sign in with your password, or ask an administrator.`,
  ambiguous: (name: string) => `Several accounts here use the e-mail address of this ${name} account, so it cannot be linked to one. Ask an administrator.`,
  unusable: (name: string) => `${name} sent account details that Tessera cannot accept. Use another way to sign in, or ask an administrator.`,
  disabled: 'This account is disabled.',
  tooMany: 'Too many sign-ins were started from here. Wait a minute, then try again.',
};

const startWindowMs = 60_000;
/** Seconds an upstream id_token's iat may lie ahead of this clock: openid-client's default clockTolerance. */
const idTokenClockTolerance = 30;

/** Starts a sign-in at the provider for a pending authorization request; `binding` is this browser's binding cookie. */
export async function startUpstreamLogin(
  deps: Deps,
  input: { providerId: string; pending: PendingSignIn; binding: string; ip: string | null },
): Promise<UpstreamStep> {
  const { pending } = input;
  const provider = await deps.store.findProvider(input.providerId);
  if (!provider) return failedStep(deps, upstreamMessages.gone, pending);
  const now = deps.clock.now().getTime();
  // Every start stores a round trip (until it expires) without any credential: LOGIN_RATE_LIMIT_PER_IP
  // bounds the starts per client IP and minute, as it bounds failed passwords.
  const limit = deps.config.loginRateLimitPerIp;
  const windowStart = now - (now % startWindowMs);
  const counter = `upstream-start-ip:${input.ip ?? 'unknown'}`;
  if (limit > 0 && (await deps.store.peekRateLimit(counter, windowStart)) >= limit) {
    return failedStep(deps, upstreamMessages.tooMany, pending, Math.ceil((windowStart + startWindowMs - now) / 1000));
  }
  if (limit > 0) await deps.store.hitRateLimit(counter, windowStart);
  let configuration: oidc.Configuration;
  try {
    configuration = await providerConfiguration(deps, provider, now);
  } catch (error) {
    deps.log.warn(
      { provider: provider.id, err: describeFailure(error, provider.issuer, deps.config.upstreamTimeout).message },
      'upstream provider unavailable',
    );
    return failedStep(deps, upstreamMessages.unreachable(provider.name), pending);
  }
  const state = deps.ids.secret();
  const nonce = deps.ids.secret();
  const codeVerifier = deps.ids.secret();
  await deps.store.insertUpstreamLogin({
    id: sha256(state),
    providerId: provider.id,
    browser: sha256(input.binding),
    nonce,
    codeVerifier,
    request: JSON.stringify(pending.request),
    createdAt: now,
    expiresAt: now + upstreamLoginTtlMs,
    usedAt: null,
  });
  const location = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: upstreamRedirectUri(deps.config.issuer, provider.id),
    scope: provider.scope,
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { kind: 'redirect', location: location.href };
}

/**
 * The provider sent the browser back to /upstream/ID/callback (`query`: its query string; `binding`:
 * the browser's binding cookie). The user it names completes the sign-in in `browser`; every failure
 * names what to do next and creates no user and no link.
 */
export async function finishUpstreamLogin(
  deps: Deps,
  actor: Actor,
  input: { providerId: string; query: URLSearchParams; binding: string | undefined; browser: SignInBrowser },
): Promise<UpstreamStep> {
  const { query, providerId } = input;
  const state = query.get('state');
  if (!state || state.length > 512 || !input.binding) return failedStep(deps, upstreamMessages.expired, null);
  const now = deps.clock.now().getTime();
  const id = sha256(state);
  const browser = sha256(input.binding);
  // Only at its own provider's callback path: a callback elsewhere leaves the round trip to finish where it belongs.
  const login = await deps.store.consumeUpstreamLogin(id, browser, providerId, now);
  if (!login) {
    // The same browser coming back again (a reload, the back button) may still return to its login page.
    const earlier = await deps.store.findUpstreamLogin(id);
    const mine = earlier !== null && earlier.browser === browser && earlier.providerId === providerId;
    const resumed = mine ? await recheck(deps, earlier.request) : null;
    if (resumed?.kind === 'outcome') return resumed;
    return failedStep(deps, mine ? upstreamMessages.used : upstreamMessages.expired, resumed?.pending ?? null);
  }

  const resumed = await recheck(deps, login.request);
  if (!resumed) return failedStep(deps, upstreamMessages.expired, null);
  if (resumed.kind === 'outcome') return resumed;
  const { pending } = resumed;
  const provider = await deps.store.findProvider(providerId);
  if (!provider) return failedStep(deps, upstreamMessages.gone, pending);
  const clientActor: Actor = { ...actor, name: `client:${pending.client.id}` };
  const fail = async (reason: string, message: string, userId: string | null = null): Promise<UpstreamStep> => {
    await recordAudit(deps, clientActor, { type: 'login.failed', userId, clientId: pending.client.id, details: { reason, provider: provider.id } });
    return failedStep(deps, message, pending);
  };

  // The provider's own answer (RFC 6749 §4.1.2.1): access_denied when the user cancelled there.
  const error = query.get('error');
  if (error === 'access_denied') return fail('upstream_cancelled', upstreamMessages.cancelled(provider.name));
  if (error !== null) return fail('upstream_error', upstreamMessages.refused(provider.name));

  const exchanged = await exchangeCode(deps, provider, login, state, query);
  if (exchanged === 'unreachable') return fail('upstream_unreachable', upstreamMessages.unreachable(provider.name));
  if (exchanged === 'rejected') return fail('id_token_rejected', upstreamMessages.unverified(provider.name));

  const identity = readUpstreamIdentity(exchanged);
  if ('problem' in identity) {
    deps.log.warn({ provider: provider.id, problem: identity.problem }, 'upstream identity refused');
    return fail('identity_refused', upstreamMessages.unusable(provider.name));
  }
  const linked = await userForIdentity(deps, clientActor, provider, identity);
  if ('refused' in linked) {
    const messages = {
      no_account: upstreamMessages.noAccount(provider.name),
      ambiguous_email: upstreamMessages.ambiguous(provider.name),
      user_disabled: upstreamMessages.disabled,
    };
    return fail(linked.refused, messages[linked.refused], linked.userId ?? null);
  }
  const proof = { user: linked.user, authTime: now, provider: provider.id, amr: ['fed'] };
  const outcome = await completeSignIn(deps, clientActor, { pending, proof, browser: input.browser });
  return { kind: 'outcome', outcome };
}

/**
 * Redeems the code at the provider's token endpoint and verifies its id_token (openid-client: the
 * signature against the JWKS from discovery, issuer, audience, expiry, nonce; PKCE and state too).
 */
async function exchangeCode(
  deps: Deps,
  provider: Provider,
  login: UpstreamLogin,
  state: string,
  query: URLSearchParams,
): Promise<oidc.IDToken | 'unreachable' | 'rejected'> {
  try {
    const configuration = await providerConfiguration(deps, provider, deps.clock.now().getTime());
    const callback = new URL(`${upstreamRedirectUri(deps.config.issuer, provider.id)}?${query}`);
    const tokens = await oidc.authorizationCodeGrant(configuration, callback, {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) return 'rejected';
    // openid-client checks exp (against the system clock, with its default 30 s of tolerance) but not an
    // iat in the future: the same clock and tolerance here, so the two checks agree.
    if (claims.iat > epochSeconds(systemClock.now()) + idTokenClockTolerance) {
      deps.log.warn({ provider: provider.id, reason: 'rejected', code: 'iat_in_future' }, 'upstream sign-in failed');
      return 'rejected';
    }
    return claims;
  } catch (caught) {
    const failure = describeFailure(caught, provider.issuer, deps.config.upstreamTimeout);
    // What was refused (signature, issuer, audience, expiry, nonce…), for the operator; never a token.
    const code = (caught as { code?: unknown }).code;
    deps.log.warn(
      { provider: provider.id, reason: failure.reason, code: typeof code === 'string' ? code : undefined, err: failure.message },
      'upstream sign-in failed',
    );
    return failure.reason === 'timeout' || failure.reason === 'unreachable' ? 'unreachable' : 'rejected';
  }
}

/** The stored request against its client as it is now; null when it cannot be read. */
async function recheck(deps: Deps, stored: string) {
  let request: AuthorizationRequest;
  try {
    request = JSON.parse(stored) as AuthorizationRequest;
  } catch {
    return null;
  }
  return recheckPending(deps, request);
}
