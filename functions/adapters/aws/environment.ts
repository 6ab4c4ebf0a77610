// Parses a Lambda's environment once at cold start and builds the adapters its handler needs.

import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { localClock } from '../local/adjustableClock.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Clock,
  CredentialStore,
  EventStore,
  IngestErrorLog,
  ProfileStore,
  RandomSource,
  UserStateStore,
} from '../../ports.js';
import { tableEnvVar, type TableKey, type TableNames } from '../../tables.js';
import { createDocumentClient, type CapacityTally } from './dynamodb/documentClient.js';
import { DynamoCredentialStore } from './dynamodb/DynamoCredentialStore.js';
import { DynamoEventStore } from './dynamodb/DynamoEventStore.js';
import { DynamoIngestErrorLog } from './dynamodb/DynamoIngestErrorLog.js';
import { DynamoProfileStore } from './dynamodb/DynamoProfileStore.js';
import { DynamoUserStateStore } from './dynamodb/DynamoUserStateStore.js';

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
});

export type RetainEnvironment = z.infer<typeof environmentSchema>;

export function parseEnvironment(env: NodeJS.ProcessEnv = process.env): RetainEnvironment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Retain is misconfigured: ${problems}`);
  }
  return parsed.data;
}

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
  return {
    client,
    tables,
    clock: env.RETAIN_CLOCK === 'local' ? localClock : systemClock,
    random: cryptoRandom,
    events: new DynamoEventStore(client, tables.events, env.EVENT_RETENTION_DAYS),
    profiles: new DynamoProfileStore(client, tables.profiles),
    credentials: new DynamoCredentialStore(client, tables.config),
    ingestErrors: new DynamoIngestErrorLog(client, tables.config),
    userState: new DynamoUserStateStore(client, tables.state),
  };
}
