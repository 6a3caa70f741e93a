import { textProblem } from './text.js';

// A client's public keys for private_key_jwt (RFC 7523 §2.2, RFC 7591 §2 `jwks` and `jwks_uri`), as pure checks.

/** The JWS algorithms a client assertion may use: asymmetric only, never `none` or an HMAC (FAPI 2.0 §5.4 allows PS256, ES256, EdDSA). */
export const assertionAlgs = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

const maxKeys = 20;
const maxJwksLength = 64 * 1024;
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const publicKeyTypes = ['RSA', 'EC', 'OKP'];

/** A client's JWKS as JSON text, normalised to `{"keys":[…]}`; or why it cannot be one. */
export function parseClientJwks(text: string): { jwks: string } | { problem: string } {
  if (text.length > maxJwksLength) return { problem: `the JWKS must be at most ${maxJwksLength} bytes` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'the JWKS is not JSON' };
  }
  const keys = typeof parsed === 'object' && parsed !== null && 'keys' in parsed ? (parsed as { keys: unknown }).keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > maxKeys) return { problem: `the JWKS must be {"keys": [...]} with 1 to ${maxKeys} keys` };
  const kids = new Set<string>();
  for (const key of keys as unknown[]) {
    const problem = publicKeyProblem(key);
    if (problem) return { problem };
    const kid = (key as { kid?: unknown }).kid;
    if (typeof kid === 'string') {
      if (kids.has(kid)) return { problem: `two keys share the kid "${kid.slice(0, 40)}"` };
      kids.add(kid);
    }
  }
  return { jwks: JSON.stringify({ keys }) };
}

/** Why a member of a client's JWKS cannot verify its assertions, or null. */
export function publicKeyProblem(key: unknown): string | null {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return 'each key of the JWKS must be a JSON object';
  const jwk = key as Record<string, unknown>;
  if (typeof jwk.kty !== 'string' || !publicKeyTypes.includes(jwk.kty)) return 'each key must be a public RSA, EC or OKP key (kty)';
  if (privateMembers.some((m) => m in jwk)) return 'the JWKS holds a private key: give only the public keys';
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || textProblem('kid', jwk.kid, 200) !== null)) return 'a kid must be a short string';
  if (jwk.alg !== undefined && !(assertionAlgs as readonly unknown[]).includes(jwk.alg)) return `a key's alg must be one of ${assertionAlgs.join(', ')}`;
  if (jwk.use !== undefined && jwk.use !== 'sig') return 'a key with "use" must be for signatures ("sig")';
  return null;
}

const isLoopbackHost = (host: string) => host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/** Why a URL cannot be a client's jwks_uri, or null: https, or plain http only on loopback (a client on the same machine, tests). */
export function jwksUriProblem(uri: string): string | null {
  const text = textProblem('jwks_uri', uri, 2000);
  if (text) return text;
  if (!URL.canParse(uri)) return 'jwks_uri must be a URL';
  const url = new URL(uri);
  if (url.username || url.password || url.hash) return 'jwks_uri must have no credentials or fragment';
  if (url.protocol === 'https:' && url.hostname !== '') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  return 'jwks_uri must be an https URL (plain http only on loopback)';
}
