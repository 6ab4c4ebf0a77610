// The message log: one row per delivery request (its idempotency key), written before any provider call.

import type { Channel } from './channel.js';
import type { UserKey } from '../events/userKey.js';

/** `fallback`: this channel could not deliver; the request moved on to `nextChannel` under the same key. */
/** `held-out`: in a control group, never sent; `cancelled`: its broadcast was cancelled before it went. */
export type MessageStatus =
  | 'processing'
  | 'retrying'
  | 'sent'
  | 'skipped'
  | 'capped'
  | 'deferred'
  | 'failed'
  | 'fallback'
  | 'held-out'
  | 'cancelled';

export type DeliveryAttempt = { channel: Channel; status: MessageStatus; reason?: string; at: string };

export type MessageLogEntry = {
  userKey: UserKey;
  idempotencyKey: string;
  channel: Channel;
  template: string;
  category: 'marketing' | 'transactional';
  journeyId?: string;
  stepId?: string;
  variant?: string;
  status: MessageStatus;
  reason?: string;
  requestedAt: string;
  updatedAt: string;
  sentAt?: string;
  deferredUntil?: string;
  providerMessageId?: string;
  capsCounted?: boolean;
  /** Fingerprints of the push tokens this message reached (a retry skips them). */
  pushDeliveredTo?: string[];
  /** The coupon code each `{% coupon %}` pool gave this message: which code went to whom. */
  coupons?: Record<string, string>;
  /** Every channel tried for this message, in order, and the one that sent it. */
  attempts?: DeliveryAttempt[];
  deliveredVia?: Channel;
  nextChannel?: Channel;
  /** Feedback (SES events, push opens): journeys branch on these. */
  deliveredAt?: string;
  openedAt?: string;
  clickedAt?: string;
  bouncedAt?: string;
  complainedAt?: string;
  unsubscribedAt?: string;
  /** The first goal event attributed to this message, and its revenue. */
  convertedAt?: string;
  revenue?: number;
};

export type Feedback = 'delivered' | 'opened' | 'clicked' | 'bounced' | 'complained' | 'unsubscribed';
