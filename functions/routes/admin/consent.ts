// The table's admin routes for the consent lifecycle: a customer's consent ledger (JSON, or CSV as proof) and the
// upcoming two-yearly re-confirmation notices.

import * as z from 'zod';
import { CONSENT_SOURCES, type ConsentLedgerEntry } from '../../core/profiles/consentLedger.js';
import type { Renewal } from '../../core/profiles/consentRenewal.js';
import { CONSENT_CHANNELS } from '../../core/profiles/profile.js';
import { adminRoutes } from '../contract.js';
import { type Assert, type Same, userKey } from '../shapes.js';

const consentChannel = z.enum(CONSENT_CHANNELS);

const ledgerEntry = z
  .object({
    userKey,
    id: z.string().meta({ description: 'Unique in the customer’s ledger; starts with the time of the change.' }),
    channel: consentChannel,
    change: z.enum(['granted', 'withdrawn']),
    at: z.iso.datetime(),
    source: z.enum(CONSENT_SOURCES).meta({
      description:
        'ingest (an app event), unsubscribe (the one-click link), 080 (the free opt-out line), import, admin, or ' +
        'renewal-notice (the two-yearly re-confirmation was sent; `change` is the consent it reminded of), or ' +
        'renewal-unreachable (it was due but no consented channel could reach the customer; recorded once a cycle).',
    }),
    evidence: z.object({
      eventId: z.string().optional().meta({ description: 'The event that carried the change.' }),
      messageId: z.string().optional().meta({ description: 'The message whose link or 080 number was used.' }),
      ip: z.string().optional(),
      userAgent: z.string().optional(),
      noticeId: z.string().optional().meta({ description: 'The re-confirmation notice’s message id.' }),
    }),
  })
  .meta({ id: 'ConsentLedgerEntry', description: 'One change of consent, as it happened; never rewritten.' });

const renewal = z
  .object({
    userKey,
    userId: z.string().optional(),
    id: z.string(),
    cycle: z.number().int().meta({ description: '1 at two years from the consent, 2 at four …' }),
    consentedAt: z.iso.datetime(),
    dueAt: z.iso.datetime(),
    channels: z.array(z.object({ channel: consentChannel, since: z.iso.datetime() })),
  })
  .meta({ id: 'ConsentRenewal', description: 'A re-confirmation notice the daily job will send.' });

const ledgerCsv = z.string().meta({ description: 'One row per entry, oldest first, every value quoted.' });

// The schemas above describe what the handlers return; these fail to compile when the domain types move.
export type ConsentSchemasMatch = [
  Assert<Same<z.output<typeof ledgerEntry>, ConsentLedgerEntry>>,
  Assert<Same<z.output<typeof renewal>, Renewal>>,
];

export const consentRoutes = adminRoutes({
  getConsentLedger: {
    method: 'GET',
    path: '/admin/v1/profiles/{userId}/consent-ledger',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'A customer’s consent ledger',
    description:
      'Every consent change, oldest first, with its source and evidence (event, message, IP, user agent), and every ' +
      're-confirmation notice sent. `format=csv` gives it as a file to hand over as proof of consent.',
    params: z.object({ userId: z.string().min(1).meta({ description: 'The customer’s userId.' }) }),
    query: z.object({
      idType: z
        .enum(['user', 'anonymous'])
        .default('user')
        .meta({ description: '`anonymous`: the path names an anonymousId rather than a userId.' }),
      format: z.enum(['json', 'csv']).default('json'),
    }),
    responses: {
      200: {
        description: 'The ledger.',
        schema: z.object({ entries: z.array(ledgerEntry) }),
        alternatives: { 'text/csv': ledgerCsv },
      },
    },
  },
  listConsentRenewals: {
    method: 'GET',
    path: '/admin/v1/consent/renewals',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'Upcoming re-confirmation notices',
    description:
      'Customers whose advertising consent reaches two years (or two more since the last notice) in the next ' +
      '`days` days, soonest first; the daily job sends each notice (시행령 제62조의3). Reads every profile.',
    query: z.object({
      days: z.coerce.number().int().min(1).max(366).default(30).meta({ description: 'How far ahead (≤ 366).' }),
    }),
    responses: {
      200: {
        description: 'The notices to come.',
        schema: z.object({ renewals: z.array(renewal) }),
      },
    },
  },
});
