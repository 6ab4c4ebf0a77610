// A journey as a marketer writes it: trigger, entry rule, re-entry policy, goal, and a graph of steps.

import * as z from 'zod';
import { conditionSchema } from '../segments/condition.js';
import { durationSchema } from '../time/duration.js';
import { WEEKDAYS } from '../time/localTime.js';
import { CHANNELS } from '../delivery/channel.js';

const stepId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'step ids are 1-64 letters, digits, - or _');
const eventName = z.string().trim().min(1).max(200);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

const eventMatch = z.object({ event: eventName, where: conditionSchema.optional() }).strict();

const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: eventName, where: conditionSchema.optional() }).strict(),
  /** Enters when a profile change makes the condition true (it was false before the change). */
  z.object({ kind: z.literal('segment'), condition: conditionSchema }).strict(),
  /** Only `POST /admin/v1/journeys/{id}/enter`. */
  z.object({ kind: z.literal('manual') }).strict(),
]);

const reentrySchema = z.discriminatedUnion('policy', [
  z.object({ policy: z.literal('once') }).strict(),
  z.object({ policy: z.literal('one-at-a-time') }).strict(),
  z.object({ policy: z.literal('after'), days: z.number().int().min(1).max(3650) }).strict(),
]);

const waitStep = z
  .object({
    type: z.literal('wait'),
    /**
     * Exactly one of: a duration (or `purchase-cycle`: the customer's median days between orders), or a local
     * time of day (or `best-hour`: the hour the customer opens, clicks and buys most), optionally on a
     * weekday, in the customer's zone. `fallback` stands in where the analytics know nothing of the customer.
     */
    duration: z.union([durationSchema, z.literal('purchase-cycle')]).optional(),
    until: z
      .object({
        time: z.union([clockTime, z.literal('best-hour')]),
        weekday: z.enum(WEEKDAYS).optional(),
        fallback: clockTime.optional(),
      })
      .strict()
      .optional(),
    fallback: durationSchema.optional(),
    next: stepId,
  })
  .strict()
  .refine((s) => (s.duration === undefined) !== (s.until === undefined), {
    message: 'a wait needs either "duration" or "until"',
    path: ['duration'],
  });

const waitForEventStep = z
  .object({
    type: z.literal('wait-for-event'),
    event: eventName,
    where: conditionSchema.optional(),
    timeout: durationSchema,
    onEvent: stepId,
    onTimeout: stepId,
  })
  .strict();

const branchStep = z
  .object({
    type: z.literal('branch'),
    /** A condition on the profile, or the outcome of an earlier send step of this journey. */
    condition: conditionSchema.optional(),
    /** `via`: the outcome counts only if that channel delivered it (after a fallback, say). */
    message: z
      .object({ step: stepId, outcome: z.enum(['delivered', 'opened', 'clicked']), via: z.enum(CHANNELS).optional() })
      .strict()
      .optional(),
    then: stepId,
    else: stepId,
  })
  .strict()
  .refine((s) => (s.condition === undefined) !== (s.message === undefined), {
    message: 'a branch needs either "condition" or "message"',
    path: ['condition'],
  });

const splitStep = z
  .object({
    type: z.literal('split'),
    variants: z
      .array(
        z
          .object({ name: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/), weight: z.number().positive(), next: stepId })
          .strict(),
      )
      .min(1),
    /** The control group receives nothing from here on; its conversions are the baseline. */
    control: z.object({ weight: z.number().positive() }).strict().optional(),
  })
  .strict();

const sendStep = z
  .object({
    type: z.literal('send'),
    channel: z.enum(CHANNELS),
    /**
     * Channels to try, in order, when this one is refused for this customer (no address or token, no consent
     * for it) or fails for good — never after a timeout that might still deliver.
     */
    fallback: z.array(z.enum(CHANNELS)).max(3).default([]),
    template: z.string().min(1).max(200),
    category: z.enum(['marketing', 'transactional']).default('marketing'),
    next: stepId,
  })
  .strict();

const updateProfileStep = z
  .object({
    type: z.literal('update-profile'),
    set: z.record(z.string(), z.unknown()).optional(),
    increment: z.record(z.string(), z.number()).optional(),
    next: stepId,
  })
  .strict();

const exitStep = z.object({ type: z.literal('exit') }).strict();

export const stepSchema = z.union([
  waitStep,
  waitForEventStep,
  branchStep,
  splitStep,
  sendStep,
  updateProfileStep,
  exitStep,
]);

export const journeyDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'journey ids are lower-case letters, digits and -'),
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    trigger: triggerSchema,
    entry: conditionSchema.optional(),
    reentry: reentrySchema.default({ policy: 'one-at-a-time' }),
    /** Reaching the goal ends the journey as converted; after `window` from entry it no longer counts. */
    goal: eventMatch
      .extend({ window: durationSchema.default('3d') })
      .strict()
      .optional(),
    /** Events that end the journey at once (e.g. `Unsubscribed`). */
    exitOn: z.array(eventMatch).max(20).default([]),
    start: stepId,
    steps: z.record(stepId, stepSchema),
  })
  .strict();

export type JourneyDefinition = z.infer<typeof journeyDefinitionSchema>;
export type JourneyInput = z.input<typeof journeyDefinitionSchema>;
export type Step = z.infer<typeof stepSchema>;
export type EventMatch = z.infer<typeof eventMatch>;

export const JOURNEY_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export type JourneyStatus = (typeof JOURNEY_STATUSES)[number];

/** A stored version: the definition as it was when saved, never changed afterwards. */
export type JourneyVersion = { definition: JourneyDefinition; version: number; createdAt: string };

/** The journey's head: which version is live and in what state. */
export type JourneyHead = {
  id: string;
  name: string;
  status: JourneyStatus;
  latestVersion: number;
  /** The version new customers enter; running instances keep the version they started on. */
  activeVersion?: number;
  updatedAt: string;
};
