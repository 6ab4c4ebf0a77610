// The delivery request as it travels on a channel queue, validated where a sender picks it up.

import * as z from 'zod';
import { CHANNELS } from './channel.js';
import type { DeliveryRequest } from '../journeys/instance.js';

export const deliveryRequestSchema = z.object({
  idempotencyKey: z.string().min(1).max(300),
  channel: z.enum(CHANNELS),
  fallback: z.array(z.enum(CHANNELS)).optional(),
  userKey: z.string().regex(/^[ua]:.+/) as z.ZodType<DeliveryRequest['userKey']>,
  userId: z.string().optional(),
  template: z.string().min(1),
  category: z.enum(['marketing', 'transactional']),
  journeyId: z.string(),
  journeyVersion: z.number().int(),
  stepId: z.string(),
  instanceId: z.string(),
  variant: z.string().optional(),
  requestedAt: z.iso.datetime(),
  broadcastId: z.string().optional(),
  holdout: z.boolean().optional(),
  notBefore: z.iso.datetime().optional(),
  trigger: z.object({ event: z.string().optional(), messageId: z.string().optional(), properties: z.record(z.string(), z.unknown()).optional() }),
}) satisfies z.ZodType<DeliveryRequest>;
