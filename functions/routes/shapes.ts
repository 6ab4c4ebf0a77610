// Schemas shared by several routes of the table: path parameters, paging, the error body, checklists.

import * as z from 'zod';
import { ERROR_CODES } from '../core/errors.js';

export const idParams = z.object({ id: z.string().min(1).meta({ description: 'The id of the thing.' }) });

/** A profile's key: `u:<userId>` or `a:<anonymousId>`. */
export const userKey = z.templateLiteral([z.enum(['u', 'a']), ':', z.string()]);

/** `true` when two types are the same: a response schema's output against the domain type it describes. */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Assert<T extends true> = T;

export const limitQuery = (max: number, fallback: number) =>
  z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(max)
      .default(fallback)
      .meta({ description: `At most this many (≤ ${max}).` }),
  });

const codes = Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]];

/** Every refusal and failure Retain answers, whatever the route. */
export const errorBody = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.enum(codes).meta({
        description: Object.entries(ERROR_CODES)
          .map(([code, meaning]) => `- \`${code}\`: ${meaning}`)
          .join('\n'),
      }),
      message: z.string().meta({ description: 'What went wrong and, where it can, what to do about it.' }),
      field: z
        .string()
        .optional()
        .meta({ description: 'Where in the request, as `body.steps.wait.delay` or `query.to`.' }),
      permission: z
        .string()
        .optional()
        .meta({ description: 'On `forbidden`: the permission the caller’s role lacks, as `broadcasts:send`.' }),
    }),
  })
  .meta({ id: 'Error', description: 'The body of every error answer; `code` is stable, `message` is for people.' });

export const checklistItem = z
  .object({
    id: z.string().meta({ description: 'audience, samples, personalisation, links, sending-window or test-send.' }),
    passed: z.boolean(),
    summary: z.string(),
    details: z.unknown().optional(),
  })
  .meta({ id: 'ChecklistItem' });

export const checklist = z
  .object({ at: z.iso.datetime(), passed: z.boolean(), items: z.array(checklistItem) })
  .meta({ id: 'Checklist' });

/** 409 with the failing items: what a send or an activation answers until the checklist passes. */
export const checklistRefusal = errorBody
  .extend({ failing: z.array(checklistItem) })
  .meta({ id: 'ChecklistRefusal', description: 'The checklist failed (`code` is `checklist_failed`).' });

/** `force`: going ahead although the checklist fails, with a reason worth keeping. */
export const forceSchema = z
  .object({
    reason: z.string().trim().min(10, 'say why the checklist is overridden (10 characters or more)').max(500),
  })
  .strict();
