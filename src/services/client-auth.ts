import { isPublicClient, usesPrivateKeyJwt, type Client } from '../domain/types.js';
import { InvalidClient } from '../errors/oauth.js';
import { constantTimeEqual, sha256 } from '../lib/hash.js';
import { verifyClientAssertion } from './client-assertion.js';
import type { ClientsStore, PushedRequestsStore } from '../store/types.js';
import type { Uses } from './deps.js';

export type ClientCredentials =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; secret: string }
  | { method: 'private_key_jwt'; clientId: string; assertion: string }
  | { method: 'none'; clientId: string };

/**
 * RFC 6749 §2.3: the client the request authenticates as, or invalid_client. Each client has one way in: its
 * keys (private_key_jwt, RFC 7523), its secret, or none for a public client. `endpoint` is the URL called,
 * which a client assertion may name as its audience.
 */
export async function authenticateClient(
  deps: Uses<'clock' | 'config' | 'log', ClientsStore & PushedRequestsStore>,
  credentials: ClientCredentials,
  endpoint: string,
): Promise<Client> {
  const basic = credentials.method === 'client_secret_basic';
  const client = await deps.store.findClient(credentials.clientId);
  // A disabled client is refused like an unknown one: nothing tells a caller which clients exist.
  if (!client || client.disabledAt !== null) throw new InvalidClient('unknown client or wrong credentials', basic);
  if (usesPrivateKeyJwt(client)) {
    if (credentials.method !== 'private_key_jwt') throw new InvalidClient('this client must authenticate with private_key_jwt (a client assertion)', basic);
    await verifyClientAssertion(deps, client, credentials.assertion, endpoint);
    return client;
  }
  if (credentials.method === 'private_key_jwt') throw new InvalidClient('this client has no keys registered: it cannot use a client assertion');
  if (credentials.method === 'none') {
    if (!isPublicClient(client)) throw new InvalidClient('this client must authenticate with its secret');
    return client;
  }
  if (isPublicClient(client)) throw new InvalidClient('a public client has no secret: send only client_id', basic);
  if (!secretMatches(client, sha256(credentials.secret), deps.clock.now().getTime())) {
    throw new InvalidClient('unknown client or wrong credentials', basic);
  }
  return client;
}

/** The current secret, or within its overlap the one rotated out; both compared in constant time. */
function secretMatches(client: Client, presented: string, now: number): boolean {
  const current = constantTimeEqual(presented, client.secretHash!);
  const previous =
    client.previousSecretHash !== null &&
    client.previousSecretExpiresAt !== null &&
    now < client.previousSecretExpiresAt &&
    constantTimeEqual(presented, client.previousSecretHash);
  return current || previous;
}
