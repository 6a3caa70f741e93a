import { addWebhook, listWebhooks, removeWebhook, testWebhook } from '../../services/webhooks/endpoints.js';
import { UsageError, firstArg, table, textOption, type Command } from '../command.js';
import { pageOptions, pageSpec } from './paging.js';

// `tessera webhooks …`: endpoints that receive Tessera's events (README, "Webhooks").

export const webhooksAdd: Command = {
  words: ['webhooks', 'add'],
  usage: 'tessera webhooks add URL --events a,b [--secret-stdin]',
  summary: 'add a webhook endpoint; prints its generated secret once (or takes yours from standard input)',
  args: ['URL'],
  options: {
    events: { type: 'string', description: 'the event types it receives, comma-separated, e.g. user.created,session.revoked (required)' },
    'secret-stdin': { type: 'boolean', description: 'read the signing secret (whsec_…) from standard input instead of generating one' },
  },
  async run(ctx) {
    const url = firstArg(ctx, 'URL');
    const events = textOption(ctx, 'events');
    if (!events) throw new UsageError('--events is required');
    const secret = ctx.options['secret-stdin'] ? (await ctx.readStdin()).replace(/\r?\n$/, '') : null;
    const result = await addWebhook(ctx.deps, ctx.actor, { url, events: events.split(',').map((e) => e.trim()), secret });
    const lines = [`added webhook ${result.webhook.id} → ${result.webhook.url} (${result.webhook.events.join(', ')})`];
    if (result.secret) lines.push(`secret (shown once; verify signatures with it): ${result.secret}`);
    return { json: result, text: lines.join('\n') };
  },
};

export const webhooksList: Command = {
  words: ['webhooks', 'list'],
  usage: 'tessera webhooks list [--limit N] [--cursor C]',
  summary: 'list webhook endpoints, newest first, with their delivery status',
  args: [],
  options: pageSpec,
  async run(ctx) {
    const result = await listWebhooks(ctx.deps, pageOptions(ctx));
    const rows = result.webhooks.map((w) => ({ ...w, events: w.events.join(',') }));
    return { json: result, text: table(rows, ['id', 'url', 'events', 'status', 'failures', 'created_at']) };
  },
};

export const webhooksRemove: Command = {
  words: ['webhooks', 'remove'],
  usage: 'tessera webhooks remove ID',
  summary: 'remove a webhook endpoint and its delivery log',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const id = firstArg(ctx, 'ID');
    await removeWebhook(ctx.deps, ctx.actor, id);
    return { json: { id, deleted: true }, text: `removed webhook ${id}` };
  },
};

export const webhooksTest: Command = {
  words: ['webhooks', 'test'],
  usage: 'tessera webhooks test ID',
  summary: 'send a signed webhook.test message to an endpoint now and show how it answered',
  args: ['ID'],
  options: {},
  async run(ctx) {
    const { delivery } = await testWebhook(ctx.deps, firstArg(ctx, 'ID'));
    const outcome = delivery.ok ? `delivered (HTTP ${delivery.status})` : `failed: ${delivery.error}`;
    return { json: { delivery }, text: `test message ${delivery.message_id} ${outcome}` };
  },
};
