// A journey's update-profile step: set traits and add to numeric ones (loyalty points, stamps).

import type { ProfileUpdate } from '../journeys/instance.js';
import { applyPointsChange, expireProfilePoints } from '../loyalty/loyalty.js';
import type { LoyaltySettings } from '../loyalty/loyaltySettings.js';
import { PROFILE_LIMITS, type Profile } from './profile.js';

/**
 * Returns the same profile object when this update (by its key) was applied before: a retry adds nothing. With
 * the loyalty programme on, a change to its points trait goes through the ledger (the step's key is its source).
 */
export function applyProfileUpdate(
  profile: Profile,
  update: ProfileUpdate,
  at: string,
  loyalty?: LoyaltySettings,
): Profile {
  const applied = profile.appliedUpdates ?? [];
  if (applied.includes(update.key)) return profile;
  const next = structuredClone(profile);
  next.appliedUpdates = [...applied, update.key].slice(-PROFILE_LIMITS.appliedUpdates);
  for (const [trait, value] of Object.entries(update.set)) {
    if (value === null) delete next.traits[trait];
    else next.traits[trait] = value;
  }
  const ledgerTrait = loyalty?.enabled ? loyalty.pointsTrait : undefined;
  for (const [trait, by] of Object.entries(update.increment)) {
    if (trait === ledgerTrait) {
      applyPointsChange(next, { by, source: update.key, at, reason: 'journey step' }, loyalty!);
      continue;
    }
    const current = next.traits[trait];
    next.traits[trait] = (typeof current === 'number' && Number.isFinite(current) ? current : 0) + by;
  }
  expireProfilePoints(next, at, loyalty);
  next.updatedAt = at > next.updatedAt ? at : next.updatedAt;
  return next;
}
