// The Lambdas' environment variables, each named once with its schema: lib/ sets them, the entries parse them.

import * as z from 'zod';

const tableName = z.string().min(3, 'must name a DynamoDB table');
const queueUrl = z.url();
const arn = z.string().startsWith('arn:');
const name = z.string().min(1);
// The shape aws-jwt-verify accepts (<region>_<id>); checked here so a wrong value stops the entry with its name.
const userPoolId = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d_[a-zA-Z0-9]+$/, 'must be a Cognito user pool id (<region>_<id>)');

/** Every variable a Retain Lambda may read. A Lambda's schema picks the ones it uses (see lambdas/schemas.ts). */
export const variables = {
  EVENTS_TABLE: tableName,
  PROFILES_TABLE: tableName,
  STATE_TABLE: tableName,
  CONFIG_TABLE: tableName,
  METRICS_TABLE: tableName,
  AUDIT_TABLE: tableName,
  // People signing in: the Cognito user pool whose access tokens the admin authorizer accepts (absent: tokens only).
  TEAM_USER_POOL_ID: userPoolId.optional(),
  TEAM_CLIENT_ID: name.optional(),
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** How long a container trusts its copy of the live journeys and the delivery settings. */
  JOURNEY_CACHE_TTL_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  // Journeys: where wake-ups go, and who EventBridge Scheduler acts as.
  JOURNEY_STEPS_QUEUE_URL: queueUrl,
  JOURNEY_STEPS_QUEUE_ARN: arn,
  SCHEDULER_ROLE_ARN: arn,
  SCHEDULER_DLQ_ARN: arn,
  SCHEDULE_GROUP: name.default('retain'),
  // The channel queues: URLs to enqueue, ARNs for a deferral that goes through a one-time schedule.
  EMAIL_QUEUE_URL: queueUrl,
  PUSH_QUEUE_URL: queueUrl,
  SMS_QUEUE_URL: queueUrl,
  KAKAO_QUEUE_URL: queueUrl,
  EMAIL_QUEUE_ARN: arn,
  PUSH_QUEUE_ARN: arn,
  SMS_QUEUE_ARN: arn,
  KAKAO_QUEUE_ARN: arn,
  BROADCAST_QUEUE_URL: queueUrl,
  BROADCAST_QUEUE_ARN: arn,
  // Senders: the public API (unsubscribe links), SES, and where their secrets are.
  PUBLIC_API_URL: z.url(),
  SES_CONFIGURATION_SET: name.default('retain'),
  UNSUBSCRIBE_SECRET_ARN: arn,
  PUSH_CREDENTIALS_SECRET_ARN: arn,
  MESSAGING_CREDENTIALS_SECRET_ARN: arn,
  // Analytics: the Firehose stream of the archive, and where reports run on Athena.
  ARCHIVE_STREAM_NAME: name,
  ATHENA_WORKGROUP: name,
  ATHENA_DATABASE: name,
  /** The archive bucket: the admin API writes the erased-customer list there. */
  ARCHIVE_BUCKET: name,
  // Imports: the bucket uploaded files wait in, and the queue of their chunks.
  IMPORTS_BUCKET: name,
  IMPORT_CHUNKS_QUEUE_URL: queueUrl,
  // The dead-letter queues the console's Home counts: `label=queue-name,…` under the account's SQS address (names,
  // not URLs, keep the admin's environment well under Lambda's 4 KB).
  DEAD_LETTER_QUEUES: z
    .string()
    .regex(/^[a-z-]+=[\w-]{1,80}(,[a-z-]+=[\w-]{1,80})*$/, 'must be label=queue-name pairs separated by commas')
    .transform((list) => Object.fromEntries(list.split(',').map((pair) => pair.split('=') as [string, string]))),
  DEAD_LETTER_QUEUE_BASE: z.url(),
} as const;

export type VariableName = keyof typeof variables;

/** The names as constants, so a typo in lib/ is a compile error rather than a Lambda that fails at cold start. */
export const ENV = Object.fromEntries(Object.keys(variables).map((k) => [k, k])) as { readonly [K in VariableName]: K };

/** Parsed values, by variable. */
export type Environment = { [K in VariableName]: z.output<(typeof variables)[K]> };

/** The schema of a Lambda that reads exactly these variables (others in the environment are ignored). */
export function environmentSchema<K extends VariableName>(...names: K[]) {
  const shape = Object.fromEntries(names.map((n) => [n, variables[n]])) as { [P in K]: (typeof variables)[P] };
  return z.object(shape);
}

/** Parsed once at cold start: a missing or malformed variable stops the container with every problem named. */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new Error(`Retain is misconfigured: ${problems.join('; ')}`);
}
