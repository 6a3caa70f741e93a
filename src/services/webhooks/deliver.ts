import { givenUp, retryDelayMs, type Webhook, type WebhookDelivery } from '../../domain/webhooks.js';
import type { StoredEvent } from '../../domain/events.js';
import { recordAudit } from '../audit.js';
import type { AuditStore, OutboxStore, WebhookStore } from '../../store/types.js';
import type { Uses } from '../deps.js';
import { messageBody, messageIdOf, openWebhookSecret } from './payload.js';
import { httpSender, type Send } from './send.js';
import { signedHeaders } from './signature.js';

/** How long an instance holds an endpoint while it delivers to it; longer than one send can take. */
export const leaseMs = 60_000;
/** Events one claim delivers before the endpoint is handed back, so no endpoint keeps an instance to itself. */
const batch = 50;

type DeliverDeps = Uses<'clock' | 'config' | 'ids' | 'log', AuditStore & OutboxStore & WebhookStore>;

/** Posts one signed message and says how it went, as the delivery log keeps it. */
export async function sendSigned(
  deps: Uses<'clock' | 'config' | 'ids'>,
  webhook: Webhook,
  message: { id: string; type: string; body: string; attempt: number },
  send: Send,
): Promise<WebhookDelivery> {
  const at = deps.clock.now().getTime();
  const secret = openWebhookSecret(deps, webhook);
  const result =
    secret === null
      ? { status: null, error: 'the secret is encrypted with another KEY_ENCRYPTION_KEY (or none is set)' }
      : await send(webhook.url, signedHeaders(secret, message.id, Math.floor(at / 1000), message.body), message.body);
  return {
    id: deps.ids.deliveryId(),
    webhookId: webhook.id,
    messageId: message.id,
    type: message.type,
    attempt: message.attempt,
    at,
    status: result.status,
    ok: result.error === null,
    error: result.error,
  };
}

/**
 * One round of delivery by the instance `owner`: every endpoint that is due gets its next events, in commit
 * order, one at a time; an endpoint whose receiver fails waits (exponential backoff) and is retried with the
 * same event, so each event is delivered at least once and none overtakes another. An endpoint that keeps
 * failing is disabled, with an audit event. Returns how many attempts it made.
 */
export async function deliverDue(
  deps: DeliverDeps,
  owner: string,
  send: Send = httpSender({ allowLinkLocal: deps.config.webhookAllowLinkLocal }),
): Promise<number> {
  let attempts = 0;
  const handled: string[] = [];
  for (;;) {
    const claimed = await deps.store.claimWebhook(owner, deps.clock.now().getTime(), leaseMs, handled);
    if (claimed === null) return attempts;
    handled.push(claimed.id);
    attempts += await deliverTo(deps, owner, claimed, send);
  }
}

async function deliverTo(deps: DeliverDeps, owner: string, claimed: Webhook, send: Send): Promise<number> {
  let webhook = claimed;
  let sent = 0;
  let skipTo = webhook.position;
  for (; sent < batch; sent++) {
    // Read first: every event up to `last` has committed (seq order is commit order), so none of its types among
    // them means the endpoint need not look at them again.
    const last = await deps.store.lastEventSeq();
    const [next] = await deps.store.listEvents({ after: webhook.position, limit: 1, types: webhook.events });
    if (!next) {
      skipTo = Math.max(webhook.position, last);
      break;
    }
    const delivery = await sendSigned(deps, webhook, message(next, webhook.failures + 1), send);
    const now = delivery.at;
    if (delivery.ok) {
      webhook = { ...webhook, position: next.seq, failures: 0, failingSince: null };
      const held = await deps.store.finishAttempt(webhook.id, owner, {
        position: next.seq,
        failures: 0,
        failingSince: null,
        delivery,
        leaseUntil: now + leaseMs,
      });
      if (!held) return sent + 1;
      continue;
    }
    const failures = webhook.failures + 1;
    const failingSince = webhook.failingSince ?? now;
    if (givenUp(failures, failingSince, now)) {
      if (await deps.store.finishAttempt(webhook.id, owner, { failures, failingSince, disabledAt: now, delivery })) {
        const details = { url: webhook.url, failures, last_error: delivery.error };
        await recordAudit(deps, { name: 'system' }, { type: 'webhook.disabled', details: { webhook: webhook.id, ...details } });
        deps.log.warn({ webhook: webhook.id, failures }, 'webhook endpoint disabled after failing deliveries');
      }
    } else {
      await deps.store.finishAttempt(webhook.id, owner, { failures, failingSince, nextAttemptAt: now + retryDelayMs(failures), delivery });
    }
    return sent + 1;
  }
  await deps.store.finishAttempt(webhook.id, owner, skipTo > webhook.position ? { position: skipTo } : {});
  return sent;
}

const message = (event: StoredEvent, attempt: number) => ({
  id: messageIdOf(event),
  type: event.event.type,
  body: messageBody(event.event, event.at),
  attempt,
});

/** Delivers every `intervalMs` until `signal` aborts; a failed round is logged and the next one tries again. */
export function startWebhookDelivery(deps: DeliverDeps, { signal, intervalMs = 1000 }: { signal: AbortSignal; intervalMs?: number }): void {
  const owner = deps.ids.jti();
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverDue(deps, owner)
      .catch((err: Error) => deps.log.error({ err: { message: err.message } }, 'webhook delivery failed'))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}
