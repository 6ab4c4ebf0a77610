// Parses a Lambda's environment once at cold start and builds the adapters its handler needs.

import { randomBytes, randomUUID } from 'node:crypto';
import * as z from 'zod';
import { localClock } from '../local/adjustableClock.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AnalyticsModelStore, EventArchive, ReportEngine } from '../../core/analytics/ports.js';
import type { BroadcastPages, BroadcastStore } from '../../core/broadcasts/ports.js';
import type { CredentialStore } from '../../core/credentials/ports.js';
import type { BulkDeliveryQueue, DeliveryDeferrer, DeliveryQueue, FrequencyCaps, MessageLog, SettingsStore, SuppressionList, TemplateStore } from '../../core/delivery/ports.js';
import type { EventStore, IngestErrorLog } from '../../core/events/ports.js';
import type { InstanceStore, JourneyStore, MessageOutcomes, StepScheduler } from '../../core/journeys/ports.js';
import type { MessageMetrics } from '../../core/metrics/ports.js';
import type { ProfileStore, UserStateStore } from '../../core/profiles/ports.js';
import type { SegmentStore } from '../../core/segments/ports.js';
import type { Clock, RandomSource } from '../../core/system/ports.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { JourneyIndexCache } from '../journeyIndexCache.js';
import { CachedSettingsStore } from '../cachedSettings.js';
import { DynamoInstanceStore } from './dynamodb/DynamoInstanceStore.js';
import { DynamoJourneyStore } from './dynamodb/DynamoJourneyStore.js';
import { DynamoSegmentStore } from './dynamodb/DynamoSegmentStore.js';
import { EventBridgeStepScheduler } from './EventBridgeStepScheduler.js';
import { SqsDeliveryQueue } from './SqsDeliveryQueue.js';
import { DelayedSqsSender } from './DelayedSqsSender.js';
import { SqsDeliveryDeferrer } from './SqsDeliveryDeferrer.js';
import { DynamoMessageLog } from './dynamodb/DynamoMessageLog.js';
import { DynamoFrequencyCaps } from './dynamodb/DynamoFrequencyCaps.js';
import { DynamoSettingsStore, DynamoSuppressionList, DynamoTemplateStore } from './dynamodb/DynamoDeliveryConfig.js';
import { tableEnvVar, type TableKey, type TableNames } from '../../tables.js';
import { createDocumentClient, type CapacityTally } from './dynamodb/documentClient.js';
import { DynamoCredentialStore } from './dynamodb/DynamoCredentialStore.js';
import { DynamoEventStore } from './dynamodb/DynamoEventStore.js';
import { DynamoIngestErrorLog } from './dynamodb/DynamoIngestErrorLog.js';
import { DynamoProfileStore } from './dynamodb/DynamoProfileStore.js';
import { DynamoUserStateStore } from './dynamodb/DynamoUserStateStore.js';
import { DynamoBroadcastStore } from './dynamodb/DynamoBroadcastStore.js';
import { DynamoMessageMetrics } from './dynamodb/DynamoMessageMetrics.js';
import { DynamoAnalyticsModelStore } from './dynamodb/DynamoAnalyticsModelStore.js';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { AthenaClient } from '@aws-sdk/client-athena';
import { FirehoseEventArchive } from './analytics/FirehoseEventArchive.js';
import { AthenaReportEngine } from './analytics/AthenaReportEngine.js';
import { LocalEventArchive } from '../local/LocalEventArchive.js';
import { DuckDbReportEngine } from '../local/DuckDbReportEngine.js';
import { athenaDialect } from '../../core/analytics/dialect.js';
import { SqsBroadcastPages } from './SqsBroadcastPages.js';

const tableName = z.string().min(3, 'must name a DynamoDB table');

const environmentSchema = z.object({
  EVENTS_TABLE: tableName,
  PROFILES_TABLE: tableName,
  STATE_TABLE: tableName,
  CONFIG_TABLE: tableName,
  METRICS_TABLE: tableName,
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Only the local runtime and tests set it: DynamoDB Local's address. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** `local` makes every handler read the local runtime's adjustable clock. */
  RETAIN_CLOCK: z.enum(['system', 'local']).default('system'),
  /** How long a container trusts its copy of the live journeys and the delivery settings. */
  JOURNEY_CACHE_TTL_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  // Journeys: where wake-ups and delivery requests go. Required by the functions that run journeys.
  JOURNEY_STEPS_QUEUE_URL: z.url().optional(),
  JOURNEY_STEPS_QUEUE_ARN: z.string().startsWith('arn:').optional(),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:').optional(),
  SCHEDULER_DLQ_ARN: z.string().startsWith('arn:').optional(),
  SCHEDULE_GROUP: z.string().min(1).default('retain'),
  EMAIL_QUEUE_URL: z.url().optional(),
  PUSH_QUEUE_URL: z.url().optional(),
  SMS_QUEUE_URL: z.url().optional(),
  KAKAO_QUEUE_URL: z.url().optional(),
  EMAIL_QUEUE_ARN: z.string().startsWith('arn:').optional(),
  PUSH_QUEUE_ARN: z.string().startsWith('arn:').optional(),
  // Senders: the public API (unsubscribe links) and where their secrets are.
  PUBLIC_API_URL: z.url().optional(),
  UNSUBSCRIBE_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** Locally (or for a quick test) the secret itself instead of a Secrets Manager ARN. */
  UNSUBSCRIBE_SECRET: z.string().min(32).optional(),
  PUSH_CREDENTIALS_SECRET_ARN: z.string().startsWith('arn:').optional(),
  PUSH_CREDENTIALS: z.string().optional(),
  MESSAGING_CREDENTIALS_SECRET_ARN: z.string().startsWith('arn:').optional(),
  MESSAGING_CREDENTIALS: z.string().optional(),
  SMS_QUEUE_ARN: z.string().startsWith('arn:').optional(),
  KAKAO_QUEUE_ARN: z.string().startsWith('arn:').optional(),
  SES_CONFIGURATION_SET: z.string().min(1).default('retain'),
  BROADCAST_QUEUE_URL: z.url().optional(),
  // Analytics: locally a folder (NDJSON + DuckDB); in AWS the Firehose stream and the Athena workgroup.
  ARCHIVE_DIR: z.string().min(1).optional(),
  ARCHIVE_STREAM_NAME: z.string().min(1).optional(),
  ATHENA_WORKGROUP: z.string().min(1).optional(),
  ATHENA_DATABASE: z.string().min(1).optional(),
  BROADCAST_QUEUE_ARN: z.string().startsWith('arn:').optional(),
});

const JOURNEY_VARIABLES = ['JOURNEY_STEPS_QUEUE_URL', 'JOURNEY_STEPS_QUEUE_ARN', 'SCHEDULER_ROLE_ARN', 'SCHEDULER_DLQ_ARN', 'EMAIL_QUEUE_URL', 'PUSH_QUEUE_URL'] as const;

export type RetainEnvironment = z.infer<typeof environmentSchema>;

/** `runsJourneys`: the function schedules wake-ups and enqueues deliveries, so those variables must be set. */
export function parseEnvironment(env: NodeJS.ProcessEnv = process.env, options: { runsJourneys?: boolean } = {}): RetainEnvironment {
  const parsed = environmentSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  if (parsed.success && options.runsJourneys) {
    for (const name of JOURNEY_VARIABLES) if (!parsed.data[name]) problems.push(`${name}: must be set for a function that runs journeys`);
  }
  if (problems.length > 0) throw new Error(`Retain is misconfigured: ${problems.join('; ')}`);
  return parsed.data!;
}

/** Stands in where a function was not configured for journeys; using it is a deployment bug. */
const unconfigured = (what: string) => ({
  schedule: async () => {
    throw new Error(`${what} is not configured in this function`);
  },
  cancel: async () => {
    throw new Error(`${what} is not configured in this function`);
  },
  enqueue: async () => {
    throw new Error(`${what} is not configured in this function`);
  },
  defer: async () => {
    throw new Error(`${what} is not configured in this function`);
  },
  enqueueMany: async () => {
    throw new Error(`${what} is not configured in this function`);
  },
});

const unconfiguredReports: ReportEngine = {
  dialect: athenaDialect('retain'),
  query: async () => {
    throw new Error('the report engine is not configured in this function (ATHENA_WORKGROUP and ATHENA_DATABASE, or ARCHIVE_DIR)');
  },
};

export const systemClock: Clock = { now: () => new Date() };

export const cryptoRandom: RandomSource = {
  secret: (bytes) => randomBytes(bytes).toString('base64url'),
  id: () => randomUUID(),
};

/** Everything a handler may need, built once per container; typed by the ports so tests can swap one. */
export type Adapters = {
  client: DynamoDBDocumentClient;
  tables: TableNames;
  clock: Clock;
  random: RandomSource;
  events: EventStore;
  profiles: ProfileStore;
  credentials: CredentialStore;
  ingestErrors: IngestErrorLog;
  userState: UserStateStore;
  journeys: JourneyStore;
  segments: SegmentStore;
  instances: InstanceStore;
  outcomes: MessageOutcomes;
  scheduler: StepScheduler;
  deliveries: BulkDeliveryQueue;
  journeyIndex: Pick<JourneyIndexCache, 'get' | 'invalidate'>;
  deferrer: DeliveryDeferrer;
  messages: MessageLog;
  suppressions: SuppressionList;
  caps: FrequencyCaps;
  templates: TemplateStore;
  settings: SettingsStore;
  broadcasts: BroadcastStore;
  broadcastPages: BroadcastPages;
  metrics: MessageMetrics;
  archive: EventArchive;
  reports: ReportEngine;
  analyticsModels: AnalyticsModelStore;
};

export function buildAdapters(env: RetainEnvironment, tally?: CapacityTally): Adapters {
  const client = createDocumentClient(
    env.DYNAMODB_ENDPOINT
      ? { endpoint: env.DYNAMODB_ENDPOINT, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
    tally,
  );
  const tables = Object.fromEntries(
    (Object.keys(tableEnvVar) as TableKey[]).map((k) => [k, env[tableEnvVar[k] as keyof RetainEnvironment]]),
  ) as TableNames;
  const clock = env.RETAIN_CLOCK === 'local' ? localClock : systemClock;
  const instances = new DynamoInstanceStore(client, tables.state);
  const journeys = new DynamoJourneyStore(client, tables.config);
  const segments = new DynamoSegmentStore(client, tables.config);
  const sqs = env.JOURNEY_STEPS_QUEUE_URL || env.EMAIL_QUEUE_URL || env.BROADCAST_QUEUE_URL ? new SQSClient({}) : undefined;
  const later =
    sqs && env.SCHEDULER_ROLE_ARN && env.SCHEDULER_DLQ_ARN
      ? new DelayedSqsSender(sqs, new SchedulerClient({}), { roleArn: env.SCHEDULER_ROLE_ARN, deadLetterArn: env.SCHEDULER_DLQ_ARN, groupName: env.SCHEDULE_GROUP }, clock)
      : undefined;
  const queue = (url?: string, arn?: string) => (url && arn ? { queueUrl: url, queueArn: arn } : undefined);
  return {
    client,
    tables,
    clock,
    random: cryptoRandom,
    events: new DynamoEventStore(client, tables.events, env.EVENT_RETENTION_DAYS),
    profiles: new DynamoProfileStore(client, tables.profiles),
    credentials: new DynamoCredentialStore(client, tables.config),
    ingestErrors: new DynamoIngestErrorLog(client, tables.config),
    userState: new DynamoUserStateStore(client, tables.state),
    journeys,
    segments,
    instances,
    outcomes: instances,
    scheduler:
      later && env.JOURNEY_STEPS_QUEUE_URL && env.JOURNEY_STEPS_QUEUE_ARN
        ? new EventBridgeStepScheduler(later, { queueUrl: env.JOURNEY_STEPS_QUEUE_URL, queueArn: env.JOURNEY_STEPS_QUEUE_ARN })
        : unconfigured('the journey scheduler'),
    deferrer: later
      ? new SqsDeliveryDeferrer(later, {
          email: queue(env.EMAIL_QUEUE_URL, env.EMAIL_QUEUE_ARN),
          push: queue(env.PUSH_QUEUE_URL, env.PUSH_QUEUE_ARN),
          sms: queue(env.SMS_QUEUE_URL, env.SMS_QUEUE_ARN),
          kakao: queue(env.KAKAO_QUEUE_URL, env.KAKAO_QUEUE_ARN),
        })
      : unconfigured('the delivery deferrer'),
    messages: new DynamoMessageLog(client, tables.state),
    suppressions: new DynamoSuppressionList(client, tables.config),
    caps: new DynamoFrequencyCaps(client, tables.state),
    templates: new DynamoTemplateStore(client, tables.config),
    settings: new CachedSettingsStore(new DynamoSettingsStore(client, tables.config), clock, env.JOURNEY_CACHE_TTL_SECONDS * 1000),
    deliveries: sqs
      ? new SqsDeliveryQueue(sqs, { email: env.EMAIL_QUEUE_URL, push: env.PUSH_QUEUE_URL, sms: env.SMS_QUEUE_URL, kakao: env.KAKAO_QUEUE_URL }, clock)
      : unconfigured('the delivery queue'),
    broadcasts: new DynamoBroadcastStore(client, tables.config),
    metrics: new DynamoMessageMetrics(client, tables.metrics),
    analyticsModels: new DynamoAnalyticsModelStore(client, tables.config),
    archive: env.ARCHIVE_DIR
      ? new LocalEventArchive(env.ARCHIVE_DIR)
      : env.ARCHIVE_STREAM_NAME
        ? new FirehoseEventArchive(new FirehoseClient({}), env.ARCHIVE_STREAM_NAME)
        : { append: unconfigured('the event archive').enqueue },
    reports: env.ARCHIVE_DIR
      ? new DuckDbReportEngine(env.ARCHIVE_DIR)
      : env.ATHENA_WORKGROUP && env.ATHENA_DATABASE
        ? new AthenaReportEngine(new AthenaClient({}), { workGroup: env.ATHENA_WORKGROUP, database: env.ATHENA_DATABASE })
        : unconfiguredReports,
    broadcastPages:
      later && env.BROADCAST_QUEUE_URL && env.BROADCAST_QUEUE_ARN
        ? new SqsBroadcastPages(later, { queueUrl: env.BROADCAST_QUEUE_URL, queueArn: env.BROADCAST_QUEUE_ARN })
        : { schedule: unconfigured('the broadcast queue').enqueue },
    journeyIndex: new JourneyIndexCache(journeys, segments, clock, env.JOURNEY_CACHE_TTL_SECONDS * 1000),
  };
}
