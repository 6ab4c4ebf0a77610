// Signing out of the console in Chromium (playwright-core): a person who came through the team's Cognito hosted
// sign-in leaves through its hosted logout, back to the console; an API-token session just ends in the tab.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { buildConsole, CHROMIUM, startConsoleServer } from '../support/consoleBrowser.js';
import { startTestRuntime } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_console-sign-out';
const OWNER_TOKEN = 'rat_console-sign-out';
// What config.json says in AWS (lib/TeamSignIn.ts consoleSignIn); the hosted UI itself is played by the test.
const HOSTED = 'https://retain-123456789012.auth.ap-northeast-2.amazoncognito.com';
const signInConfig = {
  authority: 'https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_Team',
  clientId: 'console-client-id',
  domain: HOSTED,
};

let runtime: LocalRuntime;
let server: { url: string; close(): Promise<void> };
let browser: Browser;

/** A console whose config names the team's sign-in; `hostedUi` records each visit to the hosted pages. */
async function teamConsole(hostedUi: URL[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  await context.route('**/console/config.json', (route) =>
    route.fulfill({ json: { apiUrl: '', local: false, signIn: signInConfig } }),
  );
  await context.route(`${HOSTED}/**`, (route) => {
    const url = new URL(route.request().url());
    hostedUi.push(url);
    // Cognito answers its logout with a redirect to logout_uri once the session cookie is cleared.
    return route.fulfill({ status: 302, headers: { location: url.searchParams.get('logout_uri') ?? '/' } });
  });
  return context.newPage();
}

const stored = (page: Page) => page.evaluate<Record<string, string>>('({ ...window.sessionStorage })');

describe.skipIf(!existsSync(CHROMIUM))('signing out of the console, in Chromium', () => {
  beforeAll(async () => {
    const distDir = await buildConsole();
    ({ runtime } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: OWNER_TOKEN }));
    server = await startConsoleServer(distDir, runtime.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.stop();
  });

  it('sends a person signed in through Cognito to the hosted logout, which returns to the console signed out', async () => {
    const hostedUi: URL[] = [];
    const page = await teamConsole(hostedUi);
    await page.goto(`${server.url}/console/`);
    await page.getByRole('button', { name: /team account/i }).waitFor();
    // As finishTeamSignIn leaves a tab after the code exchange (the exchange itself needs a real pool).
    await page.evaluate(
      `sessionStorage.setItem('retain.adminToken', ${JSON.stringify(OWNER_TOKEN)});
       sessionStorage.setItem('retain.signedInThroughTeam', 'yes');
       sessionStorage.setItem('oidc.user:${signInConfig.authority}:${signInConfig.clientId}', '{}');`,
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Home', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: /team account/i }).waitFor();
    expect(hostedUi.map((u) => `${u.origin}${u.pathname}`)).toEqual([`${HOSTED}/logout`]);
    expect(Object.fromEntries(hostedUi[0].searchParams)).toEqual({
      client_id: 'console-client-id',
      logout_uri: `${server.url}/console/`,
    });
    expect(page.url()).toBe(`${server.url}/console/`);
    expect(await stored(page)).toEqual({});
  });

  it('ends an API-token session in the tab without visiting the hosted pages', async () => {
    const hostedUi: URL[] = [];
    const page = await teamConsole(hostedUi);
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Admin token').fill(OWNER_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Home', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(hostedUi).toEqual([]);
    expect(await stored(page)).not.toHaveProperty('retain.adminToken');
  });
});
