import { DrizzleQueryError } from 'drizzle-orm/errors';
import { Hono } from 'hono';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { onError } from '../../../src/http/on-error.js';

describe('onError', () => {
  it('logs a failed query without its parameters, and answers a bare 500', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const app = new Hono().onError(onError(log)).get('/', () => {
      throw new DrizzleQueryError('insert into "clients" ("id", "secret_hash") values ($1, $2)', ['svc', 'secret-hash-value'], cause);
    });
    const res = await app.request('/');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'server_error', error_description: 'internal error' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('secret-hash-value');
    expect(lines[0]).not.toContain('values ($1');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 50, msg: 'unhandled error', err: { name: 'QueryError', message: cause.message, code: '22021' } });
  });
});
