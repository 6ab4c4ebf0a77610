// The consent lifecycle's pure parts and use cases on in-memory ports: ledger entries from events, the confirmation
// and re-confirmation notices as the sender composes them, and when a re-confirmation falls due.

import { beforeEach, describe, expect, it } from 'vitest';
import { deliverMessage } from '../../functions/core/delivery/deliverMessage.js';
import { confirmationRequests, noticeChannels } from '../../functions/core/delivery/consentNotice.js';
import { settingsSchema } from '../../functions/core/delivery/settings.js';
import type { DeliveryRequest } from '../../functions/core/delivery/deliveryRequest.js';
import { applyConsentPreferences } from '../../functions/core/profiles/consent.js';
import {
  consentChanges,
  consentLedgerCsv,
  keptWithdrawals,
  type ConsentLedgerEntry,
} from '../../functions/core/profiles/consentLedger.js';
import { confirmConsentChanges } from '../../functions/core/profiles/confirmConsentChanges.js';
import { dueRenewal, nextRenewal, sendRenewalNotices } from '../../functions/core/profiles/consentRenewal.js';
import { newProfile, type Consent, type Profile } from '../../functions/core/profiles/profile.js';
import { storedEvent } from './builders.js';
import { deliveryWorld, type DeliveryWorld } from './inMemoryDelivery.js';

const consentEvent = (
  preferences: Record<string, boolean>,
  timestamp: string,
  extra: Partial<Parameters<typeof storedEvent>[0]> = {},
) =>
  storedEvent({
    type: 'track',
    event: 'Consent Updated',
    userId: 'kim',
    timestamp,
    context: { consent: { categoryPreferences: preferences }, ip: '203.0.113.7', userAgent: 'RetainApp/1.0' },
    ...extra,
  });

function customer(consent: Profile['consent'] = {}, changes: (p: Profile) => void = () => undefined): Profile {
  const p = newProfile('u:kim', '2024-01-01T00:00:00.000Z');
  p.channels.email = 'kim@example.com';
  p.channels.phone = '010-1234-5678';
  p.timezone = 'Asia/Seoul';
  p.consent = consent;
  changes(p);
  return p;
}

class MemoryLedger {
  readonly entries = new Map<string, ConsentLedgerEntry>();
  async append(entries: ConsentLedgerEntry[]) {
    const fresh = entries.filter((e) => !this.entries.has(`${e.userKey}|${e.id}`));
    for (const e of fresh) this.entries.set(`${e.userKey}|${e.id}`, e);
    return fresh;
  }
  async has(userKey: string, id: string) {
    return this.entries.has(`${userKey}|${id}`);
  }
}

describe('the consent ledger', () => {
  it('records a change with its source and evidence, and a restatement of the same consent as nothing', () => {
    const granted = consentEvent({ Email: true, Advertising: true }, '2026-11-23T10:00:00.000Z');
    const restated = consentEvent({ Email: true, Advertising: true }, '2026-11-23T11:00:00.000Z');
    const withdrawn = consentEvent({ email: false }, '2026-11-23T12:00:00.000Z', {
      writeKeyId: 'unsubscribe-link',
      properties: { channel: 'email', messageId: 'msg-1' },
    });
    const entries = consentChanges('u:kim', {}, [granted, restated, withdrawn]);
    expect(entries.map(({ channel, change, source }) => ({ channel, change, source }))).toEqual([
      { channel: 'email', change: 'granted', source: 'ingest' },
      { channel: 'advertising', change: 'granted', source: 'ingest' },
      { channel: 'email', change: 'withdrawn', source: 'unsubscribe' },
    ]);
    expect(entries[0].evidence).toEqual({ eventId: granted.messageId, ip: '203.0.113.7', userAgent: 'RetainApp/1.0' });
    expect(entries[2].evidence.messageId).toBe('msg-1');
  });

  it('sees no change in events the profile already holds (a replayed stream batch appends nothing)', () => {
    const granted = consentEvent({ Email: true }, '2026-11-23T10:00:00.000Z');
    const held: Profile['consent'] = {};
    applyConsentPreferences(held, { Email: true }, granted.timestamp);
    expect(consentChanges('u:kim', held, [granted])).toEqual([]);
  });

  it('names an 080 opt-out by its source, and an older statement arriving late changes nothing', () => {
    const optOut = consentEvent({ sms: false }, '2026-11-23T12:00:00.000Z', { writeKeyId: 'provider-reports' });
    const late = consentEvent({ sms: true }, '2026-11-23T09:00:00.000Z');
    const before: Profile['consent'] = { sms: { granted: true, at: '2026-11-01T00:00:00.000Z' } };
    const entries = consentChanges('u:kim', before, [optOut, late]);
    expect(entries.map((e) => [e.channel, e.change, e.source])).toEqual([['sms', 'withdrawn', '080']]);
  });

  it('keeps when a consent was given across restatements, so re-confirmation counts from then', () => {
    const consent: Partial<Record<string, Consent>> = {};
    applyConsentPreferences(consent, { Advertising: true }, '2024-01-01T00:00:00.000Z');
    applyConsentPreferences(consent, { Advertising: true }, '2025-06-01T00:00:00.000Z');
    expect(consent.advertising).toEqual({
      granted: true,
      at: '2025-06-01T00:00:00.000Z',
      since: '2024-01-01T00:00:00.000Z',
    });
    applyConsentPreferences(consent, { Advertising: false }, '2025-07-01T00:00:00.000Z');
    expect(consent.advertising).toEqual({ granted: false, at: '2025-07-01T00:00:00.000Z' });
  });

  it('exports as CSV with every value quoted, and erasure keeps only the withdrawals, hashed, without IP or agent', () => {
    const entries = consentChanges('u:kim', {}, [
      consentEvent({ Email: true }, '2026-11-23T10:00:00.000Z'),
      consentEvent({ Email: false }, '2026-11-23T12:00:00.000Z', {
        context: { consent: { categoryPreferences: { Email: false } }, userAgent: 'Evil "quote"' } as never,
      }),
    ]);
    const csv = consentLedgerCsv('kim', entries);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('customer,at,channel,change,source,eventId,messageId,ip,userAgent,noticeId');
    expect(lines[1]).toMatch(/^"kim","2026-11-23T10:00:00.000Z","email","granted","ingest",/);
    expect(lines[2]).toContain('"Evil ""quote"""');
    const kept = keptWithdrawals('hash-of-key', entries);
    expect(kept).toEqual([
      {
        customerHash: 'hash-of-key',
        channel: 'email',
        at: '2026-11-23T12:00:00.000Z',
        source: 'ingest',
        id: entries[1].id,
      },
    ]);
    expect(JSON.stringify(kept)).not.toContain('kim');
  });
});

describe('the confirmation of a consent change (정보통신망법 제50조 제7항)', () => {
  let world: DeliveryWorld;
  beforeEach(() => {
    world = deliveryWorld();
  });

  it('goes once per change, informational, on the channel concerned, even at a cap that stops marketing', async () => {
    const profile = customer({ email: { granted: false, at: '2026-11-23T12:00:00.000Z' } });
    world.profiles.put(profile);
    const ledger = new MemoryLedger();
    const enqueued: DeliveryRequest[] = [];
    const event = consentEvent({ Email: false }, '2026-11-23T12:00:00.000Z');
    const before = customer({ email: { granted: true, at: '2026-11-01T00:00:00.000Z' } });
    const deps = {
      consentLedger: ledger,
      deliveries: { enqueue: async (r: DeliveryRequest) => void enqueued.push(r) },
      settings: { get: async () => settingsSchema.parse({ consentNotices: { enabled: true } }) },
    };
    const now = new Date('2026-11-23T03:00:00.000Z'); // noon in Seoul
    expect(await confirmConsentChanges(before, profile, [event], deps, now)).toBe(1);
    // The same change delivered again (a retried batch that still sees the old profile) is appended once.
    expect(await confirmConsentChanges(before, profile, [event], deps, now)).toBe(0);
    expect(enqueued).toHaveLength(1);
    const [request] = enqueued;
    expect(request).toMatchObject({ channel: 'email', category: 'transactional', template: '$consent-confirmation' });

    world.settings.current = settingsSchema.parse({
      caps: [{ id: 'email-daily', channel: 'email', window: 'day', limit: 0 }],
    });
    expect(await deliverMessage(request, world.deps, now)).toEqual({ status: 'sent', reason: undefined });
    expect(await deliverMessage(request, world.deps, now)).toEqual({ status: 'duplicate' });
    expect(world.mails).toHaveLength(1);
    const mail = world.mails[0];
    expect(mail.subject).toBe('[Retain] 수신동의 처리 결과 안내');
    expect(mail.subject).not.toContain('(광고)');
    expect(mail.headers['List-Unsubscribe']).toBeUndefined();
    expect(mail.text).toContain('- 이메일: 수신거부 (2026-11-23 21:00)');
    expect(mail.html).toContain('이메일: 수신거부');
    expect(mail.html).not.toContain('&lt;');
  });

  it('records the change but sends no notice while the notices are off, as they are until a workspace turns them on', async () => {
    const ledger = new MemoryLedger();
    const enqueued: DeliveryRequest[] = [];
    const event = consentEvent({ Email: false }, '2026-11-23T12:00:00.000Z');
    const before = customer({ email: { granted: true, at: '2026-11-01T00:00:00.000Z' } });
    const after = customer({ email: { granted: false, at: '2026-11-23T12:00:00.000Z' } });
    const deps = {
      consentLedger: ledger,
      deliveries: { enqueue: async (r: DeliveryRequest) => void enqueued.push(r) },
      settings: { get: async () => settingsSchema.parse({}) },
    };
    expect(await confirmConsentChanges(before, after, [event], deps, new Date('2026-11-23T03:00:00.000Z'))).toBe(1);
    expect(enqueued).toHaveLength(0);
  });

  it('speaks English to an English-speaking customer, with the workspace’s own wording', async () => {
    const profile = customer({ sms: { granted: true, at: '2026-11-23T03:00:00.000Z' } }, (p) => {
      p.locale = 'en-US';
    });
    world.profiles.put(profile);
    world.settings.current = settingsSchema.parse({
      sender: { name: 'Shop', contact: '02-000-0000' },
      sms: { senderNumbers: ['02-111-2222'], from: '02-111-2222' },
      consentNotices: { confirmation: { en: { subject: 'Updated', body: '{{ event.sender }}: {{ event.changes }}' } } },
    });
    const entries = consentChanges('u:kim', {}, [consentEvent({ sms: true }, '2026-11-23T03:00:00.000Z')]);
    const [request] = confirmationRequests(profile, entries, new Date('2026-11-23T03:00:00.000Z'));
    expect(request.channel).toBe('sms');
    await deliverMessage(request, world.deps, new Date('2026-11-23T03:00:00.000Z'));
    expect(world.texts[0].text).toBe('Shop: - text messages: consent given (2026-11-23 12:00)');
  });

  it('waits for the end of quiet hours, and confirms an advertising consent on any channel the customer has', async () => {
    const profile = customer({ advertising: { granted: true, at: '2026-11-23T13:00:00.000Z' } });
    world.profiles.put(profile);
    expect(noticeChannels(profile, ['advertising'])).toEqual(['email', 'sms']);
    const entries = consentChanges('u:kim', {}, [consentEvent({ advertising: true }, '2026-11-23T13:00:00.000Z')]);
    const night = new Date('2026-11-23T13:00:00.000Z'); // 22:00 in Seoul
    const [request] = confirmationRequests(profile, entries, night);
    expect(request.fallback).toEqual(['sms']);
    expect(await deliverMessage(request, world.deps, night)).toMatchObject({ status: 'deferred' });
    expect(world.deferred[0].until.toISOString()).toBe('2026-11-23T23:00:00.000Z');
  });

  it('refuses wording without any language', () => {
    expect(() => settingsSchema.parse({ consentNotices: { renewal: {} } })).toThrow(/at least one language/);
  });
});

describe('the two-yearly re-confirmation (시행령 제62조의3)', () => {
  const consentedAt = '2024-12-04T01:00:00.000Z';
  const consented = () =>
    customer({
      advertising: { granted: true, at: '2026-01-01T00:00:00.000Z', since: consentedAt },
      email: { granted: true, at: consentedAt },
    });

  it('is not due at one year 364 days, is due at two years, and then next at four', () => {
    const profile = consented();
    expect(dueRenewal(profile, new Date('2026-12-03T01:00:00.000Z'))).toBeUndefined();
    const due = dueRenewal(profile, new Date('2026-12-04T01:00:00.000Z'));
    expect(due).toMatchObject({ cycle: 1, consentedAt, dueAt: '2026-12-04T01:00:00.000Z' });
    expect(due?.channels.map((c) => c.channel)).toEqual(['email', 'advertising']);
    expect(nextRenewal(profile, new Date('2026-12-05T00:00:00.000Z'))).toMatchObject({
      cycle: 2,
      dueAt: '2028-12-04T01:00:00.000Z',
    });
    expect(dueRenewal(customer({ advertising: { granted: false, at: consentedAt } }), new Date('2030-01-01'))).toBe(
      undefined,
    );
  });

  it('sends each notice once however often the daily job runs, and records it in the ledger', async () => {
    const profile = consented();
    const ledger = new MemoryLedger();
    const enqueued: DeliveryRequest[] = [];
    const deps = {
      profiles: { scan: async (visit: (p: Profile) => void) => (visit(profile), 1) },
      consentLedger: ledger,
      deliveries: { enqueue: async (r: DeliveryRequest) => void enqueued.push(r) },
      settings: { get: async () => settingsSchema.parse({ consentNotices: { enabled: true } }) },
    };
    expect(await sendRenewalNotices(deps, new Date('2026-12-03T01:00:00.000Z'))).toEqual({
      due: 0,
      sent: 0,
      unreachable: 0,
    });
    expect((await sendRenewalNotices(deps, new Date('2026-12-04T02:00:00.000Z'))).sent).toBe(1);
    expect((await sendRenewalNotices(deps, new Date('2026-12-05T02:00:00.000Z'))).sent).toBe(0);
    expect(enqueued).toHaveLength(1);
    expect(enqueued[0]).toMatchObject({ channel: 'email', category: 'transactional', template: '$consent-renewal' });
    const [entry] = ledger.entries.values();
    expect(entry).toMatchObject({
      channel: 'advertising',
      source: 'renewal-notice',
      evidence: { noticeId: enqueued[0].idempotencyKey },
    });

    const world = deliveryWorld();
    world.profiles.put(profile);
    world.settings.current = settingsSchema.parse({ sms: { optOutNumber: '080-123-4567' } });
    await deliverMessage(enqueued[0], world.deps, new Date('2026-12-04T02:00:00.000Z'));
    expect(world.mails[0].subject).toBe('[Retain] 광고성 정보 수신동의 현황 안내');
    expect(world.mails[0].text).toContain(
      '2024-12-04 10:00에 Retain의 광고성 정보 수신에 동의하셨습니다(이메일, 광고성 정보)',
    );
    expect(world.mails[0].text).toContain('080-123-4567');
  });
  it('keeps a notice that reaches nobody as renewal-unreachable evidence, once, and sends it once they can be reached', async () => {
    const profile = consented();
    profile.channels = { push: [] };
    const ledger = new MemoryLedger();
    const enqueued: DeliveryRequest[] = [];
    const deps = {
      profiles: { scan: async (visit: (p: Profile) => void) => (visit(profile), 1) },
      consentLedger: ledger,
      deliveries: { enqueue: async (r: DeliveryRequest) => void enqueued.push(r) },
      settings: { get: async () => settingsSchema.parse({ consentNotices: { enabled: true } }) },
    };
    expect(await sendRenewalNotices(deps, new Date('2026-12-04T02:00:00.000Z'))).toEqual({
      due: 1,
      sent: 0,
      unreachable: 1,
    });
    expect([...ledger.entries.values()]).toEqual([
      {
        userKey: 'u:kim',
        id: expect.stringMatching(/^2026-12-04T01:00:00\.000Z#advertising#renewal-1-.+#unreachable$/),
        channel: 'advertising',
        change: 'granted',
        at: '2026-12-04T02:00:00.000Z',
        source: 'renewal-unreachable',
        evidence: {},
      },
    ]);
    // The next day: still nobody to reach, and the attempt is on record already.
    expect((await sendRenewalNotices(deps, new Date('2026-12-05T02:00:00.000Z'))).unreachable).toBe(1);
    expect(ledger.entries.size).toBe(1);
    expect(enqueued).toEqual([]);
    // An address arrives: the notice goes, and the ledger keeps both.
    profile.channels.email = 'kim@example.com';
    expect((await sendRenewalNotices(deps, new Date('2026-12-06T02:00:00.000Z'))).sent).toBe(1);
    expect([...ledger.entries.values()].map((e) => e.source).sort()).toEqual(['renewal-notice', 'renewal-unreachable']);
    expect(consentLedgerCsv('kim', [...ledger.entries.values()])).toContain('"renewal-unreachable"');
  });
});
