// Coupon pools: a discount a message can hand out as unique codes, one per customer, never two for one message.

import * as z from 'zod';
import type { RandomSource } from '../system/ports.js';
import { COUPON_CODE, COUPON_POOL_ID } from './couponPatterns.js';

export { COUPON_CODE, COUPON_POOL_ID };

export const couponPoolDefinitionSchema = z.object({
  id: z.string().regex(COUPON_POOL_ID, 'lower-case letters, digits and dashes, at most 64'),
  name: z.string().trim().min(1).max(200),
  /** What the code gives, in the marketer's words ("10% off the first order"). */
  discount: z.string().trim().min(1).max(200),
  /** After this instant a code is no longer handed out, and a customer's held code is not handed back. */
  validUntil: z.iso.datetime({ offset: true }).optional(),
  /** How many codes of this pool one customer may receive over time (a new one only once the last expired). */
  perCustomerLimit: z.number().int().min(1).max(100).default(1),
  /** The low-codes alarm fires when a claim leaves fewer unused codes than this (0: never). */
  alertBelow: z.number().int().min(0).max(1_000_000).default(100),
});
export type CouponPoolDefinition = z.infer<typeof couponPoolDefinitionSchema>;

export type CouponPool = CouponPoolDefinition & {
  /** Codes loaded, handed out, and redeemed by an order. */
  total: number;
  issued: number;
  redeemed: number;
  /** Revenue of the orders that redeemed a code of this pool. */
  revenue: number;
  /** Seconds from issue to redemption, summed over the redeemed codes (the mean time to redeem). */
  redeemSeconds: number;
  createdAt: string;
};

/** What a claim gives: the customer's code, or why none could be had. */
export type CouponClaim =
  | {
      kind: 'issued';
      code: string;
      reused: boolean;
      /** The unused codes left when this claim took one and left fewer than the pool's `alertBelow`. */
      lowOnCodes?: number;
    }
  | { kind: 'exhausted' }
  | { kind: 'expired' }
  | { kind: 'limit-reached' }
  | { kind: 'unknown-pool' };

/** One code as the pool report and the message log show it. */
export type CouponCode = {
  code: string;
  userKey?: string;
  messageKey?: string;
  issuedAt?: string;
  redeemedAt?: string;
  orderId?: string;
  revenue?: number;
};

/** Pools created before `alertBelow` existed alarm at the default. */
const DEFAULT_ALERT_BELOW = 100;

/** The unused codes left after the `issued`-th claim, when that is fewer than the pool's alarm threshold. */
export function lowOnCodes(pool: Pick<CouponPool, 'total'> & { alertBelow?: number }, issued: number) {
  const remaining = Math.max(0, pool.total - issued);
  return remaining < (pool.alertBelow ?? DEFAULT_ALERT_BELOW) ? remaining : undefined;
}

/** Why a message could not print a code of the pool (the message log's reason). */
export function couponRefusal(poolId: string, kind: Exclude<CouponClaim['kind'], 'issued'>): string {
  switch (kind) {
    case 'exhausted':
      return `coupon pool ${poolId} has no unused code left`;
    case 'expired':
      return `coupon pool ${poolId} has expired`;
    case 'limit-reached':
      return `the customer has received as many ${poolId} codes as the pool allows`;
    case 'unknown-pool':
      return `there is no coupon pool ${poolId}`;
  }
}

/**
 * A code pattern: `X` a letter or digit (no 0/O or 1/I, which customers misread), `#` a digit, anything else as
 * written (`WELCOME-XXXX-##`). At least 6 random characters, so codes cannot be guessed from each other.
 */
export const couponPatternSchema = z
  .string()
  .regex(/^[A-Z0-9X#-]{6,64}$/, 'upper-case letters, digits, dashes, X (letter or digit) and # (digit)')
  .refine((p) => [...p].filter((c) => c === 'X' || c === '#').length >= 6, 'at least 6 X or # placeholders');

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const DIGITS = '0123456789';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Distinct codes from a pattern, drawn from the random source (unguessable: it is the system's CSPRNG). */
export function generateCouponCodes(pattern: string, count: number, random: RandomSource): string[] {
  const slots = [...pattern].filter((c) => c === 'X' || c === '#');
  const space = slots.reduce((n, c) => n * (c === 'X' ? LETTERS.length : DIGITS.length), 1);
  // Room for ten times the codes asked for, so a guessed code is rarely a real one.
  if (count * 10 > space) throw new RangeError(`the pattern ${pattern} has room for too few codes for ${count}`);
  const codes = new Set<string>();
  let pool = '';
  // Each random character is 6 bits; values past the largest multiple of the alphabet are skipped (no bias).
  const draw = (alphabet: string): string => {
    for (;;) {
      if (pool.length === 0) pool = random.secret(48);
      const value = BASE64URL.indexOf(pool[0]);
      pool = pool.slice(1);
      if (value >= 0 && value < 64 - (64 % alphabet.length)) return alphabet[value % alphabet.length];
    }
  };
  while (codes.size < count) {
    codes.add([...pattern].map((c) => (c === 'X' ? draw(LETTERS) : c === '#' ? draw(DIGITS) : c)).join(''));
  }
  return [...codes];
}
