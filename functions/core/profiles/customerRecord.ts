// What the admin API shows of a customer, and the right to erasure (PIPA, GDPR): all of it, gone.

import type { EventStore } from '../events/ports.js';
import type { ProfileStore, UserStateStore } from './ports.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { anonymousUserKey, type UserKey } from '../events/userKey.js';
import { publicProfile, type Profile, type PublicProfile } from './profile.js';
import { findProfile } from './updateProfiles.js';

export type ProfileView = PublicProfile & { version: number };

export async function viewProfile(
  userKey: UserKey,
  deps: { profiles: ProfileStore },
): Promise<ProfileView | undefined> {
  const found = await findProfile(userKey, (k) => deps.profiles.get(k));
  if (!found) return undefined;
  return { ...publicProfile(found.profile), version: found.version };
}

/** Recent events of the customer under every key that resolves to them, newest first. */
export async function recentEvents(
  userKey: UserKey,
  limit: number,
  deps: { profiles: ProfileStore; events: EventStore },
): Promise<StoredEvent[] | undefined> {
  const found = await findProfile(userKey, (k) => deps.profiles.get(k));
  if (!found) return undefined;
  return deps.events.listRecent(keysOf(found.profile), limit);
}

export type Erasure = { erased: boolean; profiles: number; events: number; stateItems: number };

/** Deletes the profile, every merged identity, their events and all per-user state. */
export async function eraseCustomer(
  userKey: UserKey,
  deps: { profiles: ProfileStore; events: EventStore; userState: UserStateStore },
): Promise<Erasure> {
  const found = await findProfile(userKey, (k) => deps.profiles.get(k));
  const keys = found ? keysOf(found.profile) : [userKey];
  const [events, stateItems] = await Promise.all([
    Promise.all(keys.map((k) => deps.events.deleteAll(k))),
    Promise.all(keys.map((k) => deps.userState.deleteAll(k))),
  ]);
  // Profile last: if anything above fails, a retry still finds the profile and the keys to erase.
  await deps.profiles.delete(keys);
  const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
  return {
    erased: found !== undefined || sum(events) > 0,
    profiles: found ? keys.length : 0,
    events: sum(events),
    stateItems: sum(stateItems),
  };
}

function keysOf(profile: Profile): UserKey[] {
  return [...new Set<UserKey>([profile.userKey, ...profile.mergedKeys, ...profile.anonymousIds.map(anonymousUserKey)])];
}
