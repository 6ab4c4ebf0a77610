// The consent lifecycle on the local runtime's advanced clock: a consent, its confirmation, the two-yearly
// re-confirmation from the daily job (not a day early, once, after quiet hours), and withdrawals (an event, the
// one-click unsubscribe link) confirmed once.

import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendRenewalNotices } from '../../functions/core/profiles/consentRenewal.js';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

// Every wait below is on a condition (the pipeline drained, the clock advanced); these bounds are room only.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_consent-e2e';
const ADMIN_TOKEN = 'rat_consent-e2e';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);

const clockNow = async () => DateTime.fromISO((await admin('GET', '/admin/v1/clock')).body.now, { zone: 'UTC' });
/** Moves the clock to `target` (a few seconds past, as real time runs on while the test does). */
const advanceTo = async (target: DateTime) => {
  const hours = Math.floor(target.diff(await clockNow(), 'hours').hours);
  // Durations have at most six digits: the hours first, then the seconds left.
  if (hours > 1) await client().advance(`${hours - 1}h`);
  const seconds = Math.ceil(target.diff(await clockNow(), 'seconds').seconds) + 5;
  expect(seconds).toBeGreaterThan(0);
  return client().advance(`${seconds}s`);
};

const mailsTo = (address: string) => runtime.outbox.emails.filter((e) => e.to === address);
const messagesOf = async (userId: string) =>
  (await admin('GET', `/admin/v1/profiles/${userId}/messages`)).body.messages as {
    template: string;
    status: string;
    channel: string;
  }[];
const ledgerOf = async (userId: string) =>
  (await admin('GET', `/admin/v1/profiles/${userId}/consent-ledger`)).body.entries as {
    id: string;
    channel: string;
    change: string;
    source: string;
    at: string;
  }[];

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  const settings = await admin('PUT', '/admin/v1/settings', {
    sender: { name: '리테인상점', contact: '02-1234-5678' },
    email: { from: '리테인상점 <hello@shop.example>' },
    sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
    consentNotices: { enabled: true },
    // No marketing e-mail may go at all: the notices, informational, are exempt.
    caps: [{ id: 'email-daily', channel: 'email', window: 'day', limit: 0 }],
  });
  expect(settings.status, JSON.stringify(settings.body)).toBe(200);
});

afterAll(async () => {
  await runtime?.stop();
});

describe('the consent lifecycle on the advanced clock', () => {
  const address = 'lee@example.com';
  let consentedAt: DateTime;

  it('confirms a consent once, after quiet hours, and records it in the ledger', async () => {
    // T at 00:30 UTC: the night in London, where the customer lives, so every notice waits for 08:00 there.
    const now = await clockNow();
    const midnight = now.startOf('day').plus({ days: 1, minutes: 30 });
    await advanceTo(midnight);
    await client().send([
      {
        type: 'identify',
        userId: 'lee',
        traits: { email: address },
        context: {
          timezone: 'Europe/London',
          locale: 'en-GB',
          consent: { categoryPreferences: { email: true, advertising: true } },
        },
      },
      // Consented to advertising, but with no address, number or app the notices could go to.
      {
        type: 'identify',
        userId: 'park',
        context: { timezone: 'Europe/London', consent: { categoryPreferences: { advertising: true } } },
      },
    ]);
    const ledger = await ledgerOf('lee');
    expect(ledger.map(({ channel, change, source }) => `${channel} ${change} ${source}`).sort()).toEqual([
      'advertising granted ingest',
      'email granted ingest',
    ]);
    consentedAt = DateTime.fromISO(ledger[0].at, { zone: 'UTC' });
    await client().advance('1m');
    expect(mailsTo(address)).toEqual([]);
    expect((await messagesOf('lee')).map((m) => [m.template, m.status])).toEqual([
      ['$consent-confirmation', 'deferred'],
    ]);

    await advanceTo(consentedAt.setZone('Europe/London').set({ hour: 8, minute: 0 }));
    const mails = mailsTo(address);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).not.toContain('(광고)');
    expect(mails[0].subject).toBe('[리테인상점] Your message preferences were updated');
    await client().advance('14d');
    expect(mailsTo(address)).toHaveLength(1);
  });

  it('sends no re-confirmation at one year and 364 days, and lists the one coming', async () => {
    const early = await advanceTo(consentedAt.plus({ years: 1, days: 364 }));
    expect(early).toMatchObject({ consentRenewals: { due: 0, sent: 0 } });
    expect(mailsTo(address)).toHaveLength(1);
    const { body } = await admin('GET', '/admin/v1/consent/renewals?days=30');
    expect(body.renewals.map((r: { userId: string }) => r.userId).sort()).toEqual(['lee', 'park']);
    expect(body.renewals.filter((r: { userId: string }) => r.userId === 'lee')).toMatchObject([
      {
        userId: 'lee',
        cycle: 1,
        consentedAt: consentedAt.toUTC().toISO(),
        dueAt: consentedAt.plus({ years: 2 }).toUTC().toISO(),
        channels: expect.arrayContaining([
          { channel: 'email', since: consentedAt.toUTC().toISO() },
          { channel: 'advertising', since: consentedAt.toUTC().toISO() },
        ]),
      },
    ]);
  });

  it('sends exactly one re-confirmation at two years, informational, after quiet hours, kept in the ledger (and keeps the one that reached nobody as such)', async () => {
    const due = await advanceTo(consentedAt.plus({ years: 2 }));
    expect(due).toMatchObject({ consentRenewals: { due: 2, sent: 1, unreachable: 1 } });
    // 00:30 in London: the notice waits for the morning.
    expect(mailsTo(address)).toHaveLength(1);
    await advanceTo(consentedAt.plus({ years: 2 }).setZone('Europe/London').set({ hour: 8, minute: 0 }));
    const mails = mailsTo(address);
    expect(mails).toHaveLength(2);
    expect(mails[1].subject).not.toContain('(광고)');
    expect(mails[1].subject).toBe('[리테인상점] A reminder of your consent to advertising');
    const renewal = (await messagesOf('lee')).filter((m) => m.template === '$consent-renewal');
    expect(renewal.map((m) => [m.channel, m.status])).toEqual([['email', 'sent']]);
    const entries = (await ledgerOf('lee')).filter((e) => e.source === 'renewal-notice');
    expect(entries).toMatchObject([{ channel: 'advertising', change: 'granted' }]);
    expect((await ledgerOf('park')).filter((e) => e.source.startsWith('renewal-'))).toMatchObject([
      { source: 'renewal-unreachable', channel: 'advertising', change: 'granted' },
    ]);
    // The next ones are four years on.
    expect((await admin('GET', '/admin/v1/consent/renewals?days=30')).body.renewals).toEqual([]);
  });

  it('sends nothing more when the daily job runs again, the same day or the next', async () => {
    const again = await sendRenewalNotices(runtime.adapters, runtime.adapters.clock.now());
    expect(again).toEqual({ due: 2, sent: 0, unreachable: 1 });
    await runtime.scheduler.fireDue();
    const nextDay = await client().advance('1d');
    expect(nextDay).toMatchObject({ consentRenewals: { sent: 0 } });
    expect(mailsTo(address)).toHaveLength(2);
    expect((await ledgerOf('lee')).filter((e) => e.source === 'renewal-notice')).toHaveLength(1);
    expect((await ledgerOf('park')).filter((e) => e.source.startsWith('renewal-'))).toMatchObject([
      { source: 'renewal-unreachable', channel: 'advertising' },
    ]);
  });

  it('confirms a withdrawal by an event exactly once within the 14 days, and records it in the ledger', async () => {
    const event = {
      type: 'track',
      userId: 'lee',
      event: 'Consent Updated',
      messageId: 'withdraw-advertising-1',
      context: { consent: { categoryPreferences: { advertising: false } } },
    };
    await client().send([event]);
    // The same event delivered again (a client retry) is neither a second change nor a second notice.
    await client().send([event]);
    await client().advance('14d');
    const confirmations = mailsTo(address).slice(2);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0].subject).toBe('[리테인상점] Your message preferences were updated');
    const notice = runtime.outbox.requests.filter((r) => r.userId === 'lee' && r.stepId === 'consent-confirmation');
    expect(notice.at(-1)?.notice?.changes).toMatchObject([{ channel: 'advertising', change: 'withdrawn' }]);
    const withdrawals = (await ledgerOf('lee')).filter((e) => e.change === 'withdrawn');
    expect(withdrawals).toMatchObject([{ channel: 'advertising', source: 'ingest' }]);
    const notices = (await messagesOf('lee')).filter((m) => m.template === '$consent-confirmation');
    expect(notices.map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(runtimeErrors).toEqual([]);
  });
  it('confirms a withdrawal through the one-click unsubscribe link once, recorded as an unsubscribe', async () => {
    const choi = 'choi@example.com';
    await client().send([
      {
        type: 'identify',
        userId: 'choi',
        traits: { email: choi },
        context: { timezone: 'Asia/Seoul', consent: { categoryPreferences: { email: true } } },
      },
    ]);
    await client().advance('1d');
    expect(mailsTo(choi)).toHaveLength(1); // the confirmation of the consent
    // The link every marketing e-mail to her carries, signed for her, as the preview renders it.
    const template = JSON.parse(readFileSync('examples/templates/cart-reminder-email.json', 'utf8'));
    expect((await admin('POST', '/admin/v1/templates', template)).status).toBe(201);
    const preview = await admin('POST', '/admin/v1/templates/cart-reminder-email/preview', { userId: 'choi' });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const link = /<([^>]+)>/.exec(preview.body.headers['List-Unsubscribe'])![1];
    const oneClick = () =>
      fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    expect((await oneClick()).status).toBe(200);
    // A mail client may post twice; the customer is told once.
    expect((await oneClick()).status).toBe(200);
    await client().advance('1d');
    expect((await admin('GET', '/admin/v1/profiles/choi')).body.consent.email.granted).toBe(false);
    const confirmations = mailsTo(choi).slice(1);
    expect(confirmations).toHaveLength(1);
    const notice = runtime.outbox.requests.filter((r) => r.userId === 'choi' && r.stepId === 'consent-confirmation');
    expect(notice.at(-1)?.notice?.changes).toMatchObject([{ channel: 'email', change: 'withdrawn' }]);
    const withdrawals = (await ledgerOf('choi')).filter((e) => e.change === 'withdrawn');
    expect(withdrawals).toMatchObject([{ channel: 'email', source: 'unsubscribe' }]);
    expect(runtimeErrors).toEqual([]);
  });
});
