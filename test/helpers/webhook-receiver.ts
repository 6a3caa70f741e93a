import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { vi } from 'vitest';
import { onCleanup } from './deps.js';

/** A request the receiver got, and the status it answered. */
export type Received = { headers: IncomingHttpHeaders; body: string; answered: number };

/** A real webhook receiver on 127.0.0.1: it keeps every request and answers `status()` (200 unless changed). */
export async function webhookReceiver() {
  const received: Received[] = [];
  let answer = 200;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body, answered: answer });
      res.writeHead(answer).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    answer: (status: number) => (answer = status),
  };
}

/**
 * What the receiver's own Standard Webhooks verification says of a message at `at` (by default the instant it was
 * sent: tests sign on a fixed clock, and the library checks the timestamp against the system time).
 */
export function verifyAsReceived(
  secret: string,
  message: Pick<Received, 'headers' | 'body'>,
  at = new Date(Number(message.headers['webhook-timestamp']) * 1000),
) {
  vi.useFakeTimers({ toFake: ['Date'], now: at });
  try {
    return new Webhook(secret).verify(message.body, message.headers as Record<string, string>);
  } finally {
    vi.useRealTimers();
  }
}
