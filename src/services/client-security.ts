import { jwksUriProblem, parseClientJwks } from '../domain/client-keys.js';
import { clientProfiles, type Client, type ClientProfile, type GrantType } from '../domain/types.js';
import { InvalidInput } from '../errors/domain.js';

// How a client proves itself and what it must send: private_key_jwt keys, PAR, DPoP, and the FAPI 2.0 profile.

export type SecuritySettings = Pick<Client, 'jwks' | 'jwksUri' | 'requirePar' | 'dpopBoundAccessTokens' | 'profile'>;

/** As an operator gives them; undefined keeps the current value, null clears it. */
export type SecurityInput = {
  /** The JWKS as JSON text (the CLI reads it from a file). */
  jwks?: string | null;
  jwksUri?: string | null;
  requirePar?: boolean;
  dpopBoundAccessTokens?: boolean;
  profile?: string | null;
};

export const noSecurity: SecuritySettings = { jwks: null, jwksUri: null, requirePar: false, dpopBoundAccessTokens: false, profile: null };

/**
 * The security settings after `input` is applied to `current`, checked together. FAPI 2.0 Security Profile
 * (§5.3.2): PAR, DPoP-bound tokens and private_key_jwt, and (§5.3.2.2 via RFC 9700 §2.4) no password grant;
 * PKCE with S256 every client needs already.
 */
export function checkSecurity(current: SecuritySettings, input: SecurityInput, client: { isPublic: boolean; grants: readonly GrantType[] }): SecuritySettings {
  const profile = input.profile === undefined ? current.profile : checkProfile(input.profile);
  let { jwks, jwksUri } = current;
  if (input.jwks !== undefined || input.jwksUri !== undefined) {
    if (typeof input.jwks === 'string' && typeof input.jwksUri === 'string') throw new InvalidInput('give the keys inline (jwks) or by jwks_uri, not both');
    if (typeof input.jwks === 'string') [jwks, jwksUri] = [checkJwks(input.jwks), null];
    else if (typeof input.jwksUri === 'string') [jwks, jwksUri] = [null, checkJwksUri(input.jwksUri)];
    else if (jwks !== null || jwksUri !== null) throw new InvalidInput('a client that authenticates with keys keeps them: give new keys rather than none');
  }
  const hasKeys = jwks !== null || jwksUri !== null;
  if (hasKeys && client.isPublic) throw new InvalidInput('a public client has no credentials: it cannot have keys (jwks, jwks_uri)');

  if (profile === 'fapi2') {
    if (!hasKeys) throw new InvalidInput('the fapi2 profile needs private_key_jwt: give the keys with jwks or jwks_uri');
    if (client.grants.includes('password')) throw new InvalidInput('the fapi2 profile forbids the password grant');
    if (input.requirePar === false) throw new InvalidInput('the fapi2 profile requires pushed authorization requests');
    if (input.dpopBoundAccessTokens === false) throw new InvalidInput('the fapi2 profile requires DPoP-bound tokens');
    return { jwks, jwksUri, requirePar: true, dpopBoundAccessTokens: true, profile };
  }
  return {
    jwks,
    jwksUri,
    requirePar: input.requirePar ?? current.requirePar,
    dpopBoundAccessTokens: input.dpopBoundAccessTokens ?? current.dpopBoundAccessTokens,
    profile,
  };
}

function checkProfile(raw: string | null): ClientProfile | null {
  if (raw === null || raw === 'none') return null;
  if (!(clientProfiles as readonly string[]).includes(raw)) throw new InvalidInput(`profile must be ${clientProfiles.join(' or ')} (or none)`);
  return raw as ClientProfile;
}

function checkJwks(text: string): string {
  const parsed = parseClientJwks(text);
  if ('problem' in parsed) throw new InvalidInput(parsed.problem);
  return parsed.jwks;
}

function checkJwksUri(uri: string): string {
  const problem = jwksUriProblem(uri);
  if (problem) throw new InvalidInput(problem);
  return uri;
}
