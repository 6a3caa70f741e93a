import type { AuditStore, WebhookStore } from '../../store/types.js';
import { isDomainEventType, type DomainEventType } from '../../domain/events.js';
import { webhookUrlProblem, type Webhook, type WebhookDelivery } from '../../domain/webhooks.js';
import { InvalidInput, NotFound } from '../../errors/domain.js';
import { excerpt } from '../../lib/excerpt.js';
import { recordAudit } from '../audit.js';
import type { Actor, Uses } from '../deps.js';
import { pageInput, type PageInput } from '../inputs.js';
import { sendSigned } from './deliver.js';
import { messageBody, sealWebhookSecret } from './payload.js';
import { httpSender } from './send.js';
import { newWebhookSecret, webhookSecretInput } from './signature.js';

// The operator's side of webhooks: `tessera webhooks …` and /admin/webhooks.

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What operators see of an endpoint: never its secret. */
export const webhookView = (w: Webhook) => ({
  id: w.id,
  url: w.url,
  events: w.events,
  status: w.disabledAt !== null ? 'disabled' : w.failures > 0 ? 'failing' : 'active',
  failures: w.failures,
  failing_since: iso(w.failingSince),
  next_attempt_at: iso(w.failures > 0 && w.disabledAt === null ? w.nextAttemptAt : null),
  created_at: iso(w.createdAt),
  disabled_at: iso(w.disabledAt),
});

/** One line of the delivery log. */
export const deliveryView = (d: WebhookDelivery) => ({
  id: d.id,
  message_id: d.messageId,
  type: d.type,
  attempt: d.attempt,
  at: iso(d.at),
  status: d.status,
  ok: d.ok,
  error: d.error,
});

function eventsInput(events: readonly string[]): DomainEventType[] {
  if (events.length === 0) throw new InvalidInput('events must name at least one event type');
  const unknown = events.find((e) => !isDomainEventType(e));
  if (unknown !== undefined) throw new InvalidInput(`unknown event type "${excerpt(unknown)}"`);
  return [...new Set(events as DomainEventType[])];
}

/**
 * Adds an endpoint that receives the events of `events` committed from now on. Without `secret` one is made and
 * returned, this once; the stored one is sealed with KEY_ENCRYPTION_KEY when it is set.
 */
export async function addWebhook(
  deps: Uses<'clock' | 'config' | 'ids', AuditStore & WebhookStore>,
  actor: Actor,
  input: { url: string; events: readonly string[]; secret?: string | null },
) {
  const problem = webhookUrlProblem(input.url, { allowLinkLocal: deps.config.webhookAllowLinkLocal });
  if (problem) throw new InvalidInput(problem);
  const events = eventsInput(input.events);
  const given = input.secret != null;
  const secret = given ? webhookSecretInput(input.secret!) : newWebhookSecret(deps.ids.secret());
  const id = deps.ids.webhookId();
  const now = deps.clock.now().getTime();
  const webhook = await deps.store.insertWebhook({
    id,
    url: input.url,
    events,
    secret: sealWebhookSecret(deps, id, secret),
    createdAt: now,
    nextAttemptAt: now,
  });
  await recordAudit(deps, actor, { type: 'webhook.added', details: { webhook: id, url: input.url, events } });
  return { webhook: webhookView(webhook), ...(given ? {} : { secret }) };
}

export async function listWebhooks(deps: Uses<never, WebhookStore>, page: PageInput) {
  const result = await deps.store.listWebhooks(pageInput(page));
  return { webhooks: result.items.map(webhookView), next_cursor: result.nextCursor };
}

async function findWebhook(deps: Uses<never, WebhookStore>, id: string): Promise<Webhook> {
  const webhook = await deps.store.findWebhook(id);
  if (!webhook) throw new NotFound(`no webhook "${excerpt(id)}"`);
  return webhook;
}

export async function removeWebhook(deps: Uses<'clock' | 'ids', AuditStore & WebhookStore>, actor: Actor, id: string): Promise<void> {
  if (!(await deps.store.deleteWebhook(id))) throw new NotFound(`no webhook "${excerpt(id)}"`);
  await recordAudit(deps, actor, { type: 'webhook.removed', details: { webhook: id } });
}

/** Sends a `webhook.test` message now, signed like every other, and logs it; the endpoint's place in the events stays. */
export async function testWebhook(deps: Uses<'clock' | 'config' | 'ids', WebhookStore>, id: string) {
  const webhook = await findWebhook(deps, id);
  const messageId = `msg_test_${deps.ids.jti()}`;
  const body = messageBody({ type: 'webhook.test', data: { webhookId: webhook.id } }, deps.clock.now().getTime());
  const send = httpSender({ allowLinkLocal: deps.config.webhookAllowLinkLocal });
  const delivery = await sendSigned(deps, webhook, { id: messageId, type: 'webhook.test', body, attempt: 1 }, send);
  await deps.store.recordDelivery(delivery);
  return { delivery: deliveryView(delivery) };
}

export async function listDeliveries(deps: Uses<never, WebhookStore>, id: string, page: PageInput) {
  await findWebhook(deps, id);
  const result = await deps.store.listDeliveries({ webhookId: id, ...pageInput(page) });
  return { deliveries: result.items.map(deliveryView), next_cursor: result.nextCursor };
}
