// The profile use case of process-events: one conditional write per customer per stream batch.

import type { ProfileStore, ProfileWrite } from './ports.js';
import { anonymousUserKey, knownUserKey, type UserKey } from '../events/userKey.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { applyEvent, type PositionedEvent } from './applyEvents.js';
import { mergeProfiles } from './mergeProfiles.js';
import { newProfile, type Profile, type StoredProfile } from './profile.js';
import type { LoyaltyRules } from '../loyalty/loyalty.js';

export type UserEvents = { userKey: UserKey; events: PositionedEvent[] };

export type ProfileUpdateResult =
  | {
      userKey: UserKey;
      outcome: 'written' | 'unchanged';
      /** The live profile the events landed on (after identity resolution), before and after them. */
      profileKey: UserKey;
      before?: Profile;
      after: Profile;
      events: PositionedEvent[];
    }
  | { userKey: UserKey; outcome: 'failed'; error: Error; firstPosition: string };

/** What one customer's events do to their profile; `write` is absent when every event was applied before. */
export type ProfilePlan = { write?: ProfileWrite; before?: Profile; after: Profile };

/** A conflict on every attempt means a hot profile; the stream retries the records later. */
export const MAX_WRITE_ATTEMPTS = 5;
const MAX_TOMBSTONE_HOPS = 5;

export class ProfileResolutionError extends Error {}
export class ProfileConflictError extends Error {}

/** Groups stream records by customer, keeping each customer's events in stream order. */
export function groupByUser(events: PositionedEvent[]): UserEvents[] {
  const groups = new Map<UserKey, PositionedEvent[]>();
  for (const e of events) {
    const list = groups.get(e.event.userKey);
    if (list) list.push(e);
    else groups.set(e.event.userKey, [e]);
  }
  return [...groups].map(([userKey, list]) => ({ userKey, events: list }));
}

/**
 * Applies each customer's events to their profile. Customers are independent: one failure is reported
 * with the position of its first event and never stops the others.
 */
export async function updateProfiles(
  groups: UserEvents[],
  deps: { profiles: ProfileStore },
  rules?: LoyaltyRules,
): Promise<ProfileUpdateResult[]> {
  // One BatchGetItem for the whole stream batch instead of one read per customer.
  const prefetched = await deps.profiles.getMany(groups.map((g) => g.userKey));
  return Promise.all(
    groups.map(async (group): Promise<ProfileUpdateResult> => {
      try {
        return await updateProfile(group, deps.profiles, prefetched, rules);
      } catch (error) {
        return {
          userKey: group.userKey,
          outcome: 'failed',
          error: error as Error,
          firstPosition: group.events[0].position,
        };
      }
    }),
  );
}

async function updateProfile(
  group: UserEvents,
  profiles: ProfileStore,
  prefetched: Map<UserKey, StoredProfile>,
  rules: LoyaltyRules | undefined,
): Promise<ProfileUpdateResult> {
  let cache: Map<UserKey, StoredProfile> | undefined = prefetched;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const read = async (key: UserKey) => (cache?.has(key) ? cache.get(key) : profiles.get(key));
    const plan = await planProfileUpdate(group, read, rules);
    const result = {
      userKey: group.userKey,
      profileKey: plan.after.userKey,
      before: plan.before,
      after: plan.after,
      events: group.events,
    };
    if (!plan.write) return { ...result, outcome: 'unchanged' };
    if ((await profiles.write(plan.write)) === 'written') return { ...result, outcome: 'written' };
    cache = undefined; // someone else wrote: read fresh and apply again
  }
  throw new ProfileConflictError(`profile of ${group.userKey} kept changing during ${MAX_WRITE_ATTEMPTS} attempts`);
}

type Read = (key: UserKey) => Promise<StoredProfile | undefined>;

/** Plans the write for one customer's events, or returns undefined when every event was already applied. */
export async function planProfileWrite(
  group: UserEvents,
  read: Read,
  rules?: LoyaltyRules,
): Promise<ProfileWrite | undefined> {
  return (await planProfileUpdate(group, read, rules)).write;
}

export async function planProfileUpdate(group: UserEvents, read: Read, rules?: LoyaltyRules): Promise<ProfilePlan> {
  const { profile, version } = await resolveProfile(group.userKey, group.events[0].event.timestamp, read);
  let draft = structuredClone(profile);
  const tombstones: ProfileWrite['tombstones'] = [];
  let changed = false;

  for (const positioned of group.events) {
    for (const link of identitiesLinkedBy(positioned.event)) {
      if (link === draft.userKey || draft.mergedKeys.includes(link)) continue;
      const other = await read(link);
      if (other?.kind === 'tombstone' && other.tombstone.mergedInto !== draft.userKey) {
        // A shared device already linked to another customer: never move one customer's history to another.
        continue;
      }
      if (other?.kind === 'profile') draft = mergeProfiles(draft, other.profile);
      else draft.mergedKeys = [...draft.mergedKeys, link];
      if (other?.kind !== 'tombstone') {
        tombstones.push({
          tombstone: { userKey: link, mergedInto: draft.userKey },
          expectedVersion: other?.version ?? 0,
        });
      }
      changed = true;
    }
    if (applyEvent(draft, positioned, rules)) changed = true;
  }
  const before = version === 0 ? undefined : profile;
  return changed
    ? { write: { profile: draft, expectedVersion: version, tombstones }, before, after: draft }
    : { before, after: profile };
}

/** Identify (or any call) with both ids links the device; alias links the previous id, whichever kind it was. */
function identitiesLinkedBy(event: StoredEvent): UserKey[] {
  if (event.type === 'alias' && event.previousId !== undefined) {
    return [knownUserKey(event.previousId), anonymousUserKey(event.previousId)];
  }
  if (event.userId !== undefined && event.anonymousId !== undefined) return [anonymousUserKey(event.anonymousId)];
  return [];
}

async function resolveProfile(
  userKey: UserKey,
  firstSeen: string,
  read: Read,
): Promise<{ profile: Profile; version: number }> {
  return (await findProfile(userKey, read)) ?? { profile: newProfile(userKey, firstSeen), version: 0 };
}

/** Follows merges from any of a customer's keys to the live profile (the admin API reads through this too). */
export async function findProfile(
  userKey: UserKey,
  read: Read,
): Promise<{ profile: Profile; version: number } | undefined> {
  let key = userKey;
  for (let hop = 0; hop <= MAX_TOMBSTONE_HOPS; hop++) {
    const stored = await read(key);
    if (!stored) return undefined;
    if (stored.kind === 'profile') return { profile: stored.profile, version: stored.version };
    key = stored.tombstone.mergedInto;
  }
  throw new ProfileResolutionError(`${userKey} resolves through more than ${MAX_TOMBSTONE_HOPS} merges`);
}
