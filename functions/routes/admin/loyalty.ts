// The table's admin routes for loyalty: a customer's points ledger and tier, and a manual adjustment.

import * as z from 'zod';
import type { PointsView } from '../../core/loyalty/adjustPoints.js';
import { adminRoutes } from '../contract.js';
import type { Assert, Same } from '../shapes.js';

const userParams = z.object({ userId: z.string().min(1).meta({ description: 'The customer’s userId.' }) });
const idTypeQuery = z.object({
  idType: z
    .enum(['user', 'anonymous'])
    .default('user')
    .meta({ description: '`anonymous`: the path names an anonymousId rather than a userId.' }),
});

export const pointsEntry = z
  .object({
    points: z.number().meta({ description: 'Earned (+), spent or expired (−); 0 for a refused spend.' }),
    reason: z.string(),
    source: z.string().meta({ description: 'The order’s messageId, the journey step’s key or `admin:<key>`.' }),
    at: z.iso.datetime({ offset: true }),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
    remaining: z.number().optional().meta({ description: 'Of earned points, what is not spent or expired yet.' }),
    refused: z.string().optional().meta({ description: 'Why a spend moved nothing.' }),
  })
  .meta({ id: 'PointsEntry' });

const pointsView = z
  .object({
    points: z.number().meta({ description: 'The balance now (expired points left out).' }),
    tier: z.string().optional(),
    tierSince: z.iso.datetime({ offset: true }).optional(),
    revenue12m: z.number().meta({ description: 'Revenue of the 12 months up to the last order.' }),
    entries: z.array(pointsEntry).meta({ description: 'Oldest first; at most 200 (older settled ones condensed).' }),
    condensed: z.number().int().meta({ description: 'Entries condensed away; the balance still counts them.' }),
  })
  .meta({ id: 'Points', description: 'A customer’s loyalty points ledger and tier.' });

// The schemas above describe what the handlers return; these fail to compile when the domain types move.
export type LoyaltySchemasMatch = [Assert<Same<z.output<typeof pointsView>, PointsView>>];

export const loyaltyRoutes = adminRoutes({
  getPoints: {
    method: 'GET',
    path: '/admin/v1/profiles/{userId}/points',
    permission: 'profiles:read',
    tag: 'customers',
    summary: 'A customer’s loyalty points and tier',
    description:
      'The balance now, the tier from rolling 12-month revenue and the ledger: every earning (orders, journey ' +
      'steps, adjustments) with its expiry, every spend and expiry.',
    params: userParams,
    query: idTypeQuery,
    responses: { 200: { description: 'The ledger.', schema: pointsView } },
  },
  adjustPoints: {
    method: 'POST',
    path: '/admin/v1/profiles/{userId}/points',
    permission: 'loyalty:adjust',
    tag: 'customers',
    summary: 'Add or take points by hand',
    description:
      'Adds (`points` > 0, expiring like earned points) or takes (`points` < 0, soonest-expiring first) points. ' +
      '`source` is your idempotency key: the same adjustment sent again moves nothing. Taking more than the balance ' +
      'answers 409 and changes nothing; so does any adjustment while the loyalty programme is off.',
    params: userParams,
    query: idTypeQuery,
    body: z
      .object({
        points: z
          .number()
          .int()
          .min(-10_000_000)
          .max(10_000_000)
          .refine((n) => n !== 0, 'not zero'),
        reason: z.string().trim().min(1).max(200),
        source: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'letters, digits, . _ : -, at most 100'),
      })
      .strict(),
    responses: {
      200: {
        description: 'What happened (`duplicate`: this source was applied before) and the ledger after it.',
        schema: z.object({ outcome: z.enum(['earned', 'spent', 'duplicate']), ledger: pointsView }),
      },
    },
  },
});
