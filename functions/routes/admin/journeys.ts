// The table's admin routes for journeys and segments: versions, lifecycle, validation, simulation, entry.

import * as z from 'zod';
import { JOURNEY_STATUSES, journeyDefinitionSchema } from '../../core/journeys/definition.js';
import { type JourneyInstance, triggerSchema } from '../../core/journeys/instance.js';
import { type SimulationReport, simulationInputSchema } from '../../core/journeys/simulate.js';
import { conditionSchema } from '../../core/segments/condition.js';
import { segmentSchema } from '../../core/segments/segment.js';
import { approvalRequested } from './approvals.js';
import { adminRoutes } from '../contract.js';
import {
  type Assert,
  checklist,
  checklistRefusal,
  errorBody,
  forceSchema,
  idParams,
  type Same,
  userKey,
} from '../shapes.js';

const definition = journeyDefinitionSchema.meta({ id: 'JourneyDefinition' });
const head = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(JOURNEY_STATUSES),
    latestVersion: z.number().int(),
    activeVersion: z.number().int().optional(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'JourneyHead', description: 'Which version is live and in what state.' });
const headWithDefinition = head.extend({ definition });
const problem = z.object({ path: z.string(), message: z.string() });
const validation = z.object({ valid: z.boolean(), problems: z.array(problem) }).meta({ id: 'JourneyValidation' });
const invalid = {
  description: 'The definition is invalid (`code` is `invalid_journey`; `field` is the first problem’s path).',
  schema: errorBody,
};
const segment = segmentSchema.meta({ id: 'Segment' });

const instanceStatus = z.enum(['active', 'completed', 'converted', 'exited']);
const waiting = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('time'), until: z.iso.datetime(), token: z.number().int() }),
  z.object({
    kind: z.literal('event'),
    event: z.string(),
    where: conditionSchema.optional(),
    until: z.iso.datetime().meta({ description: 'When the wait gives up.' }),
    token: z.number().int(),
  }),
]);
const instance = z
  .object({
    userKey,
    journeyId: z.string(),
    version: z.number().int(),
    instanceId: z.string(),
    status: instanceStatus,
    step: z.string().meta({ description: 'The step the customer is at (or ended at).' }),
    revision: z.number().int(),
    waits: z.number().int(),
    waiting: waiting.optional().meta({ description: 'What the customer waits for, and until when.' }),
    variant: z.string().optional(),
    enteredAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().optional(),
    endReason: z.string().optional(),
    trigger: triggerSchema,
    sends: z
      .record(z.string(), z.string())
      .meta({ description: 'Send step → the idempotency key of the message it asked for.' }),
    history: z
      .array(z.object({ step: z.string(), at: z.iso.datetime(), note: z.string().optional() }))
      .meta({ description: 'The steps run, oldest first (bounded).' }),
  })
  .meta({ id: 'JourneyInstance' });

const simulation = z
  .object({
    entered: z.boolean(),
    steps: z.array(z.object({ at: z.iso.datetime(), step: z.string(), type: z.string() })),
    sends: z.array(
      z.object({
        at: z.iso.datetime(),
        step: z.string(),
        channel: z.string(),
        template: z.string(),
        category: z.string(),
        variant: z.string().optional(),
      }),
    ),
    status: z.enum([...instanceStatus.options, 'not-entered']),
    endReason: z.string().optional(),
    pendingWakeUp: z.iso.datetime().optional().meta({ description: 'When the run would go on, past the timeline.' }),
  })
  .meta({ id: 'JourneySimulation' });

// The schemas above describe what the handlers return; these fail to compile when the domain types move.
export type ResponseSchemasMatch = [
  Assert<Same<z.output<typeof instance>, JourneyInstance>>,
  Assert<Same<z.output<typeof simulation>, SimulationReport>>,
];

export const journeyRoutes = adminRoutes({
  createJourney: {
    method: 'POST',
    path: '/admin/v1/journeys',
    permission: 'journeys:write',
    tag: 'journeys',
    summary: 'Create a journey',
    description: 'Saves version 1 as a draft. The definition is checked as a whole: a 422 lists every problem.',
    body: definition,
    checkedBy: 'use-case',
    responses: { 201: { description: 'The new journey.', schema: headWithDefinition }, 422: invalid },
  },
  listJourneys: {
    method: 'GET',
    path: '/admin/v1/journeys',
    permission: 'journeys:read',
    tag: 'journeys',
    summary: 'List journeys',
    description: 'Every journey’s head: status and versions.',
    responses: { 200: { description: 'The journeys.', schema: z.object({ journeys: z.array(head) }) } },
  },
  validateJourneyDraft: {
    method: 'POST',
    path: '/admin/v1/journeys/validate',
    permission: 'journeys:read',
    tag: 'journeys',
    summary: 'Validate a journey definition',
    description: 'Checks a definition without saving it; every problem with its path, for an editor to point at.',
    body: definition,
    checkedBy: 'use-case',
    responses: { 200: { description: 'Valid, or the problems.', schema: validation } },
  },
  getJourney: {
    method: 'GET',
    path: '/admin/v1/journeys/{id}',
    permission: 'journeys:read',
    tag: 'journeys',
    summary: 'Read a journey',
    description: 'The head and one version’s definition (the latest unless `version` says otherwise).',
    params: idParams,
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    responses: {
      200: { description: 'The journey.', schema: headWithDefinition.extend({ version: z.number().int() }) },
    },
  },
  updateJourney: {
    method: 'PUT',
    path: '/admin/v1/journeys/{id}',
    permission: 'journeys:write',
    tag: 'journeys',
    summary: 'Save a new version of a journey',
    description: 'Stores the definition as the next version; running customers keep the version they started on.',
    params: idParams,
    body: definition,
    checkedBy: 'use-case',
    responses: { 200: { description: 'The journey.', schema: headWithDefinition }, 422: invalid },
  },
  deleteJourney: {
    method: 'DELETE',
    path: '/admin/v1/journeys/{id}',
    permission: 'journeys:write',
    tag: 'journeys',
    summary: 'Archive a journey',
    description: 'Same as archive: versions are kept for the record.',
    params: idParams,
    responses: { 200: { description: 'The archived journey.', schema: head } },
  },
  listJourneyVersions: {
    method: 'GET',
    path: '/admin/v1/journeys/{id}/versions',
    permission: 'journeys:read',
    tag: 'journeys',
    summary: 'A journey’s versions',
    description: 'Every stored version with its definition.',
    params: idParams,
    responses: {
      200: {
        description: 'The versions.',
        schema: z.object({
          versions: z.array(z.object({ version: z.number().int(), createdAt: z.iso.datetime(), definition })),
        }),
      },
    },
  },
  activateJourney: {
    method: 'POST',
    path: '/admin/v1/journeys/{id}/activate',
    permission: 'journeys:write',
    tag: 'journeys',
    summary: 'Activate a journey',
    description:
      'Runs the content checklist on every send step (sample renders, personalisation, links) and activates ' +
      'the version if it passes, or if `force` gives a reason.',
    params: idParams,
    body: z
      .object({
        version: z.number().int().min(1).optional(),
        force: forceSchema.optional().meta({ description: 'Activate although the checklist fails, saying why.' }),
      })
      .strict()
      .default({}),
    bodyOptional: true,
    responses: {
      200: {
        description: 'The active journey and its checklist.',
        schema: head.extend({ checklist: checklist.omit({ at: true }).extend({ forced: z.string().optional() }) }),
      },
      202: {
        description: 'With `settings.approvals.journeyActivate` on: the approval request that holds it.',
        schema: approvalRequested,
      },
      409: { description: 'The checklist failed.', schema: checklistRefusal },
      422: { description: 'A referenced segment does not exist.', schema: errorBody },
    },
  },
  pauseJourney: {
    method: 'POST',
    path: '/admin/v1/journeys/{id}/pause',
    permission: 'journeys:write',
    tag: 'journeys',
    summary: 'Pause a journey',
    description: 'Nobody new enters; waiting customers are held until it is activated again.',
    params: idParams,
    responses: { 200: { description: 'The paused journey.', schema: head } },
  },
  archiveJourney: {
    method: 'POST',
    path: '/admin/v1/journeys/{id}/archive',
    permission: 'journeys:write',
    tag: 'journeys',
    summary: 'Archive a journey',
    description: 'Ends the journey for good; versions are kept for the record.',
    params: idParams,
    responses: { 200: { description: 'The archived journey.', schema: head } },
  },
  validateJourney: {
    method: 'POST',
    path: '/admin/v1/journeys/{id}/validate',
    permission: 'journeys:read',
    tag: 'journeys',
    summary: 'Validate a journey',
    description: 'Checks the given definition, or the stored latest version when the body is empty.',
    params: idParams,
    body: definition.optional(),
    checkedBy: 'use-case',
    responses: { 200: { description: 'Valid, or the problems.', schema: validation } },
  },
  simulateJourney: {
    method: 'POST',
    path: '/admin/v1/journeys/{id}/simulate',
    permission: 'journeys:read',
    tag: 'journeys',
    summary: 'Simulate a journey',
    description:
      'Runs the journey for one customer (stored, or described here) over a timeline of events on a virtual ' +
      'clock; nothing is stored or sent.',
    params: idParams,
    body: simulationInputSchema.extend({ version: z.number().int().min(1).optional() }),
    bodyOptional: true,
    responses: {
      200: {
        description: 'Each step and send on a time axis.',
        schema: simulation.extend({ journeyId: z.string(), version: z.number().int() }),
      },
    },
  },
  enterJourney: {
    method: 'POST',
    path: '/admin/v1/journeys/{id}/enter',
    permission: 'journeys:write',
    tag: 'journeys',
    summary: 'Enter customers into a journey now',
    description: 'For an active journey; `requestId` makes a retried call enter nobody twice.',
    params: idParams,
    body: z
      .object({
        userIds: z.array(z.string().min(1).max(255)).min(1).max(1000),
        requestId: z.string().min(1).max(100).optional(),
      })
      .strict(),
    responses: {
      200: {
        description: 'Per customer: entered, not-eligible, refused or no-profile.',
        schema: z.object({
          results: z.record(z.string(), z.enum(['entered', 'not-eligible', 'refused', 'no-profile'])),
        }),
      },
    },
  },
  listJourneyInstances: {
    method: 'GET',
    path: '/admin/v1/journeys/{id}/instances',
    permission: 'journeys:read',
    tag: 'journeys',
    summary: 'A customer’s runs of a journey',
    description: 'Where the customer is in the journey, and where they were.',
    params: idParams,
    query: z.object({ userId: z.string().min(1) }),
    responses: {
      200: {
        description: 'The instances.',
        schema: z.object({ instances: z.array(instance) }),
      },
    },
  },

  listProfileJourneys: {
    method: 'GET',
    path: '/admin/v1/profiles/{userId}/journeys',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'The journeys a customer is in',
    description:
      'Every run of every journey for this customer (and the identities merged into them): running ones first, then ended, newest first.',
    params: z.object({ userId: z.string().min(1).meta({ description: 'The customer’s userId.' }) }),
    responses: {
      200: { description: 'The instances.', schema: z.object({ instances: z.array(instance) }) },
    },
  },

  createSegment: {
    method: 'POST',
    path: '/admin/v1/segments',
    permission: 'segments:write',
    tag: 'segments',
    summary: 'Create a segment',
    description: 'A saved condition on profiles, used by broadcasts and journeys.',
    body: segment,
    responses: { 201: { description: 'The segment.', schema: segment } },
  },
  listSegments: {
    method: 'GET',
    path: '/admin/v1/segments',
    permission: 'segments:read',
    tag: 'segments',
    summary: 'List segments',
    description: 'Every saved segment.',
    responses: { 200: { description: 'The segments.', schema: z.object({ segments: z.array(segment) }) } },
  },
  getSegment: {
    method: 'GET',
    path: '/admin/v1/segments/{id}',
    permission: 'segments:read',
    tag: 'segments',
    summary: 'Read a segment',
    description: 'One saved segment.',
    params: idParams,
    responses: { 200: { description: 'The segment.', schema: segment } },
  },
  updateSegment: {
    method: 'PUT',
    path: '/admin/v1/segments/{id}',
    permission: 'segments:write',
    tag: 'segments',
    summary: 'Change a segment',
    description: 'Replaces the condition; journeys and broadcasts see it at once.',
    params: idParams,
    body: segment,
    responses: { 200: { description: 'The segment.', schema: segment } },
  },
  deleteSegment: {
    method: 'DELETE',
    path: '/admin/v1/segments/{id}',
    permission: 'segments:write',
    tag: 'segments',
    summary: 'Delete a segment',
    description: 'Removes the saved segment.',
    params: idParams,
    responses: { 204: { description: 'Deleted.' } },
  },
  estimateCondition: {
    method: 'POST',
    path: '/admin/v1/segments/estimate',
    permission: 'segments:read',
    tag: 'segments',
    summary: 'Count a condition before saving it',
    description:
      "Counts the profiles matching a condition that is not saved yet (the console's live estimate while a " +
      'segment is being built); `{ "segment": id }` references resolve to the saved segments. A full pass over profiles.',
    body: z.object({ condition: conditionSchema }).strict(),
    responses: {
      200: {
        description: 'How many match, of how many profiles.',
        schema: z.object({ matching: z.number(), profiles: z.number(), at: z.iso.datetime() }),
      },
    },
  },
  estimateSegment: {
    method: 'POST',
    path: '/admin/v1/segments/{id}/estimate',
    permission: 'segments:read',
    tag: 'segments',
    summary: 'Count a segment',
    description: 'Counts the profiles matching the segment now (a full pass over profiles).',
    params: idParams,
    responses: {
      200: {
        description: 'How many match, of how many profiles.',
        schema: z.object({ segmentId: z.string(), matching: z.number(), profiles: z.number(), at: z.iso.datetime() }),
      },
    },
  },
});
