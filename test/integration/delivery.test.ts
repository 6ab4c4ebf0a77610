import { beforeAll, describe, expect, it } from 'vitest';
import type { SQSBatchResponse } from 'aws-lambda';
import { backoffSeconds, createSendHandler } from '../../functions/handlers/sendMessage.js';
import type { DeliveryDeps } from '../../functions/core/delivery/deliverMessage.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';
import { templateSchema } from '../../functions/core/delivery/template.js';
import type { DeliveryRequest } from '../../functions/core/journeys/instance.js';
import { newProfile, type Profile } from '../../functions/core/profiles/profile.js';
import { ProviderThrottledError } from '../../functions/core/errors.js';
import type { OutgoingEmail, PushProvider } from '../../functions/core/delivery/ports.js';
import { context } from '../support/awsEvents.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
const clock = fixedClock('2026-11-23T03:00:00.000Z'); // noon in Seoul
const mails: OutgoingEmail[] = [];
const pushes: string[] = [];
const texts: import('../../functions/core/delivery/ports.js').OutgoingSms[] = [];
const handedOver: DeliveryRequest[] = [];
const talks: import('../../functions/core/delivery/ports.js').OutgoingKakao[] = [];
const deferred: { key: string; until: string }[] = [];
let throttleNext = 0;
let deps: DeliveryDeps;

// Outbound providers are the one thing these tests stand in for.
const mailer = {
  send: async (email: OutgoingEmail) => {
    if (throttleNext > 0) {
      throttleNext--;
      throw new ProviderThrottledError('slow down');
    }
    mails.push(email);
    return `ses-${mails.length}`;
  },
};
/** Devices that answer with a throttle while they are in here. */
const throttledTokens = new Set<string>();
const push: PushProvider = {
  send: async (token, message) => {
    if (token.token.startsWith('dead')) return { status: 'invalid-token' };
    if (throttledTokens.has(token.token)) throw new ProviderThrottledError('FCM quota exceeded');
    pushes.push(`${token.token}:${message.title}`);
    return { status: 'sent', id: `push-${pushes.length}` };
  },
};

async function customer(id: string, changes: (p: Profile) => void = () => undefined) {
  const at = '2026-11-01T00:00:00.000Z';
  const p = newProfile(`u:${id}`, at);
  p.channels.email = `${id}@example.com`;
  p.channels.push = [{ token: `tok-${id}`, platform: 'android', updatedAt: at }];
  p.consent = { email: { granted: true, at }, push: { granted: true, at }, advertising: { granted: true, at } };
  p.timezone = 'Asia/Seoul';
  changes(p);
  await t.adapters.profiles.write({ profile: p, expectedVersion: 0, tombstones: [] });
}

const request = (userId: string, key: string, extra: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
  idempotencyKey: key,
  channel: 'email',
  userKey: `u:${userId}`,
  userId,
  template: 'hello',
  category: 'marketing',
  journeyId: 'j',
  journeyVersion: 1,
  stepId: 's',
  instanceId: 'i',
  requestedAt: clock.now().toISOString(),
  trigger: {},
  ...extra,
});

function sqs(requests: DeliveryRequest[]) {
  return {
    Records: requests.map((r, i) => ({
      messageId: `m${i}`,
      receiptHandle: `h${i}`,
      body: JSON.stringify(r),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:retain-email',
      awsRegion: 'ap-northeast-2',
    })),
  };
}

let send: ReturnType<typeof createSendHandler>;
const run = async (requests: DeliveryRequest[]) => (await send(sqs(requests), context())) as SQSBatchResponse;
const status = async (userId: string, key: string) => (await t.adapters.messages.get(`u:${userId}`, key))?.status;

beforeAll(async () => {
  t = await freshTables({ clock });
  await t.adapters.templates.put({
    id: 'hello',
    name: 'Hello',
    channel: 'email',
    email: { subject: 'Hi {{ profile.traits.name | default: "there" }}', html: '<p>Hello</p>' },
    variants: {},
  });
  await t.adapters.templates.put({
    id: 'nudge',
    name: 'Nudge',
    channel: 'push',
    push: { title: 'Come back', body: 'We miss you' },
    variants: {},
  });
  deps = {
    coupons: t.adapters.coupons,
    catalog: t.adapters.catalog,
    messages: t.adapters.messages,
    profiles: t.adapters.profiles,
    suppressions: t.adapters.suppressions,
    caps: t.adapters.caps,
    templates: t.adapters.templates,
    settings: t.adapters.settings,
    deferrer: { defer: async (r, until) => void deferred.push({ key: r.idempotencyKey, until: until.toISOString() }) },
    mailer,
    push,
    messaging: {
      sendSms: async (sms) => (texts.push(sms), `sms-${texts.length}`),
      sendKakao: async (k) => (talks.push(k), `kakao-${talks.length}`),
    },
    deliveries: { enqueue: async (r) => void handedOver.push(r) },
    unsubscribe: { baseUrl: 'https://api.example.com', secret: 'integration-secret' },
    broadcasts: t.adapters.broadcasts,
    metrics: t.adapters.metrics,
    telemetry: t.adapters.telemetry,
  };
  send = createSendHandler(t.adapters, deps);
});

describe('the sender against DynamoDB Local', () => {
  it('sends a marketing e-mail once, with the ad marking and RFC 8058 headers, and logs it', async () => {
    await customer('s1');
    expect(await run([request('s1', 'k1')])).toEqual({ batchItemFailures: [] });
    const mail = mails.find((m) => m.to === 's1@example.com')!;
    expect(mail.subject).toBe('(광고) Hi there');
    expect(mail.headers['List-Unsubscribe']).toMatch(
      /^<https:\/\/api\.example\.com\/v1\/unsubscribe\?token=[\w-]+\.[\w-]+>$/,
    );
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(await t.adapters.messages.get('u:s1', 'k1')).toMatchObject({
      status: 'sent',
      providerMessageId: expect.stringMatching(/^ses-/),
      journeyId: 'j',
    });
    // An SQS redelivery of the same request sends nothing.
    await run([request('s1', 'k1')]);
    expect(mails.filter((m) => m.to === 's1@example.com')).toHaveLength(1);
  });

  it('records skips with their reason: no consent, no address, suppressed', async () => {
    await customer('s2', (p) => (p.consent.email = { granted: false, at: '2026-11-01T00:00:00.000Z' }));
    await customer('s3', (p) => delete p.channels.email);
    await customer('s4');
    await t.adapters.suppressions.suppress('S4@example.com ', 'hard bounce', '2026-11-01T00:00:00.000Z');
    await run([request('s2', 'k2'), request('s3', 'k3'), request('s4', 'k4')]);
    expect(await t.adapters.messages.get('u:s2', 'k2')).toMatchObject({
      status: 'skipped',
      reason: 'no email consent',
    });
    expect(await t.adapters.messages.get('u:s3', 'k3')).toMatchObject({
      status: 'skipped',
      reason: 'no e-mail address',
    });
    expect(await t.adapters.messages.get('u:s4', 'k4')).toMatchObject({
      status: 'skipped',
      reason: 'suppressed address',
    });
  });

  it('defers marketing in quiet hours and sends it when the deferred request comes back in the morning', async () => {
    await customer('s5');
    clock.set('2026-11-23T13:30:00.000Z'); // 22:30 in Seoul
    await run([request('s5', 'k5')]);
    expect(await t.adapters.messages.get('u:s5', 'k5')).toMatchObject({
      status: 'deferred',
      deferredUntil: '2026-11-23T23:00:00.000Z',
    });
    expect(deferred).toContainEqual({ key: 'k5', until: '2026-11-23T23:00:00.000Z' });
    clock.set('2026-11-23T23:00:00.000Z');
    await run([request('s5', 'k5')]);
    expect(await status('s5', 'k5')).toBe('sent');
    clock.set('2026-11-23T03:00:00.000Z');
  });

  it('caps marketing at one e-mail a day per customer; transactional mail is exempt', async () => {
    await customer('s6');
    await run([request('s6', 'k6a')]);
    await run([request('s6', 'k6b')]);
    await run([request('s6', 'k6c', { category: 'transactional' })]);
    expect(await t.adapters.messages.get('u:s6', 'k6b')).toMatchObject({
      status: 'capped',
      reason: 'email-daily: at most 1 per day',
    });
    expect(await status('s6', 'k6c')).toBe('sent');
  });

  it('never exceeds a cap under 50 concurrent sends for one customer', async () => {
    await customer('s7');
    const settings = defaultSettings();
    settings.caps = [{ id: 'push-daily', channel: 'push', window: 'day', limit: 3 }];
    await t.adapters.settings.put(settings);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => run([request('s7', `k7-${i}`, { channel: 'push', template: 'nudge' })])),
    );
    const log = await t.adapters.messages.list('u:s7', 100);
    expect(log.filter((m) => m.status === 'sent')).toHaveLength(3);
    expect(log.filter((m) => m.status === 'capped')).toHaveLength(47);
    expect(pushes.filter((p) => p.startsWith('tok-s7'))).toHaveLength(3);
    await t.adapters.settings.put(defaultSettings());
  });

  it('returns a throttled message to the queue with a growing delay and sends it exactly once on the retry', async () => {
    await customer('s8');
    throttleNext = 1;
    const delays: number[] = [];
    send = createSendHandler(t.adapters, deps, async (_record, seconds) => void delays.push(seconds));
    expect(await run([request('s8', 'k8')])).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(delays).toEqual([30]);
    expect(backoffSeconds(3)).toBe(120);
    expect(backoffSeconds(20)).toBe(900);
    expect(await status('s8', 'k8')).toBe('retrying');
    expect(await run([request('s8', 'k8')])).toEqual({ batchItemFailures: [] });
    expect(mails.filter((m) => m.to === 's8@example.com')).toHaveLength(1);
  });

  it('removes unregistered push tokens from the profile and fails when none is left', async () => {
    await customer(
      's9',
      (p) => (p.channels.push = [{ token: 'dead-1', platform: 'android', updatedAt: '2026-11-01T00:00:00.000Z' }]),
    );
    await run([request('s9', 'k9', { channel: 'push', template: 'nudge' })]);
    expect(await t.adapters.messages.get('u:s9', 'k9')).toMatchObject({
      status: 'failed',
      reason: 'every push token was invalid (removed from the profile)',
    });
    const stored = await t.adapters.profiles.get('u:s9');
    expect(stored?.kind === 'profile' && stored.profile.channels.push).toEqual([]);
  });

  it('retries a push throttled on one device only to the devices not yet reached', async () => {
    const at = '2026-11-01T00:00:00.000Z';
    await customer('s10', (p) => {
      p.channels.push = [
        { token: 'tok-s10-phone', platform: 'android', updatedAt: at },
        { token: 'tok-s10-tablet', platform: 'android', updatedAt: at },
      ];
    });
    throttledTokens.add('tok-s10-tablet');
    send = createSendHandler(t.adapters, deps, async () => undefined);
    const nudge = request('s10', 'k10', { channel: 'push', template: 'nudge', category: 'transactional' });
    expect(await run([nudge])).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
    expect(await status('s10', 'k10')).toBe('retrying');
    throttledTokens.clear();
    expect(await run([nudge])).toEqual({ batchItemFailures: [] });
    expect(pushes.filter((p) => p.startsWith('tok-s10'))).toEqual([
      'tok-s10-phone:Come back',
      'tok-s10-tablet:Come back',
    ]);
    expect(await status('s10', 'k10')).toBe('sent');
  });

  it('sends a marketing text as an LMS from a registered number, marked, and refuses an unregistered one', async () => {
    await customer('s11', (p) => {
      p.channels.phone = '010-1111-2222';
      p.consent.sms = { granted: true, at: '2026-11-01T00:00:00.000Z' };
    });
    await t.adapters.templates.put({
      id: 'sale',
      name: 'Sale',
      channel: 'sms',
      sms: {
        text: '{{ profile.traits.name | default: "고객" }}님, 주말 특가 안내드립니다. 전 상품 20% 할인, 일요일 자정까지.',
        title: '주말 특가',
      },
      variants: {},
    });
    const settings = defaultSettings();
    settings.sender = { name: '리테인상점', contact: '02-1234-5678' };
    settings.sms = { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' };
    await t.adapters.settings.put(settings);
    await run([request('s11', 'k11', { channel: 'sms', template: 'sale' })]);
    const text = texts.find((m) => m.to === '010-1111-2222')!;
    expect(text).toMatchObject({ from: '02-1234-5678', type: 'LMS', title: '주말 특가' });
    expect(text.text.startsWith('(광고)리테인상점\n고객님, 주말 특가')).toBe(true);
    expect(text.text.endsWith('\n무료수신거부 080-123-4567')).toBe(true);
    expect(await status('s11', 'k11')).toBe('sent');

    settings.sms = { senderNumbers: ['02-1234-5678'], from: '02-9999-9999', optOutNumber: '080-123-4567' };
    await t.adapters.settings.put(settings);
    await run([request('s11', 'k12', { channel: 'sms', template: 'sale', category: 'transactional' })]);
    expect(await t.adapters.messages.get('u:s11', 'k12')).toMatchObject({
      status: 'failed',
      reason: 'sender number 02-9999-9999 is not registered',
    });
    expect(texts.filter((m) => m.to === '010-1111-2222')).toHaveLength(1);

    // After an 080 opt-out the number gets no more advertising (written differently, it is the same number).
    settings.sms = { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' };
    await t.adapters.settings.put(settings);
    await t.adapters.suppressions.suppress('01011112222', 'opt-out (080)', '2026-11-23T00:00:00Z');
    await run([request('s11', 'k13', { channel: 'sms', template: 'sale' })]);
    expect(await t.adapters.messages.get('u:s11', 'k13')).toMatchObject({
      status: 'skipped',
      reason: 'number opted out (080)',
    });
    expect(texts.filter((m) => m.to === '010-1111-2222')).toHaveLength(1);
    await t.adapters.settings.put(defaultSettings());
  });

  it('falls back from push to SMS under the same key when the customer has no push token, and never sends twice', async () => {
    await customer('s12', (p) => {
      p.channels.push = [];
      p.channels.phone = '010-3333-4444';
      p.consent.sms = { granted: true, at: '2026-11-01T00:00:00.000Z' };
    });
    await t.adapters.templates.put({
      id: 'multi',
      name: 'Multi',
      channel: 'push',
      variants: {},
      push: { title: '장바구니', body: '잊지 마세요' },
      sms: { text: '장바구니에 상품이 기다리고 있어요' },
    });
    const settings = defaultSettings();
    settings.sms = { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' };
    await t.adapters.settings.put(settings);
    const first = request('s12', 'k13', { channel: 'push', template: 'multi', fallback: ['sms'] });
    await run([first]);
    expect(await t.adapters.messages.get('u:s12', 'k13')).toMatchObject({ status: 'fallback', nextChannel: 'sms' });
    const next = handedOver.find((r) => r.idempotencyKey === 'k13')!;
    expect(next).toMatchObject({ channel: 'sms', fallback: [] });
    await run([first]); // a redelivery of the push request does nothing
    await run([next]);
    await run([next]); // nor does one of the SMS request
    const row = await t.adapters.messages.get('u:s12', 'k13');
    expect(row).toMatchObject({ status: 'sent', deliveredVia: 'sms' });
    expect(row!.attempts!.map((a) => [a.channel, a.status, a.reason])).toEqual([
      ['push', 'fallback', 'skipped: no push token'],
      ['sms', 'sent', undefined],
    ]);
    expect(texts.filter((m) => m.to === '010-3333-4444')).toHaveLength(1);
    expect(await t.adapters.outcomes.outcomesOf('u:s12', ['k13'])).toEqual({
      k13: { delivered: true, opened: false, clicked: false, via: 'sms' },
    });
    await t.adapters.settings.put(defaultSettings());
  });

  it('sends AlimTalk for informational messages only, and a Brand Message at most once a day', async () => {
    await customer('s13', (p) => {
      p.channels.phone = '010-7777-8888';
      p.consent.kakao = { granted: true, at: '2026-11-01T00:00:00.000Z' };
    });
    await t.adapters.templates.put(
      templateSchema.parse({
        id: 'order-shipped',
        name: 'Shipped',
        channel: 'kakao',
        kakao: {
          kind: 'alimtalk',
          templateCode: 'KA01TP-SHIP',
          text: '#{이름}님, 주문하신 상품이 발송되었습니다.',
          variables: { 이름: '{{ profile.traits.name | default: "고객" }}' },
        },
      }),
    );
    await t.adapters.templates.put(
      templateSchema.parse({
        id: 'weekend-brand',
        name: 'Weekend',
        channel: 'kakao',
        kakao: { kind: 'brand', templateCode: 'BM-1', text: '(광고) 주말 특가 안내\n무료수신거부 080-123-4567' },
      }),
    );
    const settings = defaultSettings();
    settings.sms = { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' };
    settings.kakao = { channelId: 'KA01PF-SHOP' };
    settings.caps = [];
    await t.adapters.settings.put(settings);

    await run([request('s13', 'k14', { channel: 'kakao', template: 'order-shipped', category: 'marketing' })]);
    expect(await t.adapters.messages.get('u:s13', 'k14')).toMatchObject({
      status: 'failed',
      reason: 'AlimTalk carries informational messages only; send marketing as a Brand Message',
    });
    await run([request('s13', 'k15', { channel: 'kakao', template: 'order-shipped', category: 'transactional' })]);
    expect(talks.at(-1)).toMatchObject({
      kind: 'alimtalk',
      to: '010-7777-8888',
      channelId: 'KA01PF-SHOP',
      templateCode: 'KA01TP-SHIP',
      variables: { '#{이름}': '고객' },
    });

    await run([request('s13', 'k16', { channel: 'kakao', template: 'weekend-brand', category: 'transactional' })]);
    await run([request('s13', 'k17', { channel: 'kakao', template: 'weekend-brand' })]);
    expect(await status('s13', 'k16')).toBe('sent');
    expect(await t.adapters.messages.get('u:s13', 'k17')).toMatchObject({
      status: 'capped',
      reason: 'kakao-brand-daily: at most 1 per day',
    });
    expect(talks.filter((k) => k.kind === 'brand')).toHaveLength(1);
    await t.adapters.settings.put(defaultSettings());
  });

  it('sends a poison message to the dead-letter path without blocking its neighbours', async () => {
    await customer('s10');
    const batch = sqs([request('s10', 'k10')]);
    batch.Records.unshift({ ...batch.Records[0], messageId: 'poison', body: '{"not":"a request"}' });
    const response = (await send(batch, context())) as SQSBatchResponse;
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }]);
    expect(await status('s10', 'k10')).toBe('sent');
  });
});
