// Deciding an approval request: the rules a decision must pass, as values (no I/O, the time is given).

import type { ChecklistOverride } from '../broadcasts/checklistOverride.js';
import type { Actor } from '../team/roles.js';
import type { Approval } from './approval.js';

export type Decision = {
  verdict: 'approved' | 'rejected';
  by: Pick<Actor, 'kind' | 'id' | 'name' | 'role'>;
  comment: string;
  at: Date;
  /** The target's content hash now; undefined when the target is gone. */
  currentHash: string | undefined;
};

export type DecisionOutcome =
  | { kind: 'refused'; rule: 'self-approval' | 'already-decided'; message: string }
  /** Edited (or deleted) since the request: the request no longer describes what would be sent. */
  | { kind: 'void'; approval: Approval; message: string }
  | { kind: 'decided'; approval: Approval };

export function decideApproval(approval: Approval, decision: Decision): DecisionOutcome {
  if (approval.status !== 'pending') {
    return {
      kind: 'refused',
      rule: 'already-decided',
      message: `approval ${approval.id} is already ${approval.status}`,
    };
  }
  // The point of an approval is a second person: whoever asked may not answer, whatever their role or flag.
  if (approval.requestedBy.id === decision.by.id) {
    return {
      kind: 'refused',
      rule: 'self-approval',
      message: `approval ${approval.id} was requested by ${approval.requestedBy.name}; the requester cannot decide their own request`,
    };
  }
  const { kind, id, name, role } = decision.by;
  const decided = {
    decidedBy: { kind, id, name, role },
    decidedAt: decision.at.toISOString(),
    ...(decision.comment ? { comment: decision.comment } : {}),
  };
  // A rejection stands whatever changed since; an approval is only of the content that was asked about.
  if (decision.verdict === 'approved' && decision.currentHash !== approval.contentHash) {
    return {
      kind: 'void',
      approval: { ...approval, ...decided, status: 'void' },
      message: `${approval.target.id} changed after approval ${approval.id} was requested; send or activate it again to ask anew`,
    };
  }
  return { kind: 'decided', approval: { ...approval, ...decided, status: decision.verdict } };
}

/**
 * What an approved request overrides: the requester's reason, for the items that failed when they asked (what the
 * approver was shown). An item failing only now was seen by nobody, so it refuses the send as without force.
 */
export function approvedOverride(approval: Approval): ChecklistOverride | undefined {
  if (!approval.forced) return undefined;
  const covers = approval.checklist.items.filter((i) => !i.passed).map((i) => i.id);
  return { reason: approval.forced.reason, covers };
}
