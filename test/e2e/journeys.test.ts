import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { postExampleCoupons } from '../support/exampleCoupons.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

// Every wait below is on a condition (the pipeline drained, the clock advanced); these bounds are only room for a
// busy machine, where a test here takes tens of seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_journeys-e2e';
const ADMIN_TOKEN = 'rat_journeys-e2e';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  // The example templates hand out codes of the example pools.
  await postExampleCoupons(admin);
  // Activation renders every send step's template: the examples' templates come first.
  for (const file of readdirSync('examples/templates')) {
    expect(
      (await admin('POST', '/admin/v1/templates', JSON.parse(readFileSync(`examples/templates/${file}`, 'utf8'))))
        .status,
    ).toBe(201);
  }
  const vip = JSON.parse(readFileSync('examples/segments/vip.json', 'utf8'));
  expect((await admin('POST', '/admin/v1/segments', vip)).status).toBe(201);
  for (const name of ['welcome', 'cart-abandonment', 'repurchase', 'dormant-win-back', 'vip-upgrade']) {
    const definition = JSON.parse(readFileSync(`examples/journeys/${name}.json`, 'utf8'));
    const created = await admin('POST', '/admin/v1/journeys', definition);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const activated = await admin('POST', `/admin/v1/journeys/${definition.id}/activate`);
    expect(
      activated.body,
      JSON.stringify(activated.body.failing?.map((f: { summary: string }) => f.summary)),
    ).toMatchObject({ status: 'active', activeVersion: 1 });
  }
});

afterAll(async () => {
  await runtime?.stop();
});

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);
const send = (messages: Record<string, unknown>[]) => client().send(messages);

const track = (
  userId: string,
  event: string,
  properties: Record<string, unknown> = {},
  context?: Record<string, unknown>,
) => send([{ type: 'track', userId, event, properties, ...(context ? { context } : {}) }]);

const advance = (by: string) => client().advance(by);

/** What was requested to be sent (a control group's held-out record is not a delivery). */
const deliveriesTo = (userId: string) =>
  runtime.outbox.requests.filter((r) => r.userId === userId && !r.holdout).map((r) => `${r.channel}:${r.template}`);

describe('the five example journeys in the local runtime, on the advanced clock', () => {
  it('welcome: a sign-up gets the welcome coupon 10 minutes later, once ever', async () => {
    await track('w-1', 'Signed Up');
    await advance('5m');
    expect(deliveriesTo('w-1')).toEqual([]);
    await advance('6m');
    expect(deliveriesTo('w-1')).toEqual(['email:welcome-coupon']);
    const profile = await admin('GET', '/admin/v1/profiles/w-1');
    expect(profile.body.traits).toMatchObject({ welcomed: true, points: 100 });

    await track('w-1', 'Signed Up');
    await advance('1h');
    expect(deliveriesTo('w-1')).toEqual(['email:welcome-coupon']);
  });

  it('cart abandonment: reminds after 24 hours, e-mails when the push was not opened', async () => {
    await send([{ type: 'identify', userId: 'c-1', context: { consent: { categoryPreferences: { push: true } } } }]);
    await track('c-1', 'Product Added', { product_id: 'mug' });
    await advance('23h');
    expect(deliveriesTo('c-1')).toEqual([]);
    await advance('2h');
    expect(deliveriesTo('c-1')).toEqual(['push:cart-reminder']);
    await advance('1d');
    expect(deliveriesTo('c-1')).toEqual(['push:cart-reminder', 'email:cart-reminder-email']);
    const request = runtime.outbox.requests.find((r) => r.userId === 'c-1')!;
    expect(request).toMatchObject({
      journeyId: 'cart-abandonment',
      journeyVersion: 1,
      category: 'marketing',
      trigger: { event: 'Product Added', properties: { product_id: 'mug' } },
    });
  });

  it('cart abandonment: never reminds someone who bought in the meantime', async () => {
    await send([{ type: 'identify', userId: 'c-2', context: { consent: { categoryPreferences: { push: true } } } }]);
    await track('c-2', 'Product Added', { product_id: 'mug' });
    await advance('2h');
    await track('c-2', 'Order Completed', { total: 12000 });
    await advance('3d');
    expect(deliveriesTo('c-2')).toEqual([]);
    const { body } = await admin('GET', '/admin/v1/journeys/cart-abandonment/instances?userId=c-2');
    expect(body.instances).toMatchObject([{ status: 'converted', endReason: 'goal Order Completed' }]);
  });

  it("a customer's journeys: every run across journeys, the one they are in first", async () => {
    // c-2 (above) converted out of cart abandonment, and their order entered them into repurchase's 30-day wait.
    const { status, body } = await admin('GET', '/admin/v1/profiles/c-2/journeys');
    expect(status).toBe(200);
    expect(body.instances.map((i: { journeyId: string; status: string }) => `${i.journeyId}:${i.status}`)).toEqual([
      'repurchase:active',
      'cart-abandonment:converted',
    ]);
    expect(body.instances[0].waiting).toMatchObject({ kind: 'time' });
    expect((await admin('GET', '/admin/v1/profiles/nobody-here/journeys')).body).toEqual({ instances: [] });
  });

  it('cart abandonment: a customer without push consent does not enter', async () => {
    await track('c-3', 'Product Added', { product_id: 'mug' });
    await advance('25h');
    expect(deliveriesTo('c-3')).toEqual([]);
    expect((await admin('GET', '/admin/v1/journeys/cart-abandonment/instances?userId=c-3')).body.instances).toEqual([]);
  });

  it('repurchase: 30 days after the last order, at 10:00 local time; a new order restarts the month', async () => {
    await track('r-1', 'Order Completed', { total: 30000 }, { timezone: 'Asia/Seoul' });
    await advance('10d');
    await track('r-1', 'Order Completed', { total: 20000 });
    await advance('25d');
    expect(deliveriesTo('r-1')).toEqual([]);
    await advance('6d');
    expect(deliveriesTo('r-1')).toEqual(['push:repurchase-recommendation']);
    const request = runtime.outbox.requests.find((r) => r.userId === 'r-1')!;
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Seoul',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(request.requestedAt));
    expect(local).toBe('10:00');
    const { body } = await admin('GET', '/admin/v1/journeys/repurchase/instances?userId=r-1');
    expect(body.instances.map((i: { status: string }) => i.status).sort()).toEqual(['completed', 'exited']);
  });

  it('dormant win-back: each app open restarts the 30 days; silence earns an offer by variant (or nothing in control)', async () => {
    await track('d-1', 'Application Opened');
    await advance('20d');
    await track('d-1', 'Application Opened');
    await advance('20d');
    expect(deliveriesTo('d-1')).toEqual([]);
    await advance('11d');
    const { body } = await admin('GET', '/admin/v1/journeys/dormant-win-back/instances?userId=d-1');
    const last = body.instances.find((i: { status: string }) => i.status === 'completed');
    expect(['percent', 'shipping', 'control']).toContain(last.variant);
    const expected = { percent: ['push:win-back-15-percent'], shipping: ['push:win-back-free-shipping'], control: [] }[
      last.variant as 'percent'
    ];
    expect(deliveriesTo('d-1')).toEqual(expected);
    // Control or not, the customer is on the message log under the offer step, so the A/B report can compare.
    const [message] = (await admin('GET', '/admin/v1/profiles/d-1/messages')).body.messages;
    expect(message).toMatchObject({
      journeyId: 'dormant-win-back',
      variant: last.variant,
      status: last.variant === 'control' ? 'held-out' : expect.any(String),
    });
  });

  it('VIP upgrade: crossing 500,000 in revenue thanks the customer once and sets the tier', async () => {
    await track('v-1', 'Order Completed', { total: 300000 });
    expect(deliveriesTo('v-1')).toEqual([]);
    await track('v-1', 'Order Completed', { total: 250000 });
    expect(deliveriesTo('v-1')).toEqual(['email:vip-thank-you']);
    await track('v-1', 'Order Completed', { total: 100000 });
    expect(deliveriesTo('v-1')).toEqual(['email:vip-thank-you']);
    expect((await admin('GET', '/admin/v1/profiles/v-1')).body.traits.tier).toBe('vip');
    const estimate = await admin('POST', '/admin/v1/segments/vip/estimate');
    expect(estimate.body.matching).toBe(1);
  });
});

describe('journey administration', () => {
  it('refuses an invalid journey with the path of the offending step', async () => {
    const res = await admin('POST', '/admin/v1/journeys', {
      id: 'broken',
      name: 'Broken',
      trigger: { kind: 'event', event: 'A' },
      start: 'a',
      steps: { a: { type: 'wait', duration: '1h', next: 'nowhere' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'invalid_journey', field: 'steps.a.next' });
    const check = await admin('POST', '/admin/v1/journeys/validate', {
      id: 'x',
      name: 'X',
      trigger: { kind: 'manual' },
      start: 's',
      steps: { s: { type: 'exit' }, t: { type: 'exit' } },
    });
    expect(check.body).toEqual({
      valid: false,
      problems: [{ path: 'steps.t', message: 'unreachable from the start step' }],
    });
  });

  it('versions edits: running instances finish on their version, new entries get the new one', async () => {
    const definition = JSON.parse(readFileSync('examples/journeys/welcome.json', 'utf8'));
    definition.id = 'welcome-v';
    definition.reentry = { policy: 'one-at-a-time' };
    await admin('POST', '/admin/v1/journeys', definition);
    await admin('POST', '/admin/v1/journeys/welcome-v/activate');
    await track('vv-1', 'Signed Up');
    const edited = {
      ...definition,
      steps: { ...definition.steps, welcome: { ...definition.steps.welcome, template: 'welcome-v2' } },
    };
    expect((await admin('PUT', '/admin/v1/journeys/welcome-v', edited)).body).toMatchObject({
      latestVersion: 2,
      activeVersion: 1,
    });
    await admin('POST', '/admin/v1/journeys/welcome-v/activate', {
      version: 2,
      force: { reason: 'lifecycle test: its template is not the point' },
    });
    await track('vv-2', 'Signed Up');
    await advance('15m');
    const templates = runtime.outbox.requests
      .filter((r) => r.journeyId === 'welcome-v')
      .map((r) => `${r.userId}:${r.template}:v${r.journeyVersion}`)
      .sort();
    expect(templates).toEqual(['vv-1:welcome-coupon:v1', 'vv-2:welcome-v2:v2']);
    expect((await admin('GET', '/admin/v1/journeys/welcome-v/versions')).body.versions).toHaveLength(2);
  });

  it('pausing stops new entries and holds waiting customers; activating releases them', async () => {
    const definition = {
      ...JSON.parse(readFileSync('examples/journeys/welcome.json', 'utf8')),
      id: 'welcome-p',
      steps: {
        settle: { type: 'wait', duration: '2h', next: 'welcome' },
        welcome: { type: 'send', channel: 'email', template: 'welcome-p', next: 'done' },
        done: { type: 'exit' },
      },
    };
    await admin('POST', '/admin/v1/journeys', definition);
    await admin('POST', '/admin/v1/journeys/welcome-p/activate', {
      force: { reason: 'lifecycle test: its template is not the point' },
    });
    await track('p-1', 'Signed Up');
    await admin('POST', '/admin/v1/journeys/welcome-p/pause');
    await track('p-2', 'Signed Up');
    await advance('3h');
    expect(runtime.outbox.requests.filter((r) => r.journeyId === 'welcome-p')).toEqual([]);
    await admin('POST', '/admin/v1/journeys/welcome-p/activate', {
      force: { reason: 'lifecycle test: its template is not the point' },
    });
    await advance('1h');
    expect(runtime.outbox.requests.filter((r) => r.journeyId === 'welcome-p').map((r) => r.userId)).toEqual(['p-1']);
  });

  it('archiving ends the waiting instances', async () => {
    const definition = { ...JSON.parse(readFileSync('examples/journeys/welcome.json', 'utf8')), id: 'welcome-a' };
    await admin('POST', '/admin/v1/journeys', definition);
    await admin('POST', '/admin/v1/journeys/welcome-a/activate');
    await track('a-1', 'Signed Up');
    await admin('POST', '/admin/v1/journeys/welcome-a/archive');
    await advance('1h');
    expect(runtime.outbox.requests.filter((r) => r.journeyId === 'welcome-a')).toEqual([]);
    const { body } = await admin('GET', '/admin/v1/journeys/welcome-a/instances?userId=a-1');
    expect(body.instances).toMatchObject([{ status: 'exited', endReason: 'journey archived' }]);
  });

  it('refuses to activate a journey whose message cannot be rendered, unless forced with a reason', async () => {
    const definition = {
      id: 'broken-links',
      name: 'Broken',
      trigger: { kind: 'manual' },
      start: 's',
      steps: { s: { type: 'send', channel: 'push', template: 'untagged', next: 'e' }, e: { type: 'exit' } },
    };
    await admin('POST', '/admin/v1/templates', {
      id: 'untagged',
      name: 'Untagged',
      channel: 'push',
      push: { title: 'Sale', body: 'See https://shop.example/sale' },
    });
    await admin('POST', '/admin/v1/journeys', definition);
    const refused = await admin('POST', '/admin/v1/journeys/broken-links/activate');
    expect(refused.status).toBe(409);
    expect(refused.body.failing).toMatchObject([
      { id: 'links', passed: false, summary: expect.stringContaining('missing utm_source, utm_medium, utm_campaign') },
    ]);
    expect((await admin('GET', '/admin/v1/journeys/broken-links')).body.status).toBe('draft');
    expect(
      (await admin('POST', '/admin/v1/journeys/broken-links/activate', { force: { reason: 'short' } })).body.error
        .field,
    ).toBe('body.force.reason');
    const forced = await admin('POST', '/admin/v1/journeys/broken-links/activate', {
      force: { reason: 'the shop tags links at its redirector' },
    });
    expect(forced.body).toMatchObject({
      status: 'active',
      checklist: { passed: false, forced: 'the shop tags links at its redirector' },
    });
  });

  it('enters a list of customers now, once per request', async () => {
    const definition = {
      id: 'manual-note',
      name: 'Manual',
      trigger: { kind: 'manual' },
      reentry: { policy: 'after', days: 1 },
      start: 's',
      steps: {
        s: { type: 'send', channel: 'email', template: 'note', category: 'transactional', next: 'e' },
        e: { type: 'exit' },
      },
    };
    await admin('POST', '/admin/v1/journeys', definition);
    await admin('POST', '/admin/v1/journeys/manual-note/activate', {
      force: { reason: 'lifecycle test: its template is not the point' },
    });
    await send([{ type: 'identify', userId: 'm-1', traits: { name: 'M' } }]);
    const first = await admin('POST', '/admin/v1/journeys/manual-note/enter', {
      userIds: ['m-1', 'm-unknown'],
      requestId: 'req-1',
    });
    expect(first.body.results).toEqual({ 'm-1': 'entered', 'm-unknown': 'no-profile' });
    const again = await admin('POST', '/admin/v1/journeys/manual-note/enter', { userIds: ['m-1'], requestId: 'req-2' });
    expect(again.body.results).toEqual({ 'm-1': 'refused' });
    expect(runtime.outbox.requests.filter((r) => r.journeyId === 'manual-note')).toHaveLength(1);
  });

  it('simulates a journey for a customer without sending anything', async () => {
    const before = runtime.outbox.requests.length;
    const res = await admin('POST', '/admin/v1/journeys/cart-abandonment/simulate', {
      userId: 'sim-1',
      traits: {},
      start: '2026-12-01T00:00:00.000Z',
      events: [{ at: '2026-12-01T01:00:00.000Z', event: 'Product Added' }],
    });
    // The simulated customer has no push consent, so the entry rule keeps them out.
    expect(res.body).toMatchObject({ journeyId: 'cart-abandonment', entered: false });
    const vip = await admin('POST', '/admin/v1/journeys/welcome/simulate', {
      start: '2026-12-01T00:00:00.000Z',
      events: [{ at: '2026-12-01T01:00:00.000Z', event: 'Signed Up' }],
    });
    expect(vip.body.sends).toEqual([
      {
        at: '2026-12-01T01:10:00.000Z',
        step: 'welcome',
        channel: 'email',
        template: 'welcome-coupon',
        category: 'marketing',
      },
    ]);
    expect(runtime.outbox.requests.length).toBe(before);
  });

  it('ran without a runtime error, a stream dead letter or a lost wake-up', () => {
    expect(runtimeErrors).toEqual([]);
    expect(runtime.poller.deadLetters).toEqual([]);
    expect(runtime.scheduler.deadLetters).toEqual([]);
  });
});

describe('identity and journeys', () => {
  it('ends a journey started while anonymous when the identified customer buys', async () => {
    await send([
      { type: 'identify', anonymousId: 'anon-cart', context: { consent: { categoryPreferences: { push: true } } } },
      { type: 'track', anonymousId: 'anon-cart', event: 'Product Added', properties: { product_id: 'mug' } },
    ]);
    await send([{ type: 'identify', userId: 'known-cart', anonymousId: 'anon-cart', traits: { name: 'Yoon' } }]);
    await track('known-cart', 'Order Completed', { total: 9000 });
    await advance('2d');
    expect(runtime.outbox.requests.filter((r) => r.userKey === 'a:anon-cart' || r.userId === 'known-cart')).toEqual([]);
    const { body } = await admin('GET', '/admin/v1/profiles/known-cart');
    expect(body.mergedKeys).toEqual(['a:anon-cart']);
  });
});
