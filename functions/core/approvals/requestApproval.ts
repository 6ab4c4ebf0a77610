// Asking for approval: the request a send or an activation becomes while the team's approvals are on.

import type { ChecklistItem } from '../broadcasts/broadcast.js';
import type { Actor } from '../team/roles.js';
import type { Approval, ApprovalKind } from './approval.js';

export type ApprovalAsk = {
  kind: ApprovalKind;
  target: Approval['target'];
  contentHash: string;
  /** The checklist just run; the request keeps each item's verdict and summary. */
  checklist: ChecklistItem[];
  force?: { reason: string };
};

export function newApprovalRequest(ask: ApprovalAsk, by: Actor, id: string, now: Date): Approval {
  const failing = ask.checklist.some((i) => !i.passed);
  return {
    id,
    kind: ask.kind,
    target: ask.target,
    requestedBy: { kind: by.kind, id: by.id, name: by.name, role: by.role },
    requestedAt: now.toISOString(),
    contentHash: ask.contentHash,
    // Summaries only: sample renders in the details would make the item large and are on the target anyway.
    checklist: {
      passed: !failing,
      items: ask.checklist.map(({ id: item, passed, summary }) => ({ id: item, passed, summary })),
    },
    // As on the send itself, a reason is only kept when it overrode something: the approver sees what it was for.
    ...(failing && ask.force ? { forced: { reason: ask.force.reason } } : {}),
    status: 'pending',
  };
}
