// The message log: one row per delivery request (its idempotency key), written before any provider call.

import type { Channel } from '../journeys/definition.js';
import type { UserKey } from '../events/userKey.js';

export type MessageStatus = 'processing' | 'retrying' | 'sent' | 'skipped' | 'capped' | 'deferred' | 'failed';

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
  /** Feedback (SES events, push opens): journeys branch on these. */
  deliveredAt?: string;
  openedAt?: string;
  clickedAt?: string;
  bouncedAt?: string;
  complainedAt?: string;
};

export type Feedback = 'delivered' | 'opened' | 'clicked' | 'bounced' | 'complained';
