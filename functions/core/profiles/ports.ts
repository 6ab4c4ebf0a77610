// What profile upkeep needs from storage: profiles (with merges) and the per-customer state to erase.

import type { UserKey } from '../events/userKey.js';
import type { Profile, ProfileTombstone, StoredProfile } from './profile.js';

/** One write of a profile update: the profile, plus the tombstones of profiles merged into it. */
export type ProfileWrite = {
  profile: Profile;
  expectedVersion: number;
  tombstones: { tombstone: ProfileTombstone; expectedVersion: number }[];
};

export interface ProfileStore {
  get(userKey: UserKey): Promise<StoredProfile | undefined>;
  getMany(userKeys: UserKey[]): Promise<Map<UserKey, StoredProfile>>;
  /** Writes atomically if every item is still at its expected version; 'conflict' otherwise. */
  write(update: ProfileWrite): Promise<'written' | 'conflict'>;
  delete(userKeys: UserKey[]): Promise<void>;
  /** Visits every live profile (segment estimates; never on a per-event path). */
  scan(visit: (profile: Profile) => void): Promise<number>;
  /** One page of one parallel-scan segment (a broadcast's fan-out); `next` is absent on the last page. */
  scanPage(
    segment: number,
    totalSegments: number,
    limit: number | undefined,
    start?: Record<string, unknown>,
  ): Promise<{ profiles: Profile[]; next?: Record<string, unknown> }>;
}

/** Per-user state (journey instances, caps, message log): erased with the customer. */
export interface UserStateStore {
  deleteAll(userKey: UserKey): Promise<number>;
}
