// The local mailer's open pixel and click redirects, hit over HTTP, reach the message log and the funnel report.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { postExampleCoupons } from '../support/exampleCoupons.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_tracking-e2e';
const ADMIN_TOKEN = 'rat_tracking-e2e';
const COUPON_URL = 'https://shop.example/coupon?utm_source=retain&utm_medium=email&utm_campaign=welcome';
let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);

beforeAll(async () => {
  ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
  // The example templates hand out codes of the example pools.
  await postExampleCoupons(admin);
  // The welcome e-mail with a link in it (the entity in the href must come out decoded in the redirect).
  const template = JSON.parse(readFileSync('examples/templates/welcome-coupon.json', 'utf8'));
  template.email.html = `<html><body><p>쿠폰: <a href="${COUPON_URL.replaceAll('&', '&amp;')}">받기</a></p></body></html>`;
  expect((await admin('POST', '/admin/v1/templates', template)).status).toBe(201);
  await admin('PUT', '/admin/v1/settings', {
    sender: { name: '리테인상점', contact: '02-1234-5678' },
    email: { from: '리테인상점 <hello@shop.example>' },
  });
  await admin('POST', '/admin/v1/journeys', JSON.parse(readFileSync('examples/journeys/welcome.json', 'utf8')));
  expect((await admin('POST', '/admin/v1/journeys/welcome/activate')).status).toBe(200);
  // 10:00 in Seoul, outside quiet hours.
  const { now } = await client().advance('1m');
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(new Date(now)),
  );
  await client().advance(`${(10 - hour + 24) % 24 || 24}h`);
  for (const userId of ['t-1', 't-2']) {
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
});

afterAll(async () => {
  await runtime?.stop();
});

/** The HTML part of an .eml as a mail client would show it (nodemailer writes it quoted-printable or base64). */
function htmlOf(raw: string): string {
  const part =
    /Content-Type: text\/html[^\r\n]*\r\n(?:[^\r\n]+\r\n)*?Content-Transfer-Encoding: ([\w-]+)\r\n\r\n([\s\S]*?)\r\n--/i.exec(
      raw,
    );
  if (!part) throw new Error(`no HTML part in\n${raw}`);
  const [, encoding, body] = part;
  if (encoding.toLowerCase() === 'base64') return Buffer.from(body, 'base64').toString('utf8');
  const bytes = body
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

const emailTo = (userId: string) => {
  const mail = runtime.outbox.emails.find((e) => e.to === `${userId}@example.com`);
  if (!mail) throw new Error(`no e-mail to ${userId}`);
  return { mail, html: htmlOf(mail.raw) };
};
const welcomeLine = async () => {
  const funnel = await admin('GET', '/admin/v1/reports/message-funnel?journeyId=welcome');
  expect(funnel.status, JSON.stringify(funnel.body)).toBe(200);
  return funnel.body.lines.find((l: { template: string }) => l.template === 'welcome-coupon') as {
    sent: number;
    opened: number;
    clicked: number;
  };
};

describe('open and click tracking in the local runtime', () => {
  it('writes an open pixel and rewrites links in the .eml, leaving the unsubscribe link alone', () => {
    const { html } = emailTo('t-1');
    expect(html).toMatch(/<img src="http:\/\/127\.0\.0\.1:\d+\/_local\/t\/open\/[\w-]+\.[\w-]+"/);
    expect(html).toMatch(/<a href="http:\/\/127\.0\.0\.1:\d+\/_local\/t\/click\/[\w-]+\.[\w-]+">받기<\/a>/);
    expect(html).not.toContain('https://shop.example/coupon');
    // The compliance footer's opt-out link is not a click.
    expect(html).toMatch(/<a href="http:\/\/127\.0\.0\.1:\d+\/v1\/unsubscribe\?token=/);
  });

  it('records an opened pixel and a clicked link in the message log and the message-funnel report', async () => {
    const { html } = emailTo('t-1');
    const pixel = /<img src="([^"]+)"/.exec(html)![1];
    const link = /<a href="([^"]+\/_local\/t\/click\/[^"]+)"/.exec(html)![1];
    const before = await welcomeLine();
    expect(before).toMatchObject({ sent: 2, opened: 0, clicked: 0 });

    const opened = await fetch(pixel);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toBe('image/gif');
    expect((await opened.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const clicked = await fetch(link, { redirect: 'manual' });
    expect(clicked.status).toBe(302);
    expect(clicked.headers.get('location')).toBe(COUPON_URL);
    // A mail client loads the pixel again on every view: it counts once, as with SES.
    expect((await fetch(pixel)).status).toBe(200);
    await runtime.poller.drain(300_000);

    const messages = (await admin('GET', '/admin/v1/profiles/t-1/messages')).body.messages;
    expect(messages).toHaveLength(1);
    expect(messages[0].openedAt).toEqual(expect.any(String));
    expect(messages[0].clickedAt).toEqual(expect.any(String));
    expect(await welcomeLine()).toMatchObject({ sent: 2, opened: 1, clicked: 1 });
    // The timeline has the events journeys branch on, the click with the original URL.
    const events = (await admin('GET', '/admin/v1/profiles/t-1/events')).body.events as {
      event?: string;
      properties?: { url?: string };
    }[];
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['Email Opened', 'Email Link Clicked']));
    expect(events.find((e) => e.event === 'Email Link Clicked')?.properties?.url).toBe(COUPON_URL);
    expect(runtimeErrors).toEqual([]);
  });

  it('answers 404 to an unknown, forged or misplaced tracking id and records nothing', async () => {
    const { html } = emailTo('t-2');
    const pixel = /<img src="([^"]+)"/.exec(html)![1];
    const link = /<a href="([^"]+\/_local\/t\/click\/[^"]+)"/.exec(html)![1];
    const token = pixel.split('/').pop()!;
    const [payload, signature] = token.split('.');
    const forged = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const base = `${runtime.url}/_local/t`;
    for (const url of [
      `${base}/open/unknown`,
      `${base}/open/${payload}.${forged}`,
      `${base}/open/${payload}`,
      // A valid click token on the open path, and the other way round.
      `${base}/open/${link.split('/').pop()}`,
      `${base}/click/${token}`,
      `${base}/elsewhere/${token}`,
    ]) {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status, url).toBe(404);
    }
    await runtime.poller.drain(300_000);
    const [message] = (await admin('GET', '/admin/v1/profiles/t-2/messages')).body.messages;
    expect(message.status).toBe('sent');
    expect(message.openedAt).toBeUndefined();
    expect(message.clickedAt).toBeUndefined();
    expect(await welcomeLine()).toMatchObject({ opened: 1, clicked: 1 });
  });
});
