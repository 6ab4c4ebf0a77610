import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Analytics } from '@segment/analytics-node';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime } from '../support/localRuntime.js';

// Every wait below is on a condition (the pipeline drained, the clock advanced); these bounds are only room for a
// busy machine, where a test here takes tens of seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_e2e-write-key';
const ADMIN_TOKEN = 'rat_e2e-admin-token';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
});

afterAll(async () => {
  await runtime?.stop();
});

const admin = async (path: string, init: RequestInit = {}) => {
  const res = await fetch(`${runtime.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(init.headers ?? {}) },
  });
  const body: any = res.status === 204 ? undefined : await res.json();
  return { status: res.status, body };
};

describe('the local runtime driven by the real @segment/analytics-node client', () => {
  it('answers /health once ready', async () => {
    const res = await fetch(`${runtime.url}/health`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('turns track, identify and page calls into a profile readable through the admin API', async () => {
    const analytics = new Analytics({
      writeKey: WRITE_KEY,
      host: runtime.url,
      flushInterval: 50,
      maxEventsInBatch: 50,
    });
    const errors: unknown[] = [];
    analytics.on('error', (e) => errors.push(e));

    analytics.track({
      anonymousId: 'browser-1',
      event: 'Product Viewed',
      properties: { product_id: 'mug', name: 'Mug', price: 12000 },
    });
    analytics.track({
      anonymousId: 'browser-1',
      event: 'Product Added',
      properties: { product_id: 'mug', price: 12000, quantity: 2 },
    });
    analytics.identify({
      userId: 'e2e-kim',
      anonymousId: 'browser-1',
      traits: { name: '김민지', email: 'Minji@Example.com', plan: 'free' },
      context: {
        timezone: 'Asia/Seoul',
        locale: 'ko-KR',
        consent: { categoryPreferences: { email: true, advertising: true } },
      } as never,
    });
    analytics.track({
      userId: 'e2e-kim',
      event: 'Order Completed',
      properties: { order_id: 'o1', total: 24000, products: [{ product_id: 'mug', quantity: 2 }] },
    });
    analytics.page({ userId: 'e2e-kim', name: 'Home' });
    analytics.identify({ userId: 'e2e-kim', traits: { plan: null } });
    // Resolves once every batch is acknowledged; a fixed short timeout would drop events on a busy machine.
    await analytics.closeAndFlush();
    expect(errors).toEqual([]);

    await runtime.poller.drain();
    const { status, body: profile } = await admin('/admin/v1/profiles/e2e-kim');
    expect(status).toBe(200);
    expect(profile).toMatchObject({
      userId: 'e2e-kim',
      anonymousIds: ['browser-1'],
      traits: { name: '김민지', email: 'Minji@Example.com' },
      channels: { email: 'minji@example.com' },
      timezone: 'Asia/Seoul',
      locale: 'ko-KR',
      consent: { email: { granted: true }, advertising: { granted: true } },
    });
    expect(profile.traits).not.toHaveProperty('plan');
    expect(profile.computed).toMatchObject({
      orders: 1,
      revenue: 24000,
      averageOrderValue: 24000,
      eventCounts: { 'Product Viewed': 1, 'Product Added': 1, 'Order Completed': 1, $page: 1 },
      lastViewedProduct: { productId: 'mug', name: 'Mug' },
      cart: { items: [] },
    });

    const { body: timeline } = await admin('/admin/v1/profiles/e2e-kim/events?limit=10');
    expect(timeline.events).toHaveLength(6);
  });

  it("follows an alias: the old id's history and later events belong to the new id", async () => {
    const analytics = new Analytics({ writeKey: WRITE_KEY, host: runtime.url, flushInterval: 50 });
    analytics.track({ userId: 'e2e-old-id', event: 'Order Completed', properties: { total: 1000 } });
    await analytics.flush();
    await runtime.poller.drain();
    analytics.alias({ userId: 'e2e-new-id', previousId: 'e2e-old-id' });
    await analytics.flush();
    await runtime.poller.drain();
    analytics.track({ userId: 'e2e-old-id', event: 'Order Completed', properties: { total: 2000 } });
    await analytics.closeAndFlush();
    await runtime.poller.drain();
    const { body } = await admin('/admin/v1/profiles/e2e-new-id');
    expect(body.computed).toMatchObject({ orders: 2, revenue: 3000 });
    expect((await admin('/admin/v1/profiles/e2e-old-id')).body.userKey).toBe('u:e2e-new-id');
  });

  it('keeps the valid neighbours of a malformed event and shows the rejection in the ingest-error log', async () => {
    const res = await fetch(`${runtime.url}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
      },
      body: JSON.stringify({
        batch: [
          { type: 'track', userId: 'e2e-lee', event: 'Signed Up', messageId: 'good' },
          { type: 'track', userId: 'e2e-lee', event: { nested: true }, messageId: 'bad' },
        ],
      }),
    });
    expect(await res.json()).toEqual({
      success: true,
      rejected: [
        { index: 1, messageId: 'bad', error: 'batch[1].event: Invalid input: expected string, received object' },
      ],
    });
    await runtime.poller.drain();
    expect((await admin('/admin/v1/profiles/e2e-lee')).body.computed.eventCounts).toEqual({ 'Signed Up': 1 });
    const { body } = await admin('/admin/v1/ingest-errors?limit=5');
    expect(body.errors[0]).toMatchObject({ messageId: 'bad', index: 1, path: '/v1/batch' });
  });

  it('guards the admin API like API Gateway: 401 without a token, 403 with a wrong one', async () => {
    expect((await fetch(`${runtime.url}/admin/v1/write-keys`)).status).toBe(401);
    const wrong = await fetch(`${runtime.url}/admin/v1/write-keys`, { headers: { authorization: 'Bearer rat_nope' } });
    expect(wrong.status).toBe(403);
  });

  it('issues a write key through the admin API that the client can use at once', async () => {
    const { body: key } = await admin('/admin/v1/write-keys', {
      method: 'POST',
      body: JSON.stringify({ name: 'web' }),
      headers: { 'content-type': 'application/json' },
    });
    const analytics = new Analytics({ writeKey: key.writeKey, host: runtime.url, flushInterval: 50 });
    analytics.identify({ userId: 'e2e-new-key', traits: { via: 'new key' } });
    await analytics.closeAndFlush();
    await runtime.poller.drain();
    expect((await admin('/admin/v1/profiles/e2e-new-key')).body.traits).toEqual({ via: 'new key' });
  });

  it('ran without a pipeline error or a dead letter', () => {
    expect(runtimeErrors).toEqual([]);
    expect(runtime.poller.deadLetters).toEqual([]);
  });

  it('says in one line how to install Java when it is missing', async () => {
    const { execFile } = await import('node:child_process');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', 'functions/local/main.ts'],
        {
          env: { PATH: '/nonexistent', PORT: '0', RETAIN_IN_MEMORY: '1' },
        },
        () => undefined,
      );
      let stderr = '';
      child.stderr?.on('data', (d) => (stderr += String(d)));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(result.code).toBe(1);
    const lines = result.stderr
      .trim()
      .split('\n')
      .filter(
        (l) =>
          !/NodeVersionSupportWarning|node >=22|a\.co|trace-warnings|^\s*$|AWS SDK|updates|versions published/.test(l),
      );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Java 17 or newer is needed.*apt-get install openjdk-17-jdk-headless/);
  });

  it('erases a customer on request', async () => {
    const { status, body } = await admin('/admin/v1/profiles/e2e-kim', { method: 'DELETE' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ erased: true, events: 6 });
    expect((await admin('/admin/v1/profiles/e2e-kim')).status).toBe(404);
  });
});
