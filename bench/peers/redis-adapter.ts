// node-oidc-provider's storage on Redis, for the durable peer of `npm run bench` (issue 30): the adapter of its
// repository's examples (example/adapters/redis.js, ESM version before the adapters moved to its discussions), with
// ioredis, lodash's isEmpty written out and types added. Nothing else changed: each save is one MULTI (the payload,
// its expiry, the grant's token list), a consumption one HSET. The Redis it talks to (bench/lib/redis.ts) runs with
// `appendonly yes`, `appendfsync everysec`: a token survives a restart, give or take the last second.
import { Redis } from 'ioredis';

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string };

const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
const consumable = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

const grantKeyFor = (id: string) => `grant:${id}`;
const userCodeKeyFor = (userCode: string) => `userCode:${userCode}`;
const uidKeyFor = (uid: string) => `uid:${uid}`;

/** The adapter class node-oidc-provider instantiates per model name, on the Redis at `url`. */
export function redisAdapter(url: string) {
  const client = new Redis(url, { keyPrefix: 'oidc:' });

  return class RedisAdapter {
    constructor(readonly name: string) {}

    async upsert(id: string, payload: Payload, expiresIn: number): Promise<void> {
      const key = this.key(id);
      const multi = client.multi();
      if (consumable.has(this.name)) multi.hmset(key, { payload: JSON.stringify(payload) });
      else multi.set(key, JSON.stringify(payload));
      if (expiresIn) multi.expire(key, expiresIn);
      if (grantable.has(this.name) && payload.grantId) {
        const grantKey = grantKeyFor(payload.grantId);
        multi.rpush(grantKey, key);
        const ttl = await client.ttl(grantKey);
        if (expiresIn > ttl) multi.expire(grantKey, expiresIn);
      }
      if (payload.userCode) {
        const userCodeKey = userCodeKeyFor(payload.userCode);
        multi.set(userCodeKey, id);
        multi.expire(userCodeKey, expiresIn);
      }
      if (payload.uid) {
        const uidKey = uidKeyFor(payload.uid);
        multi.set(uidKey, id);
        multi.expire(uidKey, expiresIn);
      }
      await multi.exec();
    }

    async find(id: string): Promise<Payload | undefined> {
      const data = consumable.has(this.name) ? await client.hgetall(this.key(id)) : await client.get(this.key(id));
      if (data === null || (typeof data === 'object' && Object.keys(data).length === 0)) return undefined;
      if (typeof data === 'string') return JSON.parse(data) as Payload;
      const { payload, ...rest } = data;
      return { ...rest, ...(JSON.parse(payload ?? '{}') as Payload) };
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      const id = await client.get(uidKeyFor(uid));
      return id === null ? undefined : this.find(id);
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      const id = await client.get(userCodeKeyFor(userCode));
      return id === null ? undefined : this.find(id);
    }

    async destroy(id: string): Promise<void> {
      await client.del(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const multi = client.multi();
      const tokens = await client.lrange(grantKeyFor(grantId), 0, -1);
      for (const token of tokens) multi.del(token);
      multi.del(grantKeyFor(grantId));
      await multi.exec();
    }

    async consume(id: string): Promise<void> {
      await client.hset(this.key(id), 'consumed', Math.floor(Date.now() / 1000));
    }

    key(id: string): string {
      return `${this.name}:${id}`;
    }
  };
}
