// Turning a send or an activation into a stored approval request (what both routes answer 202 with).

import type { Actor } from '../../core/team/roles.js';
import { newApprovalRequest, type ApprovalAsk } from '../../core/approvals/requestApproval.js';
import type { AdminDeps } from './deps.js';

export async function requestApproval(
  ask: ApprovalAsk,
  actor: Actor,
  deps: Pick<AdminDeps, 'approvals' | 'clock' | 'random'>,
) {
  const approval = newApprovalRequest(ask, actor, deps.random.id(), deps.clock.now());
  await deps.approvals.create(approval);
  return approval;
}
