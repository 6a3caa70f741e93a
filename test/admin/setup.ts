export { cli } from '../helpers/cli.js';
import { loginAlice, seededServer } from '../helpers/fixtures.js';
import { basic, form } from '../helpers/server.js';

export const adminAgent = 'tessera-admin-test/1.0';

/** A test server with the usual cast, and helpers to call /admin with a client_credentials token. */
export async function adminSetup(options: Parameters<typeof seededServer>[0] = {}) {
  const server = await seededServer(options);

  const serviceToken = async (scope: string): Promise<string> => {
    const res = await server.fetch('/token', {
      ...form({ grant_type: 'client_credentials', scope }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('billing', server.serviceSecret) },
    });
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
    return (await res.json()).access_token as string;
  };
  const adminToken = await serviceToken('admin');

  /** Calls the admin API as `billing` with scope admin (or with `token`). */
  const admin = (method: string, path: string, options: { body?: unknown; token?: string | null; rawBody?: string } = {}) => {
    const token = options.token === undefined ? adminToken : options.token;
    const headers: Record<string, string> = { 'user-agent': adminAgent };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    return server.fetch(path, { method, headers, body });
  };

  /** A password login of alice to web-app: a new family. */
  const login = (userAgent = 'Firefox/1') => loginAlice(server, {}, { 'user-agent': userAgent });

  const refresh = (refreshToken: string) => server.fetch('/token', form({ grant_type: 'refresh_token', client_id: 'web-app', refresh_token: refreshToken }));

  return { ...server, serviceToken, adminToken, admin, login, refresh };
}
