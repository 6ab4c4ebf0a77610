// The console's approvals in Chromium (playwright-core) against the local runtime: a marketer's send is held for
// approval, their own approval is refused, an owner approves it on the Approvals page and the broadcast sends.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { buildConsole, CHROMIUM, seriousViolations, startConsoleServer } from '../support/consoleBrowser.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_console-approvals';
const OWNER_TOKEN = 'rat_console-approvals';
/** Screenshots go to a temporary folder unless RETAIN_SCREENSHOTS names one (docs/screenshots for the docs). */
const SHOTS = process.env.RETAIN_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'retain-shots-'));

let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let distDir: string;
let server: { url: string; close(): Promise<void> };
let browser: Browser;
/** A marketer flagged approver: may decide others' requests, never their own. */
let marketerToken: string;

const as = (token: string) => (method: string, path: string, body?: unknown) =>
  testClient(runtime, { writeKey: WRITE_KEY, adminToken: token }).admin(method, path, body);
const owner = (method: string, path: string, body?: unknown) => as(OWNER_TOKEN)(method, path, body);
const example = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const shot = (target: Page, name: string) => target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

async function signedIn(token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${server.url}/console/`);
  await page.getByLabel('Admin token').fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Home', exact: true }).waitFor();
  return page;
}

describe.skipIf(!existsSync(CHROMIUM))('approvals in the console, in Chromium', () => {
  beforeAll(async () => {
    distDir = await buildConsole();
    mkdirSync(SHOTS, { recursive: true });
    ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: OWNER_TOKEN }));
    const issued = await owner('POST', '/admin/v1/admin-tokens', {
      name: 'Mina (marketing)',
      role: 'marketer',
      approver: true,
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    marketerToken = issued.body.adminToken;
    expect((await owner('POST', '/admin/v1/templates', example('examples/templates/year-end-sale.json'))).status).toBe(
      201,
    );
    expect((await owner('POST', '/admin/v1/segments', example('examples/segments/subscribers.json'))).status).toBe(201);
    const settings = (await owner('GET', '/admin/v1/settings')).body;
    const saved = await owner('PUT', '/admin/v1/settings', {
      ...settings,
      sender: { name: '리테인상점', contact: '02-1234-5678' },
      sms: { ...settings.sms, senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
      seedList: { email: ['marketing-team@shop.example'] },
      approvals: { broadcastSend: true, journeyActivate: true },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // Daytime in Seoul, so the sending window passes.
    const client = testClient(runtime, { writeKey: WRITE_KEY, adminToken: OWNER_TOKEN });
    const { now } = await client.advance('1m');
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(
        new Date(now),
      ),
    );
    await client.advance(`${(10 - hour + 24) % 24 || 24}h`);
    await client.send(
      Array.from({ length: 6 }, (_, i) => ({
        type: 'identify',
        userId: `c-${i}`,
        traits: { name: `고객${i}`, email: `c-${i}@example.com` },
        context: { timezone: 'Asia/Seoul', consent: { categoryPreferences: { email: true, advertising: true } } },
      })),
    );
    const marketer = as(marketerToken);
    const sale = example('examples/broadcasts/year-end-sale.json');
    expect((await marketer('POST', '/admin/v1/broadcasts', { ...sale, name: 'Year-end sale' })).status).toBe(201);
    expect((await marketer('POST', '/admin/v1/broadcasts/year-end-sale/test-send')).status).toBe(200);
    // A second, untested one sent past the checklist with a reason: the page flags it.
    const flash = { ...sale, id: 'flash-sale', name: 'Flash sale' };
    expect((await marketer('POST', '/admin/v1/broadcasts', flash)).status).toBe(201);
    const forced = await marketer('POST', '/admin/v1/broadcasts/flash-sale/send', {
      force: { reason: 'the seed inbox is down today' },
    });
    expect(forced.status, JSON.stringify(forced.body)).toBe(202);

    server = await startConsoleServer(distDir, runtime.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.stop();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  });

  it('holds the marketer’s send, refuses their own approval, and sends on the owner’s', async () => {
    const marketer = await signedIn(marketerToken);
    await marketer.goto(`${server.url}/console/broadcasts/year-end-sale`);
    await marketer.getByRole('heading', { name: 'Year-end sale' }).waitFor();
    await marketer.getByRole('button', { name: 'Send', exact: true }).click();
    await marketer.getByTestId('sent-for-approval').waitFor();
    expect(await marketer.getByTestId('sent-for-approval').textContent()).toContain('Sent for approval');
    expect((await owner('GET', '/admin/v1/broadcasts/year-end-sale')).body.status).toBe('draft');

    await marketer.getByRole('link', { name: 'Approvals' }).first().click();
    const own = marketer.getByRole('article', { name: 'Approval request for year-end-sale' });
    await own.waitFor();
    await own.getByRole('button', { name: 'Approve and send' }).click();
    const refusal = marketer.getByTestId('api-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('self-approval');
    expect((await owner('GET', '/admin/v1/broadcasts/year-end-sale')).body.status).toBe('draft');
    await marketer.context().close();

    const page = await signedIn(OWNER_TOKEN);
    await page.getByRole('link', { name: 'Approvals' }).click();
    const request = page.getByRole('article', { name: 'Approval request for year-end-sale' });
    await request.waitFor();
    expect(await request.textContent()).toContain('Asked by Mina (marketing) · marketer');
    expect(await request.textContent()).toContain('The checklist passed');
    const flagged = page.getByRole('article', { name: 'Approval request for flash-sale' });
    expect(await flagged.getByTestId('forced').textContent()).toContain('the seed inbox is down today');
    await shot(page, 'approvals');
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');

    await request.getByLabel('Comment').fill('Checked the discount; go.');
    await request.getByRole('button', { name: 'Approve and send' }).click();
    await page.getByTestId('decided').waitFor();
    expect(await page.getByTestId('decided').textContent()).toBe('year-end-sale: approved.');
    await expect.poll(() => request.count()).toBe(0);
    expect(['sending', 'enqueued']).toContain((await owner('GET', '/admin/v1/broadcasts/year-end-sale')).body.status);
    const [decided] = (await owner('GET', '/admin/v1/approvals?status=decided')).body.approvals;
    expect(decided).toMatchObject({
      target: { id: 'year-end-sale' },
      status: 'approved',
      comment: 'Checked the discount; go.',
      decidedBy: { role: 'owner' },
    });

    // The forced one, rejected with a comment: nothing is sent.
    await flagged.getByLabel('Comment').fill('Test it first, please.');
    await flagged.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => page.getByTestId('decided').textContent()).toBe('flash-sale: rejected.');
    expect((await owner('GET', '/admin/v1/broadcasts/flash-sale')).body.status).toBe('draft');
    await page.getByText('Nothing is waiting for approval.').waitFor();
    expect(runtimeErrors).toEqual([]);
  }, 180_000);

  it('lists the decided requests beside the pending ones: the decision, who made it, when, and their comment', async () => {
    const page = await signedIn(OWNER_TOKEN);
    await page.getByRole('link', { name: 'Approvals' }).click();
    const approved = page.locator('tr[data-approval="year-end-sale"]');
    await approved.waitFor();
    const rejected = page.locator('tr[data-approval="flash-sale"]');
    // Newest first: the rejection came after the approval.
    expect(
      await page.locator('tr[data-approval]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-approval'))),
    ).toEqual(['flash-sale', 'year-end-sale']);
    const [decided] = (await owner('GET', '/admin/v1/approvals?status=decided')).body.approvals;
    expect(await rejected.getAttribute('data-status')).toBe('rejected');
    const rejection = await rejected.locator('td').allTextContents();
    expect(rejection.slice(1)).toEqual([
      'Broadcast sendflash-saleForced: the seed inbox is down today',
      expect.stringMatching(/^Mina \(marketing\) · marketer/),
      'rejected',
      `${decided.decidedBy.name} · owner`,
      'Test it first, please.',
    ]);
    expect(rejection[0]).not.toBe('—');
    expect(await approved.getAttribute('data-status')).toBe('approved');
    expect(await approved.textContent()).toContain('Checked the discount; go.');
    expect(await approved.getByRole('link', { name: 'year-end-sale' }).getAttribute('href')).toBe(
      '/console/broadcasts/year-end-sale',
    );
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
    await shot(page, 'approvals-history');
    await page.context().close();
  }, 60_000);
});
