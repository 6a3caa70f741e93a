import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { revocationRoutes } from '../../src/http/routes/revocations.js';
import { randomIds } from '../../src/lib/ids.js';
import { revokeFamilyById } from '../../src/services/sessions/families.js';
import { encodeFeedCursor, feedOverlapSeconds } from '../../src/services/revocations.js';
import { readSse } from '../../packages/verify/src/sse.js';
import { fixedClock } from '../helpers/clock.js';
import { makeDeps, onCleanup } from '../helpers/deps.js';
import { loginAlice, seededServer } from '../helpers/fixtures.js';
import { expectMatchesSpec } from '../helpers/openapi.js';
import type { TestServer } from '../helpers/server.js';

const operator = { name: 'cli' };
const t0 = 1_700_000_000_000;
/** The cursor of a family entry revoked at `at` (epoch ms). */
const cursorOf = (sid: string, at = t0) => encodeFeedCursor({ at, kind: 'family', id: sid });

/** Logs alice in and returns the new family's id. */
async function login(server: TestServer): Promise<string> {
  return decodeJwt((await loginAlice(server)).access_token).sid as string;
}

/** The live streams' shared poll, every 20 ms instead of every second, so waiting for it costs little. */
const feedPollMs = 20;

const setup = () => seededServer({ app: { feedPollMs } });

describe('GET /revocations', () => {
  it('lists every revoked family whose access tokens may still be alive, with a cursor', async () => {
    const server = await setup();
    const live = await login(server);
    const revoked = await login(server);
    await revokeFamilyById(server.deps, operator, revoked, 'admin');

    const res = await server.fetch('/revocations');
    expect(res.status).toBe(200);
    await expectMatchesSpec(res.clone(), { method: 'get', path: '/revocations' });
    const body = await res.json();
    expect(body).toEqual({
      revocations: [{ sid: revoked, revoked_at: 1_700_000_000, expires_at: 1_700_000_600 }],
      cursor: cursorOf(revoked),
      more: false,
    });
    expect(body.revocations.map((r: { sid: string }) => r.sid)).not.toContain(live);
  });

  it('drops an entry once every access token of its family has expired', async () => {
    const server = await setup();
    await revokeFamilyById(server.deps, operator, await login(server), 'admin');
    server.deps.clock.advance(600);
    expect((await (await server.fetch('/revocations')).json()).revocations).toEqual([]);
  });

  it('answers from a cursor with what came after it, re-reading only a short overlap behind it', async () => {
    const server = await setup();
    const revokeNew = async () => {
      const sid = await login(server);
      await revokeFamilyById(server.deps, operator, sid, 'admin');
      server.deps.clock.advance(feedOverlapSeconds + 1);
      return sid;
    };
    await revokeNew();
    const second = await revokeNew();
    const { cursor } = await (await server.fetch('/revocations')).json();
    expect(cursor).toBe(cursorOf(second, t0 + (feedOverlapSeconds + 1) * 1000));
    const third = await revokeNew();

    const page = await (await server.fetch(`/revocations?since=${cursor}`)).json();
    expect(page.revocations.map((r: { sid: string }) => r.sid)).toEqual([second, third]);
    expect(page.cursor).toBe(cursorOf(third, t0 + 2 * (feedOverlapSeconds + 1) * 1000));
  });

  it('does not skip a revocation that another instance, its clock lagging, commits after the cursor was handed out', async () => {
    const server = await setup();
    // A second instance on the same database whose clock is 20 s behind.
    const lagging = await makeDeps({ store: server.deps.store, clock: fixedClock(1_700_000_000 - 20), ids: randomIds });
    const early = await login(server);
    const sameSecond = await login(server);
    const late = await login(server);
    await revokeFamilyById(server.deps, operator, early, 'admin');
    const { cursor } = await (await server.fetch('/revocations')).json();
    expect(cursor).toBe(cursorOf(early));

    // A live stream from the same cursor, already past its catch-up (which re-sends `early`).
    const abort = new AbortController();
    const res = await server.fetch('/revocations', { headers: { accept: 'text/event-stream', 'last-event-id': cursor }, signal: abort.signal });
    const events = readSse(res.body!);
    expect(JSON.parse((await events.next()).value!.data).sid).toBe(early);

    // Committed after the reader's page, stamped at the cursor's own second and 20 s before it.
    await revokeFamilyById(server.deps, operator, sameSecond, 'admin');
    await revokeFamilyById(lagging, operator, late, 'admin');
    const page = await (await server.fetch(`/revocations?since=${cursor}`)).json();
    expect(page.revocations.map((r: { sid: string }) => r.sid)).toEqual(expect.arrayContaining([sameSecond, late]));

    // The stream sends them live too.
    const streamed: string[] = [];
    for await (const event of events) {
      streamed.push(JSON.parse(event.data).sid);
      if (streamed.includes(sameSecond) && streamed.includes(late)) break;
    }
    abort.abort();
    expect(streamed).toEqual(expect.arrayContaining([sameSecond, late]));
  });

  it('refuses a cursor it did not give out', async () => {
    const server = await setup();
    for (const since of ['garbage', `${cursorOf('fam_1', 5)}x`, Buffer.from('r1:-4').toString('base64url'), Buffer.from('r2:5:7:x').toString('base64url')]) {
      const res = await server.fetch(`/revocations?since=${encodeURIComponent(since)}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'since is not a cursor this feed gave out' });
    }
  });

  it('hands a session this process revokes to live streams at once, not at the next poll', async () => {
    // A poll every ten minutes: within this test only the domain event can bring an entry to the stream.
    const server = await seededServer({ app: { feedPollMs: 600_000 } });
    const [before, elsewhere, here] = [await login(server), await login(server), await login(server)];
    await revokeFamilyById(server.deps, operator, before, 'admin');
    const abort = new AbortController();
    onCleanup(() => abort.abort());
    const res = await server.fetch('/revocations', { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    const events = readSse(res.body!);
    // Caught up: the stream listens to the hub now.
    expect(JSON.parse((await events.next()).value!.data).sid).toBe(before);

    // Another process's revocation (written to the store, no event in this one) waits for the poll…
    await server.deps.store.revokeFamily(elsewhere, 'admin', server.deps.clock.now().getTime());
    const next = events.next();
    const waited = await Promise.race([next.then(() => 'sent'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 300))]);
    expect(waited).toBe('waiting');
    // …and this process's own revocation makes the hub read the feed at once, bringing both.
    await revokeFamilyById(server.deps, operator, here, 'admin');
    expect(JSON.parse((await next).value!.data).sid).toBe(elsewhere);
    expect(JSON.parse((await events.next()).value!.data).sid).toBe(here);
  });

  it('streams entries as server-sent events, live, and resumes from Last-Event-ID', async () => {
    const server = await setup();
    const before = await login(server);
    await revokeFamilyById(server.deps, operator, before, 'admin');

    const abort = new AbortController();
    const res = await server.fetch('/revocations', { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const events = readSse(res.body!);
    const first = (await events.next()).value!;
    expect(JSON.parse(first.data)).toEqual({ sid: before, revoked_at: 1_700_000_000, expires_at: 1_700_000_600 });
    expect(first.id).toBe(cursorOf(before));

    server.deps.clock.advance(5);
    const during = await login(server);
    await revokeFamilyById(server.deps, operator, during, 'admin');
    const live = (await events.next()).value!;
    expect(JSON.parse(live.data).sid).toBe(during);
    abort.abort();

    // A dropped connection resumes from the last id it saw and gets what came since.
    server.deps.clock.advance(5);
    const after = await login(server);
    await revokeFamilyById(server.deps, operator, after, 'admin');
    const resumed = new AbortController();
    const res2 = await server.fetch('/revocations', { headers: { accept: 'text/event-stream', 'last-event-id': live.id! }, signal: resumed.signal });
    const sids: string[] = [];
    for await (const event of readSse(res2.body!)) {
      sids.push(JSON.parse(event.data).sid);
      if (sids.includes(after)) break;
    }
    resumed.abort();
    expect(sids).toContain(after);
  });
});

describe('GET /revocations live streams', () => {
  /** Counts the store reads of the feed, to see who polls. */
  function countFeedReads(server: TestServer) {
    const store = server.deps.store;
    const original = store.listRevocations.bind(store);
    let reads = 0;
    store.listRevocations = (...args) => {
      reads += 1;
      return original(...args);
    };
    return () => reads;
  }
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('share one poll of the store, do not hold up other requests, and stop polling when their clients leave', async () => {
    const server = await setup();
    const reads = countFeedReads(server);
    const clients = Array.from({ length: 8 }, () => new AbortController());
    const streams = await Promise.all(
      clients.map(async (abort) => {
        const res = await server.fetch('/revocations', { headers: { accept: 'text/event-stream' }, signal: abort.signal });
        const reader = res.body!.getReader();
        await reader.read(); // ": caught up"
        return reader;
      }),
    );

    // Eight open streams: other requests are still served at once.
    expect((await server.fetch('/healthz')).status).toBe(200);
    expect((await server.fetch('/revocations')).status).toBe(200);

    // One poll per period for all of them, not one per stream. A poll reads the new entries and the overlap
    // behind them: twenty reads take ten periods, not three.
    const start = reads();
    const startedAt = Date.now();
    while (reads() - start < 20) await sleep(5);
    const periods = (Date.now() - startedAt) / feedPollMs;
    expect(reads() - start).toBeLessThanOrEqual(2 * (Math.ceil(periods) + 1));

    for (const abort of clients) abort.abort();
    await Promise.all(streams.map((reader) => reader.cancel().catch(() => undefined)));
    // Once every client has gone, the poll stops: no read for ten periods, twice in a row.
    let last = -1;
    const deadline = Date.now() + 10_000;
    while (reads() !== last && Date.now() < deadline) {
      last = reads();
      await sleep(10 * feedPollMs);
    }
    await sleep(10 * feedPollMs);
    expect(reads()).toBe(last);
  });

  it('resumes an EventSource reconnect from its Last-Event-ID, not from the older since of its URL', async () => {
    const server = await setup();
    const old = await login(server);
    await revokeFamilyById(server.deps, operator, old, 'admin');
    const { cursor: first } = await (await server.fetch('/revocations')).json();
    server.deps.clock.advance(feedOverlapSeconds + 1);
    const recent = await login(server);
    await revokeFamilyById(server.deps, operator, recent, 'admin');
    const { cursor: latest } = await (await server.fetch(`/revocations?since=${first}`)).json();

    const abort = new AbortController();
    const res = await server.fetch(`/revocations?since=${first}`, { headers: { accept: 'text/event-stream', 'last-event-id': latest }, signal: abort.signal });
    const { value: event } = await readSse(res.body!).next();
    abort.abort();
    expect(JSON.parse(event!.data).sid).toBe(recent); // `old` lies before the overlap of the newer cursor
  });

  it('still streams new entries live when the shared poll failed its first read', async () => {
    const server = await setup();
    const store = server.deps.store;
    const original = store.listRevocations.bind(store);
    let calls = 0;
    store.listRevocations = (...args) => (++calls === 1 ? Promise.reject(new Error('database is locked')) : original(...args));

    const abort = new AbortController();
    onCleanup(() => abort.abort());
    const res = await server.fetch('/revocations', { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    const events = readSse(res.body!);
    while (calls < 2) await new Promise((resolve) => setTimeout(resolve, 10)); // this stream has read its catch-up
    const sid = await login(server);
    await revokeFamilyById(server.deps, operator, sid, 'admin');
    const { value: event } = await events.next();
    abort.abort();
    expect(calls).toBeGreaterThanOrEqual(3); // the failed first poll, this stream's catch-up, a later poll
    expect(JSON.parse(event!.data).sid).toBe(sid);
  });

  it('refuses a bad Last-Event-ID with 400 before streaming anything', async () => {
    const server = await setup();
    const res = await server.fetch('/revocations', { headers: { accept: 'text/event-stream', 'last-event-id': 'nope' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request', error_description: 'since is not a cursor this feed gave out' });
  });
});

describe('revocationRoutes keep-alive', () => {
  it('writes a comment line every heartbeat while nothing happens', async () => {
    const server = await setup();
    const app = revocationRoutes(server.deps, { heartbeatMs: 200 });
    const abort = new AbortController();
    const res = await app.request('/revocations', { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while ((text.match(/^: keep-alive$/gm) ?? []).length < 2) text += decoder.decode((await reader.read()).value);
    abort.abort();
    await reader.cancel();
    expect(text).toMatch(/^: caught up\n\n(: keep-alive\n\n)+$/);
  });
});
