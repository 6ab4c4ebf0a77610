// An approval request: a send or an activation held until a second person approves it, with what they are shown.

import * as z from 'zod';
import { ROLES } from '../team/roles.js';

export const APPROVAL_KINDS = ['broadcastSend', 'journeyActivate'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'void'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

const person = z.object({
  kind: z.enum(['token', 'person']),
  id: z.string().meta({ description: 'The API token’s id or the person’s Cognito `sub`.' }),
  name: z.string(),
  role: z.enum(ROLES),
});

export const approvalSchema = z
  .object({
    id: z.string(),
    kind: z.enum(APPROVAL_KINDS),
    target: z.object({
      id: z.string().meta({ description: 'The broadcast’s or the journey’s id.' }),
      version: z.number().int().optional().meta({ description: 'The journey version to activate.' }),
    }),
    requestedBy: person,
    requestedAt: z.iso.datetime(),
    contentHash: z.string().meta({
      description:
        'SHA-256 of the broadcast’s or journey version’s definition and the templates it sends, when asked: an edit to either since voids it.',
    }),
    checklist: z
      .object({
        passed: z.boolean(),
        items: z.array(z.object({ id: z.string(), passed: z.boolean(), summary: z.string() })),
      })
      .meta({
        description: 'The checklist as the requester saw it (each item’s summary; details stay on the target).',
      }),
    forced: z.object({ reason: z.string() }).optional().meta({ description: 'Asked past a failing checklist.' }),
    status: z.enum(APPROVAL_STATUSES),
    decidedBy: person.optional(),
    decidedAt: z.iso.datetime().optional(),
    comment: z.string().optional(),
  })
  .meta({
    id: 'ApprovalRequest',
    description: 'A send or an activation waiting for (or given) a second person’s word.',
  });

export type Approval = z.infer<typeof approvalSchema>;
export type ApprovalPerson = Approval['requestedBy'];
export type ApprovalSnapshot = Approval['checklist'];

/** The team's switch for each kind: off unless turned on in the settings. */
export const approvalSettingsSchema = z
  .object({
    broadcastSend: z.boolean().default(false),
    journeyActivate: z.boolean().default(false),
  })
  .strict();
