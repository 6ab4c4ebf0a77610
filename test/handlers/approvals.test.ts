// Approvals through the admin handler against DynamoDB Local: an edited template voids a request, a checklist that
// fails at approval time answers 409 and leaves it pending, and of two decisions at once only one acts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createAdminHandler } from '../../functions/handlers/admin.js';
import { context, httpEvent } from '../support/awsEvents.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
let admin: ReturnType<typeof createAdminHandler>;

const callers = {
  mina: { credentialId: 'tok-mina', credentialName: 'Mina', role: 'marketer' },
  jun: { credentialId: 'tok-jun', credentialName: 'Jun', role: 'owner' },
  sora: { credentialId: 'tok-sora', credentialName: 'Sora', role: 'owner' },
} as const;

async function call(caller: keyof typeof callers, method: string, path: string, body?: unknown) {
  const event = httpEvent({
    method,
    path,
    body: body === undefined ? undefined : JSON.stringify(body),
    authorizer: callers[caller],
  });
  const result = (await admin(event, context())) as APIGatewayProxyStructuredResultV2;
  return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
}

const smsTemplate = (id: string, text: string) => ({
  id,
  name: `Order notice ${id}`,
  channel: 'sms',
  sms: { text },
});

const journey = (id: string, template: string) => ({
  id,
  name: `Order notice journey ${id}`,
  trigger: { kind: 'event', event: 'Order Completed' },
  start: 'notice',
  steps: {
    notice: { type: 'send', channel: 'sms', template, category: 'transactional', next: 'done' },
    done: { type: 'exit' },
  },
});

/** A journey whose activation is asked for by Mina: the request's id. */
async function requested(id: string) {
  expect((await call('mina', 'POST', '/admin/v1/templates', smsTemplate(id, '주문이 접수되었습니다'))).status).toBe(
    201,
  );
  const created = await call('mina', 'POST', '/admin/v1/journeys', journey(id, id));
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const asked = await call('mina', 'POST', `/admin/v1/journeys/${id}/activate`);
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  return asked.body.approval.id as string;
}

async function setSmsSender(from: string | undefined) {
  const settings = (await call('jun', 'GET', '/admin/v1/settings')).body;
  const { from: _from, ...sms } = settings.sms;
  const saved = await call('jun', 'PUT', '/admin/v1/settings', {
    ...settings,
    sms: { ...sms, senderNumbers: ['02-1234-5678'], ...(from ? { from } : {}) },
    approvals: { broadcastSend: true, journeyActivate: true },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

beforeAll(async () => {
  t = await freshTables();
  admin = createAdminHandler(t.adapters);
  await setSmsSender('02-1234-5678');
});

describe('approvals through the admin handler', () => {
  it('voids a request whose template was edited after it was asked, and approves a new request', async () => {
    const id = await requested('notice-edited');
    const edited = smsTemplate('notice-edited', '주문이 접수되었습니다. 지금 10% 할인 쿠폰을 받으세요');
    expect((await call('mina', 'PUT', '/admin/v1/templates/notice-edited', edited)).status).toBe(200);

    const voided = await call('jun', 'POST', `/admin/v1/approvals/${id}/approve`, { comment: 'ok' });
    expect(voided.status).toBe(409);
    expect(voided.body.error.message).toMatch(/changed after approval/);
    expect((await call('jun', 'GET', `/admin/v1/approvals/${id}`)).body.status).toBe('void');
    expect((await call('jun', 'GET', '/admin/v1/journeys/notice-edited')).body.status).toBe('draft');

    // The edited message is asked about anew, and that request (of what is there now) is approved.
    const again = await call('mina', 'POST', '/admin/v1/journeys/notice-edited/activate');
    expect(again.status).toBe(202);
    expect(again.body.approval.contentHash).not.toBe(
      (await call('jun', 'GET', `/admin/v1/approvals/${id}`)).body.contentHash,
    );
    const approved = await call('jun', 'POST', `/admin/v1/approvals/${again.body.approval.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await call('jun', 'GET', '/admin/v1/journeys/notice-edited')).body.status).toBe('active');
  });

  it('answers 409 with the failing items when the checklist fails at approval time, and leaves the request pending', async () => {
    const id = await requested('notice-unsendable');
    // Not the content: a setting the sends need, so the request still describes what would go out.
    await setSmsSender(undefined);
    try {
      const refused = await call('jun', 'POST', `/admin/v1/approvals/${id}/approve`, { comment: 'ok' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('checklist_failed');
      expect(refused.body.failing).toEqual([
        expect.objectContaining({ passed: false, summary: expect.stringMatching(/sender number/) }),
      ]);
      const stored = (await call('jun', 'GET', `/admin/v1/approvals/${id}`)).body;
      expect(stored.status).toBe('pending');
      expect(stored).not.toHaveProperty('decidedBy');
      expect((await call('jun', 'GET', '/admin/v1/journeys/notice-unsendable')).body.status).toBe('draft');
    } finally {
      await setSmsSender('02-1234-5678');
    }
    const approved = await call('jun', 'POST', `/admin/v1/approvals/${id}/approve`, { comment: 'fixed' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.approval.status).toBe('approved');
  });

  it('of an approval and a rejection at once, acts only on the one written and answers the other 409 already decided', async () => {
    const id = await requested('notice-raced');
    const [approve, reject] = await Promise.all([
      call('jun', 'POST', `/admin/v1/approvals/${id}/approve`, { comment: 'go' }),
      call('sora', 'POST', `/admin/v1/approvals/${id}/reject`, { comment: 'wait' }),
    ]);
    const answers = [approve, reject].map((a) => a.status).sort();
    expect(answers).toEqual([200, 409]);
    const lost = approve.status === 409 ? approve : reject;
    expect(lost.body.error.message).toMatch(/already decided/);
    const stored = (await call('jun', 'GET', `/admin/v1/approvals/${id}`)).body;
    const status = (await call('jun', 'GET', '/admin/v1/journeys/notice-raced')).body.status;
    // Whoever was written decides what happened: never a rejected request whose journey went live.
    expect({ decided: stored.status, journey: status }).toEqual(
      approve.status === 200 ? { decided: 'approved', journey: 'active' } : { decided: 'rejected', journey: 'draft' },
    );
  });
});
