import { createHash, timingSafeEqual } from 'node:crypto';

/** SHA-256, base64url: how refresh tokens and client secrets are kept in the store. */
export const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('base64url');

/** Compares two strings in time independent of where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(sha256(a));
  const right = Buffer.from(sha256(b));
  return timingSafeEqual(left, right);
}
