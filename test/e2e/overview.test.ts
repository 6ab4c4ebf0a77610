// GET /admin/v1/overview through the local runtime: every owner's counters summed with the trend, opens from the
// tracking pixel, a draft broadcast whose checklist fails, dead letters, and a refused query named by its field.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { postExampleCoupons } from '../support/exampleCoupons.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_overview-e2e';
const ADMIN_TOKEN = 'rat_overview-e2e';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);
const example = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  // The example templates hand out codes of the example pools.
  await postExampleCoupons(admin);
  expect((await admin('POST', '/admin/v1/templates', example('examples/templates/welcome-coupon.json'))).status).toBe(
    201,
  );
  await admin('PUT', '/admin/v1/settings', {
    sender: { name: '리테인상점', contact: '02-1234-5678' },
    email: { from: '리테인상점 <hello@shop.example>' },
  });
  await admin('POST', '/admin/v1/journeys', example('examples/journeys/welcome.json'));
  expect((await admin('POST', '/admin/v1/journeys/welcome/activate')).status).toBe(200);
  // 10:00 in Seoul, outside quiet hours.
  const { now } = await client().advance('1m');
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(new Date(now)),
  );
  await client().advance(`${(10 - hour + 24) % 24 || 24}h`);
  for (const userId of ['o-1', 'o-2', 'o-3', 'o-4']) {
    await client().send([
      {
        type: 'identify',
        userId,
        traits: { name: '김민지', email: `${userId}@example.com` },
        context: { timezone: 'Asia/Seoul', consent: { categoryPreferences: { email: true, advertising: true } } },
      },
      { type: 'track', userId, event: 'Signed Up' },
    ]);
  }
  await client().advance('15m');
  // One of the four opens: the pixel in its .eml, as a mail client loads it.
  const opened = runtime.outbox.emails.find((e) => e.to === 'o-1@example.com');
  expect(opened?.tracking?.open).toEqual(expect.any(String));
  expect((await fetch(opened!.tracking!.open)).status).toBe(200);
  await runtime.poller.drain(300_000);
  // A draft never test-sent: its checklist fails.
  await admin('POST', '/admin/v1/templates', example('examples/templates/year-end-sale.json'));
  await admin('POST', '/admin/v1/segments', example('examples/segments/subscribers.json'));
  expect((await admin('POST', '/admin/v1/broadcasts', example('examples/broadcasts/year-end-sale.json'))).status).toBe(
    201,
  );
  expect((await admin('POST', '/admin/v1/broadcasts/year-end-sale/check')).body.passed).toBe(false);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('GET /admin/v1/overview', () => {
  it('sums every journey and broadcast over the last 30 days, with the rates of the message funnel', async () => {
    const res = await admin('GET', '/admin/v1/overview');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.days).toBe(30);
    const totals = res.body.current.totals;
    expect(totals).toMatchObject({ sent: 4, opened: 1, clicked: 0, failed: 0, converted: 0, revenue: 0 });
    // Locally nothing reports deliveries for e-mail, so an open is counted against the sent.
    expect(totals.openRate).toBe(0.25);
    expect(totals.clickRate).toBe(0);
    expect(totals.negativeReactionRate).toBe(0);
    expect(res.body.definitions.openRate).toBe('unique opens ÷ reached');
  });

  it('compares with the same number of days just before, which here sent nothing', async () => {
    const { body } = await admin('GET', '/admin/v1/overview?days=7');
    const day = (iso: string) => Date.parse(iso) / 86_400_000;
    expect(day(body.current.to) - day(body.current.from)).toBe(6);
    expect(day(body.current.from) - day(body.previous.to)).toBe(1);
    expect(day(body.previous.to) - day(body.previous.from)).toBe(6);
    expect(body.previous.totals).toMatchObject({ sent: 0, opened: 0 });
    expect(body.previous.totals.openRate).toBeNull();
  });

  it('lists the draft broadcast whose checklist fails, with the failing items', async () => {
    const { body } = await admin('GET', '/admin/v1/overview');
    expect(body.attention.failingChecklists).toHaveLength(1);
    const [draft] = body.attention.failingChecklists;
    expect(draft.broadcastId).toBe('year-end-sale');
    expect(draft.failing.map((i: { id: string }) => i.id)).toContain('test-send');
    expect(body.attention.failedSends).toEqual([]);
  });

  it('counts the dead letters: a message the sender refused on every receive waits in its queue', async () => {
    expect((await admin('GET', '/admin/v1/overview')).body.attention.deadLetters).toEqual([]);
    // Not a delivery request: the SMS sender fails it three times, then the queue keeps it as a dead letter.
    runtime.scheduler.later(
      'sms',
      'poison-1',
      { channel: 'sms', not: 'a delivery request' },
      new Date(0).toISOString(),
    );
    runtime.scheduler.later('sms', 'poison-2', { channel: 'sms' }, new Date(0).toISOString());
    await runtime.scheduler.fireDue();
    const { body } = await admin('GET', '/admin/v1/overview');
    expect(body.attention.deadLetters).toEqual([{ queue: 'sms', messages: 2 }]);
    expect(body.definitions.deadLetters).toMatch(/dead-letter queue/);
    expect(runtime.scheduler.deadLetters.map((d) => d.queue)).toEqual(['sms', 'sms']);
  });

  it('refuses days outside 1–366 naming the field', async () => {
    const res = await admin('GET', '/admin/v1/overview?days=0');
    expect(res.status).toBe(400);
    expect(res.body.error.field).toMatch(/days/);
  });

  it('left nothing in the runtime’s error list', () => {
    expect(runtimeErrors).toEqual([]);
  });
});
