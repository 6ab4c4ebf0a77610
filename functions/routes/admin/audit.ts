// The table's admin route for the audit log: every admin write, who made it and what it changed.

import * as z from 'zod';
import type { AuditEntry } from '../../core/audit/auditEntry.js';
import { ROLES } from '../../core/team/roles.js';
import { adminRoutes } from '../contract.js';
import type { Assert, Same } from '../shapes.js';

const definitionChange = z
  .object({
    path: z.string().meta({ description: 'Where in the definition, dotted (`steps.mail.template`).' }),
    change: z.enum(['added', 'removed', 'changed']),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
  })
  .meta({ id: 'DefinitionChange' });

export const auditEntry = z
  .object({
    id: z.string(),
    at: z.iso.datetime({ offset: true }),
    actor: z.object({
      kind: z.enum(['token', 'person']),
      id: z.string().meta({ description: 'The API token’s id or the person’s Cognito `sub`.' }),
      name: z.string(),
      role: z.enum(ROLES),
    }),
    route: z.string().meta({ description: 'The operation (`activateJourney`), as this document names it.' }),
    method: z.string(),
    path: z.string().meta({ description: 'The route’s path template.' }),
    target: z
      .string()
      .optional()
      .meta({
        description:
          'The id the call concerned; for a customer `customer:` and the SHA-256 of `u:<userId>` (or `a:<anonymousId>`), ' +
          'so the log, which outlives an erasure, never names a person.',
      }),
    status: z.number().int().meta({ description: 'The HTTP status the call answered.' }),
    error: z.string().optional(),
    refused: z
      .object({ permission: z.string() })
      .optional()
      .meta({ description: 'The caller’s role lacks this permission: refused (403) before the call ran.' }),
    requestId: z.string().optional(),
    sourceIp: z.string().optional(),
    beforeHash: z.string().optional().meta({ description: 'SHA-256 of the definition (canonical JSON) before.' }),
    afterHash: z.string().optional(),
    changes: z.array(definitionChange).optional().meta({ description: 'At most 100; long values cut.' }),
    changeCount: z.number().int().optional().meta({ description: 'All the changes, when `changes` was cut.' }),
    forced: z.string().optional().meta({ description: 'The reason given to activate or send past the checklist.' }),
    approval: z
      .string()
      .optional()
      .meta({ description: 'The approval request the call created; a decision names it as its `target`.' }),
  })
  .meta({ id: 'AuditEntry', description: 'One admin write.' });

// The schema describes what the handler returns; this fails to compile when the domain type moves.
export type AuditSchemasMatch = [Assert<Same<z.output<typeof auditEntry>, AuditEntry>>];

const time = z.iso.datetime({ offset: true });

export const auditRoutes = adminRoutes({
  listAuditEntries: {
    method: 'GET',
    path: '/admin/v1/audit',
    permission: 'audit:read',
    tag: 'audit',
    summary: 'Every admin write, newest first',
    description:
      'Who (API token or person, name, role) called which write (route, target id), from where (request id, ' +
      'source IP), when, what it answered, and for journeys, templates, segments, broadcasts, the settings and ' +
      'catalog products the definition’s hash before and after with a readable list of what changed. Forced ' +
      'activations and sends carry their reason. Test sends, erasures, token changes and imports are there ' +
      'too. Entries are kept 400 days and nothing in this API edits or deletes one.',
    query: z
      .object({
        actor: z.string().min(1).optional().meta({ description: 'An actor’s id or name.' }),
        target: z.string().min(1).optional().meta({ description: 'A journey’s, template’s, token’s … id.' }),
        route: z.string().min(1).optional().meta({ description: 'An operation name, e.g. `sendBroadcast`.' }),
        from: time.optional().meta({ description: 'Inclusive; default 30 days before `before`.' }),
        before: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}T/, 'an ISO time or an answer’s next')
          .optional()
          .meta({ description: 'Exclusive; default now. An answer’s `next` reads further back.' }),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      })
      .strict(),
    responses: {
      200: {
        description: 'The entries and, when there are more, where to continue.',
        schema: z.object({ entries: z.array(auditEntry), next: z.string().optional() }),
      },
    },
  },
});
