import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import pg from 'pg';
import { argon2Hasher } from '../../src/lib/password-hasher.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { median, throughput, timeEach } from './stats.js';

// The limits Tessera cannot beat, measured in the same run: each of its operations is one of these plus glue.

export async function argon2VerifyMs(n: number, password: string): Promise<number> {
  const hasher = argon2Hasher();
  const hash = await hasher.hash(password);
  return median(await timeEach(n, () => hasher.verify(hash, password)));
}

export async function rs256SignMs(n: number): Promise<number> {
  const { privateKey } = await generateKeyPair('RS256');
  const claims = { iss: 'https://issuer.example', sub: 'usr_1', aud: 'https://issuer.example', scope: 'read', client_id: 'bench-app' };
  return median(await timeEach(n, () => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k' }).setIssuedAt().setExpirationTime('10m').sign(privateKey)));
}

export async function joseVerifyPerSecond(seconds: number): Promise<number> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'RS256' }] });
  const token = await new SignJWT({ scope: 'read' }).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k' }).setIssuedAt().setExpirationTime('10m').sign(privateKey);
  return throughput(1, seconds, async () => void (await jwtVerify(token, jwks, { typ: 'at+jwt' })));
}

/** One UPDATE and one INSERT per transaction on a WAL-mode file, as a rotation writes. */
export function sqliteTransactionsPerSecond(dir: string, seconds: number): number {
  const db = openSqlite(join(dir, 'raw.db'));
  db.exec('create table t (id text primary key, used_at integer, successor text)');
  const insert = db.prepare('insert into t (id) values (?)');
  const update = db.prepare('update t set used_at = 1, successor = ? where id = ? and used_at is null');
  let previous = 'row-0';
  insert.run(previous);
  const rotate = db.transaction((next: string) => {
    update.run(next, previous);
    insert.run(next);
    previous = next;
  });
  const deadline = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < deadline) rotate(`row-${++n}`);
  const rate = n / ((performance.now() - start) / 1000);
  db.close();
  return rate;
}

/** The same transaction on PostgreSQL, `concurrency` connections at once. */
export async function pgTransactionsPerSecond(url: string, concurrency: number, seconds: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query('create table raw_rotation (id text primary key, used_at bigint, successor text)');
  const heads = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const id = randomBytes(8).toString('hex');
      await pool.query('insert into raw_rotation (id) values ($1)', [id]);
      return id;
    }),
  );
  const rate = await throughput(concurrency, seconds, async (w) => {
    const client = await pool.connect();
    try {
      const next = randomBytes(8).toString('hex');
      await client.query('begin');
      await client.query('update raw_rotation set used_at = 1, successor = $1 where id = $2 and used_at is null', [next, heads[w]]);
      await client.query('insert into raw_rotation (id) values ($1)', [next]);
      await client.query('commit');
      heads[w] = next;
    } finally {
      client.release();
    }
  });
  await pool.end();
  return rate;
}
