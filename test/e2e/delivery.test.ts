import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { postExampleCoupons } from '../support/exampleCoupons.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

// Every wait below is on a condition (the pipeline drained, the clock advanced); these bounds are only room for a
// busy machine, where a test here takes tens of seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_delivery-e2e';
const ADMIN_TOKEN = 'rat_delivery-e2e';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  // The example templates hand out codes of the example pools.
  await postExampleCoupons(admin);
  for (const file of readdirSync('examples/templates')) {
    const res = await admin(
      'POST',
      '/admin/v1/templates',
      JSON.parse(readFileSync(`examples/templates/${file}`, 'utf8')),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  await admin('PUT', '/admin/v1/settings', {
    sender: { name: '리테인상점', contact: '02-1234-5678' },
    email: { from: '리테인상점 <hello@shop.example>' },
  });
  const welcome = JSON.parse(readFileSync('examples/journeys/welcome.json', 'utf8'));
  await admin('POST', '/admin/v1/journeys', welcome);
  await admin('POST', '/admin/v1/journeys/welcome/activate');
  // The local clock starts at the wall clock: move it to 10:00 in Seoul, or a run in the evening would meet
  // quiet hours where the tests expect a send.
  const { now } = await advance('1m');
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(new Date(now)),
  );
  await advance(`${(10 - hour + 24) % 24 || 24}h`);
});

afterAll(async () => {
  await runtime?.stop();
});

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);
const send = (messages: Record<string, unknown>[]) => client().send(messages);

const advance = (by: string) => client().advance(by);
const consenting = (userId: string, extra: Record<string, unknown> = {}) => ({
  type: 'identify',
  userId,
  traits: { name: '김민지', email: `${userId}@example.com` },
  context: {
    timezone: 'Asia/Seoul',
    locale: 'ko-KR',
    consent: { categoryPreferences: { email: true, advertising: true } },
    ...extra,
  },
});
const emailsTo = (userId: string) => runtime.outbox.emails.filter((e) => e.to === `${userId}@example.com`);

describe('delivery through the local runtime', () => {
  it('turns a journey send into a marked-up .eml with a working one-click unsubscribe', async () => {
    await send([consenting('d-1'), { type: 'track', userId: 'd-1', event: 'Signed Up' }]);
    await advance('15m');
    const [mail] = emailsTo('d-1');
    // MIME folds long header lines; unfold before reading them.
    mail.raw = mail.raw.replace(/\r\n[ \t]+/g, ' ');
    expect(mail.subject).toBe('(광고) 김민지님, 가입을 환영합니다');
    expect(mail.raw).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/v1\/unsubscribe\?token=[\w.-]+>/m);
    expect(mail.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    expect(mail.raw).toMatch(/^From: =\?UTF-8\?/m);
    const messages = await admin('GET', '/admin/v1/profiles/d-1/messages');
    expect(messages.body.messages).toMatchObject([
      { status: 'sent', template: 'welcome-coupon', journeyId: 'welcome' },
    ]);

    const link = /^List-Unsubscribe: <([^>]+)>/m.exec(mail.raw)![1];
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect((await admin('GET', '/admin/v1/profiles/d-1')).body.consent.email.granted).toBe(true);
    const done = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(done.status).toBe(200);
    await runtime.poller.drain();
    const profile = (await admin('GET', '/admin/v1/profiles/d-1')).body;
    expect(profile.consent.email.granted).toBe(false);
    expect(profile.computed.eventCounts.Unsubscribed).toBe(1);
    expect((await fetch(link.replace(/token=[^&]+/, 'token=forged.token'))).status).toBe(400);
  });

  it("defers a marketing e-mail triggered at night to 08:00 in the customer's zone", async () => {
    const { now } = await advance('1m');
    const local = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(
        new Date(now),
      ),
    );
    await advance(`${(22 - local + 24) % 24 || 24}h`); // to 22:xx in Seoul
    await send([consenting('d-2'), { type: 'track', userId: 'd-2', event: 'Signed Up' }]);
    await advance('15m');
    expect(emailsTo('d-2')).toEqual([]);
    const [deferred] = (await admin('GET', '/admin/v1/profiles/d-2/messages')).body.messages;
    expect(deferred).toMatchObject({ status: 'deferred', reason: 'quiet hours' });
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit' }).format(
        new Date(deferred.deferredUntil),
      ),
    ).toBe('08:00');
    await advance('10h');
    const [mail] = emailsTo('d-2');
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', minute: '2-digit' }).format(
        new Date(mail.at),
      ),
    ).toBe('08:00');
  });

  it('skips a customer without consent and says why', async () => {
    await send([
      { type: 'identify', userId: 'd-3', traits: { email: 'd-3@example.com' } },
      { type: 'track', userId: 'd-3', event: 'Signed Up' },
    ]);
    await advance('15m');
    expect(emailsTo('d-3')).toEqual([]);
    expect((await admin('GET', '/admin/v1/profiles/d-3/messages')).body.messages).toMatchObject([
      { status: 'skipped', reason: 'no email consent' },
    ]);
  });

  it('previews a template for a customer, compliance included, and test-sends it', async () => {
    const preview = await admin('POST', '/admin/v1/templates/cart-reminder-email/preview', { userId: 'd-1' });
    expect(preview.body.email.subject).toBe('(광고) 장바구니에 담아 두신 상품이 있어요');
    expect(preview.body.email.html).toContain('리테인상점');
    expect(preview.body.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const push = await admin('POST', '/admin/v1/templates/cart-reminder/preview', { category: 'transactional' });
    expect(push.body.push).toEqual({
      title: '고객님, 장바구니를 잊지 마세요',
      body: '담아 두신 상품이(가) 기다리고 있어요',
      deepLink: 'myshop://cart',
    });
    const test = await admin('POST', '/admin/v1/templates/welcome-coupon/test-send', { to: 'qa@shop.example' });
    expect(test.body.sent).toBe(true);
    expect(runtime.outbox.emails.at(-1)!.subject).toBe('[TEST] (광고) 고객님, 가입을 환영합니다');
    const outbox = await admin('GET', '/admin/v1/outbox');
    expect(outbox.body.email[0]).toMatchObject({ to: 'qa@shop.example' });
  });

  it('refuses an invalid template or settings with the field named', async () => {
    const bad = await admin('POST', '/admin/v1/templates', {
      id: 'x',
      name: 'X',
      channel: 'email',
      push: { title: 't', body: 'b' },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: 'body.channel' } } });
    const settings = await admin('PUT', '/admin/v1/settings', { quietHours: { start: '25:00' } });
    expect(settings).toMatchObject({ status: 400, body: { error: { field: 'body.quietHours.start' } } });
  });

  it('ran without errors or dead letters', () => {
    expect(runtimeErrors).toEqual([]);
    expect(runtime.scheduler.deadLetters).toEqual([]);
  });
});

describe('text messages', () => {
  it('previews a text with its byte count, type and cost class, and sends it from a registered number', async () => {
    await admin('POST', '/admin/v1/templates', {
      id: 'weekend',
      name: 'Weekend',
      channel: 'sms',
      sms: { text: '{{ profile.traits.name | default: "고객" }}님, 주말 특가!' },
    });
    await admin('PUT', '/admin/v1/settings', {
      sender: { name: '리테인상점', contact: '02-1234-5678' },
      sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
    });
    const preview = await admin('POST', '/admin/v1/templates/weekend/preview', {});
    expect(preview.body.sms).toMatchObject({
      text: '(광고)리테인상점\n고객님, 주말 특가!\n무료수신거부 080-123-4567',
      type: 'SMS',
      costClass: 'short',
      unsupported: [],
    });
    expect(preview.body.sms.bytes).toBe(61);
    await send([
      {
        type: 'identify',
        userId: 't-1',
        traits: { name: '최', phone: '010-2222-3333' },
        context: {
          timezone: 'Asia/Seoul',
          consent: { categoryPreferences: { sms: true, advertising: true, nightAdvertising: true } },
        },
      },
    ]);
    const journey = {
      id: 'sms-now',
      name: 'SMS now',
      trigger: { kind: 'manual' },
      start: 's',
      steps: { s: { type: 'send', channel: 'sms', template: 'weekend', next: 'e' }, e: { type: 'exit' } },
    };
    await admin('POST', '/admin/v1/journeys', journey);
    await admin('POST', '/admin/v1/journeys/sms-now/activate');
    await admin('POST', '/admin/v1/journeys/sms-now/enter', { userIds: ['t-1'], requestId: 'sms-1' });
    await advance('1m');
    const outbox = await admin('GET', '/admin/v1/outbox?channel=sms');
    expect(outbox.body.sms[0]).toMatchObject({
      to: '+821022223333',
      from: '02-1234-5678',
      type: 'SMS',
      text: '(광고)리테인상점\n최님, 주말 특가!\n무료수신거부 080-123-4567',
      bytes: 59,
    });
  });
});

describe('channel fallback', () => {
  it('tries push, falls back to SMS for a customer without the app, and lets the journey branch on the channel', async () => {
    await admin('POST', '/admin/v1/templates', {
      id: 'reminder-multi',
      name: 'Reminder',
      channel: 'push',
      push: { title: '장바구니를 확인하세요', body: '상품이 기다리고 있어요' },
      sms: { text: '장바구니에 상품이 기다리고 있어요' },
    });
    await send([
      {
        type: 'identify',
        userId: 'f-1',
        traits: { phone: '010-5555-6666' },
        context: {
          timezone: 'Asia/Seoul',
          consent: { categoryPreferences: { push: true, sms: true, advertising: true, nightAdvertising: true } },
        },
      },
    ]);
    const journey = {
      id: 'fallback-demo',
      name: 'Fallback',
      trigger: { kind: 'manual' },
      start: 'send',
      steps: {
        send: { type: 'send', channel: 'push', fallback: ['sms'], template: 'reminder-multi', next: 'wait' },
        wait: { type: 'wait', duration: '1h', next: 'via' },
        via: {
          type: 'branch',
          message: { step: 'send', outcome: 'delivered', via: 'sms' },
          then: 'points',
          else: 'done',
        },
        points: { type: 'update-profile', set: { reachedBy: 'sms' }, next: 'done' },
        done: { type: 'exit' },
      },
    };
    expect((await admin('POST', '/admin/v1/journeys', journey)).status).toBe(201);
    await admin('POST', '/admin/v1/journeys/fallback-demo/activate');
    await admin('POST', '/admin/v1/journeys/fallback-demo/enter', { userIds: ['f-1'], requestId: 'fb-1' });
    await advance('2h');
    expect(runtime.outbox.pushes.filter((p) => p.messageRef.includes('fallback'))).toEqual([]);
    const texts = runtime.outbox.texts.filter((m) => m.to === '+821055556666');
    expect(texts).toHaveLength(1);
    const [message] = (await admin('GET', '/admin/v1/profiles/f-1/messages')).body.messages;
    expect(message).toMatchObject({
      status: 'sent',
      deliveredVia: 'sms',
      attempts: [
        { channel: 'push', status: 'fallback' },
        { channel: 'sms', status: 'sent' },
      ],
    });
    expect((await admin('GET', '/admin/v1/profiles/f-1')).body.traits.reachedBy).toBe('sms');
  });
});

describe('KakaoTalk with an SMS fallback', () => {
  it('reminds by AlimTalk, and by SMS those without KakaoTalk — never both', async () => {
    await admin('POST', '/admin/v1/templates', {
      id: 'cart-kakao',
      name: 'Cart (Kakao, SMS fallback)',
      channel: 'kakao',
      kakao: {
        kind: 'alimtalk',
        templateCode: 'KA01TP-CART',
        text: '#{이름}님, 장바구니에 담은 상품이 기다리고 있어요.',
        variables: { 이름: '{{ profile.traits.name | default: "고객" }}' },
      },
      sms: { text: '{{ profile.traits.name | default: "고객" }}님, 장바구니에 담은 상품이 기다리고 있어요.' },
    });
    await admin('PUT', '/admin/v1/settings', {
      sender: { name: '리테인상점', contact: '02-1234-5678' },
      sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
      kakao: { channelId: 'KA01PF-SHOP' },
    });
    const consent = { categoryPreferences: { kakao: true, sms: true } };
    await send([
      {
        type: 'identify',
        userId: 'k-1',
        traits: { name: '한', phone: '010-1000-0001' },
        context: { timezone: 'Asia/Seoul', consent },
      },
      {
        type: 'identify',
        userId: 'k-2',
        traits: { name: '윤', phone: '010-1000-0002' },
        context: { timezone: 'Asia/Seoul', consent },
      },
    ]);
    runtime.outbox.withoutKakao.add('+821010000002');
    const journey = {
      id: 'cart-kakao',
      name: 'Cart reminder by KakaoTalk',
      trigger: { kind: 'event', event: 'Product Added' },
      start: 'wait',
      goal: { event: 'Order Completed' },
      steps: {
        wait: { type: 'wait', duration: '1h', next: 'remind' },
        remind: {
          type: 'send',
          channel: 'kakao',
          fallback: ['sms'],
          template: 'cart-kakao',
          category: 'transactional',
          next: 'done',
        },
        done: { type: 'exit' },
      },
    };
    await admin('POST', '/admin/v1/journeys', journey);
    await admin('POST', '/admin/v1/journeys/cart-kakao/activate');
    await send(
      ['k-1', 'k-2'].map((userId) => ({
        type: 'track',
        userId,
        event: 'Product Added',
        properties: { product_id: 'mug' },
      })),
    );
    await advance('2h');
    expect(runtime.outbox.kakao.map((k) => [k.to, k.text])).toEqual([
      ['+821010000001', '한님, 장바구니에 담은 상품이 기다리고 있어요.'],
    ]);
    expect(runtime.outbox.texts.filter((t) => t.to.startsWith('+8210100000')).map((t) => [t.to, t.text])).toEqual([
      ['+821010000002', '윤님, 장바구니에 담은 상품이 기다리고 있어요.'],
    ]);
    const preview = await admin('POST', '/admin/v1/templates/cart-kakao/preview', {
      userId: 'k-1',
      category: 'transactional',
    });
    expect(preview.body.kakao).toEqual({
      kind: 'alimtalk',
      templateCode: 'KA01TP-CART',
      brandType: 'text',
      buttons: [],
      text: '한님, 장바구니에 담은 상품이 기다리고 있어요.',
      variables: { '#{이름}': '한' },
    });
    const [k2] = (await admin('GET', '/admin/v1/profiles/k-2/messages')).body.messages;
    expect(k2.attempts.map((a: { channel: string; status: string }) => `${a.channel}:${a.status}`)).toEqual([
      'kakao:fallback',
      'sms:sent',
    ]);
    expect(k2.attempts[0].reason).toContain('does not use KakaoTalk');
  });
});

/** The shape an Android app's FCM registration token has (ingest keeps only real token shapes). */
const FCM_TOKEN = `cHVzaC10ZXN0:APA91b${'F'.repeat(134)}`;

describe('push', () => {
  it('sends a marked push to every device and records a Push Opened event as the open', async () => {
    await send([
      {
        type: 'identify',
        userId: 'p-1',
        traits: { name: '박서준' },
        context: {
          timezone: 'Asia/Seoul',
          device: { token: FCM_TOKEN, type: 'android' },
          consent: { categoryPreferences: { push: true, advertising: true } },
        },
      },
    ]);
    const journey = {
      id: 'push-now',
      name: 'Push now',
      trigger: { kind: 'manual' },
      start: 'p',
      steps: { p: { type: 'send', channel: 'push', template: 'cart-reminder', next: 'e' }, e: { type: 'exit' } },
    };
    await admin('POST', '/admin/v1/journeys', journey);
    await admin('POST', '/admin/v1/journeys/push-now/activate');
    const { now } = await advance('1m');
    const local = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(
        new Date(now),
      ),
    );
    if (local >= 21 || local < 8) await advance(`${(12 - local + 24) % 24}h`); // daytime in Seoul
    await admin('POST', '/admin/v1/journeys/push-now/enter', { userIds: ['p-1'], requestId: 'push-1' });
    await advance('1m');
    const pushed = runtime.outbox.pushes.find((p) => p.token === FCM_TOKEN)!;
    expect(pushed).toMatchObject({
      title: '(광고) 박서준님, 장바구니를 잊지 마세요',
      platform: 'android',
      deepLink: 'myshop://cart',
    });
    expect(pushed.body).toContain('수신거부');
    const [message] = (await admin('GET', '/admin/v1/profiles/p-1/messages')).body.messages;
    expect(message).toMatchObject({ status: 'sent', channel: 'push' });
    await send([
      { type: 'track', userId: 'p-1', event: 'Push Opened', properties: { messageId: message.idempotencyKey } },
    ]);
    const [opened] = (await admin('GET', '/admin/v1/profiles/p-1/messages')).body.messages;
    expect(opened.openedAt).toBeDefined();
  });
});
