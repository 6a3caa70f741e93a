import type { AuditStore, UpstreamStore, UsersStore } from '../../store/types.js';
import type { User } from '../../domain/types.js';
import type { Identity, Provider } from '../../domain/upstream.js';
import type { UpstreamIdentity } from '../../domain/upstream-claims.js';
import { upstreamUsernameBase } from '../../domain/username.js';
import { Conflict } from '../../errors/domain.js';
import { audited, recordAudit } from '../audit.js';
import type { Actor, Uses } from '../deps.js';

// Which Tessera user an upstream identity (provider, sub) signs in as (README, "Sign in with Google /
// Kakao / another provider"): the user it is linked to; else, with --link-by-email and an address the
// provider says is verified, the one user holding that address verified; else a new user, unless --no-signup.

export type LinkResult =
  | { user: User; linked: 'before' | 'email' | 'signup' }
  | { refused: 'no_account' | 'ambiguous_email' | 'user_disabled'; userId?: string };

export async function userForIdentity(
  deps: Uses<'clock' | 'hasher' | 'ids', AuditStore & UpstreamStore & UsersStore>,
  actor: Actor,
  provider: Provider,
  claims: UpstreamIdentity,
): Promise<LinkResult> {
  const linked = await linkedUser(deps, provider.id, claims.sub);
  if (linked) return linked.disabledAt === null ? { user: linked, linked: 'before' } : { refused: 'user_disabled', userId: linked.id };
  const now = deps.clock.now().getTime();
  const { email, emailVerified } = claims;
  const identity: Identity = { providerId: provider.id, subject: claims.sub, userId: '', email, emailVerified, linkedAt: now };

  // Only an address verified on both sides, by the provider now and on the user who holds it: an
  // unverified one could be anybody's, and an account made with it a trap (pre-account hijacking).
  if (provider.linkByEmail && email !== null && emailVerified) {
    const owners = await deps.store.findUsersByVerifiedEmail(email);
    if (owners.length > 1) return { refused: 'ambiguous_email' };
    const owner = owners[0];
    // A disabled user gets no new way in, not even a link for later.
    if (owner?.disabledAt != null) return { refused: 'user_disabled', userId: owner.id };
    if (owner) {
      try {
        await deps.store.insertIdentity({ ...identity, userId: owner.id });
      } catch (error) {
        if (error instanceof Conflict) return raced(deps, provider.id, claims.sub);
        throw error;
      }
      await recordAudit(deps, actor, { type: 'identity.linked', userId: owner.id, details: { provider: provider.id, by: 'email' } });
      return { user: owner, linked: 'email' };
    }
  }
  if (!provider.signup) return { refused: 'no_account' };
  return signUp(deps, actor, provider, claims, identity);
}

async function linkedUser(deps: Uses<never, UpstreamStore & UsersStore>, providerId: string, subject: string): Promise<User | null> {
  const identity = await deps.store.findIdentity(providerId, subject);
  return identity ? deps.store.findUserById(identity.userId) : null;
}

/** A concurrent first sign-in of the same identity linked it first: sign in as the user it chose. */
async function raced(deps: Uses<never, UpstreamStore & UsersStore>, providerId: string, subject: string): Promise<LinkResult> {
  const user = await linkedUser(deps, providerId, subject);
  if (!user) throw new Error(`identity ${providerId} conflicted but is not linked`);
  return user.disabledAt === null ? { user, linked: 'before' } : { refused: 'user_disabled', userId: user.id };
}

/** Creates the user with the identity linked, under the first free name of usernameCandidates(). */
async function signUp(
  deps: Uses<'hasher' | 'ids', UpstreamStore & UsersStore>,
  actor: Actor,
  provider: Provider,
  claims: UpstreamIdentity,
  identity: Identity,
): Promise<LinkResult> {
  // Nobody knows this password: the user signs in through the provider (an operator may set one later).
  const passwordHash = await deps.hasher.hash(deps.ids.secret());
  for (const username of usernameCandidates(provider.id, claims, deps.ids.secret())) {
    const user: User = {
      id: deps.ids.userId(),
      username,
      passwordHash,
      scopes: null,
      email: claims.email,
      emailVerified: claims.emailVerified,
      ...claims.profile,
      createdAt: identity.linkedAt,
      updatedAt: null,
      disabledAt: null,
      sessionsValidAfter: null,
      passwordSet: false,
    };
    try {
      const audit = audited(deps, actor, [
        { type: 'user.created', userId: user.id, details: { username, scope: null, provider: provider.id } },
        { type: 'identity.linked', userId: user.id, details: { provider: provider.id, by: 'signup' } },
      ]);
      await deps.store.insertUserWithIdentity(user, { ...identity, userId: user.id }, [{ type: 'user.created', data: { userId: user.id, username } }], audit);
    } catch (error) {
      if (!(error instanceof Conflict)) throw error;
      if (await deps.store.findIdentity(provider.id, claims.sub)) return raced(deps, provider.id, claims.sub);
      continue; // the name is taken: try the next one
    }
    return { user, linked: 'signup' };
  }
  throw new Error('no free username');
}

/**
 * Usernames to try for a new user, best first: the provider's preferred_username, else the e-mail's
 * local part, else the provider's id (each made safe by upstreamUsernameBase); then with 2, 3, …
 * appended; last one no one can have taken.
 */
export function* usernameCandidates(providerId: string, claims: Pick<UpstreamIdentity, 'preferredUsername' | 'email'>, random: string): Generator<string> {
  const base = upstreamUsernameBase(claims.preferredUsername) || upstreamUsernameBase(claims.email?.split('@')[0] ?? null) || `${providerId}-user`;
  yield base;
  for (let n = 2; n <= 20; n++) yield `${base}${n}`;
  yield `${base}-${random.slice(0, 10).toLowerCase()}`;
}
