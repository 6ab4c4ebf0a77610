// The console's Segments and Broadcasts pages in Chromium (playwright-core) against the local runtime.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { buildConsole, CHROMIUM, seriousViolations, startConsoleServer } from '../support/consoleBrowser.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_console-campaigns';
const ADMIN_TOKEN = 'rat_console-campaigns';
/** Screenshots go to a temporary folder unless RETAIN_SCREENSHOTS names one (docs/screenshots for the docs). */
const SHOTS = process.env.RETAIN_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'retain-shots-'));
const SUBSCRIBERS = 30;

let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let distDir: string;
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);
const example = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const json = () => page.getByRole('textbox', { name: 'The condition as JSON' });
const shot = (target: Page, name: string) => target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/**
 * Customers in Seoul, half on the pro plan; every fifth has only a phone (the e-mail broadcast skips them, and
 * says why), every seventh gave no advertising consent (outside the subscribers segment).
 */
const customers = Array.from({ length: SUBSCRIBERS }, (_, i) => ({
  type: 'identify',
  userId: `s-${i}`,
  traits: {
    name: `고객${i}`,
    plan: i % 2 === 0 ? 'pro' : 'free',
    ...(i % 5 === 4 ? { phone: `010-5555-${1000 + i}` } : { email: `s-${i}@example.com` }),
  },
  context: {
    timezone: 'Asia/Seoul',
    consent: { categoryPreferences: { email: true, sms: true, advertising: i % 7 !== 6 } },
  },
}));

describe.skipIf(!existsSync(CHROMIUM))('the Segments and Broadcasts pages in Chromium', () => {
  beforeAll(async () => {
    distDir = await buildConsole();
    mkdirSync(SHOTS, { recursive: true });
    ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
    expect((await admin('POST', '/admin/v1/templates', example('examples/templates/year-end-sale.json'))).status).toBe(
      201,
    );
    expect((await admin('POST', '/admin/v1/segments', example('examples/segments/subscribers.json'))).status).toBe(201);
    // What the README's tour sets before a broadcast: the sender, SMS numbers with an 080, and a seed list.
    await admin('PUT', '/admin/v1/settings', {
      sender: { name: '리테인상점', contact: '02-1234-5678' },
      email: { from: '리테인상점 <hello@shop.example>' },
      sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
      seedList: { email: ['marketing-team@shop.example'] },
    });
    // Daytime in Seoul, so the sending window passes.
    const { now } = await client().advance('1m');
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(
        new Date(now),
      ),
    );
    await client().advance(`${(10 - hour + 24) % 24 || 24}h`);
    await client().send(customers);

    server = await startConsoleServer(distDir, runtime.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Home', exact: true }).waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.stop();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  });

  it('builds a segment in the builder, beside its JSON, with the live estimate the API gives', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('link', { name: 'Subscribers: consented to advertising' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Id', { exact: true }).fill('pro-subscribers');
    await page.getByLabel('Name', { exact: true }).fill('Pro subscribers');

    await page.getByLabel('Attribute, condition 1.1').fill('consent.advertising.granted');
    await page.keyboard.press('Escape');
    await page.getByLabel('Value, condition 1.1').fill('true');
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Attribute, condition 1.2').fill('traits.plan');
    await page.keyboard.press('Escape');
    await page.getByLabel('Value, condition 1.2').fill('free');
    // "not" on the second rule: consented, and not on the free plan.
    await page.getByLabel('not, condition 1.2').check();

    const condition = {
      all: [
        { attribute: 'consent.advertising.granted', op: 'eq', value: true },
        { not: { attribute: 'traits.plan', op: 'eq', value: 'free' } },
      ],
    };
    expect(JSON.parse(await json().inputValue())).toEqual(condition);
    const expected = (await admin('POST', '/admin/v1/segments/estimate', { condition })).body;
    const pro = customers.filter((_, i) => i % 2 === 0 && i % 7 !== 6).length;
    expect(expected).toMatchObject({ matching: pro, profiles: SUBSCRIBERS });
    await expect
      .poll(() => page.getByTestId('segment-estimate').textContent())
      .toContain(`${pro} of ${SUBSCRIBERS} profiles match`);

    // A group nested inside, switched to "any": the estimate follows, and so does the JSON.
    await page.getByRole('button', { name: 'Add a group' }).first().click();
    await page.getByLabel('Match, group 1.3').selectOption('any');
    await page.getByLabel('Attribute, condition 1.3.1').fill('channels.email');
    await page.keyboard.press('Escape');
    await page.getByLabel('Operator, condition 1.3.1').selectOption('exists');
    const nested = JSON.parse(await json().inputValue());
    expect(nested.all[2]).toEqual({ any: [{ attribute: 'channels.email', op: 'exists' }] });
    const withEmail = (await admin('POST', '/admin/v1/segments/estimate', { condition: nested })).body.matching;
    expect(withEmail).toBeLessThan(pro);
    await expect
      .poll(() => page.getByTestId('segment-estimate').textContent())
      .toContain(`${withEmail} of ${SUBSCRIBERS} profiles match`);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'segment');

    // JSON typed by hand that the API refuses: its words, and the field.
    await json().fill('{"attribute": "computed.orders", "op": "gt"}');
    const refusal = page.getByTestId('api-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('invalid_request');
    expect(await refusal.textContent()).toContain('body.condition');
    await json().fill(JSON.stringify(nested));
    await expect.poll(() => page.getByLabel('Value, condition 1.2').inputValue()).toBe('free');

    await page.getByRole('button', { name: 'Save the segment' }).click();
    await page.getByRole('heading', { name: 'Pro subscribers' }).waitFor();
    expect((await admin('GET', '/admin/v1/segments/pro-subscribers')).body.condition).toEqual(nested);
  }, 120_000);

  it('creates an A/B broadcast, shows the 409 item by item, test-sends, sends, follows its progress and its A/B result', async () => {
    await page.getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByText('No broadcasts yet.').waitFor();
    await page.getByRole('link', { name: 'New broadcast' }).click();
    await page.getByLabel('Id', { exact: true }).fill('year-end-sale');
    await page.getByLabel('Name', { exact: true }).fill('Year-end sale');
    await page.getByLabel('Segment', { exact: true }).selectOption('subscribers');
    await page.getByLabel('A/B variants').check();
    await page.getByLabel('Variant 1 template').selectOption('year-end-sale');
    await page.getByLabel('Variant 2 template').selectOption('year-end-sale');
    await page.getByLabel('Control group').fill('10');
    await page.getByLabel('Recipients per minute').fill('1000');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Create the draft' }).click();
    await page.getByRole('heading', { name: 'Year-end sale' }).waitFor();
    const stored = (await admin('GET', '/admin/v1/broadcasts/year-end-sale')).body;
    expect(stored.definition).toMatchObject({
      segment: 'subscribers',
      controlPercent: 10,
      ratePerMinute: 1000,
      variants: [
        { name: 'A', template: 'year-end-sale', weight: 1 },
        { name: 'B', template: 'year-end-sale', weight: 1 },
      ],
    });

    // The checklist, item by item, as the API ran it.
    await page.getByRole('button', { name: 'Run the checklist' }).click();
    await page.locator('[data-testid="checklist-item"][data-item="audience"]').waitFor();
    const check = (await admin('POST', '/admin/v1/broadcasts/year-end-sale/check')).body as {
      items: { id: string; passed: boolean; summary: string; details: any }[];
    };
    const shown = page.getByRole('region', { name: 'Checklist' }).getByTestId('checklist-item');
    expect(await shown.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-item')))).toEqual(
      check.items.map((i) => i.id),
    );
    for (const item of check.items) {
      const card = page
        .getByRole('region', { name: 'Checklist' })
        .locator(`[data-testid="checklist-item"][data-item="${item.id}"]`);
      expect(await card.getAttribute('data-passed')).toBe(String(item.passed));
      expect(await card.getByTestId('checklist-summary').textContent()).toBe(item.summary);
    }
    const audience = check.items.find((i) => i.id === 'audience')!;
    const skipReasons = Object.entries(audience.details.skipped as Record<string, number>);
    expect(skipReasons.length).toBeGreaterThan(0);
    expect(await page.getByTestId('skip-reason').allTextContents()).toEqual(
      skipReasons.map(([reason, n]) => `${reason}${n}`),
    );
    expect(await page.getByTestId('audience-by-channel').textContent()).toContain(
      `E-mail ${audience.details.byChannel.email}`,
    );
    expect(check.items.find((i) => i.id === 'test-send')!.passed).toBe(false);

    // Sending before the test send: 409, what fails shown as the API words it.
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const refused = page.getByTestId('send-refused');
    await refused.waitFor();
    expect(await refused.getByTestId('api-error').textContent()).toContain('checklist_failed');
    const failing = refused.getByTestId('checklist-item');
    expect(await failing.evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-item')))).toEqual(['test-send']);
    expect(runtime.outbox.emails).toHaveLength(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Test send to the seed list' }).click();
    await page.getByTestId('test-sent').waitFor();
    expect(await page.getByTestId('test-sent').textContent()).toContain('marketing-team@shop.example');
    expect(runtime.outbox.emails.map((e) => e.to)).toEqual([
      'marketing-team@shop.example',
      'marketing-team@shop.example',
    ]);
    runtime.outbox.emails.length = 0;

    await page.getByRole('button', { name: 'Send', exact: true }).click();
    // On a busy machine the local fan-out can finish before the page's first poll, so either state is right here.
    await expect
      .poll(() => page.getByTestId('broadcast-status').getAttribute('data-status'))
      .toMatch(/^(sending|enqueued)$/);
    await page.getByRole('region', { name: 'Progress' }).waitFor();
    await client().advance('10m');
    // The page polls while the broadcast is sending, and stops once everything is enqueued.
    await expect
      .poll(() => page.getByTestId('broadcast-status').textContent(), { timeout: 20_000 })
      .toBe('All enqueued');
    const sent = (await admin('GET', '/admin/v1/broadcasts/year-end-sale')).body;
    expect(sent.progress.enqueued + sent.progress.heldOut).toBe(audience.details.matching - 0);
    expect(await page.getByTestId('progress-enqueued').textContent()).toBe(`Enqueued: ${sent.progress.enqueued}`);
    expect(await page.getByTestId('progress-held-out').textContent()).toBe(`Held out: ${sent.progress.heldOut}`);

    // Every third customer orders; the A/B result compares the variants with the control group.
    await client().send(
      customers
        .filter((_, i) => i % 3 === 0)
        .map((c, i) => ({
          type: 'track',
          userId: c.userId,
          event: 'Order Completed',
          properties: { order_id: `o-${i}`, total: 30000 },
        })),
    );
    const ab = (await admin('GET', '/admin/v1/reports/ab-test?broadcastId=year-end-sale')).body;
    await page.reload();
    await page.getByTestId('ab-verdict').waitFor();
    expect(await page.getByTestId('ab-verdict').textContent()).toContain(ab.verdict);
    expect(
      await page.getByTestId('ab-arm').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-variant'))),
    ).toEqual(ab.arms.map((a: { variant: string }) => a.variant));
    const conversions = await page
      .getByTestId('ab-arm')
      .evaluateAll((rows) => rows.map((r) => r.querySelectorAll('td')[1]?.textContent));
    expect(conversions).toEqual(ab.arms.map((a: { conversions: number }) => String(a.conversions)));
    // Each arm drawn on its interval, the control group's rate as the dashed reference line.
    const drawn = page.getByTestId('ab-intervals');
    expect(await drawn.getByTestId('ab-interval').count()).toBe(ab.arms.length);
    expect(await drawn.locator('circle').count()).toBe(
      ab.arms.filter((a: { conversionRate: number | null }) => a.conversionRate !== null).length,
    );
    expect(await drawn.getByTestId('ab-reference-line').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'broadcast');
  }, 180_000);

  it('cancels a broadcast that is sending, and reads at 390 px', async () => {
    const slow = { ...example('examples/broadcasts/year-end-sale.json'), id: 'slow-sale', ratePerMinute: 1 };
    expect((await admin('POST', '/admin/v1/broadcasts', slow)).status).toBe(201);
    expect((await admin('POST', '/admin/v1/broadcasts/slow-sale/test-send')).status).toBe(200);
    const sending = await admin('POST', '/admin/v1/broadcasts/slow-sale/send', {
      force: { reason: 'browser test: the daily cap was used by the sale before' },
    });
    expect(sending.status, JSON.stringify(sending.body)).toBe(202);

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    await phone.goto(`${server.url}/console/`);
    await phone.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await phone.keyboard.press('Enter');
    await phone.getByRole('heading', { name: 'Home', exact: true }).waitFor();
    await phone.goto(`${server.url}/console/broadcasts/slow-sale`);
    await phone.getByRole('button', { name: 'Cancel the broadcast' }).click();
    await expect.poll(() => phone.getByTestId('broadcast-status').getAttribute('data-status')).toBe('cancelled');
    expect((await admin('GET', '/admin/v1/broadcasts/slow-sale')).body.status).toBe('cancelled');
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(phone)).toEqual([]);
    await phone.goto(`${server.url}/console/segments/pro-subscribers`);
    await phone.getByTestId('segment-estimate').waitFor();
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await phone.close();
  }, 120_000);

  it('ran without runtime errors', () => {
    expect(runtimeErrors).toEqual([]);
  });
});
