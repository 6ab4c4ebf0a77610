// The admin's view of a customer's points (the ledger as of now) and a manual adjustment (goodwill, a correction).

import { ConflictError, NotFoundError } from '../errors.js';
import type { SettingsStore } from '../delivery/ports.js';
import type { UserKey } from '../events/userKey.js';
import type { ProfileStore } from '../profiles/ports.js';
import { findProfile } from '../profiles/updateProfiles.js';
import { applyPointsChange, expireProfilePoints, loyaltyAt } from './loyalty.js';
import type { PointsEntry } from './pointsLedger.js';

export type PointsView = {
  /** The balance now: points expired since the profile's last write are left out. */
  points: number;
  tier?: string;
  tierSince?: string;
  revenue12m: number;
  /** Oldest first. */
  entries: PointsEntry[];
  condensed: number;
};

export type PointsDeps = { profiles: ProfileStore; settings: Pick<SettingsStore, 'get'> };

const MAX_WRITE_ATTEMPTS = 5;

export async function viewPoints(userKey: UserKey, deps: Pick<PointsDeps, 'profiles'>, now: Date): Promise<PointsView> {
  const found = await findProfile(userKey, (k) => deps.profiles.get(k));
  if (!found) throw new NotFoundError(`no profile for ${userKey.slice(2)}`);
  return pointsView(found.profile, now);
}

function pointsView(profile: Parameters<typeof loyaltyAt>[0], now: Date): PointsView {
  return {
    ...loyaltyAt(profile, now.toISOString()),
    entries: profile?.loyalty?.entries ?? [],
    condensed: profile?.loyalty?.condensed ?? 0,
  };
}

export type Adjustment = { points: number; reason: string; source: string };

/**
 * Adds (positive) or takes (negative) points by hand. `source` is the caller's idempotency key: the same
 * adjustment sent twice moves points once. A take beyond the balance is a conflict and changes nothing.
 */
export async function adjustPoints(
  userKey: UserKey,
  adjustment: Adjustment,
  deps: PointsDeps,
  now: Date,
): Promise<{ outcome: 'earned' | 'spent' | 'duplicate'; view: PointsView }> {
  const { loyalty } = await deps.settings.get();
  if (!loyalty.enabled) throw new ConflictError('the loyalty programme is off (settings: loyalty.enabled)');
  const at = now.toISOString();
  const source = `admin:${adjustment.source}`;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const found = await findProfile(userKey, (k) => deps.profiles.get(k));
    if (!found) throw new NotFoundError(`no profile for ${userKey.slice(2)}`);
    const draft = structuredClone(found.profile);
    const outcome = applyPointsChange(draft, { by: adjustment.points, source, at, reason: adjustment.reason }, loyalty);
    if (outcome.kind === 'refused') throw new ConflictError(outcome.reason);
    if (outcome.kind === 'duplicate' || outcome.kind === 'nothing') {
      return { outcome: 'duplicate', view: pointsView(found.profile, now) };
    }
    expireProfilePoints(draft, at, loyalty);
    draft.updatedAt = at > draft.updatedAt ? at : draft.updatedAt;
    const written = await deps.profiles.write({ profile: draft, expectedVersion: found.version, tombstones: [] });
    if (written === 'written') return { outcome: outcome.kind, view: pointsView(draft, now) };
  }
  throw new ConflictError(`the profile of ${userKey.slice(2)} kept changing; try again`);
}
