// A broadcast: one message (or an A/B set with a control group) to a saved segment, now, at a time, or at
// the same local time in each customer's zone — throttled, and sent only after its checklist passes.

import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import * as z from 'zod';
import { CHANNELS, type Channel } from '../delivery/channel.js';
import type { DeliveryRequest } from '../journeys/instance.js';
import type { UserKey } from '../events/userKey.js';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

export const broadcastSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'broadcast ids are lower-case letters, digits and -'),
    name: z.string().min(1).max(200).optional(),
    /** The saved segment that is the audience, evaluated when the broadcast is sent. */
    segment: z.string().min(1).max(100),
    /** One template, or an A/B set of them (each variant a template, weighted). */
    template: z.string().min(1).max(64).optional(),
    variants: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
            template: z.string().min(1).max(64),
            weight: z.number().positive().max(1000).default(1),
          })
          .strict(),
      )
      .min(1)
      .max(10)
      .optional(),
    /** Share of the audience (0–50 %) held out and sent nothing, to measure uplift against. */
    controlPercent: z.number().min(0).max(50).default(0),
    category: z.enum(['marketing', 'transactional']).default('marketing'),
    /** Channels to fall back to, in order, when the template's own cannot deliver. */
    fallback: z.array(z.enum(CHANNELS)).max(3).default([]),
    /** Absent: as soon as it is sent. */
    sendAt: z.iso.datetime({ offset: true }).optional(),
    /** The same wall-clock time in each customer's zone (the workspace's zone when a customer has none). */
    localTime: z.object({ date: z.iso.date(), time: clockTime }).strict().optional(),
    /** Recipients per minute on this broadcast; the workspace's rate for the channel when absent. */
    ratePerMinute: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()
  .refine((b) => (b.template === undefined) !== (b.variants === undefined), {
    message: 'give either template or variants',
    path: ['template'],
  })
  .refine((b) => b.sendAt === undefined || b.localTime === undefined, {
    message: 'give sendAt or localTime, not both',
    path: ['localTime'],
  })
  .refine((b) => !b.variants || new Set(b.variants.map((v) => v.name)).size === b.variants.length, {
    message: 'variant names must differ',
    path: ['variants'],
  })
  .refine((b) => !b.variants?.some((v) => v.name === 'control'), {
    message: '"control" is the held-out group; name variants otherwise',
    path: ['variants'],
  });

export type BroadcastDefinition = z.infer<typeof broadcastSchema>;
export type BroadcastVariant = { name: string; template: string; weight: number };

/** draft → sending (pages being enqueued) → enqueued (every recipient is on a channel queue); or cancelled. */
export type BroadcastStatus = 'draft' | 'sending' | 'enqueued' | 'cancelled';

export type ChecklistItem = { id: string; passed: boolean; summary: string; details?: unknown };
export type Checklist = { at: string; passed: boolean; items: ChecklistItem[] };

export type Broadcast = {
  definition: BroadcastDefinition;
  status: BroadcastStatus;
  createdAt: string;
  /** The last edit of the definition: a test send must come after it. */
  updatedAt: string;
  /** The last test send to the seed list, and what it sent (definition and templates, hashed). */
  testSend?: { at: string; contentHash: string; recipients: number };
  lastCheck?: Checklist;
  forced?: { reason: string; at: string; failing: string[] };
  sendingSince?: string;
  cancelledAt?: string;
  /** The fan-out's page chains (scan segments × waves), how many have ended, and what they enqueued. */
  progress: { chains: number; chainsDone: number; pages: number; enqueued: number; heldOut: number };
};

export function variantsOf(definition: BroadcastDefinition): BroadcastVariant[] {
  return (
    definition.variants?.map((v) => ({ ...v, weight: v.weight ?? 1 })) ?? [
      { name: 'A', template: definition.template!, weight: 1 },
    ]
  );
}

/** Deterministic per customer: the check, the test and the send agree on who is held out and who gets what. */
export function assignVariant(definition: BroadcastDefinition, userKey: UserKey): BroadcastVariant | 'control' {
  const hash = createHash('sha256').update(`broadcast\u0000${definition.id}\u0000${userKey}`).digest();
  const point = hash.readUInt32BE(0) / 2 ** 32;
  if (point < definition.controlPercent / 100) return 'control';
  const variants = variantsOf(definition);
  const total = variants.reduce((s, v) => s + v.weight, 0);
  // The rest of the interval, rescaled, so the control share does not bias the split between variants.
  let rest = ((point - definition.controlPercent / 100) / (1 - definition.controlPercent / 100)) * total;
  for (const variant of variants) {
    if (rest < variant.weight) return variant;
    rest -= variant.weight;
  }
  return variants.at(-1)!;
}

export const broadcastJourneyId = (id: string) => `broadcast:${id}`;

/** The request a recipient's sender gets; its key is the broadcast's and the customer's, so a repeat is a no-op. */
export function broadcastRequest(
  definition: BroadcastDefinition,
  channel: Channel,
  recipient: { userKey: UserKey; userId?: string },
  variant: BroadcastVariant | 'control',
  now: Date,
): DeliveryRequest {
  return {
    idempotencyKey: `${broadcastJourneyId(definition.id)}:${recipient.userKey}`,
    channel,
    ...(definition.fallback.length > 0 ? { fallback: definition.fallback } : {}),
    userKey: recipient.userKey,
    ...(recipient.userId ? { userId: recipient.userId } : {}),
    template: variant === 'control' ? variantsOf(definition)[0].template : variant.template,
    category: definition.category,
    journeyId: broadcastJourneyId(definition.id),
    journeyVersion: 0,
    stepId: 'send',
    instanceId: definition.id,
    variant: variant === 'control' ? 'control' : variant.name,
    requestedAt: now.toISOString(),
    trigger: { event: 'Broadcast' },
    broadcastId: definition.id,
    ...(variant === 'control' ? { holdout: true } : {}),
  };
}

/** When a customer's message is due before throttling: the send time, or the local time in their zone. */
export function dueFor(definition: BroadcastDefinition, zone: string, sendingSince: Date): Date {
  if (definition.localTime) {
    const local = DateTime.fromISO(`${definition.localTime.date}T${definition.localTime.time}`, { zone });
    return local.isValid ? local.toJSDate() : sendingSince;
  }
  const at = definition.sendAt ? new Date(definition.sendAt) : sendingSince;
  return at > sendingSince ? at : sendingSince;
}

/**
 * The instants the fan-out starts at: one for a broadcast at a time; for a local-time one, each distinct
 * instant that local time falls on among the zones of the audience (a Korean shop: one; a global one: a
 * few dozen at most). A customer joins the first wave at or after their own instant, or the last one.
 */
export function wavesOf(definition: BroadcastDefinition, zones: Iterable<string>, sendingSince: Date): Date[] {
  if (!definition.localTime) return [dueFor(definition, 'UTC', sendingSince)];
  const instants = new Set<number>();
  for (const zone of zones)
    instants.add(Math.max(dueFor(definition, zone, sendingSince).getTime(), sendingSince.getTime()));
  return [...instants].sort((a, b) => a - b).map((t) => new Date(t));
}

export function waveOf(due: Date, waves: Date[]): number {
  const index = waves.findIndex((w) => w.getTime() >= due.getTime());
  return index < 0 ? waves.length - 1 : index;
}

/** A hash of what a test send showed: editing the broadcast or any of its templates makes it stale. */
export function contentHash(definition: BroadcastDefinition, templates: unknown[]): string {
  return createHash('sha256').update(JSON.stringify({ definition, templates })).digest('base64url').slice(0, 22);
}
