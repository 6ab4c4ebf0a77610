// Admin route implementations for approvals: list and read the requests, approve (which sends or activates as
// requested) or reject. The deciding rules are in core/approvals/decideApproval.ts.

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Approval } from '../../core/approvals/approval.js';
import { approvedOverride, decideApproval, type Decision } from '../../core/approvals/decideApproval.js';
import type { ChecklistItem } from '../../core/broadcasts/broadcast.js';
import { uncoveredFailures } from '../../core/broadcasts/checklistOverride.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { Actor } from '../../core/team/roles.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import { broadcastSending } from './broadcastRoutes.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';
import { checklistRefusal } from './contentChecks.js';
import { journeyActivation } from './journeyRoutes.js';

/** What an approval is about, by kind: its content hash now, and the checklist again before carrying it out. */
type Approvable = {
  currentHash(target: Approval['target']): Promise<string | undefined>;
  /** `refused`: the failing items the request does not override; `carryOut` sends or activates as checked. */
  prepare(approval: Approval): Promise<{
    refused: ChecklistItem[];
    carryOut(): Promise<APIGatewayProxyStructuredResultV2>;
  }>;
};

function approvables(deps: AdminDeps, delivery?: DeliveryDeps): Record<Approval['kind'], Approvable> {
  const sending = broadcastSending(deps, delivery);
  const activation = journeyActivation(deps, delivery);
  return {
    broadcastSend: {
      currentHash: async ({ id }) => {
        const broadcast = await deps.broadcasts.get(id);
        return broadcast && sending.contentHash(broadcast);
      },
      prepare: async (approval) => {
        const broadcast = await deps.broadcasts.get(approval.target.id);
        if (!broadcast) throw new NotFoundError(`no broadcast has the id ${approval.target.id}`);
        const override = approvedOverride(approval);
        const checked = await sending.check(broadcast, override);
        return { refused: checked.refused, carryOut: () => sending.start(checked, override) };
      },
    },
    journeyActivate: {
      currentHash: async ({ id, version }) => {
        const head = await deps.journeys.head(id);
        const found = head && (await deps.journeys.version(id, version ?? head.latestVersion));
        return head && found ? activation.contentHash({ head, version: found }) : undefined;
      },
      prepare: async (approval) => {
        const override = approvedOverride(approval);
        const checked = await activation.check(approval.target.id, approval.target.version);
        return {
          refused: uncoveredFailures(checked.failing, override),
          carryOut: async () => jsonResponse(200, await activation.activate(checked, override)),
        };
      },
    },
  };
}

export function approvalRoutes(deps: AdminDeps, delivery?: DeliveryDeps) {
  const { approvals, clock } = deps;
  const kinds = approvables(deps, delivery);
  const stored = async (id: string) => {
    const approval = await approvals.get(id);
    if (!approval) throw new NotFoundError(`no approval request has the id ${id}`);
    return approval;
  };

  /** The rules first; a void request is stored as void before the 409, so it leaves the pending list. */
  const decided = async (id: string, verdict: Decision['verdict'], comment: string, actor: Actor) => {
    const approval = await stored(id);
    const currentHash = await kinds[approval.kind].currentHash(approval.target);
    const outcome = decideApproval(approval, { verdict, by: actor, comment, at: clock.now(), currentHash });
    if (outcome.kind === 'refused') {
      if (outcome.rule === 'self-approval') throw new ForbiddenError(`self-approval: ${outcome.message}`);
      throw new ConflictError(outcome.message);
    }
    if (outcome.kind === 'void') {
      await approvals.decide(outcome.approval);
      throw new ConflictError(outcome.message);
    }
    return outcome.approval;
  };

  const alreadyDecided = (id: string) =>
    new ConflictError(`approval ${id} is already decided: someone else decided it meanwhile`);

  return {
    listApprovalRequests: async ({ query: { status } }) =>
      jsonResponse(200, { approvals: await approvals.list(status) }),
    getApprovalRequest: async ({ params: { id } }) => jsonResponse(200, await stored(id)),
    approveApprovalRequest: async ({ params: { id }, body: { comment }, actor }) => {
      const approval = await decided(id, 'approved', comment, actor);
      // The checklist runs again first: one that fails now answers 409 with its items and leaves the request
      // pending, to approve once fixed (a setting, a segment, a coupon pool; an edited template voids it above).
      const prepared = await kinds[approval.kind].prepare(approval);
      if (prepared.refused.length > 0) {
        return checklistRefusal(prepared.refused, 'fix them and approve again; the request stays pending');
      }
      // The decision is written before anything is sent: of two people deciding at once (an approval and a
      // rejection), only the one written acts, and the other learns it came second.
      if (!(await approvals.decide(approval))) throw alreadyDecided(id);
      const result = await prepared.carryOut();
      return jsonResponse(200, { approval, result: JSON.parse(String(result.body)) });
    },
    rejectApprovalRequest: async ({ params: { id }, body: { comment }, actor }) => {
      const approval = await decided(id, 'rejected', comment, actor);
      if (!(await approvals.decide(approval))) throw alreadyDecided(id);
      return jsonResponse(200, { approval });
    },
  } satisfies SomeImplementations;
}
