// A customer's run through one journey version, and what running it asks the world to do.

import * as z from 'zod';
import type { UserKey } from '../events/userKey.js';
import type { Condition } from '../segments/condition.js';
import type { DeliveryRequest } from '../delivery/deliveryRequest.js';

/** A customer's partition key as queue messages carry it (`u:<userId>` or `a:<anonymousId>`). */
export const userKeySchema = z.custom<UserKey>(
  (v) => typeof v === 'string' && /^[ua]:.+/.test(v),
  'expected u:<userId> or a:<anonymousId>',
);

/** The event that started a run: its name, id and properties, which messages render from. */
export const triggerSchema = z.object({
  event: z.string().optional(),
  messageId: z.string().optional(),
  /** When ingest received the triggering event (the start of the trigger-to-send latency). */
  receivedAt: z.iso.datetime().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});

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
  trigger: z.infer<typeof triggerSchema>;
  /** Send step → the idempotency key of the delivery it requested (branches read its outcome). */
  sends: Record<string, string>;
  /** The steps run, oldest first (bounded). */
  history: { step: string; at: string; note?: string }[];
};

/** Where a scheduled wake-up goes back to: the message on the journey-steps queue, validated where it is picked up. */
export const wakeUpSchema = z.object({
  userKey: userKeySchema,
  journeyId: z.string().min(1),
  instanceId: z.string().min(1),
  token: z.number().int().min(1),
  at: z.iso.datetime(),
});
export type WakeUp = z.infer<typeof wakeUpSchema>;

export type { DeliveryRequest };

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
