// The workspace's loyalty programme: how orders earn points, when points expire, and the tiers by revenue.

import * as z from 'zod';

export const loyaltyTierSchema = z
  .object({
    name: z.string().trim().min(1).max(50),
    /** Revenue of the last 12 months (this month and the 11 before, in the workspace's zone) that reaches the tier. */
    minRevenue12m: z.number().min(0),
  })
  .strict();

export const loyaltySettingsSchema = z
  .object({
    /** Off by default: until a team turns it on, orders earn nothing and the points trait is a plain number. */
    enabled: z.boolean().default(false),
    /** The trait journeys' `update-profile` steps add points to; with loyalty on it mirrors the ledger's balance. */
    pointsTrait: z.string().min(1).max(100).default('points'),
    /** Points per unit of order revenue, rounded down: 0.01 is one point per 100 KRW. */
    earnRate: z.number().min(0).max(1).default(0.01),
    /** Days after which earned points lapse, counted from when they were earned. */
    pointsExpireAfterDays: z.number().int().min(1).max(3650).default(365),
    /** Highest first or in any order: a customer holds the highest tier whose threshold they reach. */
    tiers: z
      .array(loyaltyTierSchema)
      .max(20)
      .default([])
      .refine((tiers) => new Set(tiers.map((t) => t.name)).size === tiers.length, 'tier names must differ'),
  })
  .strict();

export type LoyaltySettings = z.infer<typeof loyaltySettingsSchema>;
export type LoyaltyTier = z.infer<typeof loyaltyTierSchema>;
