// The interfaces core needs from the world; adapters in adapters/aws and adapters/local implement them.

import type { StoredEvent } from './core/events/storedEvent.js';
import type { UserKey } from './core/events/userKey.js';
import type { Profile, ProfileTombstone, StoredProfile } from './core/profiles/profile.js';
import type { Credential, CredentialKind } from './core/credentials/credential.js';
import type { IngestError } from './core/events/ingestError.js';

export interface Clock {
  now(): Date;
}

/** Random, unguessable strings: secrets for keys and ids for messages that came without one. */
export interface RandomSource {
  secret(bytes: number): string;
  id(): string;
}

export interface EventStore {
  /** Stores every event or throws StoreUnavailableError; a retry of the same events is harmless. */
  append(events: StoredEvent[]): Promise<void>;
  /** The newest events first across the given keys (a profile and the identities merged into it). */
  listRecent(userKeys: UserKey[], limit: number): Promise<StoredEvent[]>;
  /** Deletes every event of the key; returns how many. */
  deleteAll(userKey: UserKey): Promise<number>;
}

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
}

export interface CredentialStore {
  findByHash(hash: string): Promise<Credential | undefined>;
  create(credential: Credential): Promise<void>;
  list(kind: CredentialKind): Promise<Credential[]>;
  /** Returns false when no credential of that kind has the id. */
  delete(kind: CredentialKind, id: string): Promise<boolean>;
}

export interface IngestErrorLog {
  record(errors: IngestError[]): Promise<void>;
  listRecent(limit: number): Promise<IngestError[]>;
}

/** Per-user state (journey instances, caps, message log): erased with the customer. */
export interface UserStateStore {
  deleteAll(userKey: UserKey): Promise<number>;
}
