// The right to erasure made provable: who is erased (every key, address and number), what each place removed,
// and the record of it, which itself names nobody.

import { createHash } from 'node:crypto';
import type { UserKey } from '../events/userKey.js';

/** Everything that identifies the customer being erased, so copies outside the tables can be found. */
export type ErasedCustomer = { userKeys: UserKey[]; emails: string[]; phones: string[] };

/** One place the customer was removed from: how many items, and when (`pending`: a job finishes it later). */
export type ErasureStep = { where: string; removed: number; at: string; pending?: boolean };

/**
 * What an erasure did, kept so it can be shown later. It holds counts and places only — no key, address, number
 * or hash — so keeping it does not keep the person.
 */
export type ErasureRecord = {
  id: string;
  requestedAt: string;
  completedAt: string;
  /** How many keys (userId, anonymousIds, merged profiles) resolved to the customer. */
  keys: number;
  steps: ErasureStep[];
  /** What stays, and why the law lets (or makes) it stay. */
  kept: string[];
};

/**
 * The erased-customer list's entry for a key: SHA-256 in hex of the key as the archive's `customer` column
 * holds it (`u:<userId>`, `a:<anonymousId>`), which DuckDB's `sha256()` and Athena's `sha256()` compute alike.
 */
export function erasedCustomerHash(userKey: UserKey | string): string {
  return createHash('sha256').update(userKey).digest('hex');
}

/** What erasure leaves behind on purpose. */
export const KEPT_AFTER_ERASURE = [
  'suppression list: the hashed address of an opt-out, bounce or complaint (never the address), so an erased ' +
    'person who said no is never messaged again (PIPA art. 37, GDPR art. 17(3)(b) and 21(3))',
  'erased-customer list: the SHA-256 of each key, so reports drop any copy of the customer still in the archive',
  'consent withdrawals: channel, time and source of each withdrawal in the consent ledger, under the SHA-256 of ' +
    'the key (no IP, user agent or address), as evidence that the customer said no (정보통신망법 art. 50; PIPA ' +
    'art. 21(1) lets data needed to defend a claim be kept); every grant and the rest of the ledger are deleted',
];
