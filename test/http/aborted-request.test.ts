import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/lib/logger.js';
import { testServer } from '../helpers/server.js';
import { parsePrometheus } from '../helpers/prometheus.js';

/** Announces a 100-byte body, sends 10 bytes of it and closes the connection. */
function dropMidBody(url: string, path: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type`);
      // Closed once the request is under way, so the server is reading the body when it ends.
      setImmediate(() => socket.destroy());
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

describe('a client that drops its connection mid-request', () => {
  it('is not a server error: one warning without a stack, counted under status 499, never as a 5xx', async () => {
    const lines: string[] = [];
    const server = await testServer({ log: createLogger('info', { write: (line: string) => void lines.push(line) }) });
    const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const paths = ['/token', '/revoke', '/refresh', '/introspect'];
    for (const path of paths) await dropMidBody(server.url, path);

    const requests = () => entries().filter((e) => e.msg === 'request' && paths.includes(e.path as string));
    for (const deadline = Date.now() + 5000; requests().length < paths.length && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));

    expect(requests().map((e) => [e.path, e.status])).toEqual(paths.map((p) => [p, 499]));
    expect(entries().filter((e) => (e.level as number) > 40)).toEqual([]);
    expect(entries().filter((e) => e.level === 40)).toEqual(
      paths.map((path) => expect.objectContaining({ msg: 'client closed the connection mid-request', reason: 'aborted', path })),
    );
    expect(lines.join('')).not.toMatch(/stack|unhandled/);

    const samples = parsePrometheus(await (await server.fetch('/metrics')).text());
    const requestsTotal = samples.filter((s) => s.name === 'tessera_http_requests_total');
    expect(requestsTotal.filter((s) => s.labels.status!.startsWith('5'))).toEqual([]);
    expect(requestsTotal.filter((s) => s.labels.status === '499').map((s) => [s.labels.route, s.value])).toEqual(paths.map((p) => [p, 1]));
  });
});
