import { describe, expect, it } from 'vitest';
import { capCounters, consentRefusal, quietHoursDeferral, recipientOf } from '../../functions/core/delivery/guards.js';
import { markEmailAdvertisement, markPushAdvertisement } from '../../functions/core/delivery/compliance.js';
import { renderEmail, renderPush, renderScope } from '../../functions/core/delivery/render.js';
import { defaultSettings } from '../../functions/core/delivery/settings.js';
import { contentFor, templateSchema } from '../../functions/core/delivery/template.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../functions/core/delivery/unsubscribeLink.js';
import { messageRef, parseMessageRef } from '../../functions/core/delivery/messageRef.js';
import { newProfile, type Profile } from '../../functions/core/profiles/profile.js';

const settings = defaultSettings();
const at = '2026-11-01T00:00:00.000Z';

function profile(changes: (p: Profile) => void = () => undefined): Profile {
  const p = newProfile('u:kim', at);
  p.traits = { name: '김민지' };
  p.channels.email = 'kim@example.com';
  p.channels.push = [{ token: 'tok', platform: 'android', updatedAt: at }];
  p.consent = { email: { granted: true, at }, push: { granted: true, at }, advertising: { granted: true, at } };
  p.timezone = 'Asia/Seoul';
  p.locale = 'ko-KR';
  changes(p);
  return p;
}

const request = {
  journeyId: 'cart',
  stepId: 'remind',
  variant: undefined,
  idempotencyKey: 'i1:remind',
  trigger: { event: 'Product Added', properties: { product_name: '머그컵 <b>', price: 12000 } },
};

describe('consent and address', () => {
  it('skips with a reason when there is no address or token', () => {
    expect(
      recipientOf(
        profile((p) => delete p.channels.email),
        'email',
      ),
    ).toEqual({ skip: 'no e-mail address' });
    expect(
      recipientOf(
        profile((p) => (p.channels.push = [])),
        'push',
      ),
    ).toEqual({ skip: 'no push token' });
    expect(recipientOf(undefined, 'email')).toEqual({ skip: 'no profile' });
  });

  it('needs the channel consent and advertising consent for marketing, only an address for transactional', () => {
    expect(consentRefusal(profile(), 'email', 'marketing')).toBeUndefined();
    expect(
      consentRefusal(
        profile((p) => (p.consent.email = { granted: false, at })),
        'email',
        'marketing',
      ),
    ).toBe('no email consent');
    expect(
      consentRefusal(
        profile((p) => delete p.consent.advertising),
        'push',
        'marketing',
      ),
    ).toBe('no advertising consent');
    expect(
      consentRefusal(
        profile((p) => (p.consent = {})),
        'email',
        'transactional',
      ),
    ).toBeUndefined();
  });
});

describe('quiet hours', () => {
  it('defers marketing between 21:00 and 08:00 local to 08:00', () => {
    // 22:30 in Seoul.
    expect(
      quietHoursDeferral(
        new Date('2026-11-23T13:30:00Z'),
        'Asia/Seoul',
        settings,
        profile(),
        'marketing',
      )?.toISOString(),
    ).toBe('2026-11-23T23:00:00.000Z');
    // 02:00 in Seoul: the same morning.
    expect(
      quietHoursDeferral(
        new Date('2026-11-22T17:00:00Z'),
        'Asia/Seoul',
        settings,
        profile(),
        'marketing',
      )?.toISOString(),
    ).toBe('2026-11-22T23:00:00.000Z');
    // 20:59 in Seoul: not quiet yet.
    expect(
      quietHoursDeferral(new Date('2026-11-23T11:59:00Z'), 'Asia/Seoul', settings, profile(), 'marketing'),
    ).toBeUndefined();
  });

  it("lets transactional messages and customers with night-time consent through, and follows the customer's zone", () => {
    const night = new Date('2026-11-23T13:30:00Z');
    expect(quietHoursDeferral(night, 'Asia/Seoul', settings, profile(), 'transactional')).toBeUndefined();
    expect(
      quietHoursDeferral(
        night,
        'Asia/Seoul',
        settings,
        profile((p) => (p.consent.nightAdvertising = { granted: true, at })),
        'marketing',
      ),
    ).toBeUndefined();
    // 13:30 UTC is 08:30 in New York: daytime there.
    expect(quietHoursDeferral(night, 'America/New_York', settings, profile(), 'marketing')).toBeUndefined();
    expect(
      quietHoursDeferral(
        night,
        'Asia/Seoul',
        { ...settings, quietHours: { enabled: false, start: '21:00', end: '08:00' } },
        profile(),
        'marketing',
      ),
    ).toBeUndefined();
  });
});

describe('frequency-cap windows', () => {
  it("keys counters by rule and the customer's local day or ISO week; transactional is exempt", () => {
    const counters = capCounters(settings.caps, 'push', 'marketing', new Date('2026-11-22T16:00:00Z'), 'Asia/Seoul');
    expect(counters.map((c) => c.key)).toEqual(['cap#push-daily#2026-11-23', 'cap#push-weekly#2026-W48']);
    expect(capCounters(settings.caps, 'push', 'transactional', new Date(), 'Asia/Seoul')).toEqual([]);
    const any = capCounters(
      [{ id: 'all', channel: 'any', window: 'day', limit: 2 }],
      'email',
      'marketing',
      new Date('2026-11-23T00:00:00Z'),
      'UTC',
    );
    expect(any[0].expiresAt).toBe(Date.parse('2026-11-25T00:00:00Z') / 1000);
  });
});

describe('rendering', () => {
  const template = templateSchema.parse({
    id: 'cart-reminder',
    name: 'Cart',
    channel: 'email',
    email: {
      subject: '{{ profile.traits.name | default: "고객" }}님, 장바구니에 {{ event.product_name }}이(가) 있어요',
      preheader: '{{ event.price }}원',
      html: '<p>안녕하세요 {{ profile.traits.nickname | default: "고객" }}님, {{ event.product_name }}</p>',
    },
    variants: { B: { email: { subject: 'B: {{ profile.traits.missing }}끝' } } },
  });

  it('fills the profile and the trigger event, escapes HTML, and falls back instead of printing undefined', async () => {
    const email = await renderEmail(contentFor(template, 'email'), renderScope(request, profile()));
    expect(email.subject).toBe('김민지님, 장바구니에 머그컵 <b>이(가) 있어요');
    expect(email.html).toBe('<p>안녕하세요 고객님, 머그컵 &lt;b&gt;</p>');
    expect(email.text).toBe('안녕하세요 고객님, 머그컵 <b>');
    expect(email.preheader).toBe('12000원');
    const b = await renderEmail(contentFor(template, 'email', 'B'), renderScope(request, undefined));
    expect(b.subject).toBe('B: 끝');
    expect(JSON.stringify(b)).not.toContain('undefined');
  });

  it('marks an advertisement: (광고) first, sender, contact and a free opt-out link at the end', async () => {
    const email = await renderEmail(contentFor(template, 'email'), renderScope(request, profile()));
    const marked = markEmailAdvertisement(
      email,
      { ...settings, sender: { name: '리테인상점', contact: '02-1234-5678' } },
      { locale: 'ko-KR', unsubscribeUrl: 'https://api.example.com/v1/unsubscribe?token=t' },
    );
    expect(marked.subject.startsWith('(광고) ')).toBe(true);
    expect(marked.html).toContain('리테인상점');
    expect(marked.html).toContain('02-1234-5678');
    expect(marked.html).toContain('<a href="https://api.example.com/v1/unsubscribe?token=t">수신거부</a>');
    expect(marked.text).toContain('수신거부: https://api.example.com/v1/unsubscribe?token=t');
    const english = markEmailAdvertisement(email, settings, { locale: 'en-US', unsubscribeUrl: 'u' });
    expect(english.text).toContain('unsubscribe: u');
    expect(markEmailAdvertisement(marked, settings, { unsubscribeUrl: 'u' }).subject.match(/\(광고\)/g)).toHaveLength(
      1,
    );
  });

  it('renders and marks a push: title prefix and opt-out instructions', async () => {
    const push = await renderPush(
      { title: '{{ profile.traits.name }}님', body: '{{ event.product_name }} 재고 있음', deepLink: 'app://cart' },
      renderScope(request, profile()),
    );
    const marked = markPushAdvertisement(push, settings, 'ko');
    expect(marked).toEqual({
      title: '(광고) 김민지님',
      body: '머그컵 <b> 재고 있음\n수신거부: 앱 설정 > 알림에서 무료로 해지',
      deepLink: 'app://cart',
    });
  });
});

describe('links and references', () => {
  it('signs unsubscribe tokens that cannot be forged or altered', () => {
    const token = signUnsubscribeToken({ userKey: 'u:kim', channel: 'email', messageId: 'i1:s' }, 'secret-key');
    expect(verifyUnsubscribeToken(token, 'secret-key')).toEqual({
      userKey: 'u:kim',
      channel: 'email',
      messageId: 'i1:s',
    });
    expect(verifyUnsubscribeToken(token, 'another-key')).toBeUndefined();
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify(['u:lee', 'email', 'i1:s'])).toString('base64url');
    expect(verifyUnsubscribeToken(`${forged}.${signature}`, 'secret-key')).toBeUndefined();
    expect(verifyUnsubscribeToken(`${payload}.`, 'secret-key')).toBeUndefined();
    expect(verifyUnsubscribeToken('garbage', 'secret-key')).toBeUndefined();
  });

  it('round-trips the message reference providers carry', () => {
    const ref = messageRef({ userKey: 'u:kim', idempotencyKey: 'abc:step' });
    expect(ref).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parseMessageRef(ref)).toEqual({ userKey: 'u:kim', idempotencyKey: 'abc:step' });
    expect(parseMessageRef('nope')).toBeUndefined();
  });
});
