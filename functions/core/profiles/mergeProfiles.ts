// Identity resolution: folds an anonymous (or aliased) profile into the known one it turned out to be.

import type { UserKey } from '../events/userKey.js';
import { addEventCount } from './eventCounts.js';
import { PROFILE_LIMITS, type Profile } from './profile.js';

/**
 * Returns `into` with `from` merged: counters summed, traits merged (the known profile's values win),
 * channels and consent combined (the newer consent wins), and `from`'s keys now resolving to `into`.
 */
export function mergeProfiles(into: Profile, from: Profile): Profile {
  const merged = structuredClone(into);
  const a = merged.computed;
  const b = from.computed;

  merged.traits = { ...from.traits, ...into.traits };
  merged.channels.email ??= from.channels.email;
  merged.channels.phone ??= from.channels.phone;
  const tokens = new Map([...from.channels.push, ...into.channels.push].map((t) => [t.token, t]));
  merged.channels.push = [...tokens.values()]
    .sort((x, y) => x.updatedAt.localeCompare(y.updatedAt))
    .slice(-PROFILE_LIMITS.pushTokens);
  merged.timezone ??= from.timezone;
  merged.locale ??= from.locale;
  for (const [channel, consent] of Object.entries(from.consent)) {
    const key = channel as keyof Profile['consent'];
    const current = merged.consent[key];
    if (!current || current.at < consent.at) merged.consent[key] = consent;
  }
  merged.groupIds = [...new Set([...into.groupIds, ...from.groupIds])].slice(-PROFILE_LIMITS.groupIds);
  merged.anonymousIds = [...new Set([...into.anonymousIds, ...from.anonymousIds])].slice(-PROFILE_LIMITS.mergedKeys);
  merged.mergedKeys = [...new Set<UserKey>([...into.mergedKeys, from.userKey, ...from.mergedKeys])].slice(
    -PROFILE_LIMITS.mergedKeys,
  );
  merged.appliedPositions = { ...from.appliedPositions, ...into.appliedPositions };

  if (b.firstSeen < a.firstSeen) a.firstSeen = b.firstSeen;
  if (b.lastSeen > a.lastSeen) a.lastSeen = b.lastSeen;
  for (const [name, n] of Object.entries(b.eventCounts)) addEventCount(a.eventCounts, name, n);
  a.orders += b.orders;
  a.revenue = Math.round((a.revenue + b.revenue) * 100) / 100;
  a.averageOrderValue = a.orders > 0 ? Math.round((a.revenue / a.orders) * 100) / 100 : 0;
  a.firstOrderAt = minDefined(a.firstOrderAt, b.firstOrderAt);
  a.lastOrderAt = maxDefined(a.lastOrderAt, b.lastOrderAt);
  if (b.lastViewedProduct && (!a.lastViewedProduct || a.lastViewedProduct.at < b.lastViewedProduct.at)) {
    a.lastViewedProduct = b.lastViewedProduct;
  }
  // The cart is one basket, not a sum: the one touched last is the customer's cart now.
  if ((b.cart.updatedAt ?? '') > (a.cart.updatedAt ?? '')) a.cart = b.cart;
  if (from.createdAt < merged.createdAt) merged.createdAt = from.createdAt;
  return merged;
}

function minDefined(x?: string, y?: string): string | undefined {
  if (x === undefined) return y;
  if (y === undefined) return x;
  return x < y ? x : y;
}

function maxDefined(x?: string, y?: string): string | undefined {
  if (x === undefined) return y;
  if (y === undefined) return x;
  return x > y ? x : y;
}
