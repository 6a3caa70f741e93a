import { connect } from 'node:net';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { requestTimeouts } from '../../src/http/listen.js';
import { revokeFamilyById } from '../../src/services/sessions/families.js';
import { readSse } from '../../packages/verify/src/sse.js';
import { onCleanup } from '../helpers/deps.js';
import { loginAlice, seededServer } from '../helpers/fixtures.js';
import { testServer } from '../helpers/server.js';

// Small timeouts, so a test sees in a second what production does in 11 or 16 seconds.
const timeouts = { headersMs: 300, requestMs: 600, checkEveryMs: 50 };

/**
 * Sends `head` and then one more byte of `trickle` every 50 ms; resolves, once the server has closed
 * the connection, with what it answered and after how long.
 */
function trickle(url: string, head: string, more: string): Promise<{ answer: string; ms: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let answer = '';
    let sent = 0;
    const socket = connect(Number(port), hostname, () => socket.write(head));
    const timer = setInterval(() => sent < more.length && socket.write(more[sent++]!), 50);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined); // a write racing the close; the close is what is awaited
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: Date.now() - started });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error('the server kept the socket open'));
    }, 5000).unref();
  });
}

describe('request timeouts', () => {
  it('close a connection whose headers trickle in, after the headers timeout', async () => {
    const server = await testServer({ timeouts });
    const { answer, ms } = await trickle(server.url, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', `X-Slow: ${'a'.repeat(200)}`);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(timeouts.headersMs - 50);
    expect(ms).toBeLessThan(timeouts.headersMs + 1000);
  });

  it('close a connection whose body trickles in, after the request timeout', async () => {
    const server = await seededServer({ timeouts });
    const head = 'POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\n';
    const { answer, ms } = await trickle(server.url, head, `grant_type=password&${'a'.repeat(180)}`);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(timeouts.requestMs - 50);
    expect(ms).toBeLessThan(timeouts.requestMs + 1000);
  });

  it('do not cut a live revocation stream, which outlasts them once its request was read', async () => {
    const server = await seededServer({ timeouts });
    const abort = new AbortController();
    onCleanup(() => abort.abort());
    const res = await server.fetch('/revocations', { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    const events = readSse(res.body!);
    await new Promise((resolve) => setTimeout(resolve, timeouts.requestMs + 4 * timeouts.checkEveryMs));

    const sid = decodeJwt((await loginAlice(server)).access_token).sid as string;
    await revokeFamilyById(server.deps, { name: 'cli' }, sid, 'admin');
    const { value: event } = await events.next();
    expect(JSON.parse(event!.data).sid).toBe(sid);
  });

  it('close trickling sockets within 20 seconds in production', () => {
    expect(requestTimeouts.headersMs + requestTimeouts.checkEveryMs).toBeLessThanOrEqual(20_000);
    expect(requestTimeouts.requestMs + requestTimeouts.checkEveryMs).toBeLessThanOrEqual(20_000);
  });
});
