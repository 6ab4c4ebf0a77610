// The one message composer: what the real send, the preview and the test send each get from it, down to the
// raw MIME of an e-mail.

import { beforeEach, describe, expect, it } from 'vitest';
import { composeRawEmail } from '../../functions/adapters/mime.js';
import { composeMessage } from '../../functions/core/delivery/composeMessage.js';
import { deliverMessage } from '../../functions/core/delivery/deliverMessage.js';
import type { DeliveryRequest } from '../../functions/core/delivery/deliveryRequest.js';
import { messageRef } from '../../functions/core/delivery/messageRef.js';
import type { OutgoingEmail } from '../../functions/core/delivery/ports.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';
import { optOutNumberProblem } from '../../functions/core/delivery/sms.js';
import { templateSchema } from '../../functions/core/delivery/template.js';
import { InvalidRequestError } from '../../functions/core/errors.js';
import { newProfile, type Profile } from '../../functions/core/profiles/profile.js';
import { previewMessage, sendTestMessage } from '../../functions/handlers/admin/previewMessage.js';
import { deliveryWorld, type DeliveryWorld } from './inMemoryDelivery.js';

const now = new Date('2026-11-23T03:00:00.000Z'); // noon in Seoul
const at = '2026-11-01T00:00:00.000Z';
let world: DeliveryWorld;

function customer(id: string): Profile {
  const p = newProfile(`u:${id}`, at);
  p.traits = { name: '김민지' };
  p.channels.email = `${id}@example.com`;
  p.consent = { email: { granted: true, at }, advertising: { granted: true, at } };
  p.timezone = 'Asia/Seoul';
  p.locale = 'ko-KR';
  world.profiles.put(p);
  return p;
}

const newsletter = templateSchema.parse({
  id: 'weekly',
  name: 'Weekly',
  channel: 'email',
  email: {
    subject: '{{ profile.traits.name }}님, 이번 주 소식',
    preheader: '{{ event.headline }}',
    html:
      '<html><head><title>Weekly news</title><style>p { color: #333 }</style></head>' +
      '<body><h1>Hello {{ profile.traits.name }}</h1>' +
      '<p>Don&rsquo;t miss <a href="https://shop.example/sale?utm_source=retain">the sale</a> &amp; more.</p>' +
      '<img src="https://shop.example/pixel.gif" alt=""></body></html>',
  },
  sms: { text: '{{ profile.traits.name }}님, 주말 특가!', title: '주말 특가' },
});

/** The raw message with what may differ between two sends of it masked: date, id, MIME boundaries, subject. */
async function rawWithoutIdentity(email: OutgoingEmail, date: Date): Promise<string> {
  const raw = (await composeRawEmail(email, date)).toString('utf8');
  const boundaries = [...new Set([...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((m) => m[1]))];
  let masked = boundaries.reduce((text, b, i) => text.replaceAll(b, `BOUNDARY-${i}`), raw);
  const split = masked.indexOf('\r\n\r\n');
  const headers = masked
    .slice(0, split)
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n')
    .filter((line) => !/^(Date|Message-ID|Subject):/i.test(line));
  masked = `${headers.join('\r\n')}${masked.slice(split)}`;
  return masked;
}

beforeEach(() => {
  world = deliveryWorld();
  world.templates.set(newsletter.id, newsletter);
  world.settings.current = {
    ...world.settings.current,
    email: { from: 'Shop <shop@example.com>', replyTo: 'help@example.com' },
    sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678' },
    caps: [],
  };
});

describe('the test send', () => {
  it('is the real send but for the [TEST] subject, the Date and the Message-ID, down to the raw MIME', async () => {
    customer('t1');
    // The real send under the preview's identity: the signed unsubscribe link and the message reference are
    // bound to the message, so only with the same identity can the two be compared byte for byte.
    const real: DeliveryRequest = {
      idempotencyKey: 'preview:weekly',
      channel: 'email',
      userKey: 'u:t1',
      userId: 't1',
      template: 'weekly',
      category: 'marketing',
      journeyId: 'preview',
      journeyVersion: 1,
      stepId: 'preview',
      instanceId: 'i',
      requestedAt: now.toISOString(),
      trigger: { event: 'Preview', properties: { headline: '가을 신상품 입고' } },
    };
    expect(await deliverMessage(real, world.deps, now)).toMatchObject({ status: 'sent' });
    const preview = await previewMessage(
      newsletter,
      { userId: 't1', category: 'marketing', event: { headline: '가을 신상품 입고' } },
      world.deps,
      world.deps,
    );
    expect(
      await sendTestMessage(preview, 't1@example.com', messageRef(real), world.deps, world.settings.current),
    ).toMatchObject({ sent: true });
    const [sent, test] = world.mails;
    expect(test.subject).toBe(`[TEST] ${sent.subject}`);
    expect(test).toMatchObject({
      replyTo: 'help@example.com',
      html: expect.stringContaining('가을 신상품 입고</div>'),
    });
    const later = new Date(now.getTime() + 3_600_000);
    expect(await rawWithoutIdentity(test, later)).toBe(await rawWithoutIdentity(sent, now));
  });

  it('answers a missing opt-out number with the setting to fix; the preview shows the refusal', async () => {
    customer('t2');
    const preview = await previewMessage(newsletter, { userId: 't2', category: 'marketing' }, world.deps, world.deps, {
      channel: 'sms',
    });
    expect(preview.refusals).toEqual([
      { reason: expect.stringContaining('no free opt-out (080) number'), setting: 'sms.optOutNumber' },
    ]);
    expect(preview.channel === 'sms' && preview.sms.text.endsWith('무료수신거부 080-???-????')).toBe(true);
    await expect(
      sendTestMessage(preview, '010-1111-2222', 'ref', world.deps, world.settings.current),
    ).rejects.toBeInstanceOf(InvalidRequestError);
    expect(world.texts).toEqual([]);
  });
});

describe('composeMessage', () => {
  const compose = (changes: Partial<Parameters<typeof composeMessage>[0]> = {}) =>
    composeMessage({
      template: newsletter,
      channel: 'email',
      category: 'transactional',
      profile: customer('c1'),
      settings: world.settings.current,
      request: { journeyId: 'j', stepId: 's', idempotencyKey: 'k', trigger: {} },
      unsubscribeUrl: 'https://retain.example/v1/unsubscribe?token=t',
      ...changes,
    });

  it('writes the plain-text part from the HTML: no head, every link URL kept, entities decoded', async () => {
    const message = await compose();
    if (message.channel !== 'email') throw new Error('expected an e-mail');
    const { text } = message.email;
    expect(text).not.toContain('Weekly news');
    expect(text).not.toContain('color');
    expect(text).toContain('Don’t miss the sale [https://shop.example/sale?utm_source=retain] & more.');
    expect(text).not.toMatch(/&\w+;/);
    expect(text.startsWith('Hello 김민지')).toBe(true);
  });

  it('shapes a text by its bytes and keeps a title only on a long message', async () => {
    const short = await compose({ channel: 'sms' });
    expect(short).toMatchObject({
      channel: 'sms',
      from: '02-1234-5678',
      refusals: [],
      sms: { type: 'SMS', bytes: 20 },
    });
    expect(short.channel === 'sms' && 'title' in short.sms).toBe(false);
    const long = await compose({
      channel: 'sms',
      template: { ...newsletter, sms: { text: '가'.repeat(60), title: '주말 특가' } },
    });
    expect(long).toMatchObject({ sms: { type: 'LMS', bytes: 120, title: '주말 특가' } });
  });

  it('refuses a text from an unregistered number, naming the setting', async () => {
    const settings = { ...world.settings.current, sms: { senderNumbers: [], optOutNumber: '080-123-4567' } };
    expect((await compose({ channel: 'sms', settings })).refusals).toEqual([
      { reason: 'sender number (none) is not registered', setting: 'sms.senderNumbers and sms.from' },
    ]);
  });
});

describe('a Brand Message', () => {
  it('is refused while no opt-out number is configured, configuration first, whatever its text says', async () => {
    const brand = templateSchema.parse({
      id: 'weekend-brand',
      name: 'Weekend',
      channel: 'kakao',
      kakao: { kind: 'brand', templateCode: 'BM-1', text: '(광고) 주말 특가\n무료수신거부 080-000-0000' },
    });
    const settings = { ...world.settings.current, kakao: { channelId: 'KA01PF' } };
    const message = await composeMessage({
      template: brand,
      channel: 'kakao',
      category: 'marketing',
      profile: undefined,
      settings,
      request: { journeyId: 'j', stepId: 's', idempotencyKey: 'k', trigger: {} },
      unsubscribeUrl: 'https://retain.example/v1/unsubscribe?token=t',
    });
    expect(message.refusals).toEqual([
      { reason: expect.stringMatching(/^no free opt-out \(080\) number/), setting: 'sms.optOutNumber' },
    ]);
  });
});

describe('Brand Message targets', () => {
  const brand = (target: 'I' | 'M' | 'N') =>
    templateSchema.parse({
      id: 'weekend-brand',
      name: 'Weekend',
      channel: 'kakao',
      kakao: { kind: 'brand', templateCode: 'BM-1', text: '(광고) 주말 특가\n무료수신거부 080-123-4567', target },
    });
  const composeBrand = (target: 'I' | 'M' | 'N', targets = { m: false, n: false }) =>
    composeMessage({
      template: brand(target),
      channel: 'kakao',
      category: 'marketing',
      profile: undefined,
      settings: {
        ...world.settings.current,
        sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
        kakao: { channelId: 'KA01PF' },
        brandMessageTargets: targets,
      },
      request: { journeyId: 'j', stepId: 's', idempotencyKey: 'k', trigger: {} },
      unsubscribeUrl: 'https://retain.example/v1/unsubscribe?token=t',
    });

  it('refuses an M-target brand message while M/N are not enabled, naming the reason', async () => {
    expect((await composeBrand('M')).refusals).toEqual([
      {
        reason:
          "Brand Message target M (consented non-friends) is not enabled: it needs Kakao's approval, a registered 080 number and enough channel friends",
        setting: 'brandMessageTargets.m',
      },
    ]);
    expect((await composeBrand('N', { m: true, n: false })).refusals).toEqual([
      expect.objectContaining({ setting: 'brandMessageTargets.n' }),
    ]);
  });

  it('composes an I-target message as ever, and an M or N target once enabled, carrying the target', async () => {
    expect(await composeBrand('I')).toMatchObject({ refusals: [], kakao: { kind: 'brand', target: 'I' } });
    expect(await composeBrand('M', { m: true, n: false })).toMatchObject({ refusals: [], kakao: { target: 'M' } });
    expect(await composeBrand('N', { m: false, n: true })).toMatchObject({ refusals: [], kakao: { target: 'N' } });
  });
});

describe('optOutNumberProblem', () => {
  it('names an unset or placeholder 080 number, and accepts a real one', () => {
    expect(optOutNumberProblem(defaultSettings())).toMatch(/no free opt-out \(080\) number/);
    expect(optOutNumberProblem({ sms: { senderNumbers: [], optOutNumber: '0800000000' } })).toMatch(/placeholder/);
    expect(optOutNumberProblem({ sms: { senderNumbers: [], optOutNumber: '080-123-4567' } })).toBeUndefined();
  });
});
