// What the admin API shows of a customer, and the right to erasure (PIPA, GDPR): all of it, gone, and a record to prove it.

import type { EventStore } from '../events/ports.js';
import type { InstanceStore, StepScheduler } from '../journeys/ports.js';
import type { CouponStore } from '../offers/ports.js';
import { wakeUpOf } from '../journeys/advance.js';
import type { Clock, RandomSource } from '../system/ports.js';
import { erasedCustomerHash, KEPT_AFTER_ERASURE, type ErasureRecord } from './erasure.js';
import { keptWithdrawals } from './consentLedger.js';
import type { ConsentLedger, CustomerCopies, ErasureLog, ProfileStore, UserStateStore } from './ports.js';
import type { StoredEvent } from '../events/storedEvent.js';
import { anonymousUserKey, type UserKey } from '../events/userKey.js';
import { publicProfile, type Profile, type PublicProfile } from './profile.js';
import { findProfile } from './updateProfiles.js';
import { normaliseEmail, normalisePhone } from './address.js';
import { InvalidRequestError } from '../errors.js';

export type ProfileView = PublicProfile & { version: number };

export async function viewProfile(
  userKey: UserKey,
  deps: { profiles: ProfileStore },
): Promise<ProfileView | undefined> {
  const found = await findProfile(userKey, (k) => deps.profiles.get(k));
  if (!found) return undefined;
  return { ...publicProfile(found.profile), version: found.version };
}

/** A customer as a search lists them: enough to tell two customers who share an address apart. */
export type CustomerMatch = {
  userKey: UserKey;
  userId?: string;
  email?: string;
  phone?: string;
  name?: string;
  updatedAt: string;
};

/**
 * Support's "find by e-mail or phone": the address normalised as ingest does (so `010-1234-5678` finds
 * `+821012345678`), then the customers whose profile holds it now. An address that cannot be one is a 400.
 */
export async function findCustomers(
  search: { email: string } | { phone: string },
  deps: { profiles: ProfileStore },
): Promise<CustomerMatch[]> {
  const address =
    'email' in search
      ? { email: normaliseEmail(search.email) ?? invalid('email', `${search.email} is not an e-mail address`) }
      : { phone: normalisePhone(search.phone) ?? invalid('phone', `${search.phone} is not a phone number`) };
  const keys = await deps.profiles.findByAddress(address);
  const found = await deps.profiles.getMany(keys);
  const matches: CustomerMatch[] = [];
  for (const key of keys) {
    const stored = found.get(key);
    if (stored?.kind !== 'profile') continue;
    const { profile } = stored;
    // The index follows the table a moment later: keep only the profiles that hold the address now.
    if ('email' in address ? profile.channels.email !== address.email : profile.channels.phone !== address.phone)
      continue;
    const name = profile.traits.name ?? profile.traits.이름;
    matches.push({
      userKey: profile.userKey,
      userId: profile.userId,
      email: profile.channels.email,
      phone: profile.channels.phone,
      name: typeof name === 'string' ? name : undefined,
      updatedAt: profile.updatedAt,
    });
  }
  return matches;
}

function invalid(field: string, message: string): never {
  throw new InvalidRequestError(message, field);
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

export type Erasure = {
  erased: boolean;
  /** The erasure record's id: `GET /admin/v1/erasures/{id}` shows what was removed where. */
  erasureId?: string;
  profiles: number;
  events: number;
  stateItems: number;
  wakeUps: number;
};

export type ErasureDeps = {
  profiles: ProfileStore;
  events: EventStore;
  userState: UserStateStore;
  instances: Pick<InstanceStore, 'listActive'>;
  scheduler: Pick<StepScheduler, 'cancel'>;
  customerCopies: CustomerCopies;
  erasures: ErasureLog;
  consentLedger: Pick<ConsentLedger, 'list' | 'keep'>;
  coupons: Pick<CouponStore, 'forget'>;
  clock: Clock;
  random: Pick<RandomSource, 'id'>;
};

/**
 * Deletes the profile, every merged identity, their events, pending wake-ups, all per-user state and the copies
 * outside the tables, and keeps a record of it that names nobody.
 */
export async function eraseCustomer(userKey: UserKey, deps: ErasureDeps): Promise<Erasure> {
  const requestedAt = deps.clock.now().toISOString();
  const found = await findProfile(userKey, (k) => deps.profiles.get(k));
  const keys = found ? keysOf(found.profile) : [userKey];
  // The wake-ups are named after the instances, which go with the State partition: read them first.
  const waiting = (await Promise.all(keys.map((k) => deps.instances.listActive(k)))).flat().filter((i) => i.waiting);
  await Promise.all(waiting.map((i) => deps.scheduler.cancel(wakeUpOf(i, i.waiting!))));
  const stamp = () => deps.clock.now().toISOString();
  const wakeUpsAt = stamp();
  // The ledger goes with the State partition: its withdrawals are kept first, hashed, as evidence of a "no".
  const kept = (
    await Promise.all(keys.map(async (k) => keptWithdrawals(erasedCustomerHash(k), await deps.consentLedger.list(k))))
  ).flat();
  await deps.consentLedger.keep(kept);
  const [events, stateItems, couponItems] = await Promise.all([
    Promise.all(keys.map((k) => deps.events.deleteAll(k))),
    Promise.all(keys.map((k) => deps.userState.deleteAll(k))),
    deps.coupons.forget(keys),
  ]);
  const tablesAt = stamp();
  const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
  const erased = found !== undefined || sum(events) > 0;
  if (!erased) return { erased, profiles: 0, events: 0, stateItems: 0, wakeUps: 0 };

  const id = deps.random.id();
  const copies = await deps.customerCopies.erase(
    { userKeys: keys, emails: addressesOf(found?.profile, 'email'), phones: addressesOf(found?.profile, 'phone') },
    id,
  );
  // Profile last: if anything above fails, a retry still finds the profile and the keys to erase.
  await deps.profiles.delete(keys);
  const completedAt = stamp();
  const record: ErasureRecord = {
    id,
    requestedAt,
    completedAt,
    keys: keys.length,
    steps: [
      { where: 'journey wake-ups', removed: waiting.length, at: wakeUpsAt },
      { where: 'events table', removed: sum(events), at: tablesAt },
      { where: 'state table (journeys, caps, message log, consent ledger)', removed: sum(stateItems), at: tablesAt },
      { where: 'coupon pools (who holds which code)', removed: couponItems, at: tablesAt },
      ...copies,
      { where: 'profiles table', removed: found ? keys.length : 0, at: completedAt },
    ],
    kept: KEPT_AFTER_ERASURE,
  };
  await deps.erasures.save(record);
  return {
    erased,
    erasureId: id,
    profiles: found ? keys.length : 0,
    events: sum(events),
    stateItems: sum(stateItems),
    wakeUps: waiting.length,
  };
}

/** The channel's address and the trait of the same name (an identify may carry either). */
function addressesOf(profile: Profile | undefined, kind: 'email' | 'phone'): string[] {
  const trait = profile?.traits[kind];
  const found = [profile?.channels[kind], typeof trait === 'string' ? trait : undefined];
  return [...new Set(found.filter((a): a is string => Boolean(a)))];
}

function keysOf(profile: Profile): UserKey[] {
  return [...new Set<UserKey>([profile.userKey, ...profile.mergedKeys, ...profile.anonymousIds.map(anonymousUserKey)])];
}
