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

/** Cloud metadata services by name (their addresses are caught by linkLocalAddress). */
const metadataHosts = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

/**
 * Whether an address is link-local or a cloud metadata service: 169.254.0.0/16 (AWS, GCP, Azure 169.254.169.254),
 * fe80::/10, 100.100.100.200 (Alibaba), 192.0.0.192 (Oracle), fd00:ec2::254 (AWS over IPv6), and IPv4-mapped forms.
 */
export function linkLocalAddress(address: string): boolean {
  const a = address.toLowerCase().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a)?.[1] ?? hexMapped(a);
  const v4 = mapped ?? a;
  if (/^169\.254\.\d+\.\d+$/.test(v4) || v4 === '100.100.100.200' || v4 === '192.0.0.192') return true;
  return /^fe[89ab][0-9a-f]?:/.test(a) || a === 'fd00:ec2::254';
}

/** `::ffff:a9fe:a9fe` (as URLs write a mapped address) → `169.254.169.254`. */
function hexMapped(a: string): string | null {
  const m = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(a);
  if (!m) return null;
  const [hi, lo] = [Number.parseInt(m[1]!, 16), Number.parseInt(m[2]!, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Why `raw` cannot be a webhook URL, or null: http(s) only, no credentials, and no link-local or metadata host unless allowed. */
export function webhookUrlProblem(raw: string, { allowLinkLocal }: { allowLinkLocal: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http or https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must be an absolute http or https URL';
  if (url.username !== '' || url.password !== '') return 'url must not carry a user name or password';
  if (url.hash !== '') return 'url must not have a fragment';
  if (raw.length > 2000) return 'url must be at most 2000 characters';
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (!allowLinkLocal && (metadataHosts.has(host) || linkLocalAddress(host)))
    return 'url points at a link-local or cloud metadata address (WEBHOOK_ALLOW_LINK_LOCAL=on allows it)';
  return null;
}
