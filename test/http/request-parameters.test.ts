import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/services/clients.js';
import { adminSetup } from '../admin/setup.js';
import { pkce, spaRedirect } from '../helpers/authorize.js';

// One request-parameter policy (src/http/params.ts): each fault gets the same status and the same
// error at every kind of endpoint. JSON endpoints say it as {error, error_description}; the pages
// show the description on a 400 error page; /authorize, once its client and redirect_uri are good,
// redirects with error=invalid_request (RFC 6749 §4.1.2.1).

type Answer = 'json' | 'page' | 'redirect';
type Sent = { path: string; method: string; type?: string; body?: string };
/** One endpoint: how it answers, and the request that puts `fault` into parameter `name`. */
type Endpoint = { name: string; answer: Answer; admin?: boolean; send(fault: Fault): Sent | null };
type Fault = {
  name: string;
  form?: (p: string) => string;
  query?: (p: string) => string;
  json?: (p: string) => string;
  type?: string;
  description: (p: string) => string;
  status?: number;
};

const challenge = pkce().challenge;
const goodAuthorize = `response_type=code&client_id=spa&redirect_uri=${encodeURIComponent(spaRedirect)}&code_challenge=${challenge}&code_challenge_method=S256`;

const faults: Fault[] = [
  {
    name: 'wrong content type',
    form: (p) => `${p}=x`,
    json: (p) => JSON.stringify({ [p]: 'x' }),
    type: 'text/plain',
    description: () => 'content type must be',
  },
  {
    name: 'duplicate parameter',
    form: (p) => `${p}=x&${p}=x`,
    query: (p) => `${p}=x&${p}=x`,
    json: (p) => `{"${p}":"x","${p}":"x"}`,
    description: (p) => `parameter "${p}" must not be repeated`,
  },
  {
    name: 'broken percent-encoding',
    form: (p) => `${p}=%zz`,
    query: (p) => `${p}=%E0%A4`,
    description: (p) => `parameter "${p}" is not correctly percent-encoded`,
  },
  {
    name: 'body too large',
    form: (p) => `${p}=${'a'.repeat(70_000)}`,
    json: (p) => JSON.stringify({ [p]: 'a'.repeat(70_000) }),
    description: () => 'request body exceeds',
    status: 413,
  },
  { name: 'JSON of the wrong shape', json: () => '["x"]', description: () => 'body must be a JSON object' },
  { name: 'a parameter as an array', json: (p) => JSON.stringify({ [p]: ['x', 'y'] }), description: (p) => `"${p}" must be a string` },
];

const formType = 'application/x-www-form-urlencoded';
/** A form endpoint: `p` carries the fault. */
const formPost =
  (path: string, p: string, prefix = ''): Endpoint['send'] =>
  (f) =>
    f.form ? { path, method: 'POST', type: f.type ?? formType, body: prefix + f.form(p) } : null;
const jsonPost =
  (path: string, p: string, alsoForm: boolean): Endpoint['send'] =>
  (f) => {
    if (f.json) return { path, method: 'POST', type: f.type ?? 'application/json', body: f.json(p) };
    return alsoForm && f.form && !f.type ? formPost(path, p)(f) : null;
  };
const get =
  (path: string, p: string, prefix = ''): Endpoint['send'] =>
  (f) =>
    f.query ? { path: `${path}?${prefix}${f.query(p)}`, method: 'GET' } : null;

const endpoints: (Endpoint & { param: string })[] = [
  { name: 'POST /token (form)', answer: 'json', param: 'grant_type', send: formPost('/token', 'grant_type') },
  { name: 'POST /refresh (form or JSON)', answer: 'json', param: 'refresh_token', send: jsonPost('/refresh', 'refresh_token', true) },
  { name: 'POST /admin/users (JSON)', answer: 'json', admin: true, param: 'username', send: jsonPost('/admin/users', 'username', false) },
  { name: 'GET /admin/users (query)', answer: 'json', admin: true, param: 'limit', send: get('/admin/users', 'limit') },
  { name: 'GET /revocations (query)', answer: 'json', param: 'limit', send: get('/revocations', 'limit') },
  { name: 'GET /authorize, client_id at fault', answer: 'page', param: 'client_id', send: get('/authorize', 'client_id') },
  { name: 'POST /authorize, client_id at fault', answer: 'page', param: 'client_id', send: formPost('/authorize', 'client_id') },
  { name: 'GET /authorize, state at fault', answer: 'redirect', param: 'state', send: get('/authorize', 'state', `${goodAuthorize}&`) },
  { name: 'POST /login (page form)', answer: 'page', param: 'request', send: formPost('/login', 'request') },
  { name: 'POST /logout (page form)', answer: 'page', param: 'state', send: formPost('/logout', 'state') },
];

const htmlText = (html: string) =>
  html.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

describe('the request-parameter policy', () => {
  it('answers each fault with the same status and error at every kind of endpoint', async () => {
    const s = await adminSetup();
    await createClient(s.deps, { name: 'cli' }, { id: 'spa', public: true, grants: ['authorization_code'], scopes: ['read'], redirectUris: [spaRedirect] });
    const seen: string[] = [];
    for (const fault of faults) {
      for (const endpoint of endpoints) {
        const sent = endpoint.send(fault);
        if (sent === null) continue;
        const headers: Record<string, string> = sent.type ? { 'content-type': sent.type } : {};
        if (endpoint.admin) headers.authorization = `Bearer ${s.adminToken}`;
        const res = await s.fetch(sent.path, { method: sent.method, headers, body: sent.body, redirect: 'manual' });
        const where = `${fault.name} at ${endpoint.name}`;
        const status = fault.status ?? 400;
        const description = fault.description(endpoint.param);
        seen.push(where);
        // A body over the limit is refused before any endpoint reads it, pages included: the same JSON everywhere.
        const answer = fault.status === 413 ? 'json' : endpoint.answer;
        if (answer === 'json') {
          expect({ where, status: res.status }).toEqual({ where, status });
          const body = (await res.json()) as { error: string; error_description: string };
          expect({ where, error: body.error }).toEqual({ where, error: 'invalid_request' });
          expect(body.error_description.startsWith(description), `${where}: ${body.error_description}`).toBe(true);
        } else if (answer === 'page') {
          expect({ where, status: res.status }).toEqual({ where, status });
          expect(res.headers.get('content-type')).toMatch(/^text\/html/);
          expect(htmlText(await res.text()), where).toContain(description);
        } else {
          expect({ where, status: res.status }).toEqual({ where, status: 303 });
          const back = new URL(res.headers.get('location')!);
          expect(`${back.origin}${back.pathname}`).toBe(spaRedirect);
          expect({ where, error: back.searchParams.get('error') }).toEqual({ where, error: 'invalid_request' });
          expect(back.searchParams.get('error_description')!.startsWith(description), where).toBe(true);
        }
      }
    }
    // Every fault reached every endpoint that can receive it.
    expect(seen).toHaveLength(35);
  });
});
