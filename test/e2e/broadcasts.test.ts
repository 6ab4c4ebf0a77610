import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

// Every wait below is on a condition (the pipeline drained, the clock advanced); these bounds are only room for a
// busy machine, where a test here takes tens of seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_broadcast-e2e';
const ADMIN_TOKEN = 'rat_broadcast-e2e';
let runtime: LocalRuntime;

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);
const example = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const seoulHour = (at: string | number | Date) =>
  Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(new Date(at)),
  );

/** n subscribers with e-mail; every fifth has only a phone number (the SMS fallback). */
const subscribers = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'identify',
    userId: `${prefix}-${i}`,
    traits:
      i % 5 === 4
        ? { name: `고객${i}`, phone: `010-5555-${String(1000 + i)}` }
        : { name: `고객${i}`, email: `${prefix}-${i}@example.com` },
    context: {
      timezone: 'Asia/Seoul',
      consent: { categoryPreferences: { email: true, sms: true, advertising: true } },
    },
  }));

beforeAll(async () => {
  ({ runtime } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  expect((await admin('POST', '/admin/v1/templates', example('examples/templates/year-end-sale.json'))).status).toBe(
    201,
  );
  expect((await admin('POST', '/admin/v1/segments', example('examples/segments/subscribers.json'))).status).toBe(201);
  await admin('PUT', '/admin/v1/settings', {
    sender: { name: '리테인상점', contact: '02-1234-5678' },
    sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
    seedList: { email: ['marketing-team@shop.example'], sms: ['010-0000-0000'] },
  });
  // Daytime in Seoul, so nobody is in quiet hours.
  const { now } = await client().advance('1m');
  await client().advance(`${(10 - seoulHour(now) + 24) % 24 || 24}h`);
  await client().send(subscribers('b', 40));
});

afterAll(async () => {
  await runtime?.stop();
});

describe('broadcasts through the local runtime', () => {
  it('refuses to send until the seed list has the current content, then sends throttled with a control group', async () => {
    const broadcast = { ...example('examples/broadcasts/year-end-sale.json'), ratePerMinute: 16 };
    expect((await admin('POST', '/admin/v1/broadcasts', broadcast)).status).toBe(201);

    const check = await admin('POST', '/admin/v1/broadcasts/year-end-sale/check');
    expect(check.status).toBe(200);
    const item = (id: string) => check.body.items.find((i: { id: string }) => i.id === id);
    expect(check.body.passed).toBe(false);
    expect(item('test-send')).toMatchObject({ passed: false });
    expect(item('audience')).toMatchObject({ passed: true });
    expect(item('audience').details.matching).toBe(40);
    expect(item('audience').details.control + item('audience').details.sendable).toBe(40);
    expect(item('links')).toMatchObject({ passed: true });
    expect(item('personalisation')).toMatchObject({ passed: true });
    expect(item('sending-window')).toMatchObject({ passed: true });
    // Three recipients × two variants × two channels (e-mail and its SMS fallback), marked as advertising.
    expect(item('samples').details).toHaveLength(12);
    expect(item('samples').details[0].rendered.email.subject).toMatch(/^\(광고\)/);

    const refused = await admin('POST', '/admin/v1/broadcasts/year-end-sale/send');
    expect(refused.status).toBe(409);
    expect(refused.body.failing.map((i: { id: string }) => i.id)).toEqual(['test-send']);
    expect(runtime.outbox.emails).toHaveLength(0);

    const tested = await admin('POST', '/admin/v1/broadcasts/year-end-sale/test-send');
    expect(tested.status).toBe(200);
    // Both variants by e-mail to the e-mail seed, both by SMS to the phone seed.
    expect(tested.body.results).toHaveLength(4);
    expect(runtime.outbox.emails.map((e) => e.subject)).toEqual([
      expect.stringMatching(/^\[TEST\] \(광고\)/),
      expect.stringMatching(/^\[TEST\] \(광고\) 최대 50%/),
    ]);
    runtime.outbox.emails.length = 0;
    runtime.outbox.texts.length = 0;

    const sent = await admin('POST', '/admin/v1/broadcasts/year-end-sale/send');
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.status).toBe('sending');
    await client().advance('10m');

    const after = (await admin('GET', '/admin/v1/broadcasts/year-end-sale')).body;
    expect(after.status).toBe('enqueued');
    expect(after.progress.enqueued + after.progress.heldOut).toBe(40);
    expect(after.progress.heldOut).toBe(item('audience').details.control);
    const mails = runtime.outbox.emails;
    const texts = runtime.outbox.texts;
    expect(mails.length + texts.length).toBe(after.progress.enqueued);
    expect(texts.every((t) => t.text.startsWith('(광고)') && t.text.endsWith('무료수신거부 080-123-4567'))).toBe(true);
    // Throttled to 16 a minute: spread over more than a minute, never more than 16 + one per scan segment in any minute.
    const times = [...mails, ...texts].map((m) => Date.parse(m.at)).sort((a, b) => a - b);
    expect(times.at(-1)! - times[0]).toBeGreaterThan(60_000);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(16 + 8);
    // Both variants went out; the control group is on the log as held out and got nothing.
    expect(new Set(mails.map((m) => m.subject.includes('최대 50%')))).toEqual(new Set([true, false]));
    const heldOut: string[] = [];
    for (let i = 0; i < 40; i++) {
      const [message] = (await admin('GET', `/admin/v1/profiles/b-${i}/messages`)).body.messages;
      expect(message.journeyId).toBe('broadcast:year-end-sale');
      if (message.status === 'held-out') heldOut.push(`b-${i}`);
      else expect(message.status).toBe('sent');
    }
    expect(heldOut.length).toBe(after.progress.heldOut);
    expect(mails.some((m) => heldOut.some((id) => m.to === `${id}@example.com`))).toBe(false);

    // Sent is sent: no second run, no edits.
    expect((await admin('POST', '/admin/v1/broadcasts/year-end-sale/send')).status).toBe(409);
    expect((await admin('PUT', '/admin/v1/broadcasts/year-end-sale', broadcast)).status).toBe(409);
  });

  it('counts outcomes live and attributes orders to the broadcast, control group included, in the reports', async () => {
    // Every third recipient orders within the window (control members too): revenue from `total`.
    const orders = Array.from({ length: 40 }, (_, i) => i)
      .filter((i) => i % 3 === 0)
      .map((i) => ({
        type: 'track',
        userId: `b-${i}`,
        event: 'Order Completed',
        properties: { order_id: `o-${i}`, total: 30000 },
      }));
    await client().send(orders);
    const funnel = await admin('GET', '/admin/v1/reports/message-funnel?broadcastId=year-end-sale');
    expect(funnel.status, JSON.stringify(funnel.body)).toBe(200);
    const lines = funnel.body.lines as {
      variant: string;
      sent: number;
      heldOut: number;
      converted: number;
      revenue: number;
      requested: number;
    }[];
    const after = (await admin('GET', '/admin/v1/broadcasts/year-end-sale')).body;
    expect(lines.reduce((n, l) => n + l.sent, 0)).toBe(after.progress.enqueued);
    expect(lines.reduce((n, l) => n + l.heldOut, 0)).toBe(after.progress.heldOut);
    expect(lines.reduce((n, l) => n + l.requested, 0)).toBe(40);
    expect(lines.reduce((n, l) => n + l.converted, 0)).toBe(orders.length);
    expect(lines.reduce((n, l) => n + l.revenue, 0)).toBe(orders.length * 30000);
    expect(funnel.body.definitions.attribution).toContain('Order Completed within 3 days');
    // An order again does not convert the same message twice.
    await client().send([{ ...orders[0], properties: { order_id: 'o-again', total: 1 } }]);
    const again = (await admin('GET', '/admin/v1/reports/message-funnel?broadcastId=year-end-sale')).body.lines as {
      converted: number;
    }[];
    expect(again.reduce((n, l) => n + l.converted, 0)).toBe(orders.length);

    const ab = await admin('GET', '/admin/v1/reports/ab-test?broadcastId=year-end-sale');
    expect(ab.body.reference).toBe('control');
    expect(ab.body.arms.map((a: { variant: string }) => a.variant)).toEqual(['control', 'A', 'B']);
    expect(ab.body.arms.reduce((n: number, a: { conversions: number }) => n + a.conversions, 0)).toBe(orders.length);
    expect(ab.body.winner).toBeNull();
    expect(ab.body.verdict).toMatch(/^(not yet|no conversions)/);
    const csv = await fetch(`${runtime.url}/admin/v1/reports/ab-test?broadcastId=year-end-sale&format=csv`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\n')[0]).toContain('variant,recipients,conversions,conversionRate');
    expect(text).toContain('pooled two-proportion z-test');
    expect((await admin('GET', '/admin/v1/reports/nothing?broadcastId=year-end-sale')).status).toBe(404);

    // The same orders reached the event archive: the SQL reports (DuckDB locally) see them.
    const repurchase = await admin('GET', '/admin/v1/reports/repurchase');
    expect(repurchase.status, JSON.stringify(repurchase.body)).toBe(200);
    expect(repurchase.body).toMatchObject({
      buyers: orders.length,
      repeatBuyers: 1,
      definitions: { engine: 'duckdb' },
    });
    const pareto = await admin('POST', '/admin/v1/reports/pareto', {});
    expect(pareto.body.revenue).toBe(orders.length * 30000 + 1);
    const funnel2 = await admin(
      'GET',
      `/admin/v1/reports/funnel?steps=${encodeURIComponent('Order Completed,Order Completed')}&windowDays=30`,
    );
    expect(funnel2.body.segments[0].steps.map((x: { customers: number }) => x.customers)).toEqual([orders.length, 1]);
    expect((await admin('POST', '/admin/v1/reports/funnel', { steps: [{ event: 'Only one' }] })).body.error.field).toBe(
      'body.steps',
    );
    expect((await admin('GET', '/admin/v1/reports/ab-test')).body.error.field).toBe('query.journeyId');
  });

  it('stops sending what is still queued when cancelled', async () => {
    // The next day: yesterday's sale used up the daily e-mail cap.
    await client().advance('1d');
    runtime.outbox.emails.length = 0;
    runtime.outbox.texts.length = 0;
    const broadcast = { id: 'slow-sale', segment: 'subscribers', template: 'year-end-sale', ratePerMinute: 4 };
    expect((await admin('POST', '/admin/v1/broadcasts', broadcast)).status).toBe(201);
    const send = await admin('POST', '/admin/v1/broadcasts/slow-sale/send', {
      force: { reason: 'the same content was tested as year-end-sale' },
    });
    expect(send.status, JSON.stringify(send.body)).toBe(202);
    expect(send.body.forced).toMatchObject({ failing: ['test-send'] });
    await client().advance('2m');
    // The local clock runs on in real time (one message every 15 s here), so count only once cancelled and once
    // a delivery already under way has finished: on a busy machine, seconds pass between two calls.
    expect((await admin('POST', '/admin/v1/broadcasts/slow-sale/cancel')).body.status).toBe('cancelled');
    await client().advance('1s');
    const early = runtime.outbox.emails.length + runtime.outbox.texts.length;
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(40);
    await client().advance('30m');
    expect(runtime.outbox.emails.length + runtime.outbox.texts.length).toBe(early);
    const statuses = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const messages = (await admin('GET', `/admin/v1/profiles/b-${i}/messages`)).body.messages;
      const slow = messages.find((m: { journeyId: string }) => m.journeyId === 'broadcast:slow-sale');
      if (slow) statuses.add(slow.status);
    }
    // Phone-only customers are skipped (this broadcast has no SMS fallback).
    expect(statuses).toEqual(new Set(['sent', 'skipped', 'cancelled']));
  });

  it('answers 400 naming the field for a broadcast to a segment that does not exist', async () => {
    const res = await admin('POST', '/admin/v1/broadcasts', {
      id: 'nowhere',
      segment: 'nobody',
      template: 'year-end-sale',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('body.segment');
  });
  it('fails the samples item of a broadcast that may become a marketing text while no 080 number is set', async () => {
    const settings = (await admin('GET', '/admin/v1/settings')).body;
    const { optOutNumber: _kept, ...sms } = settings.sms;
    expect((await admin('PUT', '/admin/v1/settings', { ...settings, sms })).status).toBe(200);
    try {
      const broadcast = { ...example('examples/broadcasts/year-end-sale.json'), id: 'no-opt-out-number' };
      expect((await admin('POST', '/admin/v1/broadcasts', broadcast)).status).toBe(201);
      const check = await admin('POST', '/admin/v1/broadcasts/no-opt-out-number/check');
      const samples = check.body.items.find((i: { id: string }) => i.id === 'samples');
      expect(samples.passed).toBe(false);
      expect(samples.summary).toContain('settings.sms.optOutNumber');
    } finally {
      await admin('PUT', '/admin/v1/settings', settings);
    }
  });
});
