// The table's admin routes for broadcasts: drafts, the pre-send checklist, test sends, send and cancel.

import * as z from 'zod';
import { type Broadcast, broadcastSchema } from '../../core/broadcasts/broadcast.js';
import { adminRoutes } from '../contract.js';
import { approvalRequested } from './approvals.js';
import { type Assert, checklist, checklistRefusal, forceSchema, idParams, type Same } from '../shapes.js';

const definition = broadcastSchema.meta({ id: 'BroadcastDefinition' });
const broadcast = z
  .object({
    definition,
    status: z.enum(['draft', 'sending', 'enqueued', 'cancelled']),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().meta({ description: 'The last edit of the definition.' }),
    testSend: z
      .object({ at: z.iso.datetime(), contentHash: z.string(), recipients: z.number() })
      .optional()
      .meta({ description: 'The last test send to the seed list; an edit after it means testing again.' }),
    lastCheck: checklist.optional(),
    forced: z
      .object({ reason: z.string(), at: z.iso.datetime(), failing: z.array(z.string()) })
      .optional()
      .meta({ description: 'Sent although the checklist failed: why, when, and which items failed.' }),
    sendingSince: z.iso.datetime().optional(),
    cancelledAt: z.iso.datetime().optional(),
    progress: z
      .object({
        chains: z.number(),
        chainsDone: z.number(),
        pages: z.number(),
        enqueued: z.number(),
        heldOut: z.number(),
      })
      .meta({ description: 'The fan-out’s page chains, how many have ended, and what they enqueued.' }),
  })
  .meta({ id: 'Broadcast' });

// The schema above describes what the handlers return; this fails to compile when the domain type moves.
export type ResponseSchemasMatch = [Assert<Same<z.output<typeof broadcast>, Broadcast>>];

export const broadcastRoutes = adminRoutes({
  createBroadcast: {
    method: 'POST',
    path: '/admin/v1/broadcasts',
    permission: 'broadcasts:write',
    tag: 'broadcasts',
    summary: 'Create a broadcast',
    description: 'A draft: one message (or an A/B set with a control group) to a saved segment.',
    body: definition,
    responses: { 201: { description: 'The draft.', schema: broadcast } },
  },
  listBroadcasts: {
    method: 'GET',
    path: '/admin/v1/broadcasts',
    permission: 'broadcasts:read',
    tag: 'broadcasts',
    summary: 'List broadcasts',
    description: 'Every broadcast with its status and progress.',
    responses: { 200: { description: 'The broadcasts.', schema: z.object({ broadcasts: z.array(broadcast) }) } },
  },
  getBroadcast: {
    method: 'GET',
    path: '/admin/v1/broadcasts/{id}',
    permission: 'broadcasts:read',
    tag: 'broadcasts',
    summary: 'Read a broadcast',
    description: 'The broadcast, its progress and its last checklist.',
    params: idParams,
    responses: {
      200: { description: 'The broadcast.', schema: broadcast.extend({ lastCheck: checklist.optional() }) },
    },
  },
  updateBroadcast: {
    method: 'PUT',
    path: '/admin/v1/broadcasts/{id}',
    permission: 'broadcasts:write',
    tag: 'broadcasts',
    summary: 'Change a draft broadcast',
    description: 'Only a draft can change; a test send made before the change no longer counts.',
    params: idParams,
    body: definition,
    responses: { 200: { description: 'The draft.', schema: broadcast } },
  },
  deleteBroadcast: {
    method: 'DELETE',
    path: '/admin/v1/broadcasts/{id}',
    permission: 'broadcasts:write',
    tag: 'broadcasts',
    summary: 'Delete a draft broadcast',
    description: 'A broadcast that was sent is cancelled instead.',
    params: idParams,
    responses: { 204: { description: 'Deleted.' } },
  },
  checkBroadcast: {
    method: 'POST',
    path: '/admin/v1/broadcasts/{id}/check',
    permission: 'broadcasts:read',
    tag: 'broadcasts',
    summary: 'Run the pre-send checklist',
    description:
      'Audience by channel and why some are skipped, sample renders, personalisation, links, sending window ' +
      'and the test send; nothing is sent.',
    params: idParams,
    responses: { 200: { description: 'The checklist.', schema: checklist } },
  },
  testSendBroadcast: {
    method: 'POST',
    path: '/admin/v1/broadcasts/{id}/test-send',
    permission: 'messages:test-send',
    tag: 'broadcasts',
    summary: 'Send a broadcast to the seed list',
    description: 'Every variant on every channel of its chain, to the seed list in the settings.',
    params: idParams,
    responses: {
      200: {
        description: 'The test send and each message’s result.',
        schema: z.object({
          testSend: z.object({ at: z.iso.datetime(), contentHash: z.string(), recipients: z.number() }),
          results: z.array(z.looseObject({ variant: z.string(), channel: z.string(), to: z.string() })),
        }),
      },
    },
  },
  sendBroadcast: {
    method: 'POST',
    path: '/admin/v1/broadcasts/{id}/send',
    permission: 'broadcasts:send',
    tag: 'broadcasts',
    summary: 'Send a broadcast',
    description: 'Runs the checklist again and sends if every item passes, or if `force` gives a reason.',
    params: idParams,
    body: z
      .object({ force: forceSchema.optional().meta({ description: 'Send although the checklist fails, saying why.' }) })
      .strict()
      .default({}),
    bodyOptional: true,
    responses: {
      202: {
        description:
          'Sending: the broadcast and the times of its waves; or, with `settings.approvals.broadcastSend` on, ' +
          'the approval request that holds it.',
        schema: z.union([broadcast.extend({ waves: z.array(z.iso.datetime()) }), approvalRequested]),
      },
      409: { description: 'The checklist failed, or the broadcast is not a draft.', schema: checklistRefusal },
    },
  },
  cancelBroadcast: {
    method: 'POST',
    path: '/admin/v1/broadcasts/{id}/cancel',
    permission: 'broadcasts:send',
    tag: 'broadcasts',
    summary: 'Cancel a broadcast',
    description: 'Messages not yet handed to a provider are dropped.',
    params: idParams,
    responses: { 200: { description: 'The cancelled broadcast.', schema: broadcast } },
  },
});
