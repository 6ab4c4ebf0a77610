import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { postExampleCoupons } from '../support/exampleCoupons.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

// Every wait below is on a condition (the pipeline drained, the clock advanced); these bounds are only room for a
// busy machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_erasure-e2e';
const ADMIN_TOKEN = 'rat_erasure-e2e';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let dataDir: string;
const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);

/** Every file under the data folder, with its text (the DynamoDB Local tables are elsewhere in these tests). */
function filesUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile())
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

const funnel = async () => {
  const res = await admin('GET', `/admin/v1/reports/funnel?steps=${encodeURIComponent('Signed Up,Order Completed')}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.segments[0].steps[0].customers as number;
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'retain-erasure-'));
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({
    writeKey: WRITE_KEY,
    adminToken: ADMIN_TOKEN,
    dataDir,
  }));
  // The example templates hand out codes of the example pools.
  await postExampleCoupons(admin);
  await admin(
    'POST',
    '/admin/v1/templates',
    JSON.parse(readFileSync('examples/templates/welcome-coupon.json', 'utf8')),
  );
  await admin('POST', '/admin/v1/templates', {
    id: 'welcome-text',
    name: 'Welcome text',
    channel: 'sms',
    sms: { text: '{{ profile.traits.name | default: "고객" }}님, 환영합니다' },
  });
  await admin('PUT', '/admin/v1/settings', {
    sender: { name: '리테인상점', contact: '02-1234-5678' },
    email: { from: '리테인상점 <hello@shop.example>' },
    sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
  });
  const journey = {
    id: 'welcome-then-wait',
    name: 'Welcome, then a wait of two days',
    trigger: { kind: 'event', event: 'Signed Up' },
    start: 'mail',
    steps: {
      mail: { type: 'send', channel: 'email', template: 'welcome-coupon', next: 'text' },
      text: { type: 'send', channel: 'sms', template: 'welcome-text', next: 'later' },
      later: { type: 'wait', duration: '2d', next: 'done' },
      done: { type: 'exit' },
    },
  };
  expect((await admin('POST', '/admin/v1/journeys', journey)).status).toBe(201);
  const activated = await admin('POST', '/admin/v1/journeys/welcome-then-wait/activate');
  expect(activated.status, JSON.stringify(activated.body)).toBe(200);
  // Away from quiet hours in Seoul, so both messages go out now.
  const { now } = await client().advance('1m');
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(new Date(now)),
  );
  await client().advance(`${(10 - hour + 24) % 24 || 24}h`);

  const consent = { categoryPreferences: { email: true, sms: true, advertising: true, nightAdvertising: true } };
  for (const [userId, email, phone] of [
    ['erase-kim', 'kim.erased@example.com', '010-7777-8888'],
    ['keep-lee', 'lee.kept@example.com', '010-5555-6666'],
  ]) {
    await client().send([
      {
        type: 'identify',
        userId,
        anonymousId: `${userId}-device`,
        traits: { name: userId, email, phone },
        context: { timezone: 'Asia/Seoul', consent },
      },
      { type: 'track', userId, event: 'Signed Up', properties: { referrer: email } },
    ]);
  }
  await client().advance('1m');
});

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('erasure through the local runtime', () => {
  it('finds a customer by the e-mail or phone a marketer types, normalised as ingest does', async () => {
    const byEmail = await admin('GET', `/admin/v1/profiles?email=${encodeURIComponent(' Kim.Erased@Example.com ')}`);
    expect(byEmail.status, JSON.stringify(byEmail.body)).toBe(200);
    expect(byEmail.body.customers).toEqual([
      expect.objectContaining({ userId: 'erase-kim', email: 'kim.erased@example.com', phone: '+821077778888' }),
    ]);
    const byPhone = await admin('GET', `/admin/v1/profiles?phone=${encodeURIComponent('010-5555-6666')}`);
    expect(byPhone.body.customers.map((c: { userId: string }) => c.userId)).toEqual(['keep-lee']);
    expect((await admin('GET', '/admin/v1/profiles?email=nobody%40example.com')).body.customers).toEqual([]);

    const both = await admin('GET', '/admin/v1/profiles?email=a%40b.c&phone=01012345678');
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toContain('email');
    const notAnAddress = await admin('GET', '/admin/v1/profiles?phone=call-me');
    expect(notAnAddress.status).toBe(400);
    expect(JSON.stringify(notAnAddress.body)).toContain('phone');
  });

  it('leaves no trace of the customer in any file, report or pending wake-up, and records what it removed', async () => {
    const traces = ['erase-kim', 'kim.erased@example.com', '+821077778888', '01077778888'];
    const mentioning = () =>
      filesUnder(dataDir)
        .filter(({ text }) => traces.some((t) => text.includes(t)))
        .map(({ file }) => file.slice(dataDir.length + 1));
    // Before: the customer is in the archive, the outbox, the delivery requests and schedules.json.
    const before = mentioning();
    expect(before).toEqual(
      expect.arrayContaining([
        'schedules.json',
        'outbox/sms.ndjson',
        'outbox/delivery-requests.ndjson',
        expect.stringMatching(/^outbox\/email\/.+\.eml$/),
        expect.stringMatching(/^archive\/events\/dt=.+\.ndjson$/),
      ]),
    );
    expect(await funnel()).toBe(2);
    // Each got a welcome coupon; the pool report says whose.
    const holders = async () =>
      ((await admin('GET', '/admin/v1/coupons/welcome-10')).body.recent as { userKey?: string }[]).map(
        (c) => c.userKey,
      );
    expect(await holders()).toEqual(expect.arrayContaining(['u:erase-kim', 'u:keep-lee']));

    const erased = await admin('DELETE', '/admin/v1/profiles/erase-kim');
    expect(erased.status, JSON.stringify(erased.body)).toBe(200);
    expect(erased.body).toMatchObject({ erased: true, profiles: 2, wakeUps: 1, erasureId: expect.any(String) });

    expect(mentioning()).toEqual([]);
    expect(await funnel()).toBe(1);
    expect((await admin('GET', '/admin/v1/profiles?email=kim.erased%40example.com')).body.customers).toEqual([]);
    // The other customer is untouched: still mailed, texted and waiting.
    expect(filesUnder(dataDir).some(({ text }) => text.includes('lee.kept@example.com'))).toBe(true);
    expect(readFileSync(join(dataDir, 'schedules.json'), 'utf8')).toContain('keep-lee');

    const record = await admin('GET', `/admin/v1/erasures/${erased.body.erasureId}`);
    expect(record.status).toBe(200);
    const removed = Object.fromEntries(
      (record.body.steps as { where: string; removed: number }[]).map((s) => [s.where, s.removed]),
    );
    // The holder row, the code's holder and the message that printed it.
    expect(removed['coupon pools (who holds which code)']).toBe(3);
    const after = await holders();
    expect(after).toContain('u:keep-lee');
    expect(after).not.toContain('u:erase-kim');
    expect((await admin('GET', '/admin/v1/coupons/welcome-10')).body).toMatchObject({ issued: 2 });
    expect(removed).toMatchObject({
      'journey wake-ups': 1,
      'erased-customer list (hashed keys)': 2,
      'outbox/email': 1,
      'outbox/sms.ndjson': 1,
      'profiles table': 2,
    });
    expect(removed['archive/events']).toBeGreaterThanOrEqual(2);
    expect(removed['events table']).toBeGreaterThanOrEqual(2);
    expect(removed['outbox/delivery-requests.ndjson']).toBeGreaterThanOrEqual(2);
    expect(record.body.kept.join(' ')).toContain('suppression list');
    expect(JSON.stringify(record.body)).not.toMatch(/erase-kim|kim\.erased|7777/);

    // Time passing wakes nobody up for the erased customer: the other's wait ends, theirs never fires.
    const advanced = await client().advance('3d');
    expect(advanced.fired).toBeGreaterThanOrEqual(1);
    expect(mentioning()).toEqual([]);
  });

  it('ran without errors or dead letters', () => {
    expect(runtimeErrors).toEqual([]);
    expect(runtime.scheduler.deadLetters).toEqual([]);
  });
});
