import type { ApisStore, AuditStore, AuthorizationStore, ClientsStore, FactorsStore, LimitsStore, UpstreamStore, UsersStore } from '../../store/types.js';
import * as oidc from 'openid-client';
import type { AuthorizationRequest } from '../../domain/authorize.js';
import type { MessageKey, PageMessage } from '../../domain/messages.js';
import type { Provider, UpstreamLogin } from '../../domain/upstream.js';
import { readUpstreamIdentity } from '../../domain/upstream-claims.js';
import { epochSeconds, systemClock } from '../../lib/clock.js';
import { sha256 } from '../../lib/hash.js';
import { Conflict } from '../../errors/domain.js';
import { recordAudit } from '../audit.js';
import { currentBrowserSession } from '../browser-sessions.js';
import type { AuthorizeOutcome } from '../authorize.js';
import type { Actor, Uses } from '../deps.js';
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
  | { kind: 'failed'; message: PageMessage }
  /** Where the sign-in goes on: the login page with a message, consent, the code, or what /authorize says instead. */
  | { kind: 'outcome'; outcome: AuthorizeOutcome };

/** A failure: back on the login page of the pending request with `message`, or on an error page when there is none. */
async function failedStep(
  deps: Uses<'clock' | 'config' | 'keys', UpstreamStore>,
  message: PageMessage,
  pending: PendingSignIn | null,
  retryAfter?: number,
): Promise<UpstreamStep> {
  if (!pending) return { kind: 'failed', message };
  return { kind: 'outcome', outcome: await loginStep(deps, pending, { error: retryAfter === undefined ? { message } : { message, retryAfter } }) };
}

/** The page messages of an upstream sign-in (domain/messages.ts), each naming the provider where it helps. */
const say = (key: MessageKey, provider?: string): PageMessage => ({ key, provider });

const startWindowMs = 60_000;
/** Seconds an upstream id_token's iat may lie ahead of this clock: openid-client's default clockTolerance. */
const idTokenClockTolerance = 30;

/** A round trip that links the provider's account to a signed-in user (the account page) rather than signing in. */
export type AccountLink = { userId: string; sessionId: string };

/**
 * Starts a sign-in at the provider for a pending authorization request, or, with `link` (and no pending
 * request), the linking of an account there to the user of the account page; `binding` is this browser's binding cookie.
 */
export async function startUpstreamLogin(
  deps: Uses<'clock' | 'config' | 'ids' | 'keys' | 'log', LimitsStore & UpstreamStore>,
  input: { providerId: string; pending: PendingSignIn | null; link?: AccountLink; binding: string; ip: string | null },
): Promise<UpstreamStep> {
  const { pending } = input;
  const provider = await deps.store.findProvider(input.providerId);
  if (!provider) return failedStep(deps, say('upstreamGone'), pending);
  const now = deps.clock.now().getTime();
  // Every start stores a round trip (until it expires) without any credential: LOGIN_RATE_LIMIT_PER_IP
  // bounds the starts per client IP and minute, as it bounds failed passwords.
  const limit = deps.config.loginRateLimitPerIp;
  const windowStart = now - (now % startWindowMs);
  const counter = `upstream-start-ip:${input.ip ?? 'unknown'}`;
  if (limit > 0 && (await deps.store.peekRateLimit(counter, windowStart)) >= limit) {
    return failedStep(deps, say('upstreamTooMany'), pending, Math.ceil((windowStart + startWindowMs - now) / 1000));
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
    return failedStep(deps, say('upstreamUnreachable', provider.name), pending);
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
    request: JSON.stringify(input.link ? { link: input.link } : pending?.request),
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
  deps: Uses<
    'clock' | 'config' | 'hasher' | 'ids' | 'keys' | 'log',
    ApisStore & AuditStore & AuthorizationStore & ClientsStore & FactorsStore & UpstreamStore & UsersStore
  >,
  actor: Actor,
  input: { providerId: string; query: URLSearchParams; binding: string | undefined; browser: SignInBrowser },
): Promise<UpstreamStep> {
  const { query, providerId } = input;
  const state = query.get('state');
  if (!state || state.length > 512 || !input.binding) return failedStep(deps, say('upstreamExpired'), null);
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
    return failedStep(deps, say(mine ? 'upstreamUsed' : 'upstreamExpired'), resumed?.pending ?? null);
  }

  const link = linkOf(login.request);
  if (link) return finishAccountLink(deps, actor, { ...input, login, state, link });
  const resumed = await recheck(deps, login.request);
  if (!resumed) return failedStep(deps, say('upstreamExpired'), null);
  if (resumed.kind === 'outcome') return resumed;
  const { pending } = resumed;
  const provider = await deps.store.findProvider(providerId);
  if (!provider) return failedStep(deps, say('upstreamGone'), pending);
  const clientActor: Actor = { ...actor, name: `client:${pending.client.id}` };
  const fail = async (reason: string, message: PageMessage, userId: string | null = null): Promise<UpstreamStep> => {
    await recordAudit(deps, clientActor, { type: 'login.failed', userId, clientId: pending.client.id, details: { reason, provider: provider.id } });
    return failedStep(deps, message, pending);
  };

  // The provider's own answer (RFC 6749 §4.1.2.1): access_denied when the user cancelled there.
  const error = query.get('error');
  if (error === 'access_denied') return fail('upstream_cancelled', say('upstreamCancelled', provider.name));
  if (error !== null) return fail('upstream_error', say('upstreamRefused', provider.name));

  const exchanged = await exchangeCode(deps, provider, login, state, query);
  if (exchanged === 'unreachable') return fail('upstream_unreachable', say('upstreamUnreachable', provider.name));
  if (exchanged === 'rejected') return fail('id_token_rejected', say('upstreamUnverified', provider.name));

  const identity = readUpstreamIdentity(exchanged);
  if ('problem' in identity) {
    deps.log.warn({ provider: provider.id, problem: identity.problem }, 'upstream identity refused');
    return fail('identity_refused', say('upstreamUnusable', provider.name));
  }
  const linked = await userForIdentity(deps, clientActor, provider, identity);
  if ('refused' in linked) {
    const messages = {
      no_account: say('upstreamNoAccount', provider.name),
      ambiguous_email: say('upstreamAmbiguous', provider.name),
      user_disabled: say('accountDisabled'),
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
  deps: Uses<'clock' | 'config' | 'log'> & { store: object },
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

/** The stored request against its client as it is now; null when it cannot be read or is an account link. */
async function recheck(deps: Uses<'config', ApisStore & ClientsStore>, stored: string) {
  let request: AuthorizationRequest;
  try {
    request = JSON.parse(stored) as AuthorizationRequest;
  } catch {
    return null;
  }
  if (linkOf(stored) || typeof request?.clientId !== 'string') return null;
  return recheckPending(deps, request);
}

function linkOf(stored: string): AccountLink | null {
  try {
    const { link } = JSON.parse(stored) as { link?: AccountLink };
    return link && typeof link.userId === 'string' && typeof link.sessionId === 'string' ? link : null;
  } catch {
    return null;
  }
}

/**
 * The provider's account joins the user who started the link on the account page, in the same browser
 * session: refused when it is linked to another user already. Back to the account page either way.
 */
async function finishAccountLink(
  deps: Uses<
    'clock' | 'config' | 'hasher' | 'ids' | 'keys' | 'log',
    ApisStore & AuditStore & AuthorizationStore & ClientsStore & FactorsStore & UpstreamStore & UsersStore
  >,
  actor: Actor,
  input: { providerId: string; query: URLSearchParams; login: UpstreamLogin; state: string; link: AccountLink; browser: SignInBrowser },
): Promise<UpstreamStep> {
  const { link, query } = input;
  const live = await currentBrowserSession(deps, input.browser.sessionCookie);
  if (!live || live.session.id !== link.sessionId || live.user.id !== link.userId) return { kind: 'failed', message: say('upstreamExpired') };
  const provider = await deps.store.findProvider(input.providerId);
  if (!provider) return { kind: 'failed', message: say('upstreamGone') };
  if (query.get('error') !== null) return { kind: 'redirect', location: '/account' };
  const exchanged = await exchangeCode(deps, provider, input.login, input.state, query);
  if (exchanged === 'unreachable') return { kind: 'failed', message: say('upstreamUnreachable', provider.name) };
  const identity = exchanged === 'rejected' ? exchanged : readUpstreamIdentity(exchanged);
  if (identity === 'rejected' || 'problem' in identity) return { kind: 'failed', message: say('upstreamUnverified', provider.name) };
  const linked = await deps.store.findIdentity(provider.id, identity.sub);
  if (linked && linked.userId !== live.user.id) return { kind: 'failed', message: say('upstreamLinkedElsewhere', provider.name) };
  if (!linked) {
    const now = deps.clock.now().getTime();
    const record = {
      providerId: provider.id,
      subject: identity.sub,
      userId: live.user.id,
      email: identity.email,
      emailVerified: identity.emailVerified,
      linkedAt: now,
    };
    try {
      await deps.store.insertIdentity(record);
    } catch (error) {
      if (error instanceof Conflict) return { kind: 'failed', message: say('upstreamLinkedElsewhere', provider.name) };
      throw error;
    }
    await recordAudit(
      deps,
      { ...actor, name: `user:${live.user.id}` },
      { type: 'identity.linked', userId: live.user.id, details: { provider: provider.id, by: 'account' } },
    );
  }
  return { kind: 'redirect', location: '/account?done=identity_linked' };
}
