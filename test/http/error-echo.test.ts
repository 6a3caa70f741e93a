import { describe, expect, it } from 'vitest';
import { excerpt } from '../../src/lib/excerpt.js';
import { adminSetup } from '../admin/setup.js';
import { alicePassword, passwordGrant } from '../helpers/fixtures.js';
import { form } from '../helpers/server.js';

const long = 'x'.repeat(60_000);
const echoed = `${'x'.repeat(200)}…`;

describe('error messages', () => {
  it('repeat at most 200 characters of what the client sent, with an ellipsis', async () => {
    const { fetch, admin } = await adminSetup();
    const password = (fields: Record<string, string>) => () => passwordGrant({ fetch }, fields);
    const many = Array.from({ length: 5000 }, (_, n) => `s${n}`).join(' ');
    const cases: [string, () => Promise<Response>, object][] = [
      [
        'a scope beyond the client',
        password({ scope: long }),
        { error: 'invalid_scope', error_description: `requested scope exceeds what is allowed: ${echoed}` },
      ],
      [
        'many scopes beyond the client',
        password({ scope: `read ${many}` }),
        { error: 'invalid_scope', error_description: `requested scope exceeds what is allowed: ${many.slice(0, 200)}…` },
      ],
      [
        'a malformed scope token',
        password({ scope: `"${long}` }),
        { error: 'invalid_scope', error_description: `""${'x'.repeat(199)}…" is not a valid scope token` },
      ],
      [
        'an audience not allowed',
        password({ audience: long }),
        { error: 'invalid_request', error_description: `audience "${echoed}" is not allowed for this client` },
      ],
      [
        'an unknown grant_type',
        () => fetch('/token', form({ grant_type: long })),
        { error: 'unsupported_grant_type', error_description: `grant_type "${echoed}" is not supported` },
      ],
      [
        'a repeated parameter',
        () => fetch('/token', { ...form({}), body: `${long.slice(0, 30_000)}=1&${long.slice(0, 30_000)}=2` }),
        { error: 'invalid_request', error_description: `parameter "${echoed}" must not be repeated` },
      ],
      [
        'an unknown admin field',
        () => admin('POST', '/admin/clients', { body: { id: 'c', [long]: 1 } }),
        { error: 'invalid_request', error_description: expect.stringContaining(`unknown field "${echoed}"; allowed: `) },
      ],
      [
        'an unknown grant of a new client',
        () => admin('POST', '/admin/clients', { body: { id: 'c', grants: [long] } }),
        { error: 'invalid_request', error_description: expect.stringContaining(`unknown grant "${echoed}"; use `) },
      ],
      [
        'a bad scope of a new client',
        () => admin('POST', '/admin/clients', { body: { id: 'c', scope: `"${long}` } }),
        { error: 'invalid_request', error_description: `invalid scope ""${'x'.repeat(199)}…"` },
      ],
      [
        'a bad scope of a new user',
        () => admin('POST', '/admin/users', { body: { username: 'u', password: alicePassword, scope: `"${long}` } }),
        { error: 'invalid_request', error_description: `invalid scope ""${'x'.repeat(199)}…"` },
      ],
      ['an unknown client id', () => admin('DELETE', `/admin/clients/${'x'.repeat(8000)}`), { error: 'not_found', error_description: `no client "${echoed}"` }],
      ['an unknown path', () => fetch(`/${'x'.repeat(8000)}`), { error: 'not_found', error_description: `no route for GET /${'x'.repeat(199)}…` }],
    ];
    for (const [name, send, body] of cases) {
      const res = await send();
      expect(await res.json(), name).toEqual(body);
    }
  });
});

describe('excerpt', () => {
  it('keeps short input whole and never splits a surrogate pair', () => {
    expect(excerpt('x'.repeat(200))).toBe('x'.repeat(200));
    expect(excerpt('x'.repeat(201))).toBe(echoed);
    expect(excerpt(`${'x'.repeat(199)}😀😀`)).toBe(`${'x'.repeat(199)}…`);
  });
});
