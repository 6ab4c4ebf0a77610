// The shape of Amazon Pinpoint's journey, as `GetJourney` answers it (`JourneyResponse`) and `aws pinpoint
// get-journey` prints it (wrapped in `JourneyResponse`), written from the Amazon Pinpoint REST API Reference,
// "Journey" resource (`/v1/apps/{application-id}/journeys/{journey-id}`): only the fields the conversion reads are
// typed; everything else passes through untouched so a newer export still parses.

import * as z from 'zod';

const dimension = z.object({
  DimensionType: z.enum(['INCLUSIVE', 'EXCLUSIVE']).optional(),
  Values: z.array(z.string()),
});
const attributeDimension = z.object({
  AttributeType: z.enum(['INCLUSIVE', 'EXCLUSIVE', 'CONTAINS', 'BEFORE', 'AFTER', 'BETWEEN', 'ON']).optional(),
  Values: z.array(z.string()),
});
const metricDimension = z.object({ ComparisonOperator: z.string(), Value: z.number() });

/** `EventDimensions`: the event type, and filters on its attributes and metrics. */
const eventDimensions = z.looseObject({
  EventType: dimension.optional(),
  Attributes: z.record(z.string(), attributeDimension).optional(),
  Metrics: z.record(z.string(), metricDimension).optional(),
});

/** `SegmentDimensions` (only user and endpoint attributes are converted; the rest is reported). */
const segmentDimensions = z.looseObject({
  UserAttributes: z.record(z.string(), attributeDimension).optional(),
  Attributes: z.record(z.string(), attributeDimension).optional(),
});

/** `SimpleCondition`: exactly one of an event, a segment or segment dimensions. */
export const simpleConditionSchema = z.looseObject({
  EventCondition: z
    .looseObject({ Dimensions: eventDimensions.optional(), MessageActivity: z.string().optional() })
    .optional(),
  SegmentCondition: z.object({ SegmentId: z.string() }).optional(),
  SegmentDimensions: segmentDimensions.optional(),
});

const waitTime = z.object({ WaitFor: z.string().optional(), WaitUntil: z.string().optional() });
const message = z.looseObject({
  NextActivity: z.string().optional(),
  TemplateName: z.string().optional(),
  TemplateVersion: z.string().optional(),
  MessageConfig: z.looseObject({ MessageType: z.string().optional() }).optional(),
});

/** `Activity`: one of the activity kinds, under its own key. */
export const activitySchema = z.looseObject({
  Description: z.string().optional(),
  EMAIL: message.optional(),
  PUSH: message.optional(),
  SMS: message.optional(),
  CUSTOM: message.optional(),
  ContactCenter: z.looseObject({ NextActivity: z.string().optional() }).optional(),
  Wait: z.object({ NextActivity: z.string().optional(), WaitTime: waitTime.optional() }).optional(),
  Holdout: z.object({ NextActivity: z.string().optional(), Percentage: z.number().int().min(0).max(100) }).optional(),
  RandomSplit: z
    .object({
      Branches: z.array(
        z.object({ NextActivity: z.string().optional(), Percentage: z.number().int().min(0).max(100) }),
      ),
    })
    .optional(),
  ConditionalSplit: z
    .object({
      Condition: z.object({ Conditions: z.array(simpleConditionSchema), Operator: z.enum(['ALL', 'ANY']).optional() }),
      EvaluationWaitTime: waitTime.optional(),
      TrueActivity: z.string().optional(),
      FalseActivity: z.string().optional(),
    })
    .optional(),
  MultiCondition: z
    .object({
      Branches: z.array(z.object({ Condition: simpleConditionSchema, NextActivity: z.string().optional() })),
      DefaultActivity: z.string().optional(),
      EvaluationWaitTime: waitTime.optional(),
    })
    .optional(),
});

export const pinpointJourneySchema = z.looseObject({
  Id: z.string().optional(),
  Name: z.string().min(1),
  State: z.string().optional(),
  StartActivity: z.string(),
  Activities: z.record(z.string(), activitySchema),
  StartCondition: z
    .looseObject({
      Description: z.string().optional(),
      EventStartCondition: z
        .looseObject({
          EventFilter: z.looseObject({ Dimensions: eventDimensions, FilterType: z.string().optional() }).optional(),
          SegmentId: z.string().optional(),
        })
        .optional(),
      SegmentStartCondition: z.object({ SegmentId: z.string() }).optional(),
    })
    .optional(),
  Limits: z
    .looseObject({
      DailyCap: z.number().int().optional(),
      EndpointReentryCap: z.number().int().optional(),
      EndpointReentryInterval: z.string().optional(),
      MessagesPerSecond: z.number().int().optional(),
      TotalCap: z.number().int().optional(),
      TimeframeCap: z.object({ Cap: z.number().int().optional(), Days: z.number().int().optional() }).optional(),
    })
    .optional(),
  QuietTime: z.object({ Start: z.string().optional(), End: z.string().optional() }).optional(),
  LocalTime: z.boolean().optional(),
  Schedule: z
    .looseObject({ StartTime: z.string().optional(), EndTime: z.string().optional(), Timezone: z.string().optional() })
    .optional(),
  RefreshFrequency: z.string().optional(),
});

/** `aws pinpoint get-journey` prints `{ "JourneyResponse": {…} }`; the REST API answers the object itself. */
export function parseGetJourneyOutput(input: unknown) {
  const wrapped = typeof input === 'object' && input !== null && 'JourneyResponse' in input;
  const parsed = pinpointJourneySchema.safeParse(
    wrapped ? (input as { JourneyResponse: unknown }).JourneyResponse : input,
  );
  const prefix = wrapped ? ['JourneyResponse'] : [];
  return parsed.success
    ? ({ success: true, data: parsed.data } as const)
    : ({
        success: false,
        issues: parsed.error.issues.map((i) => ({ path: [...prefix, ...i.path.map(String)], message: i.message })),
      } as const);
}

export type PinpointJourney = z.infer<typeof pinpointJourneySchema>;
export type PinpointActivity = z.infer<typeof activitySchema>;
export type PinpointSimpleCondition = z.infer<typeof simpleConditionSchema>;
