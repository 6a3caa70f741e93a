import { describe, expect, it } from 'vitest';
import { adminSetup } from '../admin/setup.js';
import { specPaths } from '../helpers/openapi.js';

// Every documented operation, sent inputs no client should send. Whatever the route, the answer is
// never a 500, an error is in the RFC 6749 shape, and nothing is written to the audit log by a refusal.
const hostile: { name: string; contentType?: string; body?: string; pathValue: string; query?: string }[] = [
  { name: 'an empty body', contentType: 'application/x-www-form-urlencoded', body: '', pathValue: 'usr_1' },
  { name: 'broken percent-encoding', contentType: 'application/x-www-form-urlencoded', body: '%E0%A4%A=%%&token=%ZZ', pathValue: '%25' },
  { name: 'a NUL byte everywhere', contentType: 'application/x-www-form-urlencoded', body: 'token=%00&grant_type=%00&refresh_token=%00', pathValue: '%00', query: 'since=%00&cursor=%00&limit=%00' },
  { name: 'truncated JSON', contentType: 'application/json', body: '{"username": "x", ', pathValue: 'x', query: 'limit=-1&since=yesterday' },
  { name: 'JSON of the wrong shape', contentType: 'application/json', body: '[1, {"a": null}]', pathValue: 'fam_nope', query: 'limit=99999999999999999999' },
  { name: 'JSON with wrong types', contentType: 'application/json', body: '{"username": 5, "password": ["x"], "id": {}, "grants": "password", "immediate": "yes", "refresh_token": 7}', pathValue: 'usr_1' },
  { name: 'an unexpected content type', contentType: 'text/xml', body: '<a/>', pathValue: 'usr_1' },
  // Once answered 500 on PostgreSQL (issue #11, finding 8): a cursor holding a NUL, one beyond bigint, a NUL in an audience.
  { name: 'a cursor with a NUL in it', contentType: 'application/json', body: '{"id": "nul-aud", "audience": "https://a\\u0000b"}', pathValue: 'usr_1', query: 'cursor=MToA&since=2024-01-01' },
  { name: 'a cursor beyond bigint', contentType: 'application/json', body: '{"username": "x\\u0000y", "password": "p\\u0000assword"}', pathValue: 'usr_1', query: 'cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk6eA&limit=5' },
  { name: 'a very long value', contentType: 'application/x-www-form-urlencoded', body: `token=${'a'.repeat(20_000)}&username=${'b'.repeat(20_000)}`, pathValue: 'u'.repeat(2000) },
];

describe('hostile input to every endpoint', () => {
  it.each(hostile)('never answers 500 to $name, and answers errors in the RFC shape', async ({ contentType, body, pathValue, query }) => {
    const { fetch, adminToken, deps } = await adminSetup();
    const before = (await deps.store.listAuditEvents({ limit: 1000 })).items.length;
    for (const { method, path } of specPaths()) {
      const url = `${path.replace(/\{[^}]+\}/g, pathValue)}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = { authorization: `Bearer ${path.startsWith('/admin') ? adminToken : 'x.y.z'}`, 'x-requested-with': 'test' };
      if (contentType) headers['content-type'] = contentType;
      const hasBody = !['get', 'delete'].includes(method);
      const res = await fetch(url, { method: method.toUpperCase(), headers, body: hasBody ? body : undefined });
      const label = `${method.toUpperCase()} ${url.slice(0, 80)} → ${res.status}`;
      expect(res.status, label).toBeLessThan(500);
      if (res.status >= 400) {
        const error = await res.json();
        expect(error, label).toEqual({ error: expect.stringMatching(/^[a-z_]+$/), error_description: expect.any(String) });
      } else {
        await res.body?.cancel();
      }
    }
    // Refusals write nothing; only the deliberately valid admin calls in this sweep could.
    const after = (await deps.store.listAuditEvents({ limit: 1000 })).items;
    expect(after.slice(0, after.length - before).filter((e) => !e.actor.startsWith('admin:') && e.type !== 'login.failed')).toEqual([]);
  });
});
