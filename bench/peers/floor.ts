// The floor of `npm run bench`: what a refresh, a client_credentials exchange and a password login cost on this core when nothing
// but their work runs. The work is Tessera's (its hashing and sealing functions, its tables and indexes), on bare
// node:http, better-sqlite3 and node:crypto:
// - refresh: the client read by id, the token and its family read by the token's SHA-256, a successor sealed
//   (AES-256-GCM) under a key derived (HKDF-SHA256) from the presented token, the rotation in one immediate
//   transaction of three prepared statements (mark used, insert the successor, touch the family) on a WAL file
//   with synchronous NORMAL, an RS256 access token, a no-store JSON answer;
// - client_credentials: Basic credentials, the client read by id, its secret's SHA-256 compared in constant time,
//   an RS256 access token, a no-store JSON answer;
// - password: the client and the user read, argon2id verification through Tessera's hasher (its parameters, one
//   per core at once), the family, its first refresh token and the audit event inserted in one transaction, an
//   RS256 access token, a no-store JSON answer.
// No framework, no request id, no log line, no metrics, no checks beyond what the work needs: a server on this
// stack that does the work spends at least this much. Env: PORT, DB (a SQLite file). GET /sessions?n= starts n
// sessions and answers their refresh tokens; GET /readyz answers ok.
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { constantTimeEqual, sha256 } from '../../src/lib/hash.js';
import { argon2Hasher, limitedHasher } from '../../src/lib/password-hasher.js';
import { deriveKey, seal } from '../../src/lib/seal.js';

const issuer = 'http://127.0.0.1';
const lifetimeMs = 30 * 24 * 3600 * 1000;
const db = new Database(process.env.DB!);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  create table clients (id text primary key, secret_hash text, scopes text not null);
  create table families (id text primary key, user_id text not null, client_id text not null, scope text not null, audience text not null,
    created_at integer not null, expires_at integer not null, last_used_at integer not null, revoked_at integer);
  create index families_user_client_idx on families (user_id, client_id);
  create index families_revoked_at_idx on families (revoked_at, id);
  create table refresh_tokens (id text primary key, family_id text not null, hash text not null unique, created_at integer not null,
    expires_at integer not null, used_at integer, successor_id text, successor_sealed text);
  create index refresh_tokens_family_idx on refresh_tokens (family_id);
  create index refresh_tokens_expires_idx on refresh_tokens (expires_at);
  create table users (id text primary key, username text not null unique, password_hash text not null, disabled_at integer);
  create table audit_events (id text primary key, at integer not null, type text not null, actor text not null, user_id text,
    client_id text, family_id text, ip text, details text not null);
  create index audit_events_at_idx on audit_events (at);
  create index audit_events_user_idx on audit_events (user_id, at);
  create index audit_events_type_idx on audit_events (type, at);
`);
const hasher = limitedHasher(argon2Hasher());
db.prepare('insert into users values (?, ?, ?, null)').run('usr_alice', 'alice', await hasher.hash('correct horse battery staple'));
db.prepare('insert into clients values (?, ?, ?)').run('bench-app', null, 'read');
db.prepare('insert into clients values (?, ?, ?)').run('bench-service', sha256('bench-service-secret'), 'read');

type TokenRow = {
  id: string;
  family_id: string;
  used_at: number | null;
  expires_at: number;
  client_id: string;
  user_id: string;
  scope: string;
  audience: string;
  revoked_at: number | null;
};
type ClientRow = { id: string; secret_hash: string | null; scopes: string };
type UserRow = { id: string; password_hash: string; disabled_at: number | null };
const findClient = db.prepare<[string], ClientRow>('select * from clients where id = ?');
const findUser = db.prepare<[string], UserRow>('select * from users where username = ?');
const insertAudit = db.prepare("insert into audit_events values (?, ?, 'login.succeeded', ?, ?, ?, ?, '127.0.0.1', '{}')");
const findToken = db.prepare<[string], TokenRow>(
  'select t.id, t.family_id, t.used_at, t.expires_at, f.client_id, f.user_id, f.scope, f.audience, f.revoked_at from refresh_tokens t join families f on f.id = t.family_id where t.hash = ?',
);
const insertFamily = db.prepare('insert into families values (?, ?, ?, ?, ?, ?, ?, ?, null)');
const insertToken = db.prepare('insert into refresh_tokens values (?, ?, ?, ?, ?, null, null, null)');
const markUsed = db.prepare('update refresh_tokens set used_at = ?, successor_id = ?, successor_sealed = ? where id = ? and used_at is null');
const touchFamily = db.prepare('update families set last_used_at = ? where id = ?');
const rotate = db.transaction((token: TokenRow, now: number, successorId: string, sealed: string, successorHash: string): boolean => {
  if (markUsed.run(now, successorId, sealed, token.id).changes === 0) return false;
  insertToken.run(successorId, token.family_id, successorHash, now, now + lifetimeMs);
  touchFamily.run(now, token.family_id);
  return true;
}).immediate;

/** A family and its first refresh token (call inside a transaction). */
function startFamily(userId: string, clientId: string, now: number): { familyId: string; secret: string } {
  const familyId = `fam_${randomUUID()}`;
  const secret = randomBytes(32).toString('base64url');
  insertFamily.run(familyId, userId, clientId, 'read', issuer, now, now + lifetimeMs, now);
  insertToken.run(`rt_${randomUUID()}`, familyId, sha256(secret), now, now + lifetimeMs);
  return { familyId, secret };
}

const startSessions = (n: number): string[] =>
  db.transaction(() => Array.from({ length: n }, () => startFamily('usr_alice', 'bench-app', Date.now()).secret))();

const logIn = db.transaction((userId: string, clientId: string, now: number) => {
  const started = startFamily(userId, clientId, now);
  insertAudit.run(`evt_${randomUUID()}`, now, `client:${clientId}`, userId, clientId, started.familyId);
  return started;
}).immediate;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = base64url({ alg: 'RS256', typ: 'at+jwt', kid: 'floor' });
function accessToken(now: number, sub: string, clientId: string, scope: string, sid?: string): string {
  const iat = Math.floor(now / 1000);
  const input = `${header}.${base64url({ iss: issuer, sub, aud: issuer, client_id: clientId, scope, sid, jti: randomUUID(), iat, exp: iat + 600 })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const answer = (res: ServerResponse, status: number, body: object): ServerResponse =>
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' }).end(JSON.stringify(body));

function refresh(res: ServerResponse, form: URLSearchParams): ServerResponse {
  const client = findClient.get(form.get('client_id') ?? '');
  if (!client) return answer(res, 401, { error: 'invalid_client' });
  const presented = form.get('refresh_token') ?? '';
  const token = findToken.get(sha256(presented));
  const now = Date.now();
  if (!token || token.client_id !== client.id || token.used_at !== null || token.revoked_at !== null || token.expires_at <= now) {
    return answer(res, 400, { error: 'invalid_grant' });
  }
  const secret = randomBytes(32).toString('base64url');
  const successorId = `rt_${randomUUID()}`;
  if (!rotate(token, now, successorId, seal(deriveKey(presented, 'tessera refresh successor v1'), secret, `successor of ${token.id}`), sha256(secret)))
    return answer(res, 400, { error: 'invalid_grant' });
  const access = accessToken(now, token.user_id, client.id, token.scope, token.family_id);
  return answer(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 600, refresh_token: secret, scope: token.scope });
}

function clientCredentials(req: IncomingMessage, res: ServerResponse): ServerResponse {
  const decoded = Buffer.from((req.headers.authorization ?? '').slice('Basic '.length), 'base64').toString();
  const colon = decoded.indexOf(':');
  const client = findClient.get(decodeURIComponent(decoded.slice(0, colon)));
  const presented = sha256(decodeURIComponent(decoded.slice(colon + 1)));
  if (!client?.secret_hash || !constantTimeEqual(presented, client.secret_hash)) return answer(res, 401, { error: 'invalid_client' });
  return answer(res, 200, {
    access_token: accessToken(Date.now(), client.id, client.id, client.scopes),
    token_type: 'Bearer',
    expires_in: 600,
    scope: client.scopes,
  });
}

async function password(res: ServerResponse, form: URLSearchParams): Promise<ServerResponse> {
  const client = findClient.get(form.get('client_id') ?? '');
  if (!client) return answer(res, 401, { error: 'invalid_client' });
  const user = findUser.get(form.get('username') ?? '');
  if (!user || !(await hasher.verify(user.password_hash, form.get('password') ?? '')) || user.disabled_at !== null) {
    return answer(res, 400, { error: 'invalid_grant' });
  }
  const now = Date.now();
  const { familyId, secret } = logIn(user.id, client.id, now);
  const access = accessToken(now, user.id, client.id, client.scopes, familyId);
  return answer(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 600, refresh_token: secret, scope: client.scopes });
}

createServer((req, res) => {
  if (req.method === 'GET') {
    const url = new URL(req.url ?? '/', issuer);
    if (url.pathname === '/sessions') return answer(res, 200, startSessions(Number(url.searchParams.get('n'))));
    return answer(res, url.pathname === '/readyz' ? 200 : 404, {});
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => {
    const form = new URLSearchParams(body);
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') return refresh(res, form);
    if (grant === 'client_credentials') return clientCredentials(req, res);
    if (grant === 'password') return void password(res, form);
    answer(res, 400, { error: 'unsupported_grant_type' });
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
