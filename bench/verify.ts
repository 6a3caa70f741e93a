// npx tsx bench/verify.ts [--quick]: tessera-verify verifications per second in one process, the
// median of three runs, next to jose's jwtVerify on a local key (the floor it is built on).
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { revokeFamilyById } from '../src/services/sessions/families.js';
import { createVerifier } from 'tessera-verify';
import { joseVerifyPerSecond } from './lib/raw.js';
import { median, quick, throughput } from './lib/stats.js';
import { login, seed, startInProcess } from './lib/tessera.js';

export type VerifyFigures = { plain: number; followingFeed: number; jose: number };

/** Verifications per second: without the feed, following it (with a revoked session in its set), and jose alone. */
export async function measureVerify({ seconds = 3, runs = 3 } = {}): Promise<VerifyFigures> {
  const tessera = await startInProcess();
  try {
    await seed(tessera.deps);
    const { access_token: token } = await login(tessera.url);
    const other = decodeJwt((await login(tessera.url)).access_token!).sid as string;
    await revokeFamilyById(tessera.deps, { name: 'bench' }, other, 'bench');

    const plain = createVerifier({ issuer: tessera.url, audience: tessera.url });
    const following = createVerifier({ issuer: tessera.url, audience: tessera.url, revocations: true });
    try {
      // Warm up: the JWKS fetch and the first read of the feed are not part of the rate.
      await plain.verify(token!);
      await following.verify(token!);
      const rate = (verifier: typeof plain) => throughput(1, seconds, async () => void (await verifier.verify(token!)));
      // Median of `runs` each, interleaved: one run of a hot loop is at the mercy of a single GC pause.
      const samples = { plain: [] as number[], followingFeed: [] as number[], jose: [] as number[] };
      for (let run = 0; run < runs; run++) {
        samples.plain.push(await rate(plain));
        samples.followingFeed.push(await rate(following));
        samples.jose.push(await joseVerifyPerSecond(seconds));
      }
      return { plain: median(samples.plain), followingFeed: median(samples.followingFeed), jose: median(samples.jose) };
    } finally {
      plain.close();
      following.close();
    }
  } finally {
    await tessera.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await measureVerify({ seconds: quick ? 0.5 : 3 });
  const line = (name: string, value: number) => console.log(`${name.padEnd(36)} ${Math.round(value).toLocaleString('en')}/s`);
  line('tessera-verify', figures.plain);
  line('tessera-verify, following the feed', figures.followingFeed);
  line('jose jwtVerify (local key)', figures.jose);
  console.log(JSON.stringify({ date: new Date().toISOString(), quick, ...figures }));
}
