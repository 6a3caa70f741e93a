import { Secret, TOTP } from 'otpauth';
import type { Factor } from '../../domain/factors.js';
import type { User } from '../../domain/types.js';
import { sha256 } from '../../lib/hash.js';
import { openStoredSecret, storeSecret } from '../../lib/seal.js';
import { audited } from '../audit.js';
import type { Actor, Deps } from '../deps.js';
import type { FactorDeps } from './deps.js';

// TOTP (RFC 6238): SHA-1, 6 digits, 30-second steps, one step either side; each code is accepted once.

const period = 30;
const context = (id: string) => `factor:${id}`;

const totpOf = (deps: Pick<Deps, 'config'>, user: User, base32: string) =>
  new TOTP({ issuer: deps.config.loginTitle, label: user.username, algorithm: 'SHA1', digits: 6, period, secret: Secret.fromBase32(base32) });

/** The time step a code was made for (RFC 6238 §4: T = floor(unix time / 30)), or null when it matches none of now ±1. */
function matchingStep(totp: TOTP, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / period) + delta;
}

export type TotpEnrollment = { id: string; secret: string; uri: string; qrSvg: string };

/** The otpauth URI as an inline SVG QR code; qrcode is loaded with the first enrollment, not at every start. */
const qrSvg = async (uri: string) => (await import('qrcode')).default.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });

/** A new, unconfirmed TOTP secret for the user: its otpauth URI as a QR code (SVG) and the secret as text. */
export async function beginTotp(deps: FactorDeps, user: User): Promise<TotpEnrollment> {
  const id = deps.ids.factorId();
  // 160 bits (RFC 4226 §4) from the injected CSPRNG.
  const secret = Secret.fromHex(Buffer.from(sha256(deps.ids.secret()), 'base64url').toString('hex').slice(0, 40)).base32;
  const now = deps.clock.now().getTime();
  const factor: Factor = {
    id,
    userId: user.id,
    kind: 'totp',
    secret: storeSecret(deps.config.keyEncryptionKey, secret, context(id)),
    hash: null,
    createdAt: now,
    confirmedAt: null,
    lastUsedStep: null,
    usedAt: null,
  };
  await deps.store.startTotp(factor);
  const uri = totpOf(deps, user, secret).toString();
  return { id, secret, uri, qrSvg: await qrSvg(uri) };
}

/** Shows an unconfirmed secret again (the page was reloaded, or a code was wrong); null when there is none. */
export async function pendingTotp(deps: FactorDeps, user: User): Promise<TotpEnrollment | null> {
  const pending = (await deps.store.listFactors(user.id)).find((f) => f.kind === 'totp' && f.confirmedAt === null);
  const secret = pending?.secret ? openStoredSecret(deps.config.keyEncryptionKey, pending.secret, context(pending.id)) : null;
  if (!pending || secret === null) return null;
  const uri = totpOf(deps, user, secret).toString();
  return { id: pending.id, secret, uri, qrSvg: await qrSvg(uri) };
}

/** Confirms the pending secret with a code from it; the user's earlier TOTP secret, if any, is replaced. */
export async function confirmTotp(deps: FactorDeps, actor: Actor, user: User, code: string): Promise<boolean> {
  const pending = (await deps.store.listFactors(user.id)).find((f) => f.kind === 'totp' && f.confirmedAt === null);
  const secret = pending?.secret ? openStoredSecret(deps.config.keyEncryptionKey, pending.secret, context(pending.id)) : null;
  const now = deps.clock.now().getTime();
  const step = pending && secret !== null ? matchingStep(totpOf(deps, user, secret), code.trim(), now) : null;
  if (!pending || step === null) return false;
  const events = [{ type: 'factor.enrolled' as const, data: { userId: user.id, kind: 'totp' as const } }];
  const audit = audited(deps, actor, [{ type: 'factor.enrolled', userId: user.id, details: { kind: 'totp' } }]);
  if (!(await deps.store.confirmTotp(user.id, pending.id, step, now, events, audit))) return false;
  return true;
}

/** Checks a code against the user's confirmed secret; a code is accepted once (its step, or an earlier one, never again). */
export async function checkTotp(deps: FactorDeps, user: User, code: string): Promise<boolean> {
  const factor = (await deps.store.listFactors(user.id)).find((f) => f.kind === 'totp' && f.confirmedAt !== null);
  const secret = factor?.secret ? openStoredSecret(deps.config.keyEncryptionKey, factor.secret, context(factor.id)) : null;
  if (!factor || secret === null) return false;
  const step = matchingStep(totpOf(deps, user, secret), code.replace(/\s/g, ''), deps.clock.now().getTime());
  return step !== null && (await deps.store.useTotpStep(factor.id, step));
}
