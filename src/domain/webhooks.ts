import type { DomainEventType } from './events.js';

/** An endpoint that receives events (Standard Webhooks). Instants are epoch milliseconds. */
export type Webhook = {
  id: string;
  url: string;
  events: DomainEventType[];
  /** As stored: sealed with KEY_ENCRYPTION_KEY when it is set (services/webhooks/secret.ts). */
  secret: string;
  createdAt: number;
  disabledAt: number | null;
  /** The outbox seq of the last event handled; delivery goes on after it. */
  position: number;
  /** Failed attempts at the next event, and since when. */
  failures: number;
  failingSince: number | null;
  nextAttemptAt: number;
};

/** One attempt to deliver a message, as the delivery log keeps it. */
export type WebhookDelivery = {
  id: string;
  webhookId: string;
  messageId: string;
  type: string;
  attempt: number;
  at: number;
  status: number | null;
  ok: boolean;
  error: string | null;
};

/** An endpoint is disabled after this many failed attempts in a row, or after failing this long. */
export const maxConsecutiveFailures = 10;
export const maxFailingMs = 24 * 3_600_000;

/** Exponential backoff: 5 s after the first failure, doubling, at most an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, failures - 1), 3_600_000);
}

/** Whether an endpoint with `failures` failed attempts in a row, failing since `failingSince`, is given up on at `now`. */
export const givenUp = (failures: number, failingSince: number, now: number): boolean =>
  failures >= maxConsecutiveFailures || now - failingSince >= maxFailingMs;
