// The floor of `npm run bench`: what a refresh, a client_credentials exchange and a password login cost on this
// core when nothing but their work runs. The work is Tessera's (its hashing, sealing and argon2 functions, its
// tables and indexes, made by its migrations) on bare node:http, with the store in floor-stores.ts:
// - refresh: the client read by id, the token and its family read by the token's SHA-256, a successor sealed
//   (AES-256-GCM) under a key derived (HKDF-SHA256) from the presented token, the rotation (mark used, insert the
//   successor, touch the family: on SQLite one immediate transaction of three prepared statements, WAL with
//   synchronous NORMAL; on PostgreSQL one statement), an RS256 access token, a no-store JSON answer;
// - client_credentials: Basic credentials, the client read by id, its secret's SHA-256 compared in constant time,
//   an RS256 access token, a no-store JSON answer;
// - password: the client and the user read, argon2id verification through Tessera's hasher (its parameters, one
//   per core at once), the family, its first refresh token and the audit event written at once (one transaction,
//   or one statement), an RS256 access token, a no-store JSON answer.
// No framework, no request id, no log line, no metrics, no checks beyond what the work needs: a server on this
// stack that does the work spends at least this much. Env: PORT, and DB (a SQLite file) or DATABASE_URL (an empty
// PostgreSQL database). GET /sessions?n= starts n sessions and answers their refresh tokens; GET /readyz answers ok.
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { constantTimeEqual, sha256 } from '../../src/lib/hash.js';
import { argon2Hasher, limitedHasher } from '../../src/lib/password-hasher.js';
import { deriveKey, seal } from '../../src/lib/seal.js';
import { type ClientRow, floorUser, postgresFloorStore, sqliteFloorStore } from './floor-stores.js';

const issuer = 'http://127.0.0.1';
const hasher = limitedHasher(argon2Hasher());
const passwordHash = await hasher.hash('correct horse battery staple');
const store = process.env.DATABASE_URL
  ? await postgresFloorStore(process.env.DATABASE_URL, passwordHash, issuer)
  : await sqliteFloorStore(process.env.DB!, passwordHash, issuer);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = base64url({ alg: 'RS256', typ: 'at+jwt', kid: 'floor' });
function accessToken(now: number, sub: string, clientId: string, scope: string, sid?: string): string {
  const iat = Math.floor(now / 1000);
  const input = `${header}.${base64url({ iss: issuer, sub, aud: issuer, client_id: clientId, scope, sid, jti: randomUUID(), iat, exp: iat + 600 })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** A client's scopes are kept as a JSON list, as Tessera keeps them. */
const scopeOf = (client: ClientRow) => (JSON.parse(client.scopes) as string[]).join(' ');

const answer = (res: ServerResponse, status: number, body: object): ServerResponse =>
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' }).end(JSON.stringify(body));

async function refresh(res: ServerResponse, form: URLSearchParams): Promise<ServerResponse> {
  const client = await store.findClient(form.get('client_id') ?? '');
  if (!client) return answer(res, 401, { error: 'invalid_client' });
  const presented = form.get('refresh_token') ?? '';
  const token = await store.findToken(sha256(presented));
  const now = Date.now();
  if (!token || token.client_id !== client.id || token.used_at !== null || token.revoked_at !== null || token.expires_at <= now) {
    return answer(res, 400, { error: 'invalid_grant' });
  }
  const secret = randomBytes(32).toString('base64url');
  const successorId = `rt_${randomUUID()}`;
  const sealed = seal(deriveKey(presented, 'tessera refresh successor v1'), secret, `successor of ${token.id}`);
  if (!(await store.rotate({ token, now, successorId, sealed, successorHash: sha256(secret) }))) return answer(res, 400, { error: 'invalid_grant' });
  const access = accessToken(now, token.user_id, client.id, token.scope, token.family_id);
  return answer(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 600, refresh_token: secret, scope: token.scope });
}

async function clientCredentials(req: IncomingMessage, res: ServerResponse): Promise<ServerResponse> {
  const decoded = Buffer.from((req.headers.authorization ?? '').slice('Basic '.length), 'base64').toString();
  const colon = decoded.indexOf(':');
  const client = await store.findClient(decodeURIComponent(decoded.slice(0, colon)));
  const presented = sha256(decodeURIComponent(decoded.slice(colon + 1)));
  if (!client?.secret_hash || !constantTimeEqual(presented, client.secret_hash)) return answer(res, 401, { error: 'invalid_client' });
  const scope = scopeOf(client);
  return answer(res, 200, { access_token: accessToken(Date.now(), client.id, client.id, scope), token_type: 'Bearer', expires_in: 600, scope });
}

async function password(res: ServerResponse, form: URLSearchParams): Promise<ServerResponse> {
  const client = await store.findClient(form.get('client_id') ?? '');
  if (!client) return answer(res, 401, { error: 'invalid_client' });
  const user = await store.findUser(form.get('username') ?? '');
  if (!user || !(await hasher.verify(user.password_hash, form.get('password') ?? '')) || user.disabled_at !== null) {
    return answer(res, 400, { error: 'invalid_grant' });
  }
  const now = Date.now();
  const { familyId, secret } = await store.logIn(user.id, client.id, now);
  const scope = scopeOf(client);
  const access = accessToken(now, user.id, client.id, scope, familyId);
  return answer(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 600, refresh_token: secret, scope });
}

async function sessions(res: ServerResponse, n: number): Promise<ServerResponse> {
  const secrets: string[] = [];
  for (let i = 0; i < n; i++) secrets.push((await store.logIn(floorUser.id, 'bench-app', Date.now())).secret);
  return answer(res, 200, secrets);
}

const grants: Record<string, (req: IncomingMessage, res: ServerResponse, form: URLSearchParams) => Promise<ServerResponse>> = {
  refresh_token: (_, res, form) => refresh(res, form),
  client_credentials: (req, res) => clientCredentials(req, res),
  password: (_, res, form) => password(res, form),
};

createServer((req, res) => {
  if (req.method === 'GET') {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/sessions') return void sessions(res, Number(url.searchParams.get('n')));
    return answer(res, url.pathname === '/readyz' ? 200 : 404, {});
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => {
    const form = new URLSearchParams(body);
    const grant = grants[form.get('grant_type') ?? ''];
    if (grant) void grant(req, res, form);
    else answer(res, 400, { error: 'unsupported_grant_type' });
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
