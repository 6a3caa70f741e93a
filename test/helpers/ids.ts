import { createHash } from 'node:crypto';
import type { Ids } from '../../src/lib/ids.js';

/** Ids that count up (`usr_1`, `fam_1`, …), so expected bodies can be literal. Secrets stay 256-bit and distinct. */
export function seqIds(): Ids {
  const counters = new Map<string, number>();
  const next = (prefix: string) => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}_${n}`;
  };
  return {
    userId: () => next('usr'),
    familyId: () => next('fam'),
    tokenId: () => next('rt'),
    jti: () => next('jti'),
    eventId: () => next('evt'),
    webhookId: () => next('wh'),
    deliveryId: () => next('dlv'),
    clientId: () => next('dyn'),
    registrationTokenId: () => next('rgt'),
    mailId: () => next('mail'),
    factorId: () => next('fac'),
    secret: () => createHash('sha256').update(next('secret')).digest('base64url'),
  };
}
