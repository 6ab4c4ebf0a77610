// DynamoApprovalStore against DynamoDB Local: requests by id, the pending list by query, a decision written once.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Approval } from '../../functions/core/approvals/approval.js';
import { freshTables, type TestTables } from '../support/tables.js';

let t: TestTables;
beforeAll(async () => {
  t = await freshTables();
});

const pending = (id: string, requestedAt: string): Approval => ({
  id,
  kind: 'broadcastSend',
  target: { id: `sale-${id}` },
  requestedBy: { kind: 'token', id: 'tok-mina', name: 'Mina', role: 'marketer' },
  requestedAt,
  contentHash: 'h',
  checklist: { passed: true, items: [{ id: 'audience', passed: true, summary: '40 customers' }] },
  status: 'pending',
});
const decidedBy = { kind: 'person' as const, id: 'sub-jun', name: 'Jun', role: 'owner' as const };

describe('DynamoApprovalStore', () => {
  it('lists pending requests oldest first and moves a decided one to the decided list', async () => {
    const { approvals } = t.adapters;
    await approvals.create(pending('b', '2026-12-06T02:00:00.000Z'));
    await approvals.create(pending('a', '2026-12-06T01:00:00.000Z'));
    expect((await approvals.list('pending')).map((a) => a.id)).toEqual(['a', 'b']);
    expect(await approvals.get('b')).toEqual(pending('b', '2026-12-06T02:00:00.000Z'));

    const approved: Approval = {
      ...pending('a', '2026-12-06T01:00:00.000Z'),
      status: 'approved',
      decidedBy,
      decidedAt: '2026-12-06T03:00:00.000Z',
      comment: 'ok',
    };
    expect(await approvals.decide(approved)).toBe(true);
    expect((await approvals.list('pending')).map((a) => a.id)).toEqual(['b']);
    expect(await approvals.list('decided')).toEqual([approved]);
    expect(await approvals.get('a')).toEqual(approved);
  });

  it('lets only one of two decisions made at once be written', async () => {
    const { approvals } = t.adapters;
    const request = pending('race', '2026-12-06T04:00:00.000Z');
    await approvals.create(request);
    const decide = (status: 'approved' | 'rejected') =>
      approvals.decide({ ...request, status, decidedBy, decidedAt: '2026-12-06T05:00:00.000Z' });
    const results = await Promise.all([decide('approved'), decide('rejected'), decide('approved')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await approvals.get('race');
    expect(stored?.status).not.toBe('pending');
    expect(await approvals.decide({ ...request, status: 'approved', decidedBy })).toBe(false);
    expect((await approvals.list('decided')).filter((a) => a.id === 'race')).toHaveLength(1);
  });

  it('refuses a second request under the same id', async () => {
    await t.adapters.approvals.create(pending('twice', '2026-12-06T06:00:00.000Z'));
    await expect(t.adapters.approvals.create(pending('twice', '2026-12-06T06:00:00.000Z'))).rejects.toThrow();
  });
});
