import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { proofSigner } from '../../../bench/lib/dpop.js';
import { checkDpopRefresh, dpopSessions, seed } from '../../../bench/lib/tessera.js';
import { epochSeconds } from '../../../src/lib/clock.js';
import { verifyDpopProof } from '../../../src/services/dpop.js';
import { makeDeps } from '../../helpers/deps.js';
import { form, testServer } from '../../helpers/server.js';

// The bench's synchronous ES256 proof signer (bench/lib/dpop.ts), which the DPoP refresh load depends on: its proofs
// must be what Tessera's own verification accepts, for the key a bound family names.

describe('the bench DPoP proof signer', () => {
  it("makes proofs Tessera's verification accepts, naming its key's RFC 7638 thumbprint", async () => {
    const deps = await makeDeps();
    const signer = proofSigner();
    const url = `${deps.config.issuer}/token`;
    const now = epochSeconds(deps.clock.now());
    const proof = signer.proof('POST', url, now);

    expect(await verifyDpopProof(deps, { proof, method: 'POST', url }, 'token')).toBe(signer.jkt);
    expect(signer.jkt).toBe(await calculateJwkThumbprint(signer.jwk, 'sha256'));
    expect(decodeProtectedHeader(proof)).toEqual({ typ: 'dpop+jwt', alg: 'ES256', jwk: signer.jwk });
    expect(decodeJwt(proof)).toEqual({ jti: expect.any(String), htm: 'POST', htu: url, iat: now });
    // Each proof has a jti of its own: a second one is accepted too, while the same one again is a replay.
    expect(await verifyDpopProof(deps, { proof: signer.proof('POST', url, now), method: 'POST', url }, 'token')).toBe(signer.jkt);
    await expect(verifyDpopProof(deps, { proof, method: 'POST', url }, 'token')).rejects.toMatchObject({ code: 'invalid_dpop_proof' });
  });

  it('signs what it claims: the claims it was given are checked, and another key cannot pass for it', async () => {
    const deps = await makeDeps();
    const [signer, other] = [proofSigner(), proofSigner()];
    const url = `${deps.config.issuer}/token`;
    const now = epochSeconds(deps.clock.now());
    const refused = (proof: string) =>
      expect(verifyDpopProof(deps, { proof, method: 'POST', url }, 'token')).rejects.toMatchObject({ code: 'invalid_dpop_proof' });

    await refused(signer.proof('GET', url, now));
    await refused(signer.proof('POST', `${deps.config.issuer}/refresh`, now));
    await refused(signer.proof('POST', url, now - 120));
    // signer's header and claims with other's signature.
    const [header, payload] = signer.proof('POST', url, now).split('.');
    await refused(`${header}.${payload}.${other.proof('POST', url, now).split('.')[2]}`);
  });

  it("drives a refresh of a chain the bench seeds bound to its key, over HTTP; the bench's own start-up check passes", async () => {
    const server = await testServer();
    await seed(server.deps);
    const signer = proofSigner();
    const now = () => epochSeconds(server.deps.clock.now());
    const [chain] = await dpopSessions(server.deps, [signer]);
    const refresh = (dpop?: string) => {
      const init = form({ grant_type: 'refresh_token', client_id: 'bench-app', refresh_token: chain!.token });
      return server.fetch('/token', { ...init, headers: { ...(init.headers as Record<string, string>), ...(dpop ? { dpop } : {}) } });
    };

    expect((await (await refresh()).json()).error).toBe('invalid_dpop_proof');
    expect((await (await refresh(proofSigner().proof('POST', `${server.url}/token`, now()))).json()).error).toBe('invalid_dpop_proof');
    const rotated = await refresh(signer.proof('POST', `${server.url}/token`, now()));
    expect(rotated.status).toBe(200);
    expect((await rotated.json()).token_type).toBe('DPoP');

    await expect(checkDpopRefresh(server.url, signer, now)).resolves.toBeUndefined();
  });
});
