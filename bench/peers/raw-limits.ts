// What one core can do at most, measured in a process of its own pinned to the servers' core
// (`npm run bench`). argv[2]: seconds per figure; argv[3] `sign`: the signatures only. Prints one JSON line:
//   joseSign: RS256 signatures/s by jose (WebCrypto, on the thread pool), 16 in flight, as a server signs;
//   syncSign: RS256 signatures/s by node:crypto's synchronous sign() on the main thread;
//   argon2Verify: argon2id verifications/s with Tessera's production parameters, the better of one per core
//   (as Tessera runs them) and four in flight (libuv's pool, as a server without a limit would).
import { generateKeyPairSync, sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { importPKCS8, SignJWT } from 'jose';
import { argon2Hasher } from '../../src/lib/password-hasher.js';
import { throughput } from '../lib/stats.js';

const seconds = Number(process.argv[2] ?? 3);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const joseKey = await importPKCS8(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 'RS256');
const claims = { iss: 'http://127.0.0.1', sub: 'usr_bench', aud: 'http://127.0.0.1', scope: 'read', client_id: 'bench-app', jti: 'x'.repeat(22) };

const joseSign = await throughput(16, seconds, async () => {
  await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k' }).setIssuedAt().setExpirationTime('10m').sign(joseKey);
});
const syncSign = await throughput(1, seconds, async () => {
  const input = `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: 'k' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  sign('sha256', Buffer.from(input), privateKey).toString('base64url');
});
if (process.argv[3] === 'sign') {
  console.log(JSON.stringify({ joseSign, syncSign }));
  process.exit(0);
}
const hasher = argon2Hasher();
const hash = await hasher.hash('correct horse battery staple');
const verifyWith = (inFlight: number) => throughput(inFlight, seconds / 2, async () => void (await hasher.verify(hash, 'correct horse battery staple')));
const argon2Verify = Math.max(await verifyWith(availableParallelism()), await verifyWith(4));
console.log(JSON.stringify({ joseSign, syncSign, argon2Verify }));
