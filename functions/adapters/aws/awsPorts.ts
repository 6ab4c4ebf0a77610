// The AWS composition root: one builder per port, each from the few parsed variables it needs, so a Lambda
// entry builds exactly its own ports and the compiler checks its schema holds what they read.

import { AthenaClient } from '@aws-sdk/client-athena';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Environment, VariableName } from '../../environment.js';
import type { TableVariables } from '../../tables.js';
import type { Clock } from '../../core/system/ports.js';
import type { Adapters } from '../Adapters.js';
import type { JourneyDeps } from '../../core/journeys/runJourneys.js';
import type { DeliveryDeps } from '../../core/delivery/deliverMessage.js';
import { CachedSettingsStore } from '../cachedSettings.js';
import { JourneyIndexCache } from '../journeyIndexCache.js';
import { systemClock } from '../system.js';
import { createDocumentClient, type CapacityTally } from './dynamodb/documentClient.js';
import { DynamoAnalyticsModelStore } from './dynamodb/DynamoAnalyticsModelStore.js';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ErasedCustomerList } from './analytics/S3ErasedCustomerList.js';
import { DynamoErasureLog } from './dynamodb/DynamoErasureLog.js';
import { DynamoImportJobStore } from './dynamodb/DynamoImportJobStore.js';
import { DynamoConsentLedger } from './dynamodb/DynamoConsentLedger.js';
import { DynamoBroadcastStore } from './dynamodb/DynamoBroadcastStore.js';
import { DynamoCatalogStore } from './dynamodb/DynamoCatalogStore.js';
import { DynamoCouponStore } from './dynamodb/DynamoCouponStore.js';
import { DynamoAuditLog } from './dynamodb/DynamoAuditLog.js';
import { DynamoApprovalStore } from './dynamodb/DynamoApprovalStore.js';
import { DynamoCredentialStore } from './dynamodb/DynamoCredentialStore.js';
import { DynamoSettingsStore, DynamoSuppressionList, DynamoTemplateStore } from './dynamodb/DynamoDeliveryConfig.js';
import { DynamoEventStore } from './dynamodb/DynamoEventStore.js';
import { DynamoFrequencyCaps } from './dynamodb/DynamoFrequencyCaps.js';
import { DynamoIngestErrorLog } from './dynamodb/DynamoIngestErrorLog.js';
import { DynamoInstanceStore } from './dynamodb/DynamoInstanceStore.js';
import { DynamoJourneyStore } from './dynamodb/DynamoJourneyStore.js';
import { DynamoMessageLog } from './dynamodb/DynamoMessageLog.js';
import { DynamoMessageMetrics } from './dynamodb/DynamoMessageMetrics.js';
import { DynamoProfileStore, type ManyWrites } from './dynamodb/DynamoProfileStore.js';
import { SqsDeadLetters } from './SqsDeadLetters.js';
import { DynamoSegmentStore } from './dynamodb/DynamoSegmentStore.js';
import { DynamoUserStateStore } from './dynamodb/DynamoUserStateStore.js';
import { DelayedSqsSender } from './DelayedSqsSender.js';
import { EventBridgeStepScheduler } from './EventBridgeStepScheduler.js';
import { SqsBroadcastPages } from './SqsBroadcastPages.js';
import { S3ImportFiles } from './S3ImportFiles.js';
import { SqsImportChunks } from './SqsImportChunks.js';
import { SqsDeliveryDeferrer } from './SqsDeliveryDeferrer.js';
import { SqsDeliveryQueue } from './SqsDeliveryQueue.js';
import { AthenaReportEngine } from './analytics/AthenaReportEngine.js';
import { FirehoseEventArchive } from './analytics/FirehoseEventArchive.js';

/** The clients a container shares; the SQS and Scheduler clients are made only if a port needs them. */
export type AwsContext = {
  dynamo: DynamoDBDocumentClient;
  clock: Clock;
  sqs(): SQSClient;
  scheduler(): SchedulerClient;
  /** Transactions against DynamoDB Local, which bills nothing and is bound by requests; items in AWS. */
  manyProfileWrites: ManyWrites;
};

/** `dynamoEndpoint`: DynamoDB Local (the local runtime and the tests); `tally`: the benchmark's capacity count. */
export function awsContext(
  options: { dynamoEndpoint?: string; clock?: Clock; tally?: CapacityTally } = {},
): AwsContext {
  const local = options.dynamoEndpoint
    ? {
        endpoint: options.dynamoEndpoint,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }
    : {};
  let sqs: SQSClient | undefined;
  let scheduler: SchedulerClient | undefined;
  return {
    dynamo: createDocumentClient(local, options.tally),
    clock: options.clock ?? systemClock,
    sqs: () => (sqs ??= new SQSClient({})),
    scheduler: () => (scheduler ??= new SchedulerClient({})),
    manyProfileWrites: options.dynamoEndpoint ? 'transactions' : 'items',
  };
}

type Vars<K extends VariableName> = Pick<Environment, K>;
type Config = Vars<'CONFIG_TABLE'>;
type State = Vars<'STATE_TABLE'>;
type Cached = Vars<'CONFIG_TABLE' | 'JOURNEY_CACHE_TTL_SECONDS'>;

export const eventStore = (aws: AwsContext, env: Vars<'EVENTS_TABLE' | 'EVENT_RETENTION_DAYS'>) =>
  new DynamoEventStore(aws.dynamo, env.EVENTS_TABLE, env.EVENT_RETENTION_DAYS);
export const profileStore = (aws: AwsContext, env: Vars<'PROFILES_TABLE'>) =>
  new DynamoProfileStore(aws.dynamo, env.PROFILES_TABLE, aws.manyProfileWrites);
export const credentialStore = (aws: AwsContext, env: Config) =>
  new DynamoCredentialStore(aws.dynamo, env.CONFIG_TABLE);
export const ingestErrorLog = (aws: AwsContext, env: Config) => new DynamoIngestErrorLog(aws.dynamo, env.CONFIG_TABLE);
export const journeyStore = (aws: AwsContext, env: Config) => new DynamoJourneyStore(aws.dynamo, env.CONFIG_TABLE);
export const segmentStore = (aws: AwsContext, env: Config) => new DynamoSegmentStore(aws.dynamo, env.CONFIG_TABLE);
export const suppressionList = (aws: AwsContext, env: Config) =>
  new DynamoSuppressionList(aws.dynamo, env.CONFIG_TABLE);
export const templateStore = (aws: AwsContext, env: Config) => new DynamoTemplateStore(aws.dynamo, env.CONFIG_TABLE);
export const broadcastStore = (aws: AwsContext, env: Config) => new DynamoBroadcastStore(aws.dynamo, env.CONFIG_TABLE);
export const couponStore = (aws: AwsContext, env: Config) => new DynamoCouponStore(aws.dynamo, env.CONFIG_TABLE);
export const catalogStore = (aws: AwsContext, env: Config) => new DynamoCatalogStore(aws.dynamo, env.CONFIG_TABLE);
export const analyticsModelStore = (aws: AwsContext, env: Config) =>
  new DynamoAnalyticsModelStore(aws.dynamo, env.CONFIG_TABLE);
export const erasureLog = (aws: AwsContext, env: Config) => new DynamoErasureLog(aws.dynamo, env.CONFIG_TABLE);
export const approvalStore = (aws: AwsContext, env: Config) => new DynamoApprovalStore(aws.dynamo, env.CONFIG_TABLE);
export const importJobStore = (aws: AwsContext, env: Config) => new DynamoImportJobStore(aws.dynamo, env.CONFIG_TABLE);
export const instanceStore = (aws: AwsContext, env: State) => new DynamoInstanceStore(aws.dynamo, env.STATE_TABLE);
export const userStateStore = (aws: AwsContext, env: State) => new DynamoUserStateStore(aws.dynamo, env.STATE_TABLE);
export const messageLog = (aws: AwsContext, env: State) => new DynamoMessageLog(aws.dynamo, env.STATE_TABLE);
export const consentLedger = (aws: AwsContext, env: State) => new DynamoConsentLedger(aws.dynamo, env.STATE_TABLE);
export const frequencyCaps = (aws: AwsContext, env: State) => new DynamoFrequencyCaps(aws.dynamo, env.STATE_TABLE);
export const messageMetrics = (aws: AwsContext, env: Vars<'METRICS_TABLE'>) =>
  new DynamoMessageMetrics(aws.dynamo, env.METRICS_TABLE);

/** The delivery settings, trusted for the cache period (every send reads them). */
export const settingsStore = (aws: AwsContext, env: Cached) =>
  new CachedSettingsStore(
    new DynamoSettingsStore(aws.dynamo, env.CONFIG_TABLE),
    aws.clock,
    env.JOURNEY_CACHE_TTL_SECONDS * 1000,
  );

/** The live journeys and their segments, trusted for the cache period. */
export const journeyIndex = (aws: AwsContext, env: Cached) =>
  new JourneyIndexCache(
    journeyStore(aws, env),
    segmentStore(aws, env),
    aws.clock,
    env.JOURNEY_CACHE_TTL_SECONDS * 1000,
  );

type Scheduling = Vars<'SCHEDULER_ROLE_ARN' | 'SCHEDULER_DLQ_ARN' | 'SCHEDULE_GROUP'>;

/** Sends to a queue now, with an SQS delay, or through a one-time EventBridge schedule. */
const delayedSender = (aws: AwsContext, env: Scheduling) =>
  new DelayedSqsSender(
    aws.sqs(),
    aws.scheduler(),
    { roleArn: env.SCHEDULER_ROLE_ARN, deadLetterArn: env.SCHEDULER_DLQ_ARN, groupName: env.SCHEDULE_GROUP },
    aws.clock,
  );

export const stepScheduler = (
  aws: AwsContext,
  env: Scheduling & Vars<'JOURNEY_STEPS_QUEUE_URL' | 'JOURNEY_STEPS_QUEUE_ARN'>,
) =>
  new EventBridgeStepScheduler(delayedSender(aws, env), {
    queueUrl: env.JOURNEY_STEPS_QUEUE_URL,
    queueArn: env.JOURNEY_STEPS_QUEUE_ARN,
  });

type ChannelQueueUrls = Vars<'EMAIL_QUEUE_URL' | 'PUSH_QUEUE_URL' | 'SMS_QUEUE_URL' | 'KAKAO_QUEUE_URL'>;
type ChannelQueueArns = Vars<'EMAIL_QUEUE_ARN' | 'PUSH_QUEUE_ARN' | 'SMS_QUEUE_ARN' | 'KAKAO_QUEUE_ARN'>;

export const deliveryQueue = (aws: AwsContext, env: ChannelQueueUrls) =>
  new SqsDeliveryQueue(
    aws.sqs(),
    { email: env.EMAIL_QUEUE_URL, push: env.PUSH_QUEUE_URL, sms: env.SMS_QUEUE_URL, kakao: env.KAKAO_QUEUE_URL },
    aws.clock,
  );

export const deliveryDeferrer = (aws: AwsContext, env: Scheduling & ChannelQueueUrls & ChannelQueueArns) =>
  new SqsDeliveryDeferrer(delayedSender(aws, env), {
    email: { queueUrl: env.EMAIL_QUEUE_URL, queueArn: env.EMAIL_QUEUE_ARN },
    push: { queueUrl: env.PUSH_QUEUE_URL, queueArn: env.PUSH_QUEUE_ARN },
    sms: { queueUrl: env.SMS_QUEUE_URL, queueArn: env.SMS_QUEUE_ARN },
    kakao: { queueUrl: env.KAKAO_QUEUE_URL, queueArn: env.KAKAO_QUEUE_ARN },
  });

export const broadcastPages = (
  aws: AwsContext,
  env: Scheduling & Vars<'BROADCAST_QUEUE_URL' | 'BROADCAST_QUEUE_ARN'>,
) =>
  new SqsBroadcastPages(delayedSender(aws, env), {
    queueUrl: env.BROADCAST_QUEUE_URL,
    queueArn: env.BROADCAST_QUEUE_ARN,
  });

export const eventArchive = (_aws: AwsContext, env: Vars<'ARCHIVE_STREAM_NAME'>) =>
  new FirehoseEventArchive(new FirehoseClient({}), env.ARCHIVE_STREAM_NAME);

/** In AWS the customer's copy outside the tables is the S3 archive: its erased-customer list (see docs/api.md). */
export const erasedCustomerList = (aws: AwsContext, env: Vars<'ARCHIVE_BUCKET'>) =>
  new S3ErasedCustomerList(new S3Client({}), env.ARCHIVE_BUCKET, aws.clock);

export const reportEngine = (_aws: AwsContext, env: Vars<'ATHENA_WORKGROUP' | 'ATHENA_DATABASE'>) =>
  new AthenaReportEngine(new AthenaClient({}), { workGroup: env.ATHENA_WORKGROUP, database: env.ATHENA_DATABASE });

export const importFiles = (aws: AwsContext, env: Vars<'IMPORTS_BUCKET'>) =>
  new S3ImportFiles(new S3Client({}), env.IMPORTS_BUCKET, aws.clock);

/** The stack's dead-letter queues by their label, read by name under the account's SQS address. */
export const deadLetterBacklog = (aws: AwsContext, env: Vars<'DEAD_LETTER_QUEUES' | 'DEAD_LETTER_QUEUE_BASE'>) =>
  new SqsDeadLetters(aws.sqs(), env.DEAD_LETTER_QUEUE_BASE, env.DEAD_LETTER_QUEUES);

export const importChunkQueue = (aws: AwsContext, env: Vars<'IMPORT_CHUNKS_QUEUE_URL'>) =>
  new SqsImportChunks(aws.sqs(), env.IMPORT_CHUNKS_QUEUE_URL);

/** What running a journey takes (entering, advancing, scheduling wake-ups, enqueueing deliveries). */
export function journeyPorts(
  aws: AwsContext,
  env: Vars<'PROFILES_TABLE' | 'STATE_TABLE' | 'JOURNEY_STEPS_QUEUE_URL' | 'JOURNEY_STEPS_QUEUE_ARN'> &
    Scheduling &
    ChannelQueueUrls,
): JourneyDeps {
  const instances = instanceStore(aws, env);
  return {
    instances,
    outcomes: instances,
    scheduler: stepScheduler(aws, env),
    deliveries: deliveryQueue(aws, env),
    profiles: profileStore(aws, env),
  };
}

/** Feedback on a sent message (delivered, opened, bounced …): its log row and the live counters. */
export const feedbackPorts = (aws: AwsContext, env: Vars<'STATE_TABLE' | 'METRICS_TABLE'>) => ({
  messages: messageLog(aws, env),
  metrics: messageMetrics(aws, env),
});

/** The stores of a sender, everything deliverMessage needs but the providers and the unsubscribe link. */
export type DeliveryPorts = Omit<DeliveryDeps, 'mailer' | 'push' | 'messaging' | 'unsubscribe' | 'telemetry'>;

export function deliveryPorts(
  aws: AwsContext,
  env: Omit<TableVariables, 'AUDIT_TABLE'> &
    Vars<'JOURNEY_CACHE_TTL_SECONDS'> &
    Scheduling &
    ChannelQueueUrls &
    ChannelQueueArns,
): DeliveryPorts {
  return {
    ...feedbackPorts(aws, env),
    profiles: profileStore(aws, env),
    suppressions: suppressionList(aws, env),
    caps: frequencyCaps(aws, env),
    templates: templateStore(aws, env),
    settings: settingsStore(aws, env),
    deferrer: deliveryDeferrer(aws, env),
    deliveries: deliveryQueue(aws, env),
    broadcasts: broadcastStore(aws, env),
    coupons: couponStore(aws, env),
    catalog: catalogStore(aws, env),
  };
}

/** The ports held in the tables: all of them, for the admin API, the local runtime and the tests. */
export type StoredPorts = Omit<
  Adapters,
  | 'scheduler'
  | 'deliveries'
  | 'deferrer'
  | 'broadcastPages'
  | 'reports'
  | 'random'
  | 'customerCopies'
  | 'telemetry'
  | 'importFiles'
  | 'deadLetters'
>;

export function storedPorts(
  aws: AwsContext,
  env: TableVariables & Vars<'EVENT_RETENTION_DAYS' | 'JOURNEY_CACHE_TTL_SECONDS'>,
): StoredPorts {
  const instances = instanceStore(aws, env);
  return {
    clock: aws.clock,
    events: eventStore(aws, env),
    profiles: profileStore(aws, env),
    credentials: credentialStore(aws, env),
    ingestErrors: ingestErrorLog(aws, env),
    userState: userStateStore(aws, env),
    erasures: erasureLog(aws, env),
    journeys: journeyStore(aws, env),
    segments: segmentStore(aws, env),
    instances,
    outcomes: instances,
    messages: messageLog(aws, env),
    suppressions: suppressionList(aws, env),
    caps: frequencyCaps(aws, env),
    templates: templateStore(aws, env),
    settings: settingsStore(aws, env),
    broadcasts: broadcastStore(aws, env),
    metrics: messageMetrics(aws, env),
    analyticsModels: analyticsModelStore(aws, env),
    journeyIndex: journeyIndex(aws, env),
    coupons: couponStore(aws, env),
    catalog: catalogStore(aws, env),
    consentLedger: consentLedger(aws, env),
    imports: importJobStore(aws, env),
    approvals: approvalStore(aws, env),
    audit: new DynamoAuditLog(aws.dynamo, env.AUDIT_TABLE),
  };
}
