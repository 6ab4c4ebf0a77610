// What offers need from storage: coupon pools, their codes, and who holds which; the product catalog.

import type { UserKey } from '../events/userKey.js';
import type { CatalogProduct, CatalogProductDefinition, ProductObservation } from './catalog.js';
import type { CouponClaim, CouponCode, CouponPool, CouponPoolDefinition } from './coupon.js';

export interface CouponStore {
  /** Creates the pool or updates its definition; the codes and counts stay. */
  putPool(definition: CouponPoolDefinition, now: Date): Promise<CouponPool>;
  getPool(id: string): Promise<CouponPool | undefined>;
  listPools(): Promise<CouponPool[]>;
  /** Adds codes to the pool; a code already in any pool is skipped, never duplicated. */
  addCodes(poolId: string, codes: string[]): Promise<{ added: number; duplicates: string[] }>;
  /**
   * One code of the pool for this customer and message. The same message always gets the same code (a retried
   * or redelivered send never burns a second one), and a customer holding an unexpired code gets it back.
   */
  claim(poolId: string, userKey: UserKey, messageKey: string, now: Date): Promise<CouponClaim>;
  /** Marks the code used by an order, once: the pool and code as they now are, or why not. */
  redeem(
    code: string,
    order: { userKey: UserKey; orderId?: string; revenue: number; at: string },
  ): Promise<{ kind: 'redeemed'; poolId: string; code: CouponCode } | { kind: 'unknown' } | { kind: 'already' }>;
  /** The codes handed out, newest first (the pool report). */
  issuedCodes(poolId: string, limit: number): Promise<CouponCode[]>;
  /**
   * Erasure: forgets who held which code in every pool — the holder row, and on each code the customer received
   * the customer and the message. The codes stay used and the pools' counts stay (they name nobody). How many
   * items changed.
   */
  forget(userKeys: UserKey[]): Promise<number>;
}

/** The product catalog (kept current by commerce events, corrected by imports). */
export interface CatalogStore {
  /** Applies what events said, per attribute; an observation older than the product's newest one changes nothing. */
  observe(observations: ProductObservation[], now: Date): Promise<void>;
  /** Writes these products as given (an import or a PUT): a product's own later events still update it. */
  put(products: CatalogProductDefinition[], now: Date): Promise<CatalogProduct[]>;
  get(id: string): Promise<CatalogProduct | undefined>;
  /** Many products at once (a message's recommendations); the unknown ones are left out. */
  getMany(ids: string[]): Promise<CatalogProduct[]>;
  /** A page of the catalog by id; `next` continues it. */
  list(limit: number, after?: string): Promise<{ products: CatalogProduct[]; next?: string }>;
}
