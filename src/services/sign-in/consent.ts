import type { ApisStore, AuditStore, AuthorizationStore, FactorsStore, UpstreamStore } from '../../store/types.js';
import { formatScope } from '../../domain/scope.js';
import type { Client, User } from '../../domain/types.js';
import { recordAudit } from '../audit.js';
import { errorRedirect, type AuthorizeOutcome } from '../authorize.js';
import type { LiveBrowserSession } from '../browser-sessions.js';
import type { Actor, Uses } from '../deps.js';
import { continueSignIn } from './continue.js';
import { signInGrant } from './grants.js';
import type { SignInBrowser } from './types.js';
import type { PendingSignIn } from './resume.js';

/**
 * The answer on the consent page, shown to `userId`: `allow` is remembered and the sign-in carries on;
 * `deny` sends the browser back with access_denied; anything else is no answer (`unanswered`).
 */
export async function answerConsent(
  deps: Uses<'clock' | 'config' | 'ids' | 'keys', ApisStore & AuditStore & AuthorizationStore & FactorsStore & UpstreamStore>,
  actor: Actor,
  input: { pending: PendingSignIn; userId: string; live: LiveBrowserSession | null; decision: string | undefined; browser: Pick<SignInBrowser, 'csrfToken'> },
): Promise<AuthorizeOutcome | { kind: 'unanswered' }> {
  const { pending, live, decision, browser } = input;
  const { request, client } = pending;
  // Signed out, or another user signed in meanwhile: this answer is not theirs to give.
  if (!live || live.user.id !== input.userId) return continueSignIn(deps, actor, { pending, live, done: [], browser });
  if (decision === 'deny') return errorRedirect(deps, request.redirectUri, request.state, 'access_denied', 'the user denied access');
  if (decision !== 'allow') return { kind: 'unanswered' };
  await rememberConsent(deps, actor, live.user, client, (await signInGrant(deps, request, client, live.user)).items);
  // The consent page is only shown once the login and the second step are settled.
  return continueSignIn(deps, actor, { pending, live, done: ['login', 'second_factor', 'consent'], browser });
}

/** Remembers a consent, adding the scopes given now to those given before. */
async function rememberConsent(
  deps: Uses<'clock' | 'ids', AuditStore & AuthorizationStore>,
  actor: Actor,
  user: User,
  client: Client,
  scopes: string[],
): Promise<void> {
  const before = (await deps.store.findConsent(user.id, client.id))?.scopes ?? [];
  const all = [...new Set([...before, ...scopes])];
  await deps.store.saveConsent({ userId: user.id, clientId: client.id, scopes: all, grantedAt: deps.clock.now().getTime() });
  await recordAudit(deps, actor, { type: 'consent.granted', userId: user.id, clientId: client.id, details: { scope: formatScope(scopes) } });
}
