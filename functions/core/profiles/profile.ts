// The customer profile: what Retain knows about one person, folded from their events.

import type { UserKey } from '../events/userKey.js';
import type { Loyalty } from '../loyalty/loyalty.js';

export const CONSENT_CHANNELS = ['email', 'push', 'sms', 'kakao', 'advertising', 'nightAdvertising'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
/**
 * `at`: the latest statement; `since`: when it took this value, when earlier than `at`; `source`: where an
 * imported statement came from (`csv`, `pinpoint`, a file's own column).
 */
export type Consent = { granted: boolean; at: string; since?: string; source?: string };

export type PushToken = { token: string; platform: string; updatedAt: string };

export type Product = {
  productId: string;
  sku?: string;
  name?: string;
  category?: string;
  brand?: string;
  price?: number;
  url?: string;
  imageUrl?: string;
};
export type CartItem = Product & { quantity: number };

export type ComputedAttributes = {
  firstSeen: string;
  lastSeen: string;
  /** Track events by name; pages and screens under `$page` and `$screen`. */
  eventCounts: Record<string, number>;
  orders: number;
  revenue: number;
  averageOrderValue: number;
  firstOrderAt?: string;
  lastOrderAt?: string;
  lastViewedProduct?: Product & { at: string };
  cart: { items: CartItem[]; updatedAt?: string; checkoutStartedAt?: string };
};

export type Profile = {
  userKey: UserKey;
  userId?: string;
  anonymousIds: string[];
  /** Every other key (anonymous or an aliased userId) that now resolves to this profile. */
  mergedKeys: UserKey[];
  traits: Record<string, unknown>;
  channels: { email?: string; phone?: string; push: PushToken[] };
  timezone?: string;
  locale?: string;
  consent: Partial<Record<ConsentChannel, Consent>>;
  groupIds: string[];
  computed: ComputedAttributes;
  /**
   * The last stream position applied per source key, so a retried stream batch (Lambda re-sends every
   * record after the first reported failure) never counts an event twice.
   */
  appliedPositions: Record<string, string>;
  /** Keys of the journey profile updates applied, so a retried step never adds points twice. */
  appliedUpdates?: string[];
  /** Written by the daily analytics refresh; conditions read them as `rfm.segment`, `predicted.clv`, … */
  rfm?: { r: number; f: number; m: number; segment: string };
  predicted?: { clv: number; pAlive: number; expectedOrders: number; nextOrderAt?: string };
  /** The local hour (0–23) the customer opens, clicks and buys most. */
  bestHour?: number;
  /** Median days between the customer's orders. */
  purchaseCycleDays?: number;
  lifecycle?: 'new' | 'active' | 'repeat' | 'vip' | 'at risk' | 'dormant' | 'churned';
  analyticsAt?: string;
  /** Product ids, best first (at most 10), from the nightly refresh; templates see them as catalog products. */
  recommendations?: string[];
  recommendedAt?: string;
  /** Points ledger and tier, once the workspace's loyalty programme is on (see docs/offers.md). */
  loyalty?: Loyalty;
  createdAt: string;
  updatedAt: string;
};

/** What is left of a profile merged into another: a pointer that later events follow. */
export type ProfileTombstone = { userKey: UserKey; mergedInto: UserKey };

/** Either kind of item, with the optimistic-locking version it was read at (0 = not stored yet). */
export type StoredProfile =
  | { kind: 'profile'; profile: Profile; version: number }
  | { kind: 'tombstone'; tombstone: ProfileTombstone; version: number };

/** Bounds that keep one profile item far below DynamoDB's 400 KB. */
export const PROFILE_LIMITS = {
  eventNames: 500,
  pushTokens: 10,
  mergedKeys: 100,
  cartItems: 100,
  groupIds: 50,
  appliedUpdates: 200,
} as const;

export function newProfile(userKey: UserKey, at: string): Profile {
  return {
    userKey,
    userId: userKey.startsWith('u:') ? userKey.slice(2) : undefined,
    anonymousIds: userKey.startsWith('a:') ? [userKey.slice(2)] : [],
    mergedKeys: [],
    traits: {},
    channels: { push: [] },
    consent: {},
    groupIds: [],
    computed: {
      firstSeen: at,
      lastSeen: at,
      eventCounts: {},
      orders: 0,
      revenue: 0,
      averageOrderValue: 0,
      cart: { items: [] },
    },
    appliedPositions: {},
    createdAt: at,
    updatedAt: at,
  };
}

/** The profile without Retain's bookkeeping: what the admin API shows and what conditions evaluate. */
export type PublicProfile = Omit<Profile, 'appliedPositions' | 'appliedUpdates'>;

export function publicProfile(profile: Profile): PublicProfile {
  const { appliedPositions: _positions, appliedUpdates: _updates, ...visible } = profile;
  return visible;
}
