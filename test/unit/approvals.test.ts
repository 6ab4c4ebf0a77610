// The rules of deciding an approval request, and what a request keeps of the checklist.
import { describe, expect, it } from 'vitest';
import { approvedContentHash } from '../../functions/core/approvals/approvedContent.js';
import { approvedOverride, decideApproval, type Decision } from '../../functions/core/approvals/decideApproval.js';
import { uncoveredFailures } from '../../functions/core/broadcasts/checklistOverride.js';
import { newApprovalRequest } from '../../functions/core/approvals/requestApproval.js';
import type { Actor } from '../../functions/core/team/roles.js';

const mina: Actor = { kind: 'token', id: 'tok-mina', name: 'Mina', role: 'marketer', approver: false };
const jun: Actor = { kind: 'person', id: 'sub-jun', name: 'jun@shop.example', role: 'owner', approver: false };
const asked = new Date('2026-12-06T01:00:00Z');
const later = new Date('2026-12-06T02:00:00Z');

const request = (force?: { reason: string }, passed = true) =>
  newApprovalRequest(
    {
      kind: 'broadcastSend',
      target: { id: 'year-end-sale' },
      contentHash: 'hash-1',
      checklist: [
        { id: 'audience', passed: true, summary: '40 customers', details: { matching: 40 } },
        { id: 'test-send', passed, summary: passed ? 'tested' : 'no test send yet' },
      ],
      ...(force ? { force } : {}),
    },
    mina,
    'ap-1',
    asked,
  );

const by = (actor: Actor, verdict: Decision['verdict'] = 'approved', currentHash: string | undefined = 'hash-1') => ({
  verdict,
  by: actor,
  comment: 'looks right',
  at: later,
  currentHash,
});

describe('asking for approval', () => {
  it('keeps who asked, when, the content hash and each checklist item’s verdict without its details', () => {
    expect(request()).toEqual({
      id: 'ap-1',
      kind: 'broadcastSend',
      target: { id: 'year-end-sale' },
      requestedBy: { kind: 'token', id: 'tok-mina', name: 'Mina', role: 'marketer' },
      requestedAt: '2026-12-06T01:00:00.000Z',
      contentHash: 'hash-1',
      checklist: {
        passed: true,
        items: [
          { id: 'audience', passed: true, summary: '40 customers' },
          { id: 'test-send', passed: true, summary: 'tested' },
        ],
      },
      status: 'pending',
    });
  });

  it('flags a forced request with its reason only when the checklist failed', () => {
    expect(request({ reason: 'seed list is down' }, false).forced).toEqual({ reason: 'seed list is down' });
    expect(request({ reason: 'seed list is down' }, false).checklist.passed).toBe(false);
    expect(request({ reason: 'nothing to force' }, true).forced).toBeUndefined();
  });
});

describe('deciding an approval request', () => {
  it('approves when another person decides and nothing changed', () => {
    const outcome = decideApproval(request(), by(jun));
    expect(outcome).toEqual({
      kind: 'decided',
      approval: expect.objectContaining({
        status: 'approved',
        decidedBy: { kind: 'person', id: 'sub-jun', name: 'jun@shop.example', role: 'owner' },
        decidedAt: '2026-12-06T02:00:00.000Z',
        comment: 'looks right',
      }),
    });
  });

  it('refuses the requester deciding their own request, even an owner or an approver', () => {
    const ownRequest = { ...request(), requestedBy: { ...jun } };
    expect(decideApproval(ownRequest, by({ ...jun, approver: true }))).toMatchObject({
      kind: 'refused',
      rule: 'self-approval',
    });
    expect(decideApproval(request(), by(mina, 'rejected'))).toMatchObject({ kind: 'refused', rule: 'self-approval' });
  });

  it('voids the request when the target changed or is gone since it was asked', () => {
    expect(decideApproval(request(), by(jun, 'approved', 'hash-2'))).toMatchObject({
      kind: 'void',
      approval: { status: 'void', decidedBy: { id: 'sub-jun' } },
    });
    expect(decideApproval(request(), { ...by(jun), currentHash: undefined })).toMatchObject({ kind: 'void' });
  });

  it('lets a rejection stand although the target changed', () => {
    expect(decideApproval(request(), by(jun, 'rejected', 'hash-2'))).toMatchObject({
      kind: 'decided',
      approval: { status: 'rejected' },
    });
  });

  it('refuses deciding twice', () => {
    const approved = { ...request(), status: 'approved' as const };
    expect(decideApproval(approved, by(jun, 'rejected'))).toMatchObject({ kind: 'refused', rule: 'already-decided' });
    const voided = { ...request(), status: 'void' as const };
    expect(decideApproval(voided, by(jun))).toMatchObject({ kind: 'refused', rule: 'already-decided' });
  });

  it('leaves the comment out when none was given', () => {
    const outcome = decideApproval(request(), { ...by(jun), comment: '' });
    expect(outcome.kind === 'decided' && 'comment' in outcome.approval).toBe(false);
  });
});

describe('carrying out an approved request', () => {
  const failing = (...ids: string[]) => ids.map((id) => ({ id, passed: false, summary: `${id} fails` }));

  it('overrides only what failed when it was asked: an item failing only now still refuses', () => {
    const forced = approvedOverride(request({ reason: 'seed list is down' }, false));
    expect(forced).toEqual({ reason: 'seed list is down', covers: ['test-send'] });
    expect(uncoveredFailures(failing('test-send'), forced)).toEqual([]);
    expect(uncoveredFailures(failing('test-send', 'sending-window'), forced).map((i) => i.id)).toEqual([
      'sending-window',
    ]);
    // Not forced: whatever fails now refuses; a send's own force (no approval) answers for everything.
    expect(approvedOverride(request())).toBeUndefined();
    expect(uncoveredFailures(failing('audience'), undefined)).toHaveLength(1);
    expect(uncoveredFailures(failing('audience'), { reason: 'the list is right' })).toEqual([]);
  });

  it('hashes the target with its templates, so editing a template changes what is approved', async () => {
    const stored = new Map([['sale', { id: 'sale', channel: 'email', email: { subject: 'A', html: '<p>a</p>' } }]]);
    const templates = { get: async (id: string) => stored.get(id) as never };
    const before = await approvedContentHash({ id: 'b' }, ['sale', 'sale'], templates);
    expect(await approvedContentHash({ id: 'b' }, ['sale'], templates)).toBe(before);
    stored.set('sale', { id: 'sale', channel: 'email', email: { subject: 'B', html: '<p>a</p>' } });
    expect(await approvedContentHash({ id: 'b' }, ['sale'], templates)).not.toBe(before);
    expect(await approvedContentHash({ id: 'b' }, ['sale', 'gone'], templates)).not.toBe(before);
  });
});
