import { randomBytes, randomUUID } from 'node:crypto';

/** Every identifier and secret the service mints, injectable so tests are deterministic. */
export type Ids = {
  userId(): string;
  familyId(): string;
  tokenId(): string;
  jti(): string;
  eventId(): string;
  webhookId(): string;
  deliveryId(): string;
  /** A client registered by itself at /register (RFC 7591). */
  clientId(): string;
  registrationTokenId(): string;
  mailId(): string;
  /** A second factor (TOTP secret, recovery code). */
  factorId(): string;
  /** 256 bits from the CSPRNG, base64url: refresh tokens and client secrets. */
  secret(): string;
};

export const randomIds: Ids = {
  userId: () => `usr_${randomUUID()}`,
  familyId: () => `fam_${randomUUID()}`,
  tokenId: () => `rt_${randomUUID()}`,
  jti: () => randomUUID(),
  eventId: () => `evt_${randomUUID()}`,
  webhookId: () => `wh_${randomUUID()}`,
  deliveryId: () => `dlv_${randomUUID()}`,
  clientId: () => `dyn_${randomUUID()}`,
  registrationTokenId: () => `rgt_${randomUUID()}`,
  mailId: () => `mail_${randomUUID()}`,
  factorId: () => `fac_${randomUUID()}`,
  secret: () => randomBytes(32).toString('base64url'),
};
