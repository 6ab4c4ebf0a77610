// Loyalty tiers from rolling 12-month revenue: a compact per-month series on the profile, the tier it reaches.

import { DateTime } from 'luxon';
import type { LoyaltyTier } from './loyaltySettings.js';

export const TIER_CHANGED = 'Tier Changed';
export const WINDOW_MONTHS = 12;

/** Revenue by month (`YYYY-MM` in the workspace's zone), only the months of the window: at most 12 keys. */
export type MonthlyRevenue = Record<string, number>;

/** The last change of tier, kept so the `Tier Changed` event can be recorded again, under the same id, on a replay. */
export type TierChange = { from?: string; to?: string; at: string; source: string; revenue12m: number };

export function monthOf(at: string, zone: string): string {
  return DateTime.fromISO(at, { zone }).toFormat('yyyy-LL');
}

/** The first month of the 12-month window that ends with the month of `at`. */
function windowStart(at: string, zone: string): string {
  return DateTime.fromISO(at, { zone })
    .startOf('month')
    .minus({ months: WINDOW_MONTHS - 1 })
    .toFormat('yyyy-LL');
}

/** Adds an order's revenue to its month and drops months that left the window of the latest month held. */
export function addOrderRevenue(months: MonthlyRevenue, revenue: number, at: string, zone: string): MonthlyRevenue {
  const next = { ...months };
  const month = monthOf(at, zone);
  next[month] = Math.round(((next[month] ?? 0) + revenue) * 100) / 100;
  const latest = Object.keys(next).sort().at(-1)!;
  const start = windowStart(`${latest}-01T00:00:00`, zone);
  for (const key of Object.keys(next)) if (key < start) delete next[key];
  return next;
}

/** Revenue of the 12 months ending with the month of `at`. */
export function revenue12m(months: MonthlyRevenue, at: string, zone: string): number {
  const start = windowStart(at, zone);
  const end = monthOf(at, zone);
  let sum = 0;
  for (const [month, revenue] of Object.entries(months)) if (month >= start && month <= end) sum += revenue;
  return Math.round(sum * 100) / 100;
}

/** The highest tier whose threshold the revenue reaches; none when it reaches no tier. */
export function tierFor(revenue: number, tiers: LoyaltyTier[]): string | undefined {
  let best: LoyaltyTier | undefined;
  for (const tier of tiers) {
    if (revenue >= tier.minRevenue12m && (!best || tier.minRevenue12m > best.minRevenue12m)) best = tier;
  }
  return best?.name;
}
