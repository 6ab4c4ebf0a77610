// The Segment HTTP Tracking API message, as one zod schema per call type; the types are inferred from it.

import * as z from 'zod';
import { pushTokenProblem } from './pushToken.js';

export const MESSAGE_TYPES = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** ISO 8601 as every Segment library sends it; anything Date.parse cannot read is refused. */
const isoTimestamp = z
  .string()
  .max(64)
  .regex(/^\d{4}-\d{2}-\d{2}/, 'expected an ISO 8601 timestamp')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 timestamp');

/** Segment ids are strings; some apps send numbers, which Segment's own libraries stringify. */
const identity = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters'));

const jsonObject = z.record(z.string(), z.unknown());

/** A device's push token is where the sender will send, so only a real token shape for its type is kept. */
export const deviceSchema = z
  .looseObject({
    id: z.string().max(255).optional(),
    token: z.string().max(4096).optional(),
    type: z.string().max(32).optional(),
  })
  .superRefine((device, ctx) => {
    if (!device.token) return;
    const problem = pushTokenProblem(device.token, device.type);
    if (problem) ctx.addIssue({ code: 'custom', path: ['token'], message: problem });
  });

export const contextSchema = z.looseObject({
  device: deviceSchema.optional(),
  locale: z.string().max(35).optional(),
  timezone: z.string().max(64).optional(),
  ip: z.string().max(64).optional(),
  app: jsonObject.optional(),
  traits: jsonObject.optional(),
  /** Segment Consent Management's shape: category name → granted. */
  consent: z.looseObject({ categoryPreferences: z.record(z.string(), z.boolean()).optional() }).optional(),
});

const common = {
  messageId: z.string().min(1).max(200).optional(),
  userId: identity.optional(),
  anonymousId: identity.optional(),
  timestamp: isoTimestamp.optional(),
  originalTimestamp: isoTimestamp.optional(),
  sentAt: isoTimestamp.optional(),
  context: contextSchema.optional(),
  integrations: jsonObject.optional(),
};

const track = z.object({
  ...common,
  type: z.literal('track'),
  event: z.string().trim().min(1, 'must not be empty').max(200),
  properties: jsonObject.optional(),
});
const identify = z.object({ ...common, type: z.literal('identify'), traits: jsonObject.optional() });
const page = z.object({
  ...common,
  type: z.literal('page'),
  name: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  properties: jsonObject.optional(),
});
const screen = z.object({
  ...common,
  type: z.literal('screen'),
  name: z.string().max(200).optional(),
  properties: jsonObject.optional(),
});
const group = z.object({ ...common, type: z.literal('group'), groupId: identity, traits: jsonObject.optional() });
const alias = z.object({ ...common, type: z.literal('alias'), userId: identity, previousId: identity });

export const segmentMessageSchema = z
  .discriminatedUnion('type', [track, identify, page, screen, group, alias], {
    error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${MESSAGE_TYPES.join(', ')}` : undefined),
  })
  .refine((m) => m.userId !== undefined || m.anonymousId !== undefined, {
    message: 'userId or anonymousId is required',
    path: ['userId'],
  });

export type SegmentMessage = z.infer<typeof segmentMessageSchema>;
export type SegmentContext = z.infer<typeof contextSchema>;

/** The envelope of `/v1/batch`: its context, integrations and sentAt apply to every message in it. */
export const batchEnvelopeSchema = z.object({
  batch: z.array(z.unknown(), 'must be an array of messages'),
  sentAt: isoTimestamp.optional(),
  context: jsonObject.optional(),
  integrations: jsonObject.optional(),
  writeKey: z.string().optional(),
});
export type BatchEnvelope = z.infer<typeof batchEnvelopeSchema>;
