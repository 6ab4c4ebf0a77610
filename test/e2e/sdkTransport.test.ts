// What Segment's browser and mobile SDKs send, over real HTTP to the local runtime: one-letter paths, mobile
// batches on /v1/b, beacon-style bodies, CORS preflights, compressed bodies, a gzip bomb, the settings document.
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_sdk-transport-key';
const ADMIN_TOKEN = 'rat_sdk-transport-admin';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let admin: ReturnType<typeof testClient>['admin'];

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  ({ admin } = testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
});

afterAll(async () => {
  await runtime?.stop();
});

const basic = { authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}` };

async function post(path: string, body: string | Buffer, headers: Record<string, string>) {
  const res = await fetch(`${runtime.url}${path}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

const eventsOf = async (userId: string) => (await admin('GET', `/admin/v1/profiles/${userId}/events`)).body.events;

/** The shape analytics-swift and analytics-kotlin post to `${apiHost}/b`. */
function mobileBatch(userId: string) {
  const context = {
    app: { name: 'Shop', version: '3.2.0', build: '320', namespace: 'example.shop' },
    device: { type: 'ios', manufacturer: 'Apple', model: 'iPhone15,2', id: 'device-1' },
    os: { name: 'iOS', version: '17.1' },
    library: { name: 'analytics-swift', version: '1.5.9' },
    locale: 'ko-KR',
    timezone: 'Asia/Seoul',
    network: { wifi: true },
  };
  const at = (s: number) => `2026-12-01T03:00:0${s}.000Z`;
  return {
    batch: [
      {
        type: 'identify',
        messageId: `${userId}-1`,
        anonymousId: 'app-anon-1',
        userId,
        traits: { name: '이서준' },
        timestamp: at(1),
        context,
        integrations: {},
      },
      {
        type: 'screen',
        messageId: `${userId}-2`,
        anonymousId: 'app-anon-1',
        userId,
        name: 'Cart',
        properties: {},
        timestamp: at(2),
        context,
        integrations: {},
      },
      {
        type: 'track',
        messageId: `${userId}-3`,
        anonymousId: 'app-anon-1',
        userId,
        event: 'Order Completed',
        properties: { order_id: 'app-o1', total: 39000, currency: 'KRW' },
        timestamp: at(3),
        context,
        integrations: {},
      },
    ],
    sentAt: at(4),
    writeKey: WRITE_KEY,
  };
}

describe('Segment SDK transport against the local runtime', () => {
  it('stores a mobile SDK batch posted to /v1/b into the profile', async () => {
    const headers = { ...basic, 'content-type': 'application/json' };
    const res = await post('/v1/b', JSON.stringify(mobileBatch('app-lee')), headers);
    expect(res).toEqual({ status: 200, body: { success: true, rejected: [] } });
    await runtime.poller.drain();
    const profile = (await admin('GET', '/admin/v1/profiles/app-lee')).body;
    expect(profile).toMatchObject({ traits: { name: '이서준' }, computed: { orders: 1, revenue: 39000 } });
    const events = await eventsOf('app-lee');
    expect(events.map((e: { type: string }) => e.type).sort()).toEqual(['identify', 'screen', 'track']);
    expect(events.find((e: { type: string }) => e.type === 'screen').context.device.type).toBe('ios');
  });

  it('takes a beacon-style text/plain body on /v1/t with the key in the body, and fills ip and device', async () => {
    const userAgent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
    const message = { writeKey: WRITE_KEY, userId: 'beacon-1', event: 'Checkout Started', context: { userAgent } };
    const body = JSON.stringify(message);
    const res = await post('/v1/t', body, { 'content-type': 'text/plain;charset=UTF-8' });
    expect(res.status).toBe(200);
    await runtime.poller.drain();
    const [event] = await eventsOf('beacon-1');
    expect(event).toMatchObject({ type: 'track', event: 'Checkout Started', context: { device: { type: 'mobile' } } });
    expect(event.context.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('answers the CORS preflight Analytics.js triggers with its Authorization and X-Retry-Count headers', async () => {
    const res = await fetch(`${runtime.url}/v1/p`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-retry-count',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = res.headers.get('access-control-allow-headers')?.split(',') ?? [];
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-retry-count']));
  });

  it('inflates gzip, deflate, raw-deflate and brotli bodies', async () => {
    const encodings: [string, (b: Buffer) => Buffer][] = [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['deflate', deflateRawSync],
      ['br', brotliCompressSync],
    ];
    for (const [i, [encoding, compress]] of encodings.entries()) {
      const batch = { batch: [{ type: 'track', userId: `zip-${i}`, event: 'Compressed', properties: { encoding } }] };
      const res = await post('/v1/batch', compress(Buffer.from(JSON.stringify(batch))), {
        ...basic,
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      expect(res, encoding).toEqual({ status: 200, body: { success: true, rejected: [] } });
    }
    await runtime.poller.drain();
    for (const i of encodings.keys()) expect(await eventsOf(`zip-${i}`)).toHaveLength(1);
    const garbage = await post('/v1/batch', Buffer.from('not gzip at all'), { ...basic, 'content-encoding': 'gzip' });
    expect(garbage.status).toBe(400);
    const unknown = await post('/v1/batch', Buffer.from('{}'), { ...basic, 'content-encoding': 'compress' });
    expect(unknown.status).toBe(415);
  });

  it('refuses a gzip bomb with 413 before inflating it whole, and keeps serving', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '), { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const headers = { ...basic, 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const refused = await post('/v1/batch', bomb, headers);
    expect(refused.status).toBe(413);
    expect(refused.body.error.code).toBe('payload_too_large');
    // Cut off the bomb's tail: a reader that inflated everything would hit the broken end and answer 400;
    // only one that stops at the limit answers 413.
    const truncated = await post('/v1/batch', bomb.subarray(0, bomb.length - 1024), headers);
    expect(truncated.status).toBe(413);

    expect(await (await fetch(`${runtime.url}/health`)).json()).toEqual({ status: 'ok' });
    const after = { batch: [{ type: 'track', userId: 'after-bomb', event: 'Still Here' }] };
    expect((await post('/v1/batch', gzipSync(JSON.stringify(after)), headers)).status).toBe(200);
    await runtime.poller.drain();
    expect(await eventsOf('after-bomb')).toHaveLength(1);
  });

  it('serves the settings document for a known write key, cacheable and CORS-open, and 404 for another', async () => {
    const res = await fetch(`${runtime.url}/v1/projects/${WRITE_KEY}/settings`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const settings = (await res.json()) as any;
    expect(settings.integrations['Segment.io']).toMatchObject({
      apiKey: WRITE_KEY,
      apiHost: `${new URL(runtime.url).host}/v1`,
      protocol: 'http',
    });
    expect(JSON.stringify(settings)).not.toContain(ADMIN_TOKEN);
    const unknown = await fetch(`${runtime.url}/v1/projects/wk_nobody/settings`);
    expect(unknown.status).toBe(404);
    expect(runtimeErrors).toEqual([]);
  });
});
