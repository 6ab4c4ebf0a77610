// Admin route implementations for approvals: list and read the requests, approve (which sends or activates as
// requested) or reject. The deciding rules are in core/approvals/decideApproval.ts.

import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Approval } from '../../core/approvals/approval.js';
import { decideApproval, type Decision } from '../../core/approvals/decideApproval.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import type { Actor } from '../../core/team/roles.js';
import { jsonResponse } from '../middleware/httpErrorResponses.js';
import { broadcastSending } from './broadcastRoutes.js';
import type { AdminDeps } from './deps.js';
import type { SomeImplementations } from './dispatch.js';
import { journeyActivation } from './journeyRoutes.js';

/** What an approval is about, by kind: its content hash now, and how to carry it out. */
type Approvable = {
  currentHash(target: Approval['target']): Promise<string | undefined>;
  perform(approval: Approval): Promise<APIGatewayProxyStructuredResultV2>;
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
      perform: async ({ target, forced }) => {
        const broadcast = await deps.broadcasts.get(target.id);
        if (!broadcast) throw new NotFoundError(`no broadcast has the id ${target.id}`);
        return sending.send(broadcast, forced);
      },
    },
    journeyActivate: {
      currentHash: async ({ id, version }) => {
        const head = await deps.journeys.head(id);
        const found = head && (await deps.journeys.version(id, version ?? head.latestVersion));
        return head && found ? activation.contentHash({ head, version: found }) : undefined;
      },
      perform: async ({ target, forced }) => {
        // The checklist runs again: a template may have changed since the request.
        const checked = await activation.check(target.id, target.version);
        if (checked.failing.length > 0 && !forced) {
          return checklistRefusalAtApproval(checked.failing.map((i) => i.id));
        }
        return jsonResponse(200, await activation.activate(checked, forced));
      },
    },
  };
}

function checklistRefusalAtApproval(failing: string[]) {
  return jsonResponse(409, {
    success: false,
    error: { code: 'checklist_failed', message: `the checklist fails now: ${failing.join(', ')}` },
  });
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

  const lostRace = (id: string) => new ConflictError(`approval ${id} was decided by someone else meanwhile`);

  return {
    listApprovalRequests: async ({ query: { status } }) =>
      jsonResponse(200, { approvals: await approvals.list(status) }),
    getApprovalRequest: async ({ params: { id } }) => jsonResponse(200, await stored(id)),
    approveApprovalRequest: async ({ params: { id }, body: { comment }, actor }) => {
      const approval = await decided(id, 'approved', comment, actor);
      // Carried out before the decision is written: a checklist that fails now leaves the request pending, to
      // approve once fixed. Two approvers at once cannot both send: a broadcast starts only from a draft, and a
      // second activation of the same version changes nothing; the decision below is written exactly once.
      const result = await kinds[approval.kind].perform(approval);
      if ((result.statusCode ?? 200) >= 400) return result;
      if (!(await approvals.decide(approval))) throw lostRace(id);
      return jsonResponse(200, { approval, result: JSON.parse(String(result.body)) });
    },
    rejectApprovalRequest: async ({ params: { id }, body: { comment }, actor }) => {
      const approval = await decided(id, 'rejected', comment, actor);
      if (!(await approvals.decide(approval))) throw lostRace(id);
      return jsonResponse(200, { approval });
    },
  } satisfies SomeImplementations;
}
