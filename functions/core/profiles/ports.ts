// What profile upkeep needs from storage: profiles (with merges) and the per-customer state to erase.

import type { UserKey } from '../events/userKey.js';
import type { ArchiveRewritePlan, PartitionRewrite } from './archiveErasure.js';
import type { ConsentLedgerEntry, KeptWithdrawal } from './consentLedger.js';
import type { ErasedCustomer, ErasureRecord, ErasureStep } from './erasure.js';
import type { Profile, ProfileTombstone, StoredProfile } from './profile.js';

/** Which of `of` disjoint parts of all live profiles to read (`index` counts from 0). */
export type AudiencePart = { index: number; of: number };

/** Where a part's reading left off: opaque to core, meaningful only to the store that issued it. */
export type AudienceCursor = string & { readonly __brand: 'AudienceCursor' };

export type AudiencePage = { profiles: Profile[]; next?: AudienceCursor };

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
  /**
   * Many writes of distinct profiles, each on its own condition (one answer per write, in order). The store sends
   * them together where it can: an import's chunk is a hundred profiles, and one request per profile costs more
   * than the writing.
   */
  writeMany(updates: ProfileWrite[]): Promise<('written' | 'conflict')[]>;
  delete(userKeys: UserKey[]): Promise<void>;
  /** Visits every live profile (segment estimates; never on a per-event path). */
  scan(visit: (profile: Profile) => void): Promise<number>;
  /**
   * One page of one part of the audience (a broadcast's fan-out reads the parts side by side); `next` is
   * absent on the last page of the part.
   */
  audiencePage(part: AudiencePart, cursor?: AudienceCursor, limit?: number): Promise<AudiencePage>;
  /**
   * The customers whose profile holds this normalised address (support's "find by e-mail or phone"); several
   * customers may share one. A profile written before the index existed is found after its next write.
   */
  findByAddress(address: { email: string } | { phone: string }, limit?: number): Promise<UserKey[]>;
}

/** Per-user state (journey instances, caps, message log): erased with the customer. */
export interface UserStateStore {
  deleteAll(userKey: UserKey): Promise<number>;
}

/**
 * The customer's copies outside the tables: the event archive, the erased-customer list reports filter by, and
 * (locally) the outbox files and pending messages. Adds to the list first, so reports drop them at once.
 */
export interface CustomerCopies {
  erase(customer: ErasedCustomer, erasureId: string): Promise<ErasureStep[]>;
}

/** Erasure records, shown by `GET /admin/v1/erasures/{id}`. */
export interface ErasureLog {
  save(record: ErasureRecord): Promise<void>;
  get(id: string): Promise<ErasureRecord | undefined>;
  /** Erasures whose archive step is still pending (AWS: the nightly archive rewrite has not run for them yet). */
  pending(): Promise<ErasureRecord[]>;
}

/** The erased-customer list: the hashed keys one erasure added. */
export interface ErasedCustomerList {
  hashes(erasureId: string): Promise<string[]>;
}

/**
 * The event archive as day partitions of objects, for the archive rewrite: which partitions hold whom, what a
 * partition holds now, a rewrite of exactly those objects into a staging folder, and the swap.
 */
export interface ArchivePartitions {
  /** Rows per day partition and customer hash, for these hashes only. */
  affected(hashes: string[]): Promise<{ dt: string; hash: string; rows: number }[]>;
  /** The partition's objects now: the only ones a rewrite reads and replaces. */
  list(dt: string): Promise<string[]>;
  /** Writes the rows of `sources` whose customer is not in `hashes` under `staging`; answers the staged objects. */
  rewrite(input: { dt: string; sources: string[]; hashes: string[]; staging: string }): Promise<string[]>;
  savedPlan(job: string): Promise<ArchiveRewritePlan | undefined>;
  savePlan(job: string, plan: ArchiveRewritePlan): Promise<void>;
  /** Copies the staged objects into the partition under names fixed by job and index, then deletes the sources. */
  swap(job: string, rewrite: PartitionRewrite): Promise<void>;
}

/**
 * The consent ledger, in the customer's per-user state (so it goes with them), append-only: an entry already
 * there is never rewritten.
 */
export interface ConsentLedger {
  /** Appends the entries not yet in the ledger; returns the ones it appended (a replay appends none). */
  append(entries: ConsentLedgerEntry[]): Promise<ConsentLedgerEntry[]>;
  has(userKey: UserKey, id: string): Promise<boolean>;
  /** The customer's entries, oldest first. */
  list(userKey: UserKey): Promise<ConsentLedgerEntry[]>;
  /** What erasure keeps: the hashed withdrawals, outside any customer's partition. */
  keep(withdrawals: KeptWithdrawal[]): Promise<void>;
  kept(customerHash: string): Promise<KeptWithdrawal[]>;
}
