import { describe, expect, it } from 'vitest';
import { expectMatchesSpec } from '../helpers/openapi.js';
import { verifyAsReceived, webhookReceiver } from '../helpers/webhook-receiver.js';
import { adminSetup, cli } from './setup.js';

const kek = Buffer.alloc(32, 7).toString('base64');

describe('admin webhooks', () => {
  it('POST adds an endpoint with a sealed secret shown once; GET lists it paged; test sends a signed message; deliveries log it; DELETE removes it', async () => {
    const { admin, deps } = await adminSetup({ env: { KEY_ENCRYPTION_KEY: kek } });
    const receiver = await webhookReceiver();
    const added = await admin('POST', '/admin/webhooks', { body: { url: receiver.url, events: ['user.created', 'session.revoked'] } });
    expect(added.status).toBe(201);
    await expectMatchesSpec(added, { method: 'POST', path: '/admin/webhooks' });
    const { webhook, secret } = await added.json();
    const view = {
      id: 'wh_1',
      url: receiver.url,
      events: ['user.created', 'session.revoked'],
      status: 'active',
      failures: 0,
      failing_since: null,
      next_attempt_at: null,
      created_at: '2023-11-14T22:13:20.000Z',
      disabled_at: null,
    };
    expect(webhook).toEqual(view);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const stored = (await deps.store.findWebhook('wh_1'))!;
    expect(stored.secret.startsWith('v1.')).toBe(true);

    const listed = await admin('GET', '/admin/webhooks?limit=1');
    await expectMatchesSpec(listed, { method: 'GET', path: '/admin/webhooks' });
    expect(await listed.json()).toEqual({ webhooks: [view], next_cursor: null });

    const tested = await admin('POST', '/admin/webhooks/wh_1/test');
    await expectMatchesSpec(tested, { method: 'POST', path: '/admin/webhooks/{id}/test' });
    const { delivery } = await tested.json();
    expect(delivery).toMatchObject({ type: 'webhook.test', attempt: 1, status: 200, ok: true, error: null });
    const [message] = receiver.received;
    expect(verifyAsReceived(secret, message!)).toEqual({ type: 'webhook.test', timestamp: '2023-11-14T22:13:20.000Z', data: { webhook_id: 'wh_1' } });

    const log = await admin('GET', '/admin/webhooks/wh_1/deliveries');
    await expectMatchesSpec(log, { method: 'GET', path: '/admin/webhooks/{id}/deliveries' });
    expect(await log.json()).toEqual({ deliveries: [delivery], next_cursor: null });
    expect(JSON.stringify(await (await admin('GET', '/admin/webhooks')).json())).not.toContain(secret.slice(6));

    const removed = await admin('DELETE', '/admin/webhooks/wh_1');
    await expectMatchesSpec(removed, { method: 'DELETE', path: '/admin/webhooks/{id}' });
    expect(await removed.json()).toEqual({ id: 'wh_1', deleted: true, revoked_families: 0, unlinked_identities: 0 });
    expect((await admin('DELETE', '/admin/webhooks/wh_1')).status).toBe(404);
    const audit = await deps.store.listAuditEvents({ limit: 10 });
    expect(audit.items.filter((e) => e.type.startsWith('webhook.')).map((e) => e.type)).toEqual(['webhook.removed', 'webhook.added']);
  });

  it('refuses a metadata URL and unknown event types with 400, adding nothing', async () => {
    const { admin } = await adminSetup();
    for (const body of [
      { url: 'http://169.254.169.254/latest/meta-data', events: ['user.created'] },
      { url: 'http://127.0.0.1:9/hook', events: ['user.exploded'] },
      { url: 'http://127.0.0.1:9/hook', events: [] },
    ]) {
      const res = await admin('POST', '/admin/webhooks', { body });
      expect(res.status).toBe(400);
      await expectMatchesSpec(res, { method: 'POST', path: '/admin/webhooks' });
    }
    expect(await (await admin('GET', '/admin/webhooks')).json()).toEqual({ webhooks: [], next_cursor: null });
  });

  it('tessera webhooks add prints the generated secret once; list, test and remove work on the same store', async () => {
    const { deps } = await adminSetup();
    const receiver = await webhookReceiver();
    const added = await cli(deps, ['webhooks', 'add', receiver.url, '--events', 'user.created', '--json']);
    expect(added.code).toBe(0);
    const { webhook, secret } = JSON.parse(added.stdout);
    expect(secret).toMatch(/^whsec_/);
    const own = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    const given = await cli(deps, ['webhooks', 'add', receiver.url, '--events', 'user.created', '--secret-stdin'], { stdin: `${own}\n` });
    expect(given.stdout).not.toContain('whsec_');
    expect((await cli(deps, ['webhooks', 'list'])).stdout).toContain(webhook.id);
    expect((await cli(deps, ['webhooks', 'test', webhook.id])).stdout).toMatch(/delivered \(HTTP 200\)/);
    expect((await cli(deps, ['webhooks', 'remove', webhook.id])).stdout).toBe(`removed webhook ${webhook.id}\n`);
  });
});
