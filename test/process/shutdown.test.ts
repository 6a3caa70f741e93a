import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/deps.js';
import { jsonCli, startService } from '../helpers/process.js';

/** Collects what a raw socket receives, so the test can wait for a given piece of it. */
function reader(socket: Socket) {
  let received = '';
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (d: Buffer) => (received += d.toString()));
  return {
    text: () => received,
    closed,
    async waitFor(pattern: RegExp) {
      for (let i = 0; i < 600 && !pattern.test(received); i++) await new Promise((resolve) => setTimeout(resolve, 25));
      if (!pattern.test(received)) throw new Error(`never received ${pattern}; got: ${received}`);
    },
  };
}

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, finishes the request in flight, closes the store and exits 0', async () => {
    const env = { DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` };
    const operator = jsonCli(env);
    await operator(['clients', 'create', 'web', '--public', '--grants', 'password']);
    await operator(['users', 'create', 'alice', '--password-stdin'], 'a long enough password\n');
    const service = await startService(env);

    // A login whose body is held back. `Expect: 100-continue` makes the server say when it has the
    // request in hand, so the signal surely arrives while the request is in flight.
    const body = new URLSearchParams({ grant_type: 'password', client_id: 'web', username: 'alice', password: 'a long enough password' }).toString();
    const socket = connect(service.port, '127.0.0.1');
    const received = reader(socket);
    socket.write(
      [
        'POST /token HTTP/1.1',
        `Host: 127.0.0.1:${service.port}`,
        'Content-Type: application/x-www-form-urlencoded',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Expect: 100-continue',
        'Connection: close',
        '',
        '',
      ].join('\r\n'),
    );
    await received.waitFor(/^HTTP\/1\.1 100 Continue/);

    const exited = service.stop();
    for (let i = 0; i < 400 && !service.output().includes('shutting down'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(service.output()).toContain('shutting down');
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow(); // no longer accepting

    socket.write(body); // not end(): a half-closed client would lose the answer to a slow login
    await received.closed;
    const response = received.text().replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '');
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4))).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
    expect(await exited).toBe(0);
    expect(service.output()).toContain('"msg":"stopped"');
  });
});
