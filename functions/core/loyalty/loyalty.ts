// A profile's loyalty: what orders and journeys do to its points ledger and tier, and what templates see of it.

import { DateTime } from 'luxon';
import type { StoredEvent } from '../events/storedEvent.js';
import { orderRevenue } from '../profiles/commerce.js';
import type { Profile } from '../profiles/profile.js';
import type { LoyaltySettings } from './loyaltySettings.js';
import {
  balanceAt,
  earnPoints,
  emptyLedger,
  expirePoints,
  hasSource,
  recordRefusal,
  spendPoints,
  type PointsLedger,
  type SpendOutcome,
  type EarnOutcome,
} from './pointsLedger.js';
import { addOrderRevenue, revenue12m, tierFor, type MonthlyRevenue, type TierChange } from './tiers.js';

/** On the profile as `loyalty`: conditions read `loyalty.points`, `loyalty.tier`, `loyalty.revenue12m`. */
export type Loyalty = PointsLedger & {
  tier?: string;
  tierSince?: string;
  revenue12m: number;
  months: MonthlyRevenue;
  lastTierChange?: TierChange;
};

/** What the profile rules need of the workspace settings. */
export type LoyaltyRules = { loyalty: LoyaltySettings; timezone: string };

/**
 * The profile's loyalty, started on first use. Points the trait held before the programme was on (journeys added
 * them as a plain number) open the ledger, expiring like any earned now, so turning loyalty on takes none away.
 */
function loyaltyOf(draft: Profile, settings: LoyaltySettings, at: string): Loyalty {
  if (draft.loyalty) return draft.loyalty;
  const loyalty: Loyalty = { ...emptyLedger(), revenue12m: 0, months: {} };
  const before = draft.traits[settings.pointsTrait];
  if (typeof before === 'number' && Number.isFinite(before) && before > 0) {
    earnPoints(loyalty, {
      points: before,
      reason: 'opening balance',
      source: 'opening-balance',
      at,
      expiresAt: expiryOf(at, settings),
    });
  }
  draft.loyalty = loyalty;
  return loyalty;
}

function expiryOf(at: string, settings: LoyaltySettings): string {
  return DateTime.fromISO(at, { zone: 'utc' }).plus({ days: settings.pointsExpireAfterDays }).toISO()!;
}

/** Lapses the points due by `at` on a working copy (every profile write does, so the balance stays true). */
export function expireProfilePoints(draft: Profile, at: string, settings?: LoyaltySettings): void {
  if (!draft.loyalty) return;
  if (expirePoints(draft.loyalty, at) > 0) mirrorTrait(draft, settings);
}

/**
 * An `Order Completed` on a working copy: points at the earn rate (keyed by the event's messageId), the order's
 * revenue in its month, and the tier the last 12 months reach. A change of tier is kept as `lastTierChange`.
 */
export function applyOrderLoyalty(draft: Profile, event: StoredEvent, rules: LoyaltyRules): void {
  const { loyalty: settings, timezone } = rules;
  const at = event.timestamp;
  const loyalty = loyaltyOf(draft, settings, at);
  // The same order under a new stream position (resent without its original timestamp) counts once here.
  if (hasSource(loyalty, event.messageId)) return;
  const revenue = orderRevenue(event.properties ?? {});
  if (revenue > 0) {
    earnPoints(loyalty, {
      points: revenue * settings.earnRate,
      reason: 'order',
      source: event.messageId,
      at,
      expiresAt: expiryOf(at, settings),
    });
    loyalty.months = addOrderRevenue(loyalty.months, revenue, at, timezone);
  }
  loyalty.revenue12m = revenue12m(loyalty.months, at, timezone);
  const tier = tierFor(loyalty.revenue12m, settings.tiers);
  if (tier !== loyalty.tier) {
    loyalty.lastTierChange = {
      ...(loyalty.tier !== undefined ? { from: loyalty.tier } : {}),
      ...(tier !== undefined ? { to: tier } : {}),
      at,
      source: event.messageId,
      revenue12m: loyalty.revenue12m,
    };
    if (tier === undefined) delete loyalty.tier;
    else loyalty.tier = tier;
    loyalty.tierSince = at;
  }
  mirrorTrait(draft, settings);
}

/**
 * A journey step's change to the points trait on a working copy: added points are earned, subtracted points are
 * spent (a spend beyond the balance is recorded as refused and moves nothing). `source` is the step's key.
 */
export function applyPointsChange(
  draft: Profile,
  change: { by: number; source: string; at: string; reason: string },
  settings: LoyaltySettings,
): EarnOutcome | SpendOutcome {
  const loyalty = loyaltyOf(draft, settings, change.at);
  let outcome: EarnOutcome | SpendOutcome;
  if (change.by >= 0) {
    outcome = earnPoints(loyalty, { ...change, points: change.by, expiresAt: expiryOf(change.at, settings) });
  } else {
    const spending = { ...change, points: -change.by };
    outcome = spendPoints(loyalty, spending);
    if (outcome.kind === 'refused') recordRefusal(loyalty, spending, outcome.reason);
  }
  mirrorTrait(draft, settings);
  return outcome;
}

/** Templates and the admin API read the balance as of now, which leaves out what expired since the last write. */
export function loyaltyAt(profile: Pick<Profile, 'loyalty'> | undefined, at: string) {
  const loyalty = profile?.loyalty;
  return {
    points: balanceAt(loyalty, at),
    ...(loyalty?.tier !== undefined ? { tier: loyalty.tier } : {}),
    ...(loyalty?.tierSince !== undefined ? { tierSince: loyalty.tierSince } : {}),
    revenue12m: loyalty?.revenue12m ?? 0,
  };
}

/** The points trait shows the ledger's balance, so `traits.points` in existing templates and segments stays true. */
function mirrorTrait(draft: Profile, settings: LoyaltySettings | undefined): void {
  if (settings && draft.loyalty) draft.traits[settings.pointsTrait] = draft.loyalty.points;
}
