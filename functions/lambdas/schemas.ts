// Each Lambda's environment schema: exactly the variables its entry reads. The infra test feeds every
// synthesized function's environment to its schema, so lib/ and functions/ cannot drift apart.

import { environmentSchema } from '../environment.js';

const TABLES = ['EVENTS_TABLE', 'PROFILES_TABLE', 'STATE_TABLE', 'CONFIG_TABLE', 'METRICS_TABLE'] as const;
const CACHE = 'JOURNEY_CACHE_TTL_SECONDS';
const SCHEDULING = ['SCHEDULER_ROLE_ARN', 'SCHEDULER_DLQ_ARN', 'SCHEDULE_GROUP'] as const;
const CHANNEL_QUEUE_URLS = ['EMAIL_QUEUE_URL', 'PUSH_QUEUE_URL', 'SMS_QUEUE_URL', 'KAKAO_QUEUE_URL'] as const;
const CHANNEL_QUEUE_ARNS = ['EMAIL_QUEUE_ARN', 'PUSH_QUEUE_ARN', 'SMS_QUEUE_ARN', 'KAKAO_QUEUE_ARN'] as const;
const STEPS_QUEUE = ['JOURNEY_STEPS_QUEUE_URL', 'JOURNEY_STEPS_QUEUE_ARN'] as const;
const JOURNEYS = [
  'PROFILES_TABLE',
  'STATE_TABLE',
  'CONFIG_TABLE',
  CACHE,
  ...STEPS_QUEUE,
  ...SCHEDULING,
  ...CHANNEL_QUEUE_URLS,
] as const;
const SECRETS = ['UNSUBSCRIBE_SECRET_ARN', 'PUSH_CREDENTIALS_SECRET_ARN', 'MESSAGING_CREDENTIALS_SECRET_ARN'] as const;
const SENDING = [...TABLES, CACHE, ...SCHEDULING, ...CHANNEL_QUEUE_URLS, ...CHANNEL_QUEUE_ARNS, ...SECRETS] as const;

/** By the name each function has in `handlerEntries` (lib/bundling.ts). */
export const lambdaSchemas = {
  ingest: environmentSchema('EVENTS_TABLE', 'CONFIG_TABLE', 'EVENT_RETENTION_DAYS'),
  adminAuthorizer: environmentSchema('CONFIG_TABLE', 'TEAM_USER_POOL_ID', 'TEAM_CLIENT_ID'),
  admin: environmentSchema(
    ...SENDING,
    'AUDIT_TABLE',
    'EVENT_RETENTION_DAYS',
    ...STEPS_QUEUE,
    'BROADCAST_QUEUE_URL',
    'BROADCAST_QUEUE_ARN',
    'PUBLIC_API_URL',
    'SES_CONFIGURATION_SET',
    'ATHENA_WORKGROUP',
    'ATHENA_DATABASE',
    'ARCHIVE_BUCKET',
    'IMPORTS_BUCKET',
    'DEAD_LETTER_QUEUES',
    'DEAD_LETTER_QUEUE_BASE',
  ),
  processEvents: environmentSchema(...JOURNEYS, 'METRICS_TABLE', 'EVENTS_TABLE', 'EVENT_RETENTION_DAYS'),
  journeyStep: environmentSchema(...JOURNEYS),
  sendMessage: environmentSchema(...SENDING, 'PUBLIC_API_URL', 'SES_CONFIGURATION_SET'),
  sesEvents: environmentSchema('EVENTS_TABLE', 'EVENT_RETENTION_DAYS', 'STATE_TABLE', 'CONFIG_TABLE', 'METRICS_TABLE'),
  unsubscribe: environmentSchema(
    'EVENTS_TABLE',
    'EVENT_RETENTION_DAYS',
    'STATE_TABLE',
    'METRICS_TABLE',
    'UNSUBSCRIBE_SECRET_ARN',
  ),
  providerReports: environmentSchema(
    'EVENTS_TABLE',
    'EVENT_RETENTION_DAYS',
    'STATE_TABLE',
    'CONFIG_TABLE',
    'METRICS_TABLE',
    'MESSAGING_CREDENTIALS_SECRET_ARN',
  ),
  broadcastFanOut: environmentSchema(
    'PROFILES_TABLE',
    'CONFIG_TABLE',
    CACHE,
    ...SCHEDULING,
    ...CHANNEL_QUEUE_URLS,
    'BROADCAST_QUEUE_URL',
    'BROADCAST_QUEUE_ARN',
  ),
  archiveEvents: environmentSchema('ARCHIVE_STREAM_NAME'),
  dailyRefresh: environmentSchema(
    'PROFILES_TABLE',
    'CONFIG_TABLE',
    CACHE,
    'ATHENA_WORKGROUP',
    'ATHENA_DATABASE',
    'STATE_TABLE',
    ...CHANNEL_QUEUE_URLS,
  ),
  archiveErasure: environmentSchema('CONFIG_TABLE', 'ATHENA_WORKGROUP', 'ATHENA_DATABASE', 'ARCHIVE_BUCKET'),
  importFile: environmentSchema('CONFIG_TABLE', 'IMPORTS_BUCKET', 'IMPORT_CHUNKS_QUEUE_URL'),
  importChunks: environmentSchema('CONFIG_TABLE', 'PROFILES_TABLE', 'EVENTS_TABLE', 'EVENT_RETENTION_DAYS'),
};

export type LambdaName = keyof typeof lambdaSchemas;
