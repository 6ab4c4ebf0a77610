// The `retain` CLI against a local runtime: journeys as code, --json, --version, and its one-line errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { freePort } from '../../functions/local/dynamoDbLocal.js';
import { startTestRuntime } from '../support/localRuntime.js';

const ADMIN_TOKEN = 'rat_cli-e2e';
const WRITE_KEY = 'wk_cli-e2e';
let runtime: LocalRuntime;

beforeAll(async () => {
  ({ runtime } = await startTestRuntime({ adminToken: ADMIN_TOKEN, writeKey: WRITE_KEY }));
});

afterAll(async () => {
  await runtime?.stop();
});

/** Runs the CLI as a user would; `env` replaces the connection variables the tests set by default. */
const run = async (args: string[], env: Record<string, string | undefined> = {}) => {
  const connection = { RETAIN_URL: runtime.url, RETAIN_ADMIN_TOKEN: ADMIN_TOKEN, ...env };
  const defined = Object.fromEntries(Object.entries(connection).filter(([, v]) => v !== undefined));
  const base: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1' };
  delete base.RETAIN_URL;
  delete base.RETAIN_ADMIN_TOKEN;
  delete base.PORT;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bin/cli.ts', ...args], {
      env: { ...base, ...defined },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
};
const retain = async (...args: string[]) => {
  const { code, stdout, stderr } = await run(args);
  if (code !== 0) throw Object.assign(new Error(stderr), { stderr });
  return stdout;
};

// Each call starts a Node process with tsx: seconds apiece on a busy machine, so the tests get room, not a deadline.
type ListedToken = { id: string; role?: string; expiresAt?: string };

describe('retain journeys (journeys as code)', { timeout: 240_000 }, () => {
  it('applies a journey file, lists it, applies an edit as a new version, and simulates it', async () => {
    // Activation renders every send step first: without its templates the journey does not go live.
    const refused = await retain(
      'journeys',
      'apply',
      '-f',
      'examples/journeys/cart-abandonment.json',
      '--activate',
    ).catch((error: { stderr: string }) => error.stderr);
    expect(refused).toContain('✗ samples: ');
    expect(refused).toContain('no template has the id cart-reminder');
    for (const file of ['cart-reminder-email.json', 'cart-reminder.json']) {
      const res = await fetch(`${runtime.url}/admin/v1/templates`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: readFileSync(`examples/templates/${file}`, 'utf8'),
      });
      expect(res.status).toBe(201);
    }
    expect(await retain('journeys', 'apply', '-f', 'examples/journeys/cart-abandonment.json', '--activate')).toContain(
      'cart-abandonment: version 2 is live',
    );
    expect(await retain('journeys', 'apply', '-f', 'examples/journeys/cart-abandonment.json')).toContain(
      'saved version 3 (active)',
    );
    const list = await retain('journeys', 'list');
    expect(list).toMatch(/cart-abandonment.*active.*2.*3/);
    const simulation = await retain(
      'journeys',
      'simulate',
      'cart-abandonment',
      '-f',
      'examples/simulations/cart-buyer.json',
    );
    expect(simulation).toContain('cart-abandonment v3: converted (goal Order Completed)');
    expect(simulation).not.toContain('send ');
  });
});

describe('retain import pinpoint-journey', { timeout: 240_000 }, () => {
  it('converts a Pinpoint journey into a draft, saves it, and the draft simulates as the Pinpoint one ran', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-pinpoint-'));
    const out = join(dir, 'welcome-series.json');
    const printed = await retain(
      'import',
      'pinpoint-journey',
      'test/fixtures/pinpoint/journeys/welcome.json',
      '--out',
      out,
      '--apply',
    );
    expect(printed).toContain('Welcome series → journey welcome-series (draft)');
    expect(printed).toContain('welcome-email (email) from Pinpoint template Welcome_Email');
    expect(printed).toContain('welcome-series: saved version 1 (draft)');
    expect(JSON.parse(readFileSync(out, 'utf8')).id).toBe('welcome-series');
    const input = join(dir, 'sign-up.json');
    writeFileSync(
      input,
      JSON.stringify({
        start: '2026-03-02T00:00:00.000Z',
        events: [{ at: '2026-03-02T00:00:00.000Z', event: 'Signed Up', properties: { source: 'app' } }],
      }),
    );
    const simulation = JSON.parse(await retain('journeys', 'simulate', 'welcome-series', '-f', input, '--json'));
    expect(simulation.entered).toBe(true);
    expect(simulation.sends.map((s: { template: string }) => s.template)).toEqual([
      'welcome-email',
      'first-order-coupon',
    ]);
    // A file Pinpoint never wrote is refused in one line naming the field, and nothing is saved.
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ Name: 'x', StartActivity: 'a', Activities: 'none' }));
    const refused = await run(['import', 'pinpoint-journey', bad, '--apply']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('Activities: Invalid input');
  });
});

describe('retain for scripts and people', { timeout: 120_000 }, () => {
  it('refuses to invite a person without an address or with an unknown role, before calling Cognito', async () => {
    const notAnAddress = await run(['person', 'add', 'mina', '--user-pool', 'ap-northeast-2_RetainTeam']);
    expect(notAnAddress.code).toBe(1);
    expect(notAnAddress.stderr.trim()).toBe('retain: mina is not an e-mail address');
    const badRole = await run([
      'person',
      'add',
      'mina@shop.example',
      '--user-pool',
      'ap-northeast-2_X',
      '--role',
      'boss',
    ]);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain('a role is one of owner, marketer, analyst, privacy');
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect((await run(['--version'])).stdout.trim()).toBe(version);
  });

  it('prints read commands as JSON with --json', async () => {
    const list = JSON.parse(await retain('journeys', 'list', '--json'));
    expect(Array.isArray(list.journeys)).toBe(true);
    const report = JSON.parse(await retain('report', 'message-funnel', '--journey', 'cart-abandonment', '--json'));
    expect(Array.isArray(report.lines)).toBe(true);
    expect(report.definitions).toBeDefined();
  });

  it('finds a local engine through PORT, as npm start does', async () => {
    const env = { RETAIN_URL: undefined, PORT: String(runtime.port) };
    const { code, stdout } = await run(['journeys', 'list', '--json'], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).journeys).toBeDefined();
  });

  it('says in one line that nothing answers, instead of a stack trace', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await run(['journeys', 'list'], { RETAIN_URL: nowhere });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `retain: nothing answers at ${nowhere}: is Retain running (\`npm start\`)? ` +
        'Otherwise pass --url or set RETAIN_URL',
    );
  });

  it('explains a missing and a refused admin token', async () => {
    const missing = await run(['journeys', 'list'], { RETAIN_ADMIN_TOKEN: undefined });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      'retain: no admin token: pass --token or set RETAIN_ADMIN_TOKEN (`npm start` prints the local one)',
    );
    const refused = await run(['report', 'rfm', '--token', 'rat_not-a-token']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(
      /^retain: http:\/\/127\.0\.0\.1:\d+ does not know this admin token: check --token or RETAIN_ADMIN_TOKEN/,
    );
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('lists admin tokens without secrets and revokes one, but not the one it runs with', async () => {
    const issued = await fetch(`${runtime.url}/admin/v1/admin-tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cli-revoked' }),
    });
    expect(issued.status).toBe(201);
    const other = (await issued.json()) as { id: string; adminToken: string };

    const listed = await retain('admin-token', 'list', '--json');
    const tokens = JSON.parse(listed).adminTokens as { id: string; name: string; prefix: string }[];
    expect(tokens.map((token) => token.name)).toContain('cli-revoked');
    expect(listed).not.toContain(other.adminToken);
    expect(listed).not.toContain(ADMIN_TOKEN);
    const own = tokens.find((token) => token.prefix === ADMIN_TOKEN.slice(0, 8));

    const self = await run(['admin-token', 'revoke', own!.id]);
    expect(self.code).toBe(1);
    expect(self.stderr.trim()).toBe(
      `retain: ${own!.id}: this request is made with that admin token; revoke it with another one`,
    );
    expect(await retain('admin-token', 'revoke', other.id)).toContain(`admin token ${other.id} revoked`);
    const refused = await run(['journeys', 'list'], { RETAIN_ADMIN_TOKEN: other.adminToken });
    expect(refused.stderr).toContain('does not know this admin token');
    const gone = await run(['admin-token', 'revoke', other.id]);
    expect(gone.stderr.trim()).toBe(`retain: ${other.id}: no admin token has the id ${other.id}`);
  });

  it('issues a marketer token with an expiry, which the roles then limit, and rotates it', async () => {
    const issued = await retain(
      'admin-token',
      'issue',
      '--name',
      'campaigns',
      '--role',
      'marketer',
      '--expires',
      '2099-01-31',
    );
    const [, id, secret] =
      issued.match(/^admin token (\S+) \(campaigns, marketer, until 2099-01-31T00:00:00.000Z\): (rat_\S+)$/m) ?? [];
    expect(secret).toBeDefined();

    const table = JSON.parse(await retain('admin-token', 'list', '--json')).adminTokens as ListedToken[];
    expect(table.find((token) => token.id === id)).toMatchObject({
      role: 'marketer',
      expiresAt: '2099-01-31T00:00:00.000Z',
    });
    expect(await retain('admin-token', 'list')).toMatch(/campaigns.*marketer/);

    // A marketer builds journeys but may not touch tokens.
    expect((await run(['journeys', 'list'], { RETAIN_ADMIN_TOKEN: secret })).code).toBe(0);
    const refused = await run(['admin-token', 'list'], { RETAIN_ADMIN_TOKEN: secret });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('keys:read');

    const rotated = await retain('admin-token', 'rotate', id!);
    const [, fresh] = rotated.match(/rotated: (rat_\S+)/) ?? [];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(secret);
    expect((await run(['journeys', 'list'], { RETAIN_ADMIN_TOKEN: fresh })).code).toBe(0);
    // The authorizer remembers a token it accepted for a minute (as in AWS), so the old secret goes after that.
    const advanced = await fetch(`${runtime.url}/admin/v1/clock/advance`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ by: '2m' }),
    });
    expect(advanced.status).toBe(200);
    expect((await run(['journeys', 'list'], { RETAIN_ADMIN_TOKEN: secret })).stderr).toContain(
      'does not know this admin token',
    );
  });

  it('refuses a role that does not exist and an expiry in the past, naming them', async () => {
    const role = await run(['admin-token', 'issue', '--role', 'intern']);
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain('a role is one of owner, marketer, analyst, privacy');
    const past = await run(['admin-token', 'issue', '--expires', '2001-01-01']);
    expect(past.code).not.toBe(0);
    expect(past.stderr).toContain('the token would be expired already');
  });

  it('names the file that is missing or not JSON', async () => {
    const { code, stderr } = await run(['journeys', 'apply', '-f', 'examples/nowhere.json']);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('retain: examples/nowhere.json: no such file');
  });
});

describe('npm run demo', { timeout: 300_000 }, () => {
  const demo = async (args: string[], env: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'demo/run.ts', ...args],
        { env: { ...process.env, AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1', ...env } },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
      return { code, stdout, stderr };
    }
  };

  it('explains its options with --help and refuses a count that is not a number', async () => {
    const help = await demo(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run demo -- [--customers N] [--events N]');
    const bad = await demo(['--customers', 'abc']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('demo: --customers must be a whole number of at least 1, not "abc"');
  });

  it('fills the engine and, under --json, prints a summary and no progress', async () => {
    const { code, stdout } = await demo(['--customers', '20', '--events', '400', '--json', '--url', runtime.url], {
      RETAIN_WRITE_KEY: WRITE_KEY,
      RETAIN_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    expect(code).toBe(0);
    expect(stdout).not.toContain('\r');
    const summary = JSON.parse(stdout) as {
      customers: number;
      events: number;
      broadcast: { status: number; emails: number; opens: number; clicks: number };
    };
    expect(summary.customers).toBe(20);
    expect(summary.events).toBeGreaterThan(20);
    expect(summary.broadcast.status).toBe(202);
    // Some of the broadcast's e-mails were opened through the tracking pixel, and the counters saw each open.
    expect(summary.broadcast.emails).toBeGreaterThan(0);
    expect(summary.broadcast.opens).toBeGreaterThan(0);
    expect(summary.broadcast.opens).toBeLessThan(summary.broadcast.emails);
    const funnel = await fetch(`${runtime.url}/admin/v1/reports/message-funnel?broadcastId=demo-sale`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const lines = ((await funnel.json()) as { lines: { opened: number; clicked: number }[] }).lines;
    expect(lines.reduce((sum, l) => sum + l.opened, 0)).toBe(summary.broadcast.opens);
    expect(lines.reduce((sum, l) => sum + l.clicked, 0)).toBe(summary.broadcast.clicks);
  });
});
