// The delivery request: everything the sender of a channel needs, as it travels on a channel queue and is
// validated where a sender picks it up. The schema is the one definition; the type is inferred from it.

import * as z from 'zod';
import { CHANNELS } from './channel.js';
import { triggerSchema, userKeySchema } from '../journeys/instance.js';
import { noticeSchema } from './consentNotice.js';

export const deliveryRequestSchema = z.object({
  idempotencyKey: z.string().min(1).max(300),
  channel: z.enum(CHANNELS),
  /** The channels still to try after this one (the idempotency key covers the whole chain). */
  fallback: z.array(z.enum(CHANNELS)).optional(),
  userKey: userKeySchema,
  userId: z.string().optional(),
  template: z.string().min(1),
  category: z.enum(['marketing', 'transactional']),
  journeyId: z.string(),
  journeyVersion: z.number().int(),
  stepId: z.string(),
  instanceId: z.string(),
  variant: z.string().optional(),
  requestedAt: z.iso.datetime(),
  /**
   * When ingest received the event that started the journey, on a send reached without a wait: the start of
   * the trigger-to-send latency. Absent after a wait (that latency is the journey's design, not ours).
   */
  triggeredAt: z.iso.datetime().optional(),
  /** Set on a broadcast's requests: the sender drops them once the broadcast is cancelled. */
  broadcastId: z.string().optional(),
  /** In the control group: recorded as held out, never sent. */
  holdout: z.boolean().optional(),
  /** A throttled request that arrives early goes back to its queue until then. */
  notBefore: z.iso.datetime().optional(),
  trigger: triggerSchema,
  /** A consent notice (confirmation or re-confirmation): its wording comes from the settings, not a template. */
  notice: noticeSchema.optional(),
});

export type DeliveryRequest = z.infer<typeof deliveryRequestSchema>;
