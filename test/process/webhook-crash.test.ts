import { once } from 'node:events';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';
import { webhookReceiver } from '../helpers/webhook-receiver.js';

const password = 'a long enough password';

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('webhooks across a crash (kill -9) of the service', () => {
  it('loses no event committed before the crash: it is delivered after the restart, once, with a valid signature', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const operator = jsonCli(env);
    const receiver = await webhookReceiver();
    receiver.answer(500);
    await operator(['clients', 'create', 'web', '--public', '--grants', 'password']);
    await operator(['users', 'create', 'alice', '--password-stdin'], password);
    const { secret } = await operator(['webhooks', 'add', receiver.url, '--events', 'session.started']);
    const service = await startService(env);

    const login = await fetch(`${service.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'web', grant_type: 'password', username: 'alice', password }),
    });
    expect(login.status).toBe(200);
    // The login committed; its event was not delivered (the receiver refused it). Then the process dies, once the
    // failed attempt is on record: killed in the middle of the attempt, it would hold the endpoint's lease for a
    // minute (leaseMs) and the delivery after the restart would come that much later, still once.
    await until(() => receiver.received.length > 0, 'a first delivery attempt');
    await until(async () => (await operator(['webhooks', 'list'])).webhooks[0]?.failures > 0, 'the failed attempt on record');
    const exited = once(service.child, 'exit');
    service.child.kill('SIGKILL');
    await exited;

    receiver.answer(200);
    const restarted = await startService(env);
    await until(() => receiver.received.some((m) => m.answered === 200), 'the delivery after the restart');
    const delivered = receiver.received.filter((m) => m.answered === 200);
    expect(delivered).toHaveLength(1);
    expect(new Set(receiver.received.map((m) => m.headers['webhook-id']))).toEqual(new Set([delivered[0]!.headers['webhook-id']]));
    const payload = new Webhook(secret).verify(delivered[0]!.body, delivered[0]!.headers as Record<string, string>);
    expect(payload).toMatchObject({ type: 'session.started', data: { client_id: 'web', provider: null } });
    expect(await restarted.stop()).toBe(0);
  }, 60_000);
});
