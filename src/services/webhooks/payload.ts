import type { DomainEvent, StoredEvent } from '../../domain/events.js';
import { openStoredSecret, storeSecret } from '../../lib/seal.js';
import type { Webhook } from '../../domain/webhooks.js';
import type { Uses } from '../deps.js';

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The body of a message (Standard Webhooks): `type`, `timestamp` (when the change committed), and `data` with wire names. */
export function messageBody(event: DomainEvent | { type: 'webhook.test'; data: Record<string, unknown> }, at: number): string {
  const data = Object.fromEntries(
    Object.entries(event.data).map(([k, v]) => [snake(k), k === 'activatesAt' && typeof v === 'number' ? new Date(v).toISOString() : v]),
  );
  return JSON.stringify({ type: event.type, timestamp: new Date(at).toISOString(), data });
}

/** The message id of an outbox event: the same on every retry, so receivers can skip a repeat. */
export const messageIdOf = (event: StoredEvent): string => `msg_${event.seq}`;

const secretContext = (webhookId: string) => `tessera webhook ${webhookId} secret`;

export const sealWebhookSecret = (deps: Uses<'config'>, webhookId: string, secret: string): string =>
  storeSecret(deps.config.keyEncryptionKey, secret, secretContext(webhookId));

export const openWebhookSecret = (deps: Uses<'config'>, webhook: Webhook): string | null =>
  openStoredSecret(deps.config.keyEncryptionKey, webhook.secret, secretContext(webhook.id));
