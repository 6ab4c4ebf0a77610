// The interfaces core needs from the world; adapters in adapters/aws and adapters/local implement them.

import type { StoredEvent } from './core/events/storedEvent.js';
import type { UserKey } from './core/events/userKey.js';
import type { Profile, ProfileTombstone, StoredProfile } from './core/profiles/profile.js';
import type { Credential, CredentialKind } from './core/credentials/credential.js';
import type { IngestError } from './core/events/ingestError.js';
import type { JourneyDefinition, JourneyHead, JourneyStatus, JourneyVersion } from './core/journeys/definition.js';
import type { DeliveryRequest, JourneyInstance, MessageOutcome, WakeUp } from './core/journeys/instance.js';
import type { LiveJourney } from './core/journeys/journeyIndex.js';
import type { Segment } from './core/segments/segment.js';

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
  /** Visits every live profile (segment estimates; never on a per-event path). */
  scan(visit: (profile: Profile) => void): Promise<number>;
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

export interface JourneyStore {
  head(id: string): Promise<JourneyHead | undefined>;
  version(id: string, version: number): Promise<JourneyVersion | undefined>;
  versions(id: string): Promise<JourneyVersion[]>;
  /** Stores the definition as a new version (a new journey starts as a draft); returns the new head. */
  saveVersion(definition: JourneyDefinition, now: Date): Promise<JourneyHead>;
  /** Moves the journey to a status; activating pins `activeVersion`. */
  setStatus(id: string, status: JourneyStatus, now: Date, activeVersion?: number): Promise<JourneyHead>;
  list(): Promise<JourneyHead[]>;
  /** Journeys that may have running instances (active or paused), with every version ever activated. */
  live(): Promise<LiveJourney[]>;
}

export interface SegmentStore {
  get(id: string): Promise<Segment | undefined>;
  put(segment: Segment): Promise<void>;
  list(): Promise<Segment[]>;
  delete(id: string): Promise<boolean>;
}

export type ReentryPolicy = JourneyDefinition['reentry'];

export interface InstanceStore {
  /**
   * Creates the instance if the re-entry policy allows: 'exists' when this very instance (same trigger)
   * was created before, 'refused' when the policy says no.
   */
  enter(instance: JourneyInstance, policy: ReentryPolicy, now: Date): Promise<'entered' | 'exists' | 'refused'>;
  get(userKey: UserKey, journeyId: string, instanceId: string): Promise<JourneyInstance | undefined>;
  /** Stores the instance if nobody saved it since `instance.revision - 1`. */
  save(instance: JourneyInstance): Promise<'saved' | 'conflict'>;
  listActive(userKey: UserKey): Promise<JourneyInstance[]>;
  list(userKey: UserKey, journeyId?: string): Promise<JourneyInstance[]>;
}

export interface StepScheduler {
  schedule(wakeUp: WakeUp): Promise<void>;
  cancel(wakeUp: WakeUp): Promise<void>;
}

export interface DeliveryQueue {
  enqueue(request: DeliveryRequest): Promise<void>;
}

export interface MessageOutcomes {
  outcomesOf(userKey: UserKey, idempotencyKeys: string[]): Promise<Record<string, MessageOutcome>>;
}
