import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { startFamily } from '../../src/services/sessions/families.js';
import { createUser, deleteUser, setPassword, updateUser } from '../../src/services/users.js';
import { deliverDue } from '../../src/services/webhooks/deliver.js';
import { addWebhook, listDeliveries, listWebhooks } from '../../src/services/webhooks/endpoints.js';
import { makeDeps } from '../helpers/deps.js';
import { verifyAsReceived, webhookReceiver } from '../helpers/webhook-receiver.js';

const cli = { name: 'cli' };

const verified = verifyAsReceived;

describe('webhooks', () => {
  afterEach(() => vi.useRealTimers());

  // msg_1 is the key.rotated of the signing key makeDeps creates.
  it('delivers each event once, in commit order, signed so that the receiver’s standardwebhooks verification accepts it', async () => {
    const deps = await makeDeps();
    const receiver = await webhookReceiver();
    const { secret } = await addWebhook(deps, cli, {
      url: receiver.url,
      events: ['user.created', 'user.updated', 'user.password_changed', 'user.deleted', 'session.started', 'session.revoked', 'client.created'],
    });
    const alice = await createUser(deps, cli, { username: 'alice', password: 'correct horse' });
    const { client } = await createClient(deps, cli, { id: 'web-app', public: true, grants: ['password', 'refresh_token'], scopes: ['read'] });
    deps.clock.advance(1);
    const user = { ...(await deps.store.findUserById(alice.id))! };
    const started = await startFamily(deps, cli, {
      user,
      client: (await deps.store.findClient(client.id))!,
      scope: 'read',
      audience: 'x',
      authTime: deps.clock.now().getTime(),
    });
    if (started.kind !== 'started') throw new Error('the login did not start a session');
    const { family } = started;
    await updateUser(deps, cli, alice.id, { name: 'Alice' });
    await setPassword(deps, cli, alice.id, 'battery staple');
    await deleteUser(deps, cli, alice.id);

    expect(await deliverDue(deps, 'instance-a')).toBe(7);
    expect(await deliverDue(deps, 'instance-a')).toBe(0);
    const at = (s: number) => new Date((1_700_000_000 + s) * 1000).toISOString();
    expect(receiver.received.map((m) => verified(secret!, m))).toEqual([
      { type: 'user.created', timestamp: at(0), data: { user_id: alice.id, username: 'alice' } },
      { type: 'client.created', timestamp: at(0), data: { client_id: 'web-app' } },
      { type: 'session.started', timestamp: at(1), data: { session_id: family.id, user_id: alice.id, client_id: 'web-app', provider: null } },
      { type: 'user.updated', timestamp: at(1), data: { user_id: alice.id, fields: ['name'] } },
      { type: 'user.password_changed', timestamp: at(1), data: { user_id: alice.id } },
      { type: 'session.revoked', timestamp: at(1), data: { session_id: family.id, user_id: alice.id, client_id: 'web-app', reason: 'password_changed' } },
      { type: 'user.deleted', timestamp: at(1), data: { user_id: alice.id, username: 'alice' } },
    ]);
    expect(receiver.received.map((m) => m.headers['webhook-id'])).toEqual(['msg_2', 'msg_3', 'msg_4', 'msg_5', 'msg_6', 'msg_7', 'msg_8']);
  });

  it('passes over events of types an endpoint does not take, so it is not claimed again for them', async () => {
    const deps = await makeDeps();
    const receiver = await webhookReceiver();
    const { webhook } = await addWebhook(deps, cli, { url: receiver.url, events: ['user.deleted'] });
    await createUser(deps, cli, { username: 'alice', password: 'correct horse' });
    expect(await deliverDue(deps, 'a')).toBe(0);
    expect(receiver.received).toEqual([]);
    expect((await deps.store.findWebhook(webhook.id))?.position).toBe(await deps.store.lastEventSeq());
    expect(await deps.store.claimWebhook('a', deps.clock.now().getTime(), 60_000)).toBeNull();
  });

  it('a forged or stale signature is refused by the same verification', async () => {
    const deps = await makeDeps();
    const receiver = await webhookReceiver();
    const { secret } = await addWebhook(deps, cli, { url: receiver.url, events: ['user.created'] });
    await createUser(deps, cli, { username: 'alice', password: 'correct horse' });
    await deliverDue(deps, 'a');
    const [message] = receiver.received;
    const forged = { ...message!, body: message!.body.replace('alice', 'mallory') };
    expect(() => verified(secret!, forged)).toThrow(WebhookVerificationError);
    const other = new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`);
    const sent = new Date(Number(message!.headers['webhook-timestamp']) * 1000);
    const wrongKey = { ...message!, headers: { ...message!.headers, 'webhook-signature': other.sign('msg_1', sent, message!.body) } };
    expect(() => verified(secret!, wrongKey)).toThrow(WebhookVerificationError);
    expect(() => verified(secret!, message!, new Date(sent.getTime() + 10 * 60_000))).toThrow(WebhookVerificationError);
    expect(verified(secret!, message!)).toMatchObject({ type: 'user.created' });
  });

  it('retries a receiver that answers 500 with growing delays, the same message each time, then goes on in order', async () => {
    const deps = await makeDeps();
    const receiver = await webhookReceiver();
    const { webhook } = await addWebhook(deps, cli, { url: receiver.url, events: ['user.created'] });
    await createUser(deps, cli, { username: 'alice', password: 'correct horse' });
    await createUser(deps, cli, { username: 'bob', password: 'correct horse' });
    receiver.answer(500);
    const attemptsAt: number[] = [];
    for (let second = 0; second <= 40; second++) {
      if ((await deliverDue(deps, 'a')) > 0) attemptsAt.push(second);
      deps.clock.advance(1);
    }
    // 5 s after the first failure, then 10, then 20: each wait twice the one before.
    expect(attemptsAt).toEqual([0, 5, 15, 35]);
    expect(new Set(receiver.received.map((m) => m.headers['webhook-id']))).toEqual(new Set(['msg_2']));
    const log = await listDeliveries(deps, webhook.id, {});
    expect(log.deliveries.map((d) => [d.attempt, d.status, d.ok, d.error])).toEqual([
      [4, 500, false, 'HTTP 500'],
      [3, 500, false, 'HTTP 500'],
      [2, 500, false, 'HTTP 500'],
      [1, 500, false, 'HTTP 500'],
    ]);
    expect((await listWebhooks(deps, {})).webhooks[0]).toMatchObject({ status: 'failing', failures: 4 });
    receiver.answer(200);
    deps.clock.advance(40);
    expect(await deliverDue(deps, 'a')).toBe(2);
    expect(receiver.received.slice(-2).map((m) => m.headers['webhook-id'])).toEqual(['msg_2', 'msg_3']);
    expect((await listWebhooks(deps, {})).webhooks[0]).toMatchObject({ status: 'active', failures: 0 });
  });

  it('disables an endpoint after 10 failures in a row, with an audit event', async () => {
    const deps = await makeDeps();
    const receiver = await webhookReceiver();
    receiver.answer(500);
    const { webhook } = await addWebhook(deps, cli, { url: receiver.url, events: ['user.created'] });
    await createUser(deps, cli, { username: 'alice', password: 'correct horse' });
    for (let i = 0; i < 12; i++) {
      await deliverDue(deps, 'a');
      deps.clock.advance(3600);
    }
    expect(receiver.received).toHaveLength(10);
    expect((await listWebhooks(deps, {})).webhooks[0]).toMatchObject({ status: 'disabled', failures: 10 });
    const audit = await deps.store.listAuditEvents({ type: 'webhook.disabled', limit: 5 });
    expect(audit.items.map((e) => e.details)).toEqual([{ webhook: webhook.id, url: receiver.url, failures: 10, last_error: 'HTTP 500' }]);
  });

  it('refuses URLs that are not http(s) or point at link-local or metadata addresses, unless allowed', async () => {
    const deps = await makeDeps();
    for (const url of [
      'ftp://example.com/',
      'http://169.254.169.254/latest',
      'http://[fe80::1]/',
      'http://metadata.google.internal/',
      'http://100.100.100.200/',
      'http://[::ffff:169.254.169.254]/',
    ])
      await expect(addWebhook(deps, cli, { url, events: ['user.created'] })).rejects.toMatchObject({ code: 'invalid_input' });
    const allowed = await makeDeps({ env: { WEBHOOK_ALLOW_LINK_LOCAL: 'on' } });
    await expect(addWebhook(allowed, cli, { url: 'http://169.254.169.254/hook', events: ['user.created'] })).resolves.toMatchObject({
      webhook: { status: 'active' },
    });
  });
});
