import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { throughput } from './stats.js';

/** jose's jwtVerify on a local key, one at a time: the floor tessera-verify is built on (bench/verify.ts). */
export async function joseVerifyPerSecond(seconds: number): Promise<number> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'RS256' }] });
  const token = await new SignJWT({ scope: 'read' })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k' })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
  return throughput(1, seconds, async () => void (await jwtVerify(token, jwks, { typ: 'at+jwt' })));
}
