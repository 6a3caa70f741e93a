import { createHmac } from 'node:crypto';
import { InvalidInput } from '../../errors/domain.js';

// Standard Webhooks (https://www.standardwebhooks.com): the headers and the signature Tessera sends.

const prefix = 'whsec_';

/** A new endpoint secret, `whsec_` and 32 random bytes in base64, from a 256-bit secret of `ids`. */
export const newWebhookSecret = (random: string): string => `${prefix}${Buffer.from(random, 'base64url').toString('base64')}`;

/** Checks a secret an operator supplied: `whsec_` and 24 to 64 bytes in base64. */
export function webhookSecretInput(raw: string): string {
  const body = raw.startsWith(prefix) ? raw.slice(prefix.length) : '';
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64') : Buffer.alloc(0);
  if (bytes.length < 24 || bytes.length > 64 || bytes.toString('base64') !== body)
    throw new InvalidInput('secret must be whsec_ followed by 24 to 64 bytes in base64');
  return raw;
}

/** The headers of one message: `webhook-signature` is `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under the secret's bytes. */
export function signedHeaders(secret: string, messageId: string, timestampSeconds: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.slice(prefix.length), 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': `v1,${signature}`,
  };
}
