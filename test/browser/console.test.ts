// The console in a real browser (Debian's Chromium via playwright-core) against the local runtime.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createConsoleAssets } from '../../functions/local/consoleAssets.js';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { postExampleCoupons } from '../support/exampleCoupons.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const CHROMIUM = '/usr/bin/chromium';
const WRITE_KEY = 'wk_console-browser';
const ADMIN_TOKEN = 'rat_console-browser';
/** Screenshots go to a temporary folder unless RETAIN_SCREENSHOTS names one (docs/screenshots for the docs). */
const SHOTS = process.env.RETAIN_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'retain-shots-'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let distDir: string;
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let context: BrowserContext;
let page: Page;

const admin = (method: string, path: string, body?: unknown) =>
  testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }).admin(method, path, body);
const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });

/** A welcome series whose reminder meets the one-e-mail-a-day cap: the customer page must say so. */
const welcomeSeries = {
  id: 'welcome-series',
  name: 'Welcome series',
  description: 'A welcome e-mail, and a reminder an hour later to those who did not open it.',
  trigger: { kind: 'event', event: 'Signed Up' },
  reentry: { policy: 'once' },
  goal: { event: 'Order Completed', window: '7d' },
  start: 'settle',
  steps: {
    settle: { type: 'wait', duration: '10m', next: 'welcome' },
    welcome: { type: 'send', channel: 'email', template: 'welcome-coupon', next: 'later' },
    later: { type: 'wait', duration: '1h', next: 'opened' },
    opened: { type: 'branch', message: { step: 'welcome', outcome: 'opened' }, then: 'done', else: 'reminder' },
    reminder: { type: 'send', channel: 'email', template: 'cart-reminder-email', next: 'done' },
    done: { type: 'exit' },
  },
};

const consenting = (userId: string) => ({
  type: 'identify',
  userId,
  traits: { name: '김민지', email: `${userId}@example.com`, plan: 'free' },
  context: {
    timezone: 'Asia/Seoul',
    locale: 'ko-KR',
    consent: { categoryPreferences: { email: true, advertising: true } },
  },
});

/** Serves the built console and passes every other path to the runtime: one origin, as `npm start` will. */
async function startConsoleServer(apiUrl: string) {
  const assets = createConsoleAssets({ distDir, apiUrl: '', local: true });
  const http = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const asset = assets(method, req.url ?? '/');
    if (asset) {
      res.writeHead(asset.status, asset.headers);
      res.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'connection') headers.set(name, value);
    }
    try {
      const answer = await fetch(`${apiUrl}${req.url}`, {
        method,
        headers,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!['content-encoding', 'content-length', 'transfer-encoding'].includes(name)) out[name] = value;
      });
      res.writeHead(answer.status, out);
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`console test server: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => http.close(() => done())),
  };
}

/** axe-core in the page: the serious and critical violations, with where they are. */
async function seriousViolations(target: Page) {
  // Page-side code is passed as strings: the test compiles without the DOM library.
  if (!(await target.evaluate<boolean>('"axe" in window'))) await target.addScriptTag({ content: axeSource });
  type Violation = { id: string; impact: string; nodes: { target: string[]; failureSummary?: string }[] };
  const result = await target.evaluate<{ violations: Violation[] }>('axe.run()');
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes
        .slice(0, 3)
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
    }));
}

const shot = (target: Page, name: string) => target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

// Without Chromium nothing here runs, the build and the runtime included.
describe.skipIf(!existsSync(CHROMIUM))('the console in Chromium', () => {
  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'retain-console-'));
    // Vitest sets NODE_ENV=test, and Vite would then bundle React's development build: build what ships.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: 'console/vite.config.ts',
        logLevel: 'warn',
        build: { outDir: distDir, emptyOutDir: true },
      });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
    mkdirSync(SHOTS, { recursive: true });

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
    expect((await admin('POST', '/admin/v1/journeys', welcomeSeries)).status).toBe(201);
    const activated = await admin('POST', '/admin/v1/journeys/welcome-series/activate', {
      force: { reason: 'browser test: sample renders are not the point here' },
    });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    // Daytime in Seoul, so quiet hours defer nothing.
    const { now } = await client().advance('1m');
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(
        new Date(now),
      ),
    );
    await client().advance(`${(10 - hour + 24) % 24 || 24}h`);
    await client().send([
      consenting('c-capped'),
      { type: 'track', userId: 'c-capped', event: 'Signed Up', properties: { source: 'instagram' } },
      { type: 'identify', userId: 'c-skipped', traits: { email: 'c-skipped@example.com' } },
      { type: 'track', userId: 'c-skipped', event: 'Signed Up' },
    ]);
    await client().advance('15m');
    await client().advance('2h');

    server = await startConsoleServer(runtime.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.stop();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  });

  it('keeps its initial JavaScript within 300 KB gzipped', () => {
    const html = readFileSync(join(distDir, 'index.html'), 'utf8');
    const entries = [
      ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/console\/([^"]+\.js)"/g),
    ].map((m) => m[1]);
    // The entry and everything it imports statically; dynamic imports (pages, the graph) load later.
    const initial = new Set<string>();
    const visit = (file: string) => {
      if (initial.has(file)) return;
      initial.add(file);
      const code = readFileSync(join(distDir, file), 'utf8');
      for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w{}*,\s$]+from\s*)?["']\.\/([^"']+\.js)["']/g))
        visit(`assets/${m[1]}`);
    };
    entries.forEach(visit);
    const gzipped = [...initial].reduce((sum, file) => sum + gzipSync(readFileSync(join(distDir, file))).length, 0);
    console.log(`console initial JavaScript: ${[...initial].join(', ')} = ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(entries.length).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(300 * 1024);
  });

  it("refuses a wrong token in the API's words, then signs in from the keyboard", async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Admin token').fill('rat_wrong');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('api-error').textContent()).toContain('Forbidden');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'sign-in');

    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    // The console lands on Home.
    await page.getByRole('heading', { name: 'Home', exact: true }).waitFor();
    expect(await page.evaluate<string | null>("sessionStorage.getItem('retain.adminToken')")).toBe(ADMIN_TOKEN);
    // The first Tab reaches the skip link, which moves focus past the navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Skip to content');
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('heading', { name: 'Customers' }).waitFor();
  }, 60_000);

  it('finds a customer and says why a message was not sent: capped, and skipped', async () => {
    await page.getByLabel('User id').fill('c-capped');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: 'c-capped' }).waitFor();
    const capped = page.locator('tr[data-status="capped"]');
    await capped.waitFor();
    const api = (await admin('GET', '/admin/v1/profiles/c-capped/messages')).body.messages as {
      status: string;
      reason?: string;
    }[];
    const reason = api.find((m) => m.status === 'capped')?.reason;
    expect(reason).toMatch(/email-daily/);
    expect(await capped.getByTestId('message-reason').textContent()).toBe(reason);
    expect(await capped.textContent()).toContain('a frequency cap was reached');
    expect(await page.locator('tr[data-status="sent"]').count()).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: 'Consent' }).textContent()).toContain('Granted');
    await page.getByText('Signed Up').first().waitFor();
    // The journeys they are in: one row per run the API lists, with its status in words and its step.
    const runs = (await admin('GET', '/admin/v1/profiles/c-capped/journeys')).body.instances as {
      journeyId: string;
      status: string;
      step: string;
    }[];
    expect(runs.map((r) => r.journeyId)).toContain('welcome-series');
    const journeyRows = page.getByRole('region', { name: 'Journeys' }).locator('tbody tr');
    await expect.poll(() => journeyRows.count()).toBe(runs.length);
    const words = { active: 'in it', converted: 'converted', completed: 'completed', exited: 'exited' };
    for (const [i, run] of runs.entries()) {
      const row = await journeyRows.nth(i).textContent();
      expect(row).toContain(run.journeyId);
      expect(row).toContain(words[run.status as keyof typeof words]);
      expect(row).toContain(run.step);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'customer');

    await page.getByLabel('User id').fill('c-skipped');
    await page.keyboard.press('Enter');
    // No consent: both the welcome and the reminder were skipped, each saying so.
    const skipped = page.locator('tr[data-status="skipped"]');
    await skipped.first().waitFor();
    expect(await skipped.getByTestId('message-reason').allTextContents()).toEqual([
      'no email consent',
      'no email consent',
    ]);
  }, 60_000);

  it('finds a customer by e-mail or phone as typed, and lists them when several share it', async () => {
    await client().send([
      { type: 'identify', userId: 'c-twin-a', traits: { name: '김하나', phone: '010-2222-3333' } },
      { type: 'identify', userId: 'c-twin-b', traits: { name: '김두리', phone: '+82 10 2222 3333' } },
    ]);
    await client().advance('1m');
    await page.goto(`${server.url}/console/customers`);
    await page.getByLabel('User id').fill(' C-Skipped@Example.com ');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('heading', { name: 'c-skipped' }).waitFor();

    await page.getByLabel('User id').fill('010 2222 3333');
    await page.keyboard.press('Enter');
    const matches = page.getByTestId('customer-matches');
    await matches.waitFor();
    expect(await matches.locator('tbody tr').count()).toBe(2);
    expect(await matches.textContent()).toContain('김두리');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'customer-search');
    await matches.getByRole('link', { name: 'c-twin-b' }).click();
    await page.getByRole('heading', { name: 'c-twin-b' }).waitFor();

    await page.getByLabel('User id').fill('010-9999-0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('no-match').textContent()).toContain('No customer has 010-9999-0000');
  }, 60_000);

  it('erases a customer only after the id is typed, and shows what went where and what is kept', async () => {
    await client().send([
      consenting('c-erase-me'),
      { type: 'track', userId: 'c-erase-me', event: 'Product Viewed', properties: { product_id: 'p-1' } },
    ]);
    await client().advance('1m');
    await page.goto(`${server.url}/console/customers/c-erase-me`);
    await page.getByText('Product Viewed').first().waitFor();
    await page.getByRole('button', { name: 'Erase customer…' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Erase for good' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type c-erase-me to confirm').fill('c-erase');
    expect(await confirm.isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByLabel('Type c-erase-me to confirm').fill('c-erase-me');
    await confirm.click();

    const record = page.getByTestId('erasure-record');
    await record.waitFor();
    expect(await record.textContent()).toContain('c-erase-me is erased');
    const id = (await record.textContent())!.match(/Erasure record (\S+):/)?.[1];
    const erasure = (await admin('GET', `/admin/v1/erasures/${id}`)).body as {
      steps: { where: string; removed: number }[];
      kept: string[];
    };
    expect(erasure.steps.length).toBeGreaterThan(0);
    for (const step of erasure.steps) await record.locator(`tr[data-where="${step.where}"]`).waitFor();
    expect(await record.textContent()).toContain(erasure.kept[0]);
    expect((await admin('GET', '/admin/v1/profiles/c-erase-me')).status).toBe(404);
    await shot(page, 'customer-erased');
  }, 60_000);

  it('shows a missing customer as the API words it', async () => {
    await page.goto(`${server.url}/console/customers/nobody-here`);
    await expect.poll(() => page.getByTestId('api-error').first().textContent()).toContain('not_found');
  }, 30_000);

  it('draws a journey as a graph with the live numbers of its send steps', async () => {
    await page.goto(`${server.url}/console/journeys`);
    await page.getByRole('link', { name: 'Welcome series' }).click();
    const canvas = page.getByTestId('journey-canvas');
    await canvas.locator('[data-step="reminder"]').waitFor();
    for (const step of Object.keys(welcomeSeries.steps))
      expect(await canvas.locator(`[data-step="${step}"]`).count()).toBe(1);
    // Edges: trigger → settle and one per step exit (the branch has two).
    await expect.poll(() => canvas.locator('.react-flow__edge').count()).toBe(7);
    const funnel = (await admin('GET', '/admin/v1/reports/message-funnel?journeyId=welcome-series')).body.lines as {
      stepId: string;
      sent: number;
      capped: number;
    }[];
    const reminder = funnel.find((l) => l.stepId === 'reminder')!;
    expect(reminder.capped).toBeGreaterThan(0);
    await expect
      .poll(() => canvas.locator('[data-step="reminder"]').getByTestId('step-numbers').textContent())
      .toContain(`Capped ${reminder.capped}`);
    expect(await canvas.locator('[data-step="welcome"]').getByTestId('step-numbers').textContent()).toContain(
      `Sent ${funnel.find((l) => l.stepId === 'welcome')!.sent}`,
    );
    // Nodes must not overlap: dagre laid them out.
    type Box = { left: number; right: number; top: number; bottom: number };
    const boxes = await Promise.all(
      (await canvas.locator('.react-flow__node').all()).map(async (node): Promise<Box> => {
        const { x, y, width, height } = (await node.boundingBox())!;
        return { left: x, right: x + width, top: y, bottom: y + height };
      }),
    );
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        expect(overlap).toBe(false);
      }
    }
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'journey');
    await page.goto(`${server.url}/console/journeys`);
    await page.getByRole('link', { name: 'Welcome series' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'journeys');
  }, 60_000);

  it("saves a setting, and shows a refusal in the API's words", async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    const start = page.getByLabel('From', { exact: true });
    await start.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await start.fill('25:00');
    await page.getByRole('button', { name: 'Save settings' }).first().click();
    const refusal = page.getByTestId('api-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('body.quietHours.start');
    expect(await refusal.textContent()).toContain('invalid_request');
    expect((await admin('GET', '/admin/v1/settings')).body.quietHours.start).toBe('21:00');

    await start.fill('22:30');
    await page.getByLabel('At most, for email-daily').fill('2');
    await page.getByRole('button', { name: 'Save settings' }).first().click();
    await page.getByTestId('settings-saved').waitFor();
    const saved = (await admin('GET', '/admin/v1/settings')).body;
    expect(saved.quietHours.start).toBe('22:30');
    expect(saved.caps.find((c: { id: string }) => c.id === 'email-daily').limit).toBe(2);
    expect(saved.sender.name).toBe('리테인상점');
    await shot(page, 'settings');
  }, 60_000);

  it('speaks Korean when the browser prefers it, and reads at 390 px', async () => {
    const korean = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ko-KR' });
    const phone = await korean.newPage();
    await phone.goto(`${server.url}/console/`);
    await phone.getByRole('button', { name: '로그인' }).waitFor();
    expect(await phone.evaluate<string>('document.documentElement.lang')).toBe('ko');
    await phone.getByLabel('관리자 토큰').fill(ADMIN_TOKEN);
    await phone.getByRole('button', { name: '로그인' }).click();
    // The token is kept once the API has accepted it (the console lands on Home); only then may the page be reloaded.
    await phone.getByRole('heading', { name: '홈', exact: true }).waitFor();
    await phone.goto(`${server.url}/console/customers/c-capped`);
    await phone.locator('tr[data-status="capped"]').waitFor();
    expect(await phone.locator('tr[data-status="capped"]').textContent()).toContain('빈도 제한');
    // Wide tables scroll inside their own box; the page itself never scrolls sideways.
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await seriousViolations(phone)).toEqual([]);
    await shot(phone, 'customer-390-ko');
    await korean.close();
  }, 60_000);

  it('ran without runtime errors', () => {
    expect(runtimeErrors).toEqual([]);
  });
});
