// The console's import page in Chromium (playwright-core) against the local runtime: a CSV with a bad row uploaded as
// a dry run and then for real (the counts on the page checked against GET /admin/v1/imports/{id}), a CSV imported
// with the columns the marketer set, a broken CSV shown as failed, a Pinpoint export's endpoint tally, and the page
// in Korean.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { buildConsole, CHROMIUM, seriousViolations, startConsoleServer } from '../support/consoleBrowser.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_console-import';
const ADMIN_TOKEN = 'rat_console-import';
/** Screenshots go to a temporary folder unless RETAIN_SCREENSHOTS names one (docs/screenshots for the docs). */
const SHOTS = process.env.RETAIN_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'retain-shots-'));
/** Four members, the third with a phone number too short to be one; Korean headers, one consent without a date. */
const MEMBERS_CSV = 'test/fixtures/imports/customers-cli.csv';

let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let distDir: string;
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;

const admin = (method: string, path: string, body?: unknown) =>
  testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }).admin(method, path, body);
/** From the top: the shell's fixed header would otherwise be drawn where the page was scrolled to. */
const shot = async (target: Page, name: string) => {
  await target.evaluate('window.scrollTo(0, 0)');
  await target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};
const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** The figures the page shows, by name, as digits. */
async function shownFigures(target: Page): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const figure of await target.locator('[data-figure]').all()) {
    const name = (await figure.getAttribute('data-figure')) ?? '';
    const value = (await figure.locator('p').last().textContent()) ?? '';
    figures[name] = Number(value.replace(/\D/g, ''));
  }
  return figures;
}

/** What GET /admin/v1/imports/{id} answers for the job the page shows. */
async function apiProgress(target: Page) {
  const id = await target.getByTestId('import-job-id').textContent();
  const progress = await admin('GET', `/admin/v1/imports/${id}`);
  expect(progress.status).toBe(200);
  return progress.body;
}

describe.skipIf(!existsSync(CHROMIUM))('the import page, in Chromium', () => {
  beforeAll(async () => {
    distDir = await buildConsole();
    mkdirSync(SHOTS, { recursive: true });
    ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
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

  it('dry-runs a CSV with a bad row: the counts are the API’s, the refused row and the mapping shown, nothing written', async () => {
    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page.getByRole('link', { name: 'Import customers from a file' }).click();
    await page.getByRole('heading', { name: 'Import customers' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/customers/import');
    // A first run is a dry run unless the marketer says otherwise; journeys are off.
    expect(await page.getByRole('switch', { name: 'Dry run' }).isChecked()).toBe(true);
    expect(await page.getByRole('switch', { name: 'Trigger journeys' }).isChecked()).toBe(false);
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');

    await page.locator('input[type="file"]').setInputFiles(MEMBERS_CSV);
    await page.getByRole('button', { name: 'Start dry run' }).click();
    await page.getByRole('button', { name: 'Import for real' }).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Dry run: what the import would do' }).waitFor();

    const progress = await apiProgress(page);
    expect(progress.state).toBe('done');
    expect(progress.job).toMatchObject({ dryRun: true, triggerJourneys: false, upload: { encoding: 'auto' } });
    const { report } = progress;
    expect(report).toMatchObject({ records: 4, accepted: 3, refusedCount: 1 });
    expect(await shownFigures(page)).toEqual({
      records: report.records,
      accepted: report.accepted,
      refused: report.refusedCount,
      created: report.created,
      wouldChange: report.changed,
      unchanged: report.unchanged,
    });
    expect(await page.getByTestId('import-consent').textContent()).toBe(
      `Consent: ${report.consent.applied} applied, ${report.consent.olderKept} older than the one on record (kept), ` +
        `${report.consent.withoutDate} without a date (not proof: left unknown).`,
    );
    expect(await page.getByTestId('import-progress').textContent()).toContain(
      `Chunks applied: ${progress.chunks} / ${progress.job.upload.chunks}`,
    );
    expect(await page.locator('[data-testid="import-steps"] [data-state="done"]').count()).toBe(4);

    const refused = page.locator('tr[data-record]');
    expect(await refused.count()).toBe(report.refused.length);
    const [first] = report.refused;
    expect(await refused.first().locator('td').allTextContents()).toEqual([
      String(first.record),
      first.field,
      first.reason,
    ]);
    const mapping = await page.getByTestId('import-mapping').textContent();
    expect(mapping).toContain(`${progress.job.mapping.userId}User id`);
    expect(mapping).toContain('E-mail consent');
    // A dry run writes nothing.
    expect((await admin('GET', '/admin/v1/profiles/kr-101')).status).toBe(404);
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
  }, 60_000);

  it('imports the same file for real after the dry run, and the customers exist afterwards', async () => {
    await page.getByRole('button', { name: 'Import for real' }).click();
    await page.getByRole('heading', { name: 'Imported', exact: true }).waitFor({ timeout: 30_000 });
    const progress = await apiProgress(page);
    expect(progress.job.dryRun).toBe(false);
    // The job just run heads the latest imports below, with its state.
    const latest = page.locator('tr[data-import]').first();
    await expect.poll(() => latest.getAttribute('data-import')).toBe(progress.job.id);
    await expect.poll(() => latest.locator('td').nth(3).textContent()).toBe('done');
    expect(progress.report).toMatchObject({ records: 4, accepted: 3, refusedCount: 1, created: 3 });
    expect(await shownFigures(page)).toEqual({
      records: progress.report.records,
      accepted: progress.report.accepted,
      refused: progress.report.refusedCount,
      created: progress.report.created,
      changed: progress.report.changed,
      unchanged: progress.report.unchanged,
    });
    expect(await page.getByRole('button', { name: 'Import for real' }).count()).toBe(0);
    const profile = await admin('GET', '/admin/v1/profiles/kr-101');
    expect(profile.status).toBe(200);
    expect(JSON.stringify(profile.body)).toContain('minjun@example.com');
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
    await shot(page, 'import');
  }, 60_000);

  it('imports a CSV with the columns the marketer set, not the ones its headers suggest; Start waits for one user id', async () => {
    // The headers suggest member_id (an old system's number) for the user id and know no date for sms_consent.
    const csv =
      'shop_code,member_id,이메일,등급,sms_consent,동의일,email_consent\n' +
      'kr-701,legacy-1,a701@example.com,VIP,Y,2024-05-01 10:00,Y\n' +
      'kr-702,legacy-2,a702@example.com,GOLD,N,2024-05-02,N\n';
    await page.locator('input[type="file"]').setInputFiles(csvFile('shop-members.csv', csv));
    const editor = page.getByTestId('columns-editor');
    await editor.waitFor();
    const holds = (column: string) => page.getByLabel(`What ${column} holds`, { exact: true });
    const start = page.getByRole('button', { name: 'Start dry run' });
    expect(await holds('member_id').inputValue()).toBe('field:userId');
    expect(await holds('shop_code').inputValue()).toBe('trait');
    expect(await holds('sms_consent').inputValue()).toBe('consent:sms:granted');
    expect(await holds('동의일').inputValue()).toBe('trait');
    expect(await editor.locator('tr[data-column="shop_code"] td').first().textContent()).toBe('kr-701');
    // Consent without its date column: warned, not blocked (the server leaves such consent unknown).
    const undated = page.getByTestId('consent-undated');
    expect(await undated.textContent()).toContain('SMS consent in sms_consent has no date column');
    expect(await undated.textContent()).toContain('E-mail consent in email_consent has no date column');
    expect(await start.isEnabled()).toBe(true);

    // No user id: Start is blocked, and the page says why.
    await holds('member_id').selectOption('trait');
    expect(await start.isDisabled()).toBe(true);
    expect(await page.getByTestId('columns-problems').textContent()).toContain('No column is the user id');
    expect(await page.getByTestId('start-blocked').textContent()).toContain('exactly one user id');
    expect(await start.getAttribute('aria-describedby')).toBe('start-blocked');
    // Two user ids: blocked too, both named.
    await holds('member_id').selectOption('field:userId');
    await holds('shop_code').selectOption('field:userId');
    expect(await start.isDisabled()).toBe(true);
    expect(await page.getByTestId('columns-problems').textContent()).toContain(
      'Only one column can be the user id; shop_code, member_id all are.',
    );
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
    await holds('member_id').selectOption('ignore');
    expect(await page.getByTestId('columns-problems').count()).toBe(0);
    expect(await page.getByTestId('start-blocked').count()).toBe(0);
    await holds('동의일').selectOption('consent:sms:at');
    expect(await undated.textContent()).not.toContain('SMS consent');
    expect(await undated.textContent()).toContain('E-mail consent in email_consent');
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
    // The form alone (below it the page still shows the last run's report, not this file's), clipped from the top
    // of the page: an element shot scrolls it under the shell's fixed header.
    await page.evaluate('window.scrollTo(0, 0)');
    const form = await page.locator('section[aria-labelledby="import-form-title"]').boundingBox();
    await page.screenshot({ path: join(SHOTS, 'import-mapping.png'), fullPage: true, clip: form! });

    await page.getByRole('switch', { name: 'Dry run' }).uncheck();
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByRole('heading', { name: 'Imported', exact: true }).waitFor({ timeout: 30_000 });
    const progress = await apiProgress(page);
    expect(progress.state).toBe('done');
    expect(progress.job.mapping).toEqual({
      userId: 'shop_code',
      email: '이메일',
      traits: { 등급: '등급' },
      consents: { sms: { granted: 'sms_consent', at: '동의일' }, email: { granted: 'email_consent' } },
      source: 'csv',
      utcOffset: '+09:00',
    });
    // The e-mail consents have no date: not proof, left unknown; the SMS ones are dated by 동의일.
    expect(progress.report).toMatchObject({ records: 2, accepted: 2, created: 2, consent: { withoutDate: 2 } });
    const profile = await admin('GET', '/admin/v1/profiles/kr-701');
    expect(profile.status).toBe(200);
    expect(profile.body.traits).toEqual({ 등급: 'VIP' });
    expect(profile.body.consent.sms).toMatchObject({ granted: true, at: '2024-05-01T01:00:00.000Z' });
    expect(profile.body.consent.email).toBeUndefined();
    expect((await admin('GET', '/admin/v1/profiles/legacy-1')).status).toBe(404);
    // The result shows the mapping the job used.
    expect(await page.getByTestId('import-mapping').textContent()).toContain('shop_codeUser id');
  }, 60_000);

  it('shows a CSV it cannot read as failed, in the reader’s words, and changes no profile', async () => {
    await page
      .locator('input[type="file"]')
      .setInputFiles(csvFile('broken.csv', 'member_id,email\nkr-601,a@example.com\nkr-602,"unclosed@example.com\n'));
    await page.getByRole('switch', { name: 'Dry run' }).uncheck();
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByTestId('import-failed').waitFor({ timeout: 30_000 });
    const progress = await apiProgress(page);
    expect(progress.state).toBe('failed');
    expect(await page.getByTestId('import-error').textContent()).toBe(progress.job.upload.error);
    expect(progress.job.upload.error).toContain('not a CSV file this reader can read');
    expect(await page.locator('[data-testid="import-steps"] [data-state="failed"]').textContent()).toContain(
      'Check and read the whole file',
    );
    expect((await admin('GET', '/admin/v1/profiles/kr-601')).status).toBe(404);
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
    await shot(page, 'import-failed');
  }, 60_000);

  it('warns that journeys will send, and brings a gzipped Pinpoint export with its endpoint tally', async () => {
    await page.getByRole('switch', { name: 'Trigger journeys' }).check();
    expect(await page.getByTestId('trigger-warning').textContent()).toContain('Journeys will send');
    await page.getByRole('switch', { name: 'Trigger journeys' }).uncheck();
    expect(await page.getByTestId('trigger-warning').count()).toBe(0);

    await page.getByRole('radio', { name: 'Amazon Pinpoint endpoint export' }).check();
    await page.getByRole('switch', { name: 'Dry run' }).check();
    await page.getByLabel('Attribute proving advertising consent').fill('adConsent');
    await page.getByLabel('Attribute holding its date').fill('adConsentDate');
    await page.locator('input[type="file"]').setInputFiles({
      name: 'endpoints.gz',
      mimeType: 'application/gzip',
      buffer: gzipSync(readFileSync('test/fixtures/pinpoint/endpoints/project-export.jsonl')),
    });
    await page.getByRole('button', { name: 'Start dry run' }).click();
    await page.getByTestId('endpoint-tally').waitFor({ timeout: 30_000 });
    // The tally is known once the file is read, before its chunks are applied: wait for the finished dry run.
    await page.getByRole('button', { name: 'Import for real' }).waitFor({ timeout: 30_000 });
    const progress = await apiProgress(page);
    expect(progress.state).toBe('done');
    expect(progress.job).toMatchObject({
      source: 'pinpoint',
      upload: { advertising: { attribute: 'adConsent', dateAttribute: 'adConsentDate' } },
    });
    const tally = progress.job.upload.endpoints;
    expect(tally).toMatchObject({ endpoints: 10, inactive: 2, optedOut: 2, advertisingGranted: 3 });
    const shown = await page.getByTestId('endpoint-tally').textContent();
    expect(shown).toContain(`Endpoints${tally.endpoints}`);
    expect(shown).toContain(`Inactive (no address)${tally.inactive}`);
    expect(shown).toContain(`Advertising consent granted${tally.advertisingGranted}`);
    expect((await shownFigures(page)).records).toBe(progress.report.records);
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
    await shot(page, 'import-pinpoint');
  }, 60_000);

  it('lists the latest imports as the API does, and opens one with its report', async () => {
    await page.goto(`${server.url}/console/customers/import`);
    await page.getByRole('heading', { name: 'Latest imports' }).waitFor();
    const { imports } = (await admin('GET', '/admin/v1/imports?limit=10')).body;
    const rows = page.locator('tr[data-import]');
    await expect.poll(() => rows.count()).toBe(imports.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-import')))).toEqual(
      imports.map((i: { job: { id: string } }) => i.job.id),
    );
    // The Pinpoint dry run of the test before, newest first.
    const [latest] = imports;
    expect(latest).toMatchObject({ state: 'done', job: { source: 'pinpoint', dryRun: true } });
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      expect.any(String),
      latest.job.createdBy,
      'Amazon Pinpoint endpoint export · Dry run',
      'done',
      String(latest.report.records),
      String(latest.report.created),
      String(latest.report.changed),
    ]);
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');

    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: 'An import' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/customers/import/${latest.job.id}`);
    await page.getByTestId('endpoint-tally').waitFor();
    expect((await shownFigures(page)).records).toBe(latest.report.records);
    expect(await page.getByTestId('import-job-id').textContent()).toBe(latest.job.id);
    // Done: nothing is left to stop.
    expect(await page.getByRole('button', { name: 'Stop the import' }).count()).toBe(0);
  }, 60_000);

  it('stops an import waiting for its file: the file that comes later is dropped and no profile is written', async () => {
    const started = await admin('POST', '/admin/v1/imports', { upload: true, dryRun: false });
    const { id } = started.body.job;
    await page.goto(`${server.url}/console/customers/import/${id}`);
    await page.getByRole('button', { name: 'Stop the import' }).click();
    await page.getByRole('dialog', { name: 'Stop this import?' }).waitFor();
    expect(await page.getByRole('dialog').textContent()).toContain('Chunks already applied (0 so far) stay applied');
    // Asked again until the dialog has faded in: half-way, its colours are not yet its own.
    await expect.poll(async () => JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
    await page.getByRole('button', { name: 'Stop it' }).click();
    await page.getByTestId('import-cancelled').waitFor();
    const stopped = await apiProgress(page);
    expect(stopped).toMatchObject({ state: 'cancelled', chunks: 0 });
    expect(await page.getByTestId('import-cancelled').textContent()).toContain(`by ${stopped.job.cancelled.by}`);
    // Stopped before its file came: at the upload, nothing read.
    expect(await page.locator('[data-testid="import-steps"] [data-state="stopped"]').textContent()).toContain(
      'Upload the file',
    );
    expect(await page.getByTestId('import-progress').textContent()).toContain('Chunks applied: 0');
    expect(await page.getByRole('button', { name: 'Stop the import' }).count()).toBe(0);

    const put = await fetch(started.body.upload.url, { method: 'PUT', body: 'userId\nkr-901\n' });
    expect(put.status).toBe(200);
    expect((await admin('POST', '/admin/v1/local/drain')).status).toBe(200);
    expect((await admin('GET', '/admin/v1/profiles/kr-901')).status).toBe(404);
    expect(await apiProgress(page)).toMatchObject({ state: 'cancelled', chunks: 0 });
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toEqual('[]');
    await shot(page, 'import-stopped');
  }, 60_000);

  it('speaks Korean on the import page', async () => {
    const korean = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR' });
    const ko = await korean.newPage();
    await ko.goto(`${server.url}/console/`);
    await ko.getByLabel('관리자 토큰').fill(ADMIN_TOKEN);
    await ko.getByRole('button', { name: '로그인' }).click();
    await ko.getByRole('heading', { name: '홈', exact: true }).waitFor();
    await ko.getByRole('link', { name: '가져오기' }).click();
    await ko.getByRole('heading', { name: '고객 가져오기' }).waitFor();
    await ko.locator('input[type="file"]').setInputFiles(MEMBERS_CSV);
    await ko.getByRole('heading', { name: '열', exact: true }).waitFor();
    expect(await ko.getByLabel('회원ID 열의 내용', { exact: true }).inputValue()).toBe('field:userId');
    expect(await ko.getByLabel('sms_consent_at 열의 내용', { exact: true }).inputValue()).toBe('consent:sms:at');
    await ko.getByLabel('회원ID 열의 내용', { exact: true }).selectOption('trait');
    expect(await ko.getByTestId('start-blocked').textContent()).toContain('사용자 ID는 정확히 하나');
    expect(await ko.getByTestId('columns-problems').textContent()).toContain('사용자 ID 열이 없습니다');
    await ko.getByLabel('회원ID 열의 내용', { exact: true }).selectOption('field:userId');
    await ko.getByRole('button', { name: '미리 실행 시작' }).click();
    await ko.getByRole('button', { name: '실제로 가져오기' }).waitFor({ timeout: 30_000 });
    expect(await ko.getByTestId('import-consent').textContent()).toMatch(/^동의: \d+건 적용/);
    expect(await ko.getByRole('columnheader', { name: '사유' }).count()).toBe(1);
    expect(JSON.stringify(await seriousViolations(ko), null, 1)).toEqual('[]');
    await shot(ko, 'import-ko');
    await korean.close();
  }, 60_000);

  it('ran without runtime errors', () => {
    expect(runtimeErrors).toEqual([]);
  });
});
