// The unmodified Analytics.js 2.0 build in headless Chromium, pointed at a local Retain by `cdnURL` alone:
// it reads its settings from Retain, sends identify, page and track, and the profile shows them.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_browser-shop-key';
const ADMIN_TOKEN = 'rat_browser-admin';
/** Debian's package (`apt-get install chromium`); Playwright's own browser download needs the internet. */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path): path is string => !!path && existsSync(path),
);
if (!CHROMIUM) {
  console.warn('skipping the Analytics.js browser test: no Chromium at /usr/bin/chromium (apt-get install chromium)');
}

const analyticsNextPackage = createRequire(import.meta.url).resolve('@segment/analytics-next/package.json');
const umdDir = join(dirname(analyticsNextPackage), 'dist/umd');

/** The shop's page, on its own origin, so every call to Retain is a real cross-origin request. */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<script src="/analytics-next.js"></script></head><body><h1>Shop</h1></body></html>`;

let runtime: LocalRuntime;
let admin: ReturnType<typeof testClient>['admin'];
let shop: Server;
let shopUrl: string;
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM) return;
  ({ runtime } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  ({ admin } = testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  shop = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://shop').pathname;
    if (path === '/analytics-next.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(umdDir, 'index.js')));
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (shop ? shop.close(resolve) : resolve(undefined)));
  await runtime?.stop();
});

type Seen = { method: string; url: string; status?: number; failure?: string };

/** Opens the shop page in a fresh browser profile, runs the customer's visit and records every request. */
async function visit(userId: string, loadOptions: Record<string, unknown>) {
  const context = await browser.newContext({
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) ' +
      'Version/17.0 Mobile/15E148 Safari/604.1',
  });
  const seen: Seen[] = [];
  const outside: string[] = [];
  // Nothing may leave this machine: Segment's CDN and API are not needed, so reaching for them is a failure.
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('response', (r) => seen.push({ method: r.request().method(), url: r.url(), status: r.status() }));
  page.on('requestfailed', (r) => seen.push({ method: r.method(), url: r.url(), failure: r.failure()?.errorText }));
  const logs: string[] = [];
  page.on('console', (m) => (m.type() === 'error' ? logs.push(m.text()) : undefined));
  await page.goto(`${shopUrl}/?utm_source=kakao&utm_medium=brand_message&utm_campaign=winter-sale`);

  const apiHost = await page.evaluate(
    async ({ cdnURL, writeKey, userId, loadOptions }) => {
      // Runs in the page: the UMD build's global, typed from the package (this project compiles without DOM types).
      type Page = { AnalyticsNext: typeof import('@segment/analytics-next') };
      const { AnalyticsBrowser } = (globalThis as unknown as Page).AnalyticsNext;
      const [analytics] = await AnalyticsBrowser.load({ writeKey, cdnURL }, loadOptions);
      await analytics.identify(userId, { name: '박지민', email: `${userId}@example.com`, plan: 'gold' });
      await analytics.page('Shop', 'Home');
      await analytics.track('Order Completed', {
        order_id: `${userId}-o1`,
        total: 45000,
        currency: 'KRW',
        products: [{ product_id: 'tumbler', price: 22500, quantity: 2 }],
      });
      return (analytics.settings.cdnSettings.integrations['Segment.io'] as { apiHost?: string }).apiHost;
    },
    { cdnURL: runtime.url, writeKey: WRITE_KEY, userId, loadOptions },
  );
  return { context, seen, outside, logs, apiHost };
}

/** Analytics.js answers a call before its batch leaves; wait for the events to pass the pipeline. */
async function profileWithOrder(userId: string) {
  for (let attempt = 0; attempt < 60; attempt++) {
    await runtime.poller.drain();
    const { status, body } = await admin('GET', `/admin/v1/profiles/${userId}`);
    if (status === 200 && body.computed?.orders === 1) return body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no order reached the profile of ${userId}`);
}

describe.skipIf(!CHROMIUM)('Analytics.js 2.0 in Chromium against Retain', () => {
  for (const [delivery, userId, loadOptions, paths] of [
    ['the default delivery', 'web-default', {}, ['/v1/i', '/v1/p', '/v1/t']],
    [
      'the batching delivery strategy',
      'web-batching',
      {
        integrations: {
          'Segment.io': { deliveryStrategy: { strategy: 'batching', config: { size: 3, timeout: 200 } } },
        },
      },
      ['/v1/b'],
    ],
  ] as const) {
    it(`reads its settings from Retain and, with ${delivery}, puts traits, page and order on the profile`, async () => {
      const { context, seen, outside, logs, apiHost } = await visit(userId, loadOptions);
      try {
        const profile = await profileWithOrder(userId);
        expect(apiHost).toBe(`${new URL(runtime.url).host}/v1`);
        expect(profile).toMatchObject({
          userId,
          traits: { name: '박지민', plan: 'gold' },
          channels: { email: `${userId}@example.com` },
          computed: { orders: 1, revenue: 45000 },
        });
        const { events } = (await admin('GET', `/admin/v1/profiles/${userId}/events`)).body;
        const page = events.find((e: { type: string }) => e.type === 'page');
        expect(page).toMatchObject({ name: 'Home', category: 'Shop' });
        expect(page.context.page).toMatchObject({ path: '/', url: expect.stringContaining(shopUrl) });
        const order = events.find((e: { event?: string }) => e.event === 'Order Completed');
        expect(order.context).toMatchObject({
          device: { type: 'mobile' },
          campaign: { source: 'kakao', medium: 'brand_message', name: 'winter-sale' },
          ip: expect.stringMatching(/127\.0\.0\.1|::1/),
        });

        const toRetain = seen.filter((s) => s.url.startsWith(runtime.url));
        const settingsUrl = `${runtime.url}/v1/projects/${WRITE_KEY}/settings`;
        expect(toRetain).toContainEqual({ method: 'GET', url: settingsUrl, status: 200 });
        for (const path of paths) {
          expect(toRetain).toContainEqual({ method: 'POST', url: `${runtime.url}${path}`, status: 200 });
        }
        expect(toRetain.filter((s) => s.failure || (s.status ?? 0) >= 400)).toEqual([]);
        expect(outside).toEqual([]);
        expect(logs).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('stores what a page sends as it unloads: a sendBeacon body and a keepalive fetch, key in the body', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(shopUrl);
      const queued = await page.evaluate(
        async ({ retain, writeKey }) => {
          const { navigator } = globalThis as unknown as {
            navigator: { userAgent: string; sendBeacon(url: string, body: string): boolean };
          };
          const body = (extra: object) =>
            JSON.stringify({ writeKey, userId: 'web-unload', ...extra, context: { userAgent: navigator.userAgent } });
          const beacon = navigator.sendBeacon(`${retain}/v1/t`, body({ event: 'Cart Abandoned' }));
          const kept = await fetch(`${retain}/v1/p`, {
            method: 'POST',
            keepalive: true,
            headers: { 'content-type': 'text/plain' },
            body: body({ name: 'Leaving' }),
          });
          return { beacon, keepalive: kept.status };
        },
        { retain: runtime.url, writeKey: WRITE_KEY },
      );
      expect(queued).toEqual({ beacon: true, keepalive: 200 });
      let events: { type: string; context: { device?: { type?: string } } }[] = [];
      for (let attempt = 0; attempt < 40 && events.length < 2; attempt++) {
        await runtime.poller.drain();
        const res = await admin('GET', '/admin/v1/profiles/web-unload/events');
        events = res.status === 200 ? res.body.events : [];
        if (events.length < 2) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(events.map((e) => e.type).sort()).toEqual(['page', 'track']);
      expect(events.every((e) => e.context.device?.type === 'desktop')).toBe(true);
    } finally {
      await context.close();
    }
  });
});
