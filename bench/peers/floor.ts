// The floor of `npm run bench`: what a refresh and a client_credentials exchange cost on this core when nothing
// but their work runs. The work is Tessera's (its hashing and sealing functions, its tables and indexes), on bare
// node:http, better-sqlite3 and node:crypto:
// - refresh: the client read by id, the token and its family read by the token's SHA-256, a successor sealed
//   (AES-256-GCM) under a key derived (HKDF-SHA256) from the presented token, the rotation in one immediate
//   transaction of three prepared statements (mark used, insert the successor, touch the family) on a WAL file
//   with synchronous NORMAL, an RS256 access token, a no-store JSON answer;
// - client_credentials: Basic credentials, the client read by id, its secret's SHA-256 compared in constant time,
//   an RS256 access token, a no-store JSON answer.
// No framework, no request id, no log line, no metrics, no checks beyond what the work needs: a server on this
// stack that does the work spends at least this much. Env: PORT, DB (a SQLite file). GET /sessions?n= starts n
// sessions and answers their refresh tokens; GET /readyz answers ok.
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { constantTimeEqual, sha256 } from '../../src/lib/hash.js';
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
`);
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
const findClient = db.prepare<[string], ClientRow>('select * from clients where id = ?');
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

function startSessions(n: number): string[] {
  const now = Date.now();
  return db.transaction(() =>
    Array.from({ length: n }, () => {
      const familyId = `fam_${randomUUID()}`;
      const secret = randomBytes(32).toString('base64url');
      insertFamily.run(familyId, 'usr_alice', 'bench-app', 'read', issuer, now, now + lifetimeMs, now);
      insertToken.run(`rt_${randomUUID()}`, familyId, sha256(secret), now, now + lifetimeMs);
      return secret;
    }),
  )();
}

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
    answer(res, 400, { error: 'unsupported_grant_type' });
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
