// The console's Templates, journey work (editor, activate, pause, simulate), customer find/erase, the audit log and the team sign-in redirect in Chromium.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { buildConsole, CHROMIUM, seriousViolations, startConsoleServer } from '../support/consoleBrowser.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_console-content';
const ADMIN_TOKEN = 'rat_console-content';
/** Screenshots go to a temporary folder unless RETAIN_SCREENSHOTS names one (docs/screenshots for the docs). */
const SHOTS = process.env.RETAIN_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'retain-shots-'));

let runtime: LocalRuntime;
let runtimeErrors: Error[] = [];
let distDir: string;
let server: { url: string; close(): Promise<void> };
let browser: Browser;
let page: Page;

const client = () => testClient(runtime, { writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN });
const admin = (method: string, path: string, body?: unknown) => client().admin(method, path, body);
const shot = async (target: Page, name: string) => {
  // A full-page shot of a scrolled page draws the fixed header mid-page.
  await target.evaluate('window.scrollTo(0, 0)');
  await target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
};

const hana = {
  type: 'identify',
  userId: 'hana',
  traits: { name: '김하나', email: 'Hana.Kim@Example.com', phone: '010-2345-6789', plan: 'pro' },
  context: {
    timezone: 'Asia/Seoul',
    consent: { categoryPreferences: { email: true, sms: true, push: true, kakao: true, advertising: true } },
  },
};

describe.skipIf(!existsSync(CHROMIUM))('the Templates, Journeys and Customers work in Chromium', () => {
  beforeAll(async () => {
    distDir = await buildConsole();
    mkdirSync(SHOTS, { recursive: true });
    ({ runtime, errors: runtimeErrors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
    await admin('PUT', '/admin/v1/settings', {
      sender: { name: '리테인상점', contact: '02-1234-5678' },
      email: { from: '리테인상점 <hello@shop.example>' },
      sms: { senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
      kakao: { channelId: '@retain-shop' },
    });
    await client().send([hana]);

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

  /** Opens a new template, names it and picks its channel. */
  const startTemplate = async (id: string, name: string, channel: string) => {
    await page.getByRole('link', { name: 'Templates', exact: true }).click();
    await page.getByRole('link', { name: 'New template' }).click();
    await page.getByLabel('Id', { exact: true }).fill(id);
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Channel', { exact: true }).selectOption({ label: channel });
  };
  const saveAndPreview = async (name: string, channel: string) => {
    await page.getByRole('button', { name: 'Save the template' }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByLabel('Preview for customer').fill('hana');
    const preview = page.locator(`[data-testid="template-preview"][data-channel="${channel}"]`);
    await preview.waitFor();
    return preview;
  };
  /** What the API renders for the same template and customer: the page must show exactly this. */
  const rendered = async (id: string, variant?: string, category = 'marketing') =>
    (await admin('POST', `/admin/v1/templates/${id}/preview`, { userId: 'hana', variant, category })).body;

  it('creates a template on every channel and previews each for a customer as the API renders it', async () => {
    // E-mail, with a variant B whose subject differs.
    await startTemplate('welcome-mail', 'Welcome mail', 'E-mail');
    await page.getByLabel('Subject', { exact: true }).fill('{{ profile.traits.name }}님, 환영합니다');
    await page.getByLabel('Preheader').fill('첫 주문 10% 할인');
    await page
      .getByLabel('HTML (Liquid)')
      .fill('<h1>{{ profile.traits.name }}님</h1><p><a href="https://shop.example/new">둘러보기</a></p>');
    await page.getByLabel('New variant name').fill('B');
    await page.getByRole('button', { name: 'Add a variant' }).click();
    await page.getByLabel('Subject', { exact: true }).fill('{{ profile.traits.name }}님을 위한 선물');
    expect(await seriousViolations(page)).toEqual([]);
    let preview = await saveAndPreview('Welcome mail', 'email');
    // The variant tabs switch both the fields and the preview.
    await page.getByRole('tab', { name: 'Variant B' }).click();
    const b = await rendered('welcome-mail', 'B');
    await expect.poll(() => preview.getByTestId('preview-subject').textContent()).toBe(b.email.subject);
    expect(b.email.subject).toContain('김하나님을 위한 선물');
    await page.getByRole('tab', { name: 'Template' }).click();
    const a = await rendered('welcome-mail');
    await expect.poll(() => preview.getByTestId('preview-subject').textContent()).toBe(a.email.subject);
    const frame = preview.getByTestId('preview-email-frame');
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toBe(a.email.html);
    expect(
      await page
        .frameLocator('[data-testid="preview-email-frame"]')
        .getByRole('heading', { name: '김하나님' })
        .isVisible(),
    ).toBe(true);
    expect((await admin('GET', '/admin/v1/templates/welcome-mail')).body.variants.B.email.subject).toBe(
      '{{ profile.traits.name }}님을 위한 선물',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'template-preview-email');

    // A test send goes through the API to the outbox, marked [TEST].
    await page.getByLabel('Send to').fill('qa@shop.example');
    await page.getByRole('button', { name: 'Send a test' }).click();
    await page.getByTestId('template-test-sent').waitFor();
    expect(runtime.outbox.emails.some((e) => e.to === 'qa@shop.example')).toBe(true);

    // Push, as a phone shows it.
    await startTemplate('cart-push', 'Cart push', 'Push');
    await page.getByLabel('Title', { exact: true }).fill('{{ profile.traits.name }}님, 장바구니를 잊지 마세요');
    await page.getByLabel('Body', { exact: true }).fill('담아 두신 상품이 기다리고 있어요');
    preview = await saveAndPreview('Cart push', 'push');
    const push = await rendered('cart-push');
    await expect.poll(() => preview.getByTestId('preview-push-title').textContent()).toBe(push.push.title);
    expect(await preview.getByTestId('preview-push-body').textContent()).toBe(push.push.body);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'template-preview-push');

    // SMS long enough for an LMS: bytes, type and cost class as the API counts them.
    await startTemplate('sale-sms', 'Sale SMS', 'SMS');
    await page
      .getByLabel('Text', { exact: true })
      .fill(
        `{{ profile.traits.name }}님, 연말 세일이 시작됐어요. ${'최대 50% 할인 '.repeat(8)}https://shop.example/sale`,
      );
    preview = await saveAndPreview('Sale SMS', 'sms');
    const sms = await rendered('sale-sms');
    expect(sms.sms.type).toBe('LMS');
    await expect.poll(() => preview.getByTestId('preview-sms-bytes').textContent()).toBe(`${sms.sms.bytes} bytes`);
    expect(await preview.getByTestId('preview-sms-type').textContent()).toBe('LMS');
    expect(await preview.getByTestId('preview-sms-cost').textContent()).toBe('Long-message rate');
    expect(await preview.getByTestId('preview-sms').textContent()).toContain(sms.sms.text);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'template-preview-sms');

    // KakaoTalk AlimTalk with a placeholder and two buttons.
    await startTemplate('order-kakao', 'Order AlimTalk', 'KakaoTalk');
    await page.getByLabel('Approved template code').fill('ORDER_SHIPPED_01');
    await page.getByLabel('Approved text with #{placeholders}').fill('#{이름}님, 주문하신 상품이 출발했어요.');
    await page.getByLabel('Placeholders', { exact: true }).fill('이름 = {{ profile.traits.name }}');
    await page.getByLabel('Placeholders', { exact: true }).blur();
    await page.getByRole('button', { name: 'Add a button' }).click();
    await page.getByLabel('Button 1 name').fill('배송 조회');
    await page.getByLabel('Button 1 mobile link').fill('https://shop.example/track');
    await page.getByRole('button', { name: 'Add a button' }).click();
    await page.getByLabel('Button 2 name').fill('주문 내역');
    await page.getByLabel('Button 2 mobile link').fill('https://shop.example/orders');
    preview = await saveAndPreview('Order AlimTalk', 'kakao');
    // AlimTalk carries no marketing: as marketing the API refuses it, as transactional it may go.
    await expect.poll(() => preview.getByTestId('preview-refusals').textContent()).toContain('AlimTalk');
    await page.getByLabel('Sent as').selectOption('transactional');
    await expect.poll(() => preview.getByTestId('preview-refusals').count()).toBe(0);
    const kakao = await rendered('order-kakao', undefined, 'transactional');
    expect(kakao.refusals).toEqual([]);
    expect(kakao.kakao.text).toBe('김하나님, 주문하신 상품이 출발했어요.');
    await expect.poll(() => preview.getByTestId('preview-kakao').textContent()).toContain(kakao.kakao.text);
    expect(await preview.getByTestId('preview-kakao-button').allTextContents()).toEqual(['배송 조회', '주문 내역']);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'template-preview-kakao');

    // The list has all four; a refused save shows the API's words and the field.
    await page.getByRole('link', { name: 'Templates', exact: true }).click();
    for (const name of ['Welcome mail', 'Cart push', 'Sale SMS', 'Order AlimTalk']) {
      await page.getByRole('link', { name }).waitFor();
    }
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'templates');
    await startTemplate('Bad Id', 'Bad', 'Push');
    await page.getByLabel('Title', { exact: true }).fill('x');
    await page.getByLabel('Body', { exact: true }).fill('y');
    await page.getByRole('button', { name: 'Save the template' }).click();
    const refusal = page.getByTestId('api-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('template ids are lower-case letters, digits and -');
    expect(runtimeErrors).toEqual([]);
  }, 180_000);
  it('activates a journey (the 409 shown, then fixed in the JSON editor), pauses it, compares versions and simulates', async () => {
    const mail = {
      id: 'journey-mail',
      name: 'Journey mail',
      channel: 'email',
      email: { subject: '{{ profile.traits.name }}님, 반가워요', html: '<p>{{ profile.traits.name }}님, 반가워요</p>' },
    };
    expect((await admin('POST', '/admin/v1/templates', mail)).status).toBe(201);
    const journey = {
      id: 'spring-welcome',
      name: 'Spring welcome',
      trigger: { kind: 'event', event: 'Signed Up' },
      start: 'settle',
      steps: {
        settle: { type: 'wait', duration: '10m', next: 'welcome' },
        // No template has this id: the activation checklist's sample renders fail.
        welcome: { type: 'send', channel: 'email', template: 'missing-mail', next: 'later' },
        later: { type: 'wait', duration: '2d', next: 'check' },
        check: { type: 'branch', message: { step: 'welcome', outcome: 'opened' }, then: 'done', else: 'reminder' },
        reminder: { type: 'send', channel: 'email', template: 'journey-mail', next: 'done' },
        done: { type: 'exit' },
      },
    };
    expect((await admin('POST', '/admin/v1/journeys', journey)).status).toBe(201);
    await page.getByRole('link', { name: 'Journeys', exact: true }).click();
    // The list may still be the one cached before the journey was made through the API: read it afresh.
    await page.waitForURL(/\/console\/journeys$/);
    await page.reload();
    await page.getByRole('link', { name: 'Spring welcome' }).click();
    await page.getByRole('heading', { name: 'Spring welcome', level: 1 }).waitFor();

    // Activation refused: the API's words and the failing item with its details.
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    const refused = page.getByTestId('activation-refused');
    await refused.waitFor();
    expect(await refused.getByTestId('api-error').textContent()).toContain('checklist_failed');
    const samples = refused.locator('[data-testid="checklist-item"][data-item="samples"]');
    expect(await samples.getAttribute('data-passed')).toBe('false');
    await samples.getByText('Show', { exact: false }).click();
    expect(await samples.textContent()).toContain('no template has the id missing-mail');
    expect(await seriousViolations(page)).toEqual([]);

    // The editor loads on demand; a bad step is pinned to that step in the list, the text and the graph.
    await page.getByRole('tab', { name: 'Edit JSON' }).click();
    const editor = page.getByLabel('Journey definition (JSON)');
    await editor.waitFor();
    const replaceText = async (definition: unknown) => {
      await editor.click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.insertText(JSON.stringify(definition, null, 2));
    };
    const bad = structuredClone(journey);
    bad.steps.later.next = 'nowhere';
    await replaceText(bad);
    const problem = page.getByTestId('journey-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-step')).toBe('later');
    expect(await problem.textContent()).toContain('steps.later.next');
    expect(await problem.textContent()).toContain('unknown step "nowhere"');
    const marked = page.locator('[data-testid="journey-canvas"] [data-step="later"][data-mark="problem"]');
    await marked.waitFor();
    expect(await marked.getByTestId('step-problem').textContent()).toContain('unknown step "nowhere"');
    // CodeMirror underlines the `next` of the `later` step.
    await expect.poll(() => page.locator('.cm-lintRange-error').first().textContent()).toBe('"next"');
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    // The activation's refusal is still on the page: wait for the save's own.
    await expect.poll(() => page.getByTestId('api-error').last().textContent()).toContain('invalid_journey');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'journey-editor');

    // Fixed: the template exists now; saved as version 2.
    const fixed = structuredClone(journey);
    fixed.steps.welcome.template = 'journey-mail';
    await replaceText(fixed);
    await page.getByTestId('journey-valid').getByText('No problems').waitFor();
    await page.getByRole('button', { name: 'Save as a new version' }).click();
    await page.getByTestId('journey-saved').waitFor();
    expect((await admin('GET', '/admin/v1/journeys/spring-welcome')).body.latestVersion).toBe(2);

    // Activated, then paused.
    await page.getByRole('button', { name: 'Activate', exact: true }).click();
    await page.getByTestId('activated').waitFor();
    expect(await page.getByTestId('activated').textContent()).toContain('Version 2 is live');
    expect((await admin('GET', '/admin/v1/journeys/spring-welcome')).body.status).toBe('active');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Activate', exact: true }).waitFor();
    expect((await admin('GET', '/admin/v1/journeys/spring-welcome')).body.status).toBe('paused');

    // Versions side by side: 1 and 2, the changed step marked.
    await page.getByRole('tab', { name: 'Versions' }).click();
    const changes = page.getByTestId('version-changes');
    await changes.waitFor();
    expect(await changes.textContent()).toContain('From version 1 to version 2');
    expect(await changes.textContent()).toContain('Steps changed: welcome');
    expect(await page.getByTestId('version-right').locator('[data-step="welcome"]').getAttribute('data-mark')).toBe(
      'changed',
    );
    expect(await seriousViolations(page)).toEqual([]);

    // Simulate hana over a fixed timeline: the page draws what the API answers for the same input.
    await page.getByRole('tab', { name: 'Simulate' }).click();
    const input = {
      userId: 'hana',
      start: '2026-12-01T00:00:00.000Z',
      events: [{ at: '2026-12-01T00:01:00.000Z', event: 'Signed Up', properties: {} }],
      horizon: '7d',
    };
    await page.getByLabel('Customer id').fill(input.userId);
    await page.getByLabel('Start (ISO time)').fill(input.start);
    await page.getByLabel('Keep running for').fill(input.horizon);
    await page.getByLabel('Timeline of events (JSON)').fill(JSON.stringify(input.events));
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    await page.getByTestId('simulation').waitFor();
    const simulated = (await admin('POST', '/admin/v1/journeys/spring-welcome/simulate', input)).body;
    expect(simulated.sends.map((s: { step: string }) => s.step)).toEqual(['welcome', 'reminder']);
    expect(await page.getByTestId('simulation-verdict').getAttribute('data-status')).toBe(simulated.status);
    const sendRows = page.locator('[data-testid="simulation-row"][data-lane="send"]');
    expect(await sendRows.count()).toBe(2);
    expect(await sendRows.nth(0).textContent()).toContain('+11m');
    expect(await sendRows.nth(1).textContent()).toContain('+2d 11m');
    expect(await page.locator('[data-testid="axis-mark"][data-lane="step"]').count()).toBe(simulated.steps.length);
    expect(await page.locator('[data-testid="axis-mark"][data-lane="event"]').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'simulate');
    expect(runtimeErrors).toEqual([]);
  }, 180_000);

  it('shows the journey work on the audit log: every write, the refused ones too, and the fix as a diff', async () => {
    await page.getByRole('link', { name: 'Audit log', exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await page.getByLabel('On what (id)').fill('spring-welcome');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    const table = page.getByRole('table', { name: 'Audit log' });
    // Newest first: the pause, the activation, the saved fix, the refused save, the refused activation, the create.
    const routes = table.locator(':scope > tbody > tr > td:nth-child(3) code');
    await expect
      .poll(() => routes.allTextContents())
      .toEqual([
        'pauseJourney',
        'activateJourney',
        'updateJourney',
        'updateJourney',
        'activateJourney',
        'createJourney',
      ]);
    const statuses = await table.locator(':scope > tbody > tr > td:nth-child(5)').allTextContents();
    expect(statuses).toEqual(['200', '200', '200', '422', '409', '201']);
    // The saved fix, opened: its template went from the missing one to journey-mail.
    const fix = table.locator(':scope > tbody > tr').nth(2);
    await fix.getByRole('button', { name: /change/ }).click();
    const diff = page.getByRole('table', { name: 'What updateJourney changed' });
    await diff.waitFor();
    expect(await diff.textContent()).toContain('"missing-mail"');
    expect(await diff.textContent()).toContain('"journey-mail"');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'audit');
    expect(runtimeErrors).toEqual([]);
  }, 120_000);

  it('sends a person to the team’s Cognito sign-in with the authorization-code flow and PKCE', async () => {
    // What `cdk deploy` writes to config.json, and the user pool's discovery document as Cognito publishes it
    // (https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/openid-configuration); nothing leaves
    // the machine: the browser's requests to those hosts are answered here.
    const authority = 'https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_RetainTeam';
    const domain = 'https://retain-123456789012.auth.ap-northeast-2.amazoncognito.com';
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const person = await context.newPage();
    await person.route('**/console/config.json', (route) =>
      route.fulfill({ json: { apiUrl: '', local: true, signIn: { authority, clientId: 'console-app', domain } } }),
    );
    await person.route(`${authority}/.well-known/openid-configuration`, (route) =>
      route.fulfill({
        headers: { 'access-control-allow-origin': '*' },
        json: {
          authorization_endpoint: `${domain}/oauth2/authorize`,
          id_token_signing_alg_values_supported: ['RS256'],
          issuer: authority,
          jwks_uri: `${authority}/.well-known/jwks.json`,
          response_types_supported: ['code', 'token'],
          scopes_supported: ['openid', 'email', 'phone', 'profile'],
          subject_types_supported: ['public'],
          token_endpoint: `${domain}/oauth2/token`,
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          userinfo_endpoint: `${domain}/oauth2/userInfo`,
        },
      }),
    );
    let authorize: URL | undefined;
    await person.route(`${domain}/oauth2/authorize**`, (route) => {
      authorize = new URL(route.request().url());
      return route.fulfill({ contentType: 'text/html', body: '<title>Cognito</title><h1>Sign in</h1>' });
    });
    await person.goto(`${server.url}/console/`);
    await person.getByRole('button', { name: 'Sign in with your team account' }).click();
    await person.waitForURL(/oauth2\/authorize/);
    expect(authorize).toBeDefined();
    const query = Object.fromEntries(authorize!.searchParams);
    expect(query).toMatchObject({
      client_id: 'console-app',
      response_type: 'code',
      redirect_uri: `${server.url}/console/`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    // A SHA-256 challenge, base64url: 43 characters; the verifier stays in the tab for the return.
    expect(query.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.state).toEqual(expect.any(String));
    await context.close();
  }, 60_000);
});
