// A journey's update-profile step: set traits and add to numeric ones (loyalty points, stamps).

import type { ProfileUpdate } from '../journeys/instance.js';
import { PROFILE_LIMITS, type Profile } from './profile.js';

/** Returns the same profile object when this update (by its key) was applied before: a retry adds nothing. */
export function applyProfileUpdate(profile: Profile, update: ProfileUpdate, at: string): Profile {
  const applied = profile.appliedUpdates ?? [];
  if (applied.includes(update.key)) return profile;
  const next = structuredClone(profile);
  next.appliedUpdates = [...applied, update.key].slice(-PROFILE_LIMITS.appliedUpdates);
  for (const [trait, value] of Object.entries(update.set)) {
    if (value === null) delete next.traits[trait];
    else next.traits[trait] = value;
  }
  for (const [trait, by] of Object.entries(update.increment)) {
    const current = next.traits[trait];
    next.traits[trait] = (typeof current === 'number' && Number.isFinite(current) ? current : 0) + by;
  }
  next.updatedAt = at > next.updatedAt ? at : next.updatedAt;
  return next;
}
