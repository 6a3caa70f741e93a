import type { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { ChallengePurpose, Passkey } from '../../domain/factors.js';
import type { User } from '../../domain/types.js';
import { InvalidInput } from '../../errors/domain.js';
import { sha256 } from '../../lib/hash.js';
import { audited } from '../audit.js';
import type { Actor } from '../deps.js';
import type { FactorDeps } from './deps.js';

// Passkeys (WebAuthn Level 3) through @simplewebauthn/server. The relying party is ISSUER's host; each
// challenge is stored (its hash), lives five minutes and is used once, whatever the answer.

// Loaded on the first passkey request: the library and its ASN.1 parsers were a fifth of every start's module loading.
const webauthn = () => import('@simplewebauthn/server');

type RegistrationResponseJSON = Parameters<typeof verifyRegistrationResponse>[0]['response'];
type AuthenticationResponseJSON = Parameters<typeof verifyAuthenticationResponse>[0]['response'];

const challengeTtlMs = 5 * 60_000;
const maxResponseLength = 64 * 1024;
const nameLimit = 64;

const relyingParty = (deps: Pick<FactorDeps, 'config'>) => {
  const url = new URL(deps.config.issuer);
  return { rpID: url.hostname, origin: url.origin };
};

async function newChallenge(deps: FactorDeps, purpose: ChallengePurpose, userId: string | null): Promise<string> {
  const challenge = deps.ids.secret();
  const now = deps.clock.now().getTime();
  await deps.store.insertChallenge({ id: sha256(challenge), purpose, userId, createdAt: now, expiresAt: now + challengeTtlMs, usedAt: null });
  return challenge;
}

/** As bytes, so the options carry the challenge as we keep it (the library would encode a string's UTF-8 again). */
const challengeBytes = (challenge: string) => new Uint8Array(Buffer.from(challenge, 'base64url'));

/** The response a browser sent, as far as we read it before the library does: JSON with an id and the challenge it signed. */
function readResponse<T extends { id: string; response: { clientDataJSON: string } }>(raw: string | undefined): { response: T; challenge: string } {
  if (!raw || raw.length > maxResponseLength) throw new InvalidInput('the passkey answer is missing or too long');
  try {
    const response = JSON.parse(raw) as T;
    if (typeof response?.id !== 'string' || typeof response.response?.clientDataJSON !== 'string') throw new Error('shape');
    const clientData = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    if (typeof clientData.challenge !== 'string') throw new Error('challenge');
    return { response, challenge: clientData.challenge };
  } catch {
    throw new InvalidInput('the passkey answer is not a WebAuthn credential');
  }
}

/** Uses the challenge a response signed; refuses one we did not hand out, for another purpose, used or expired. */
async function spendChallenge(deps: FactorDeps, challenge: string, purpose: ChallengePurpose) {
  const found = await deps.store.consumeChallenge(sha256(challenge), purpose, deps.clock.now().getTime());
  if (!found) throw new InvalidInput('the passkey challenge is unknown, expired or used; try again');
  return found;
}

/** Options for navigator.credentials.create(): a discoverable credential, user verification preferred, none twice. */
export async function registrationOptions(deps: FactorDeps, user: User) {
  const existing = await deps.store.listPasskeys(user.id);
  const challenge = await newChallenge(deps, 'register', user.id);
  const { generateRegistrationOptions } = await webauthn();
  return generateRegistrationOptions({
    rpName: deps.config.loginTitle,
    rpID: relyingParty(deps).rpID,
    userID: user.id,
    userName: user.username,
    challenge: challengeBytes(challenge),
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    excludeCredentials: existing.map((p) => ({ id: Buffer.from(p.credentialId, 'base64url'), type: 'public-key' as const })),
  });
}

/** Checks a registration against its challenge and keeps the passkey under `name`. */
export async function registerPasskey(
  deps: FactorDeps,
  actor: Actor,
  user: User,
  input: { response: string | undefined; name: string | undefined },
): Promise<Passkey> {
  const name = (input.name ?? '').trim() || 'Passkey';
  if (name.length > nameLimit || /\p{Cc}/u.test(name)) throw new InvalidInput(`the passkey's name must be at most ${nameLimit} printable characters`);
  const { response, challenge } = readResponse<RegistrationResponseJSON>(input.response);
  const spent = await spendChallenge(deps, challenge, 'register');
  if (spent.userId !== user.id) throw new InvalidInput('the passkey challenge is unknown, expired or used; try again');
  const { rpID, origin } = relyingParty(deps);
  const { verifyRegistrationResponse } = await webauthn();
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: false,
  }).catch(() => null);
  const info = verified?.verified ? verified.registrationInfo : undefined;
  if (!info) throw new InvalidInput('the passkey could not be verified');
  const passkey: Passkey = {
    credentialId: Buffer.from(info.credentialID).toString('base64url'),
    userId: user.id,
    publicKey: Buffer.from(info.credentialPublicKey).toString('base64url'),
    counter: info.counter,
    transports: (response.response.transports ?? []).filter((t: unknown) => typeof t === 'string').slice(0, 8),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    name,
    createdAt: deps.clock.now().getTime(),
    lastUsedAt: null,
  };
  const audit = audited(deps, actor, [{ type: 'factor.enrolled', userId: user.id, details: { kind: 'passkey', name } }]);
  await deps.store.insertPasskey(passkey, [{ type: 'factor.enrolled', data: { userId: user.id, kind: 'passkey' } }], audit).catch((error: unknown) => {
    throw error instanceof Error && error.name === 'Conflict' ? new InvalidInput('this passkey is registered already') : error;
  });
  return passkey;
}

/** Options for navigator.credentials.get(): any discoverable passkey (sign-in), or the user's own (the second step). */
export async function authenticationOptions(deps: FactorDeps, userId: string | null) {
  const allow = userId === null ? [] : await deps.store.listPasskeys(userId);
  const challenge = await newChallenge(deps, 'authenticate', null);
  const { generateAuthenticationOptions } = await webauthn();
  return generateAuthenticationOptions({
    rpID: relyingParty(deps).rpID,
    challenge: challengeBytes(challenge),
    userVerification: 'preferred',
    allowCredentials: allow.map((p) => ({ id: Buffer.from(p.credentialId, 'base64url'), type: 'public-key' as const })),
  });
}

export type PasskeyProof = { passkey: Passkey; user: User; userVerified: boolean; amr: string[] };

/**
 * Checks an assertion: its challenge (used up either way), the passkey it names (of `userId`, when the
 * second step asks for that user's), the signature and the counter. Null when it does not hold.
 */
export async function verifyPasskey(deps: FactorDeps, raw: string | undefined, userId: string | null): Promise<PasskeyProof | null> {
  const { response, challenge } = readResponse<AuthenticationResponseJSON>(raw);
  await spendChallenge(deps, challenge, 'authenticate');
  const passkey = await deps.store.findPasskey(response.id);
  if (!passkey || (userId !== null && passkey.userId !== userId)) return null;
  const { rpID, origin } = relyingParty(deps);
  const { verifyAuthenticationResponse } = await webauthn();
  const verified = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: origin,
    expectedRPID: rpID,
    requireUserVerification: false,
    authenticator: {
      credentialID: Buffer.from(passkey.credentialId, 'base64url'),
      credentialPublicKey: Buffer.from(passkey.publicKey, 'base64url'),
      counter: passkey.counter,
    },
  }).catch(() => null);
  if (!verified?.verified) return null;
  const user = await deps.store.findUserById(passkey.userId);
  if (!user || user.disabledAt !== null) return null;
  const info = verified.authenticationInfo;
  await deps.store.recordPasskeyUse(passkey.credentialId, info.newCounter, info.credentialBackedUp, deps.clock.now().getTime());
  // RFC 8176: a synced passkey is a software-secured key, a device-bound one hardware-secured.
  const amr = [info.credentialDeviceType === 'multiDevice' ? 'swk' : 'hwk', ...(info.userVerified ? ['user'] : [])];
  return { passkey, user, userVerified: info.userVerified, amr };
}

/** Removes one of the user's passkeys. */
export async function removePasskey(deps: FactorDeps, actor: Actor, user: User, credentialId: string): Promise<boolean> {
  const events = [{ type: 'factor.removed' as const, data: { userId: user.id, kind: 'passkey' as const } }];
  const audit = audited(deps, actor, [{ type: 'factor.removed', userId: user.id, details: { kind: 'passkey' } }]);
  if (!(await deps.store.deletePasskey(user.id, credentialId.slice(0, 2048), deps.clock.now().getTime(), events, audit))) return false;
  return true;
}
