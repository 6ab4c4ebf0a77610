// The console's Home, Reports and local clock in Chromium (playwright-core) against the local runtime filled by
// `npm run demo` with 300 customers and about 6,000 events (the README's 2,000 / 100,000 is too slow for CI here).

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { buildConsole, CHROMIUM, seriousViolations, startConsoleServer } from '../support/consoleBrowser.js';
import { postExampleCoupons } from '../support/exampleCoupons.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_console-home';
const ADMIN_TOKEN = 'rat_console-home';
const DEMO = { customers: 300, events: 6000 };
/** Screenshots go to a temporary folder unless RETAIN_SCREENSHOTS names one (docs/screenshots for the docs). */
const SHOTS = process.env.RETAIN_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'retain-shots-'));
const REPORTS = ['funnel', 'retention', 'repurchase', 'pareto', 'revenue-tree', 'ltv-history', 'rfm'] as const;
const TAB: Record<(typeof REPORTS)[number], string> = {
  funnel: 'Funnel',
  retention: 'Retention',
  repurchase: 'Repurchase',
  pareto: 'Pareto',
  'revenue-tree': 'Revenue tree',
  'ltv-history': 'LTV by cohort',
  rfm: 'RFM',
};

let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let distDir: string;
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;
let demo: { broadcast: { emails: number; opens: number; clicks: number } };

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);
const example = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const percent = (n: number) => new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(n);

describe.skipIf(!existsSync(CHROMIUM))('Home, Reports and the local clock in Chromium', () => {
  beforeAll(async () => {
    distDir = await buildConsole();
    mkdirSync(SHOTS, { recursive: true });
    ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
    // The example templates hand out codes of the example pools.
    await postExampleCoupons(admin);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'demo/run.ts',
        '--customers',
        String(DEMO.customers),
        '--events',
        String(DEMO.events),
        '--json',
        '--url',
        runtime.url,
      ],
      {
        env: {
          ...process.env,
          AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
          RETAIN_WRITE_KEY: WRITE_KEY,
          RETAIN_ADMIN_TOKEN: ADMIN_TOKEN,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    demo = JSON.parse(stdout);
    // A live journey, and a draft broadcast never test-sent (its checklist fails), for Home to show.
    await admin('POST', '/admin/v1/templates', example('examples/templates/welcome-coupon.json'));
    await admin('POST', '/admin/v1/journeys', example('examples/journeys/welcome.json'));
    const activated = await admin('POST', '/admin/v1/journeys/welcome/activate', {
      force: { reason: 'browser test: the checklist is not the point here' },
    });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    const draft = { ...example('examples/broadcasts/year-end-sale.json'), id: 'spring-sale', name: 'Spring sale' };
    expect((await admin('POST', '/admin/v1/broadcasts', draft)).status).toBe(201);
    expect((await admin('POST', '/admin/v1/broadcasts/spring-sale/check')).body.passed).toBe(false);

    server = await startConsoleServer(distDir, runtime.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
      acceptDownloads: true,
    });
    page = await context.newPage();
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Home', exact: true }).waitFor();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.stop();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  });

  it('the demo opened and clicked a share of its e-mails through the local tracking', () => {
    const { emails, opens, clicks } = demo.broadcast;
    expect(emails).toBeGreaterThan(50);
    // Seeded: about 35 % open and 4 % click; the bounds leave room for a small audience's spread.
    expect(opens / emails).toBeGreaterThan(0.25);
    expect(opens / emails).toBeLessThan(0.45);
    expect(clicks).toBeGreaterThan(0);
    expect(clicks / emails).toBeLessThan(0.1);
  });

  it('lands on Home with the last 30 days, each rate as the overview route gives it, and what needs attention', async () => {
    const overview = (await admin('GET', '/admin/v1/overview?days=30')).body;
    const totals = overview.current.totals;
    expect(totals.sent).toBe(demo.broadcast.emails);
    const kpi = (id: string) => page.getByTestId(`kpi-${id}`).getByTestId('kpi-value');
    await expect.poll(() => kpi('sent').textContent()).toBe(new Intl.NumberFormat('en-GB').format(totals.sent));
    expect(await kpi('openRate').textContent()).toBe(percent(totals.openRate));
    expect(await kpi('clickRate').textContent()).toBe(percent(totals.clickRate));
    expect(totals.openRate).toBeGreaterThan(0);
    expect(totals.clickRate).toBeGreaterThan(0);
    for (const id of ['deliveryRate', 'conversionRate', 'negativeReactionRate', 'revenue']) {
      expect(await page.getByTestId(`kpi-${id}`).count()).toBe(1);
    }
    // Nothing was sent in the 30 days before, so no trend is claimed.
    expect(await page.getByTestId('kpi-sent').getAttribute('data-trend')).toBe('none');
    const attention = page.getByTestId('attention');
    expect(await attention.textContent()).toContain('The checklist of Spring sale fails');
    expect(await attention.textContent()).toContain('test-send');
    expect(await page.getByTestId('live-journeys').textContent()).toContain('Welcome');
    const broadcasts = await page.getByTestId('home-broadcast-list').textContent();
    expect(broadcasts).toContain('Spring sale');
    expect(broadcasts).toContain('Enqueued');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('home');
  }, 60_000);

  it('lists a dead-letter backlog under what needs attention, as the overview counts it', async () => {
    // Not a delivery request: the Kakao sender fails it on every receive, and its queue keeps it.
    runtime.scheduler.later('kakao', 'home-poison', { channel: 'kakao' }, new Date(0).toISOString());
    await runtime.scheduler.fireDue();
    const { deadLetters } = (await admin('GET', '/admin/v1/overview?days=30')).body.attention;
    expect(deadLetters).toEqual([{ queue: 'kakao', messages: 1 }]);
    await page.reload();
    const attention = page.getByTestId('attention');
    await expect
      .poll(() => attention.textContent())
      .toContain('1 message(s) failed every retry and wait in the kakao dead-letter queue');
    expect(await attention.textContent()).toContain('.retain/dead-letters/<queue>.ndjson');
    expect(await attention.textContent()).toContain('The checklist of Spring sale fails');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('home-dead-letters');
  }, 60_000);

  it('draws every report from the demo data, each with its numbers and no serious accessibility finding', async () => {
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    for (const name of REPORTS) {
      await page.getByRole('tab', { name: TAB[name], exact: true }).click();
      const panel = page.getByTestId(`report-${name}`);
      // ECharts has drawn when its SVG holds filled shapes (axis and grid lines are unfilled and have no height).
      await panel.locator('[data-testid="report-chart"] svg path:not([fill="none"])').first().waitFor();
      expect(await panel.getByText('No data in this range.').count()).toBe(0);
      expect(await seriousViolations(page), name).toEqual([]);
      await shot(`reports-${name}`);
    }
  }, 180_000);

  it('shows the numbers the API gives: funnel steps, Pareto top 20 % and RFM segment sizes', async () => {
    const steps = 'Product Viewed,Product Added,Checkout Started,Order Completed';
    const funnel = (await admin('GET', `/admin/v1/reports/funnel?steps=${encodeURIComponent(steps)}`)).body;
    await page.getByRole('tab', { name: 'Funnel', exact: true }).click();
    const rows = page.getByTestId('funnel-steps').locator('tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(4);
    const first = funnel.segments[0].steps[0];
    expect(first.customers).toBeGreaterThan(0);
    expect(await rows.first().textContent()).toContain(new Intl.NumberFormat('en-GB').format(first.customers));

    const pareto = (await admin('GET', '/admin/v1/reports/pareto')).body;
    await page.getByRole('tab', { name: 'Pareto', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('pareto-top20').textContent())
      .toBe(`The top 20 % of buyers bring ${percent(pareto.top20Share)} of revenue`);

    const rfm = (await admin('GET', '/admin/v1/reports/rfm')).body;
    await page.getByRole('tab', { name: 'RFM', exact: true }).click();
    const segments = page.getByTestId('rfm-segments').locator('tr');
    await segments.first().waitFor();
    expect(await segments.count()).toBe(rfm.segments.length);
    expect(await page.getByTestId('rfm-segments').textContent()).toContain(rfm.segments[0].segment);
    // The grid labels each segment once, in the chart's SVG.
    expect(await page.getByTestId('report-rfm').locator('svg text').allTextContents()).toContain(
      rfm.segments[0].segment,
    );
  }, 60_000);

  it('asks for the chosen date range and downloads the same report as CSV', async () => {
    await page.getByRole('tab', { name: 'Repurchase', exact: true }).click();
    const panel = page.getByTestId('report-repurchase');
    const range = panel.getByTestId('report-range');
    await range.waitFor();
    const [, to] = (await range.textContent())!.split(' – ');
    const from = new Date(Date.parse(to) - 90 * 86_400_000).toISOString().slice(0, 10);
    await panel.getByLabel('From').fill(from);
    await expect.poll(() => range.textContent()).toBe(`${from} – ${to}`);
    const api = (await admin('GET', `/admin/v1/reports/repurchase?from=${from}&to=${to}`)).body;
    expect(await panel.textContent()).toContain(new Intl.NumberFormat('en-GB').format(api.buyers));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      panel.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('repurchase.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('days,orders');
    expect(csv).toContain(`range,${from} to ${to}`);
  }, 60_000);

  it('shows the local clock and moves it forward a day from the panel', async () => {
    const panel = page.getByTestId('clock-panel');
    await panel.waitFor();
    const before = (await admin('GET', '/admin/v1/clock')).body.now as string;
    expect(Date.parse((await panel.getByTestId('clock-now').getAttribute('data-now'))!)).toBeLessThanOrEqual(
      Date.parse(before),
    );
    await panel.getByRole('button', { name: '+1 day' }).click();
    await panel.getByTestId('clock-advanced').waitFor();
    const after = (await admin('GET', '/admin/v1/clock')).body.now as string;
    expect(Date.parse(after) - Date.parse(before)).toBeGreaterThanOrEqual(86_400_000);
    const shown = Date.parse((await panel.getByTestId('clock-now').getAttribute('data-now'))!);
    expect(shown - Date.parse(before)).toBeGreaterThanOrEqual(86_400_000);
    // A custom step the runtime refuses comes back in its words.
    await panel.getByLabel('By (e.g. 30m, 36h, 3d)').fill('soon');
    await panel.getByRole('button', { name: 'Advance', exact: true }).click();
    await expect.poll(() => panel.getByTestId('api-error').textContent()).toContain('by: expected a duration');
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it('left nothing in the runtime’s error list', () => {
    expect(runtimeErrors).toEqual([]);
  });
});
