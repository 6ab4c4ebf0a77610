// The table's admin routes for approvals: the requests waiting for a second person, and their decision.

import * as z from 'zod';
import { approvalSchema } from '../../core/approvals/approval.js';
import { adminRoutes } from '../contract.js';
import { checklistRefusal, errorBody, idParams } from '../shapes.js';

export const approval = approvalSchema;

/** What a send or an activation answers while approvals are on: the request, not the act. */
export const approvalRequested = z
  .object({ approval })
  .meta({ id: 'ApprovalRequested', description: 'Sent for approval: nothing happens until another person approves.' });

const decision = z.object({ comment: z.string().trim().max(1000).default('') }).strict();

const decisionResponses = {
  403: { description: 'The requester cannot decide their own request.', schema: errorBody },
  409: {
    description:
      'Already decided; the target or a template it sends changed since the request (the request is now void); or its checklist fails now (the request stays pending; the body lists the failing items).',
    schema: z.union([errorBody, checklistRefusal]),
  },
};

export const approvalRoutes = adminRoutes({
  listApprovalRequests: {
    method: 'GET',
    path: '/admin/v1/approvals',
    permission: 'approvals:read',
    tag: 'approvals',
    summary: 'Approval requests',
    description: 'The pending requests, oldest first; `status=decided` lists the last 100 decided, newest first.',
    query: z.object({ status: z.enum(['pending', 'decided']).default('pending') }).strict(),
    responses: { 200: { description: 'The requests.', schema: z.object({ approvals: z.array(approval) }) } },
  },
  getApprovalRequest: {
    method: 'GET',
    path: '/admin/v1/approvals/{id}',
    permission: 'approvals:read',
    tag: 'approvals',
    summary: 'One approval request',
    description: 'The request, the checklist its requester saw, and its decision once made.',
    params: idParams,
    responses: { 200: { description: 'The request.', schema: approval } },
  },
  approveApprovalRequest: {
    method: 'POST',
    path: '/admin/v1/approvals/{id}/approve',
    permission: 'approvals:decide',
    tag: 'approvals',
    summary: 'Approve: send the broadcast or activate the journey',
    description:
      'Another person than the requester (an owner, or anyone flagged approver) approves; the checklist runs ' +
      'again and the broadcast is sent (or the journey activated) as requested, with the requester’s forced reason.',
    params: idParams,
    body: decision.default({ comment: '' }),
    bodyOptional: true,
    responses: {
      200: {
        description: 'Approved, and what the send or activation answered.',
        schema: z.object({ approval, result: z.unknown() }),
      },
      ...decisionResponses,
    },
  },
  rejectApprovalRequest: {
    method: 'POST',
    path: '/admin/v1/approvals/{id}/reject',
    permission: 'approvals:decide',
    tag: 'approvals',
    summary: 'Reject an approval request',
    description: 'Nothing is sent or activated; the comment tells the requester why.',
    params: idParams,
    body: decision.default({ comment: '' }),
    bodyOptional: true,
    responses: { 200: { description: 'Rejected.', schema: z.object({ approval }) }, ...decisionResponses },
  },
});
