// A customer's run through one journey version, and what running it asks the world to do.

import type { UserKey } from '../events/userKey.js';
import type { Condition } from '../segments/condition.js';
import type { Channel } from '../delivery/channel.js';

export type InstanceStatus = 'active' | 'completed' | 'converted' | 'exited';

export type Waiting =
  | { kind: 'time'; until: string; token: number }
  | { kind: 'event'; event: string; where?: Condition; until: string; token: number };

export type JourneyInstance = {
  userKey: UserKey;
  journeyId: string;
  version: number;
  instanceId: string;
  status: InstanceStatus;
  step: string;
  /** Optimistic-locking counter of the stored instance. */
  revision: number;
  /** Counts the waits so far; a wake-up carrying an older token is stale and ignored. */
  waits: number;
  waiting?: Waiting;
  variant?: string;
  enteredAt: string;
  updatedAt: string;
  endedAt?: string;
  endReason?: string;
  trigger: { event?: string; messageId?: string; properties?: Record<string, unknown> };
  /** Send step → the idempotency key of the delivery it requested (branches read its outcome). */
  sends: Record<string, string>;
  /** The steps run, oldest first (bounded). */
  history: { step: string; at: string; note?: string }[];
};

/** Where a scheduled wake-up goes back to. */
export type WakeUp = { userKey: UserKey; journeyId: string; instanceId: string; token: number; at: string };

/** Everything the sender of a channel needs (the delivery issue consumes these). */
export type DeliveryRequest = {
  idempotencyKey: string;
  channel: Channel;
  /** The channels still to try after this one (the idempotency key covers the whole chain). */
  fallback?: Channel[];
  userKey: UserKey;
  userId?: string;
  template: string;
  category: 'marketing' | 'transactional';
  journeyId: string;
  journeyVersion: number;
  stepId: string;
  instanceId: string;
  variant?: string;
  requestedAt: string;
  trigger: JourneyInstance['trigger'];
  /** Set on a broadcast's requests: the sender drops them once the broadcast is cancelled. */
  broadcastId?: string;
  /** In the control group: recorded as held out, never sent. */
  holdout?: boolean;
  /** A throttled request that arrives early goes back to its queue until then. */
  notBefore?: string;
};

/** `key` makes the update idempotent: the instance and step that asked for it. */
export type ProfileUpdate = { key: string; set: Record<string, unknown>; increment: Record<string, number> };

export type JourneyEffect =
  | { kind: 'send'; request: DeliveryRequest }
  | { kind: 'schedule'; wakeUp: WakeUp }
  | { kind: 'cancel'; wakeUp: WakeUp }
  | { kind: 'update-profile'; userKey: UserKey; update: ProfileUpdate };

/** `via`: the channel that sent it. `delivered` means accepted for delivery where no receipt comes back. */
export type MessageOutcome = { delivered?: boolean; opened?: boolean; clicked?: boolean; via?: string };

export const HISTORY_LIMIT = 50;
