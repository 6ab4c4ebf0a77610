// The README's five-minute tour as a doc test: its marked shell blocks run verbatim, in order, against a local runtime.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime } from '../support/localRuntime.js';

const WRITE_KEY = 'wk_tour';
const ADMIN_TOKEN = 'rat_tour';

/** Each shell block the README marks with `<!-- tour: name -->` on the line before its fence, in order. */
function tourBlocks(markdown: string): { name: string; script: string }[] {
  return [...markdown.matchAll(/^<!-- tour: ([\w-]+) -->\n```sh\n([\s\S]*?)^```$/gm)].map(([, name, script]) => ({
    name,
    script,
  }));
}

const blocks = tourBlocks(readFileSync('README.md', 'utf8'));
let runtime: LocalRuntime;
let errors: Error[];

beforeAll(async () => {
  ({ runtime, errors } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: ADMIN_TOKEN }));
});

afterAll(async () => {
  await runtime?.stop();
});

/** Runs one block as the reader's second terminal would, with the three variables the tour has them export. */
async function run(name: string): Promise<string> {
  const block = blocks.find((b) => b.name === name);
  if (!block) throw new Error(`README.md has no block marked <!-- tour: ${name} -->`);
  const { stdout } = await promisify(execFile)('bash', ['-e', '-o', 'pipefail', '-c', block.script], {
    env: {
      ...process.env,
      RETAIN_URL: runtime.url,
      RETAIN_WRITE_KEY: WRITE_KEY,
      RETAIN_ADMIN_TOKEN: ADMIN_TOKEN,
      AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  // A reader reads the output before the next block; by then the pipeline has processed what was sent.
  await runtime.poller.drain(120_000);
  return stdout;
}

const admin = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
};

// Each step spawns curl and `npm run retain` (tsx): slow on a busy machine, so the steps get room, not a deadline.
describe.sequential('the README tour, verbatim', { timeout: 180_000 }, () => {
  it('marks every step of the tour, in the order the README tells them', () => {
    expect(blocks.map((b) => b.name)).toEqual([
      'send-events',
      'read-profile',
      'erase',
      'journey',
      'simulate',
      'broadcast',
      'metrics',
    ]);
  });

  it('sends events with curl and names the rejected one', async () => {
    const out = await run('send-events');
    expect(out).toContain('{"success":true,"rejected":[]}');
    expect(out).toContain(
      '{"success":true,"rejected":[{"index":2,"error":"batch[2].userId: userId or anonymousId is required"}]}',
    );
  });

  it('reads the profile the pipeline built, with the anonymous history merged, and the ingest errors', async () => {
    const out = await run('read-profile');
    expect(out).toContain('"userId":"u-1001"');
    expect(out).toContain('"anonymousIds":["device-77"]');
    expect(out).toMatch(/"orders":1\b/);
    expect(out).toContain('"event":"Order Completed"');
    expect(out).toContain('userId or anonymousId is required');
  });

  it('erases the customer', async () => {
    await run('erase');
    expect((await admin('GET', '/admin/v1/profiles/u-1001')).status).toBe(404);
  });

  it('activates the cart-abandonment example (its checklist passes) and the journey fires a day later', async () => {
    const out = await run('journey');
    expect(out).toContain('cart-abandonment: version 1 is live');
    expect(out).toMatch(/"status":"skipped","reason":"no push token"|"reason":"no push token"/);
    expect(out).toContain('"template":"cart-reminder"');
    // The checklist tried the templates on real customers (u-2002 at least): the personalisation item is not vacuous.
    const again = await admin('POST', '/admin/v1/journeys/cart-abandonment/activate', { version: 1 });
    expect(again.status).toBe(200);
    const { checklist } = again.body as { checklist: { items: { id: string; passed: boolean; summary: string }[] } };
    expect(checklist.items.find((i) => i.id === 'personalisation')).toMatchObject({
      passed: true,
      summary: 'every personalisation variable had a value (or a default) for the samples',
    });
  });

  it('simulates a buyer: converted, nothing sent', async () => {
    const out = await run('simulate');
    expect(out).toContain('cart-abandonment v1: converted (goal Order Completed)');
    expect(out).not.toContain('send ');
  });

  it('refuses the broadcast until the seed list has seen it, then sends it to the subscriber', async () => {
    // As the README says: between 21:00 and 08:00 in Seoul the reader advances the local clock to the morning.
    const { now } = (await admin('GET', '/admin/v1/clock')).body as { now: string };
    const seoulHour = (new Date(now).getUTCHours() + 9) % 24;
    if (seoulHour < 8 || seoulHour >= 21) {
      const to9 = `${(24 + 9 - seoulHour) % 24}h`;
      expect((await admin('POST', '/admin/v1/clock/advance', { by: to9 })).status).toBe(200);
    }
    const out = await run('broadcast');
    expect(out).toContain('"code":"checklist_failed"');
    expect(out).toContain('"id":"test-send"');
    expect(out).toContain('"status":"sending"');
    expect(out).toMatch(/"enqueued":1\b/);
    const emails = runtime.outbox.emails.map((e) => e.to);
    expect(emails).toContain('you@example.com');
    expect(emails).toContain('seojun@example.com');
  });

  it('shows the order converting the broadcast in the metrics', async () => {
    const out = await run('metrics');
    expect(out).toContain('"drained":true');
    expect(out).toMatch(/converted/);
    expect(out).toContain('stepId,variant,template,requested,sent');
    const funnel = (await admin('GET', '/admin/v1/reports/message-funnel?broadcastId=year-end-sale')).body as {
      lines: { sent: number; converted: number; revenue: number }[];
    };
    expect(funnel.lines.reduce((n, l) => n + l.converted, 0)).toBe(1);
    expect(funnel.lines.reduce((n, l) => n + l.revenue, 0)).toBe(45000);
  });

  it('ran without a runtime error', () => {
    expect(errors).toEqual([]);
  });
});
