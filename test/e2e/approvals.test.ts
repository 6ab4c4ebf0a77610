// Approvals through the local runtime: a marketer's send becomes a request, nobody approves their own, another
// person's approval sends it; an edit voids a request; a rejection sends nothing; the audit log names each.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { startTestRuntime, testClient } from '../support/localRuntime.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const WRITE_KEY = 'wk_approvals-e2e';
const OWNER_TOKEN = 'rat_approvals-e2e';
let runtime: LocalRuntime;
const tokens: Record<'marketer' | 'approver', string> = { marketer: '', approver: '' };
const as = (token: string) => (method: string, path: string, body?: unknown) =>
  testClient(runtime, { writeKey: WRITE_KEY, adminToken: token }).admin(method, path, body);
const owner = (method: string, path: string, body?: unknown) => as(OWNER_TOKEN)(method, path, body);
const marketer = (method: string, path: string, body?: unknown) => as(tokens.marketer)(method, path, body);
/** A marketer flagged approver: may decide others' requests, never their own. */
const approver = (method: string, path: string, body?: unknown) => as(tokens.approver)(method, path, body);
const example = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const seoulHour = (at: string | number | Date) =>
  Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Seoul', hour: '2-digit', hour12: false }).format(new Date(at)),
  );

/** A tested draft, ready to send. */
async function draft(id: string, send: typeof owner) {
  const created = await send('POST', '/admin/v1/broadcasts', {
    ...example('examples/broadcasts/year-end-sale.json'),
    id,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await send('POST', `/admin/v1/broadcasts/${id}/test-send`)).status).toBe(200);
}

beforeAll(async () => {
  ({ runtime } = await startTestRuntime({ writeKey: WRITE_KEY, adminToken: OWNER_TOKEN }));
  for (const [name, flags] of [
    ['marketer', { role: 'marketer' }],
    ['approver', { role: 'marketer', approver: true }],
  ] as const) {
    const issued = await owner('POST', '/admin/v1/admin-tokens', { name: `Mina (${name})`, ...flags });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    tokens[name] = issued.body.adminToken;
  }
  for (const file of ['year-end-sale', 'cart-reminder', 'cart-reminder-email']) {
    expect((await owner('POST', '/admin/v1/templates', example(`examples/templates/${file}.json`))).status).toBe(201);
  }
  expect((await owner('POST', '/admin/v1/segments', example('examples/segments/subscribers.json'))).status).toBe(201);
  const settings = (await owner('GET', '/admin/v1/settings')).body;
  const saved = await owner('PUT', '/admin/v1/settings', {
    ...settings,
    sender: { name: '리테인상점', contact: '02-1234-5678' },
    sms: { ...settings.sms, senderNumbers: ['02-1234-5678'], from: '02-1234-5678', optOutNumber: '080-123-4567' },
    seedList: { email: ['marketing-team@shop.example'], sms: ['010-0000-0000'] },
    approvals: { broadcastSend: true, journeyActivate: true },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  expect(saved.body.approvals).toEqual({ broadcastSend: true, journeyActivate: true });
  // Daytime in Seoul, so the sending window passes.
  const client = testClient(runtime, { writeKey: WRITE_KEY, adminToken: OWNER_TOKEN });
  const { now } = await client.advance('1m');
  await client.advance(`${(10 - seoulHour(now) + 24) % 24 || 24}h`);
  await client.send(
    Array.from({ length: 5 }, (_, i) => ({
      type: 'identify',
      userId: `ap-${i}`,
      traits: { name: `고객${i}`, email: `ap-${i}@example.com` },
      context: { timezone: 'Asia/Seoul', consent: { categoryPreferences: { email: true, advertising: true } } },
    })),
  );
});

afterAll(async () => {
  await runtime?.stop();
});

describe('approvals through the local runtime', () => {
  it('holds a marketer’s send for approval, refuses self-approval, and sends on another person’s approval', async () => {
    await draft('sale-approved', marketer);
    const asked = await marketer('POST', '/admin/v1/broadcasts/sale-approved/send');
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const { approval } = asked.body;
    expect(approval).toMatchObject({
      kind: 'broadcastSend',
      target: { id: 'sale-approved' },
      requestedBy: { name: 'Mina (marketer)', role: 'marketer' },
      status: 'pending',
      checklist: { passed: true },
    });
    expect(approval.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await owner('GET', '/admin/v1/broadcasts/sale-approved')).body.status).toBe('draft');
    const listed = await approver('GET', '/admin/v1/approvals?status=pending');
    expect(listed.body.approvals.map((a: { id: string }) => a.id)).toContain(approval.id);

    // The marketer may not decide at all; an approver may not decide their own.
    const bySelf = await marketer('POST', `/admin/v1/approvals/${approval.id}/approve`, { comment: 'me' });
    expect(bySelf.status).toBe(403);
    expect(bySelf.body.error.permission).toBe('approvals:decide');
    await draft('sale-self', approver);
    const own = (await approver('POST', '/admin/v1/broadcasts/sale-self/send')).body.approval;
    const selfApproved = await approver('POST', `/admin/v1/approvals/${own.id}/approve`, { comment: 'mine' });
    expect(selfApproved.status).toBe(403);
    expect(selfApproved.body.error.message).toMatch(/^self-approval: /);
    expect((await owner('GET', `/admin/v1/approvals/${own.id}`)).body.status).toBe('pending');

    const approved = await approver('POST', `/admin/v1/approvals/${approval.id}/approve`, { comment: '확인했습니다' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.approval).toMatchObject({
      status: 'approved',
      comment: '확인했습니다',
      decidedBy: { name: 'Mina (approver)' },
    });
    expect(approved.body.result.status).toBe('sending');
    await testClient(runtime, { writeKey: WRITE_KEY, adminToken: OWNER_TOKEN }).advance('5m');
    const sent = (await owner('GET', '/admin/v1/broadcasts/sale-approved')).body;
    expect(sent.status).toBe('enqueued');
    expect(sent.progress.enqueued + sent.progress.heldOut).toBe(5);

    const twice = await owner('POST', `/admin/v1/approvals/${approval.id}/reject`, { comment: 'late' });
    expect(twice.status).toBe(409);
    const pendingIds = (await owner('GET', '/admin/v1/approvals')).body.approvals.map((a: { id: string }) => a.id);
    expect(pendingIds).not.toContain(approval.id);
    expect(pendingIds).toContain(own.id);

    const trail = (await owner('GET', `/admin/v1/audit?target=${approval.id}`)).body.entries;
    const routes = (entries: { route: string; status: number }[]) => entries.map((e) => `${e.route} ${e.status}`);
    // The marketer's attempt was refused before the call (no permission), and is on record as refused.
    expect(routes(trail)).toEqual([
      'rejectApprovalRequest 409',
      'approveApprovalRequest 200',
      'approveApprovalRequest 403',
    ]);
    expect(trail.at(-1)).toMatchObject({
      actor: { name: 'Mina (marketer)' },
      refused: { permission: 'approvals:decide' },
    });
    expect(trail[1]).not.toHaveProperty('refused');
    const ownTrail = (await owner('GET', `/admin/v1/audit?target=${own.id}`)).body.entries;
    expect(routes(ownTrail)).toEqual(['approveApprovalRequest 403']);
    const request = (await owner('GET', '/admin/v1/audit?target=sale-approved&route=sendBroadcast')).body.entries;
    expect(request).toMatchObject([{ status: 202, approval: approval.id, actor: { name: 'Mina (marketer)' } }]);
  });

  it('voids a request whose broadcast was edited after it, and sends nothing on a rejection', async () => {
    // A day on, so the first test's sale is past everyone's daily e-mail cap and the audience item passes again.
    await testClient(runtime, { writeKey: WRITE_KEY, adminToken: OWNER_TOKEN }).advance('24h');
    await draft('sale-edited', marketer);
    const { approval } = (await marketer('POST', '/admin/v1/broadcasts/sale-edited/send')).body;
    const edited = { ...example('examples/broadcasts/year-end-sale.json'), id: 'sale-edited', controlPercent: 0 };
    expect((await marketer('PUT', '/admin/v1/broadcasts/sale-edited', edited)).status).toBe(200);
    const voided = await owner('POST', `/admin/v1/approvals/${approval.id}/approve`, { comment: 'ok' });
    expect(voided.status).toBe(409);
    expect(voided.body.error.message).toMatch(/changed after approval/);
    expect((await owner('GET', `/admin/v1/approvals/${approval.id}`)).body.status).toBe('void');
    expect((await owner('GET', '/admin/v1/broadcasts/sale-edited')).body.status).toBe('draft');

    const pending = (await owner('GET', '/admin/v1/approvals')).body.approvals;
    const own = pending.find((a: { target: { id: string } }) => a.target.id === 'sale-self');
    expect(own, JSON.stringify(pending)).toBeDefined();
    const rejected = await owner('POST', `/admin/v1/approvals/${own.id}/reject`, { comment: '할인율 확인 필요' });
    expect(rejected.status).toBe(200);
    expect(rejected.body.approval).toMatchObject({ status: 'rejected', comment: '할인율 확인 필요' });
    expect((await owner('GET', '/admin/v1/broadcasts/sale-self')).body.status).toBe('draft');
    const decided = (await owner('GET', '/admin/v1/approvals?status=decided')).body.approvals;
    expect(decided.map((a: { id: string; status: string }) => a.status)).toEqual(['rejected', 'void', 'approved']);
  });

  it('still refuses a send whose checklist fails, without a request, and flags a forced one', async () => {
    const untested = { ...example('examples/broadcasts/year-end-sale.json'), id: 'sale-untested' };
    expect((await marketer('POST', '/admin/v1/broadcasts', untested)).status).toBe(201);
    const refused = await marketer('POST', '/admin/v1/broadcasts/sale-untested/send');
    expect(refused.status).toBe(409);
    expect(refused.body.failing.map((i: { id: string }) => i.id)).toContain('test-send');
    const before = (await owner('GET', '/admin/v1/approvals')).body.approvals.length;
    expect((await owner('GET', '/admin/v1/approvals')).body.approvals).toHaveLength(before);
    const forced = await marketer('POST', '/admin/v1/broadcasts/sale-untested/send', {
      force: { reason: 'seed inbox is down' },
    });
    expect(forced.status).toBe(202);
    expect(forced.body.approval).toMatchObject({
      forced: { reason: 'seed inbox is down' },
      checklist: { passed: false },
    });
    const approved = await owner('POST', `/admin/v1/approvals/${forced.body.approval.id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.result.forced).toMatchObject({ reason: 'seed inbox is down' });
    expect(approved.body.result.forced.failing).toContain('test-send');
  });

  it('holds a journey’s activation for approval and activates it on approval', async () => {
    const journey = example('examples/journeys/cart-abandonment.json');
    expect((await marketer('POST', '/admin/v1/journeys', journey)).status).toBe(201);
    const asked = await marketer('POST', `/admin/v1/journeys/${journey.id}/activate`);
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body.approval).toMatchObject({ kind: 'journeyActivate', target: { id: journey.id, version: 1 } });
    expect((await owner('GET', `/admin/v1/journeys/${journey.id}`)).body.status).toBe('draft');
    const approved = await owner('POST', `/admin/v1/approvals/${asked.body.approval.id}/approve`, { comment: 'go' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.result).toMatchObject({ status: 'active', activeVersion: 1 });
    expect((await owner('GET', `/admin/v1/journeys/${journey.id}`)).body.status).toBe('active');
  });
});
