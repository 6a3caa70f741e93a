import type { User } from './types.js';

/** The OpenID Connect Core §5.1 claims about a user that Tessera knows, as /userinfo and the id_token carry them. */
export type UserClaims = {
  preferred_username?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  locale?: string;
  /** Seconds since the epoch. */
  updated_at?: number;
  email?: string;
  email_verified?: boolean;
};

/** The names of every claim userClaims may give, for the OpenID Provider Metadata's `claims_supported`. */
export const userClaimNames = [
  'preferred_username',
  'name',
  'given_name',
  'family_name',
  'picture',
  'locale',
  'updated_at',
  'email',
  'email_verified',
] as const satisfies readonly (keyof UserClaims)[];

/**
 * The claims `scopes` let a client read about `user` (OpenID Connect Core §5.4): with `profile` the
 * profile claims, with `email` the address and whether it was verified. Claims the user has no value for
 * are left out, never sent as null.
 */
export function userClaims(user: User, scopes: readonly string[]): UserClaims {
  const profile: UserClaims = scopes.includes('profile')
    ? {
        preferred_username: user.username,
        name: user.name ?? undefined,
        given_name: user.givenName ?? undefined,
        family_name: user.familyName ?? undefined,
        picture: user.picture ?? undefined,
        locale: user.locale ?? undefined,
        // Never changed since it was created: its information dates from then.
        updated_at: Math.floor((user.updatedAt ?? user.createdAt) / 1000),
      }
    : {};
  const email: UserClaims = scopes.includes('email') && user.email !== null ? { email: user.email, email_verified: user.emailVerified } : {};
  return Object.fromEntries(Object.entries({ ...profile, ...email }).filter(([, v]) => v !== undefined)) as UserClaims;
}
