// A user's second factors and passkeys as the domain sees them (contract section 12). Instants are epoch ms.

export type FactorKind = 'totp' | 'recovery';

/**
 * A TOTP secret (`secret`, sealed) or one recovery code (`hash`, its SHA-256). A TOTP secret counts once
 * confirmed; `lastUsedStep` is the time step of the last code accepted, so each code is accepted once.
 */
export type Factor = {
  id: string;
  userId: string;
  kind: FactorKind;
  secret: string | null;
  hash: string | null;
  createdAt: number;
  confirmedAt: number | null;
  lastUsedStep: number | null;
  usedAt: number | null;
};

/** A WebAuthn credential. `credentialId` and `publicKey` (COSE) are base64url. */
export type Passkey = {
  credentialId: string;
  userId: string;
  publicKey: string;
  counter: number;
  transports: string[];
  /** `multiDevice`: synced between devices (backup eligible); `singleDevice`: bound to one. */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
};

export type ChallengePurpose = 'register' | 'authenticate';

/** A WebAuthn challenge handed out: `id` is the challenge's hash; `userId` whom a registration is for. */
export type WebAuthnChallenge = {
  id: string;
  purpose: ChallengePurpose;
  userId: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
};
