// The local composition root: the same DynamoDB adapters over DynamoDB Local, and in place of SQS, EventBridge
// Scheduler, Firehose, Athena, SES and the push and text providers, their local implementations.

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsContext, storedPorts, type AwsContext } from '../adapters/aws/awsPorts.js';
import type { CapacityTally } from '../adapters/aws/dynamodb/documentClient.js';
import type { Adapters } from '../adapters/Adapters.js';
import { localClock } from '../adapters/local/adjustableClock.js';
import { RecordingTelemetry } from '../adapters/local/RecordingTelemetry.js';
import { LocalCustomerCopies } from '../adapters/local/LocalCustomerCopies.js';
import { DuckDbReportEngine } from '../adapters/local/DuckDbReportEngine.js';
import { LocalEventArchive } from '../adapters/local/LocalEventArchive.js';
import { LocalDeadLetters } from '../adapters/local/LocalDeadLetters.js';
import { LocalOutbox } from '../adapters/local/LocalOutbox.js';
import { LocalScheduler } from '../adapters/local/LocalScheduler.js';
import { LocalImportFiles } from '../adapters/local/LocalImportFiles.js';
import { cryptoRandom } from '../adapters/system.js';
import { tableVariables, type TableNames } from '../tables.js';

export type LocalPortsOptions = {
  dynamoEndpoint: string;
  tables: TableNames;
  /** Where the event archive's NDJSON files go (DuckDB reads them). */
  archiveDir: string;
  /** Where pending schedules and the outbox persist; without it they live in memory. */
  dataDir?: string;
  tally?: CapacityTally;
};

export type LocalPorts = {
  ports: Adapters;
  archive: LocalEventArchive;
  scheduler: LocalScheduler;
  /** The runtime adds its queues and stream poller once it has made them. */
  deadLetters: LocalDeadLetters;
  outbox: LocalOutbox;
  importFiles: LocalImportFiles;
  aws: AwsContext;
};

/** Every handler reads the adjustable clock, so `POST /admin/v1/clock/advance` moves them all. */
export function localPorts(options: LocalPortsOptions): LocalPorts {
  const aws = awsContext({ dynamoEndpoint: options.dynamoEndpoint, clock: localClock, tally: options.tally });
  const stored = storedPorts(aws, {
    ...tableVariables(options.tables),
    EVENT_RETENTION_DAYS: 90,
    JOURNEY_CACHE_TTL_SECONDS: 30,
  });
  const scheduler = new LocalScheduler(aws.clock, options.dataDir && join(options.dataDir, 'schedules.json'));
  const outbox = new LocalOutbox(scheduler, aws.clock, options.dataDir && join(options.dataDir, 'outbox'));
  // Upload URLs are signed with a key of this run: an hour-long URL need not outlive the process.
  const importFiles = new LocalImportFiles(
    options.dataDir ? join(options.dataDir, 'imports') : mkdtempSync(join(tmpdir(), 'retain-imports-')),
    randomBytes(32).toString('base64url'),
    aws.clock,
  );
  const deadLetters = new LocalDeadLetters(aws.clock, options.dataDir && join(options.dataDir, 'dead-letters'));
  deadLetters.follow(scheduler);
  const ports: Adapters = {
    ...stored,
    deadLetters,
    random: cryptoRandom,
    scheduler,
    deferrer: scheduler,
    broadcastPages: scheduler,
    deliveries: outbox,
    reports: new DuckDbReportEngine(options.archiveDir),
    customerCopies: new LocalCustomerCopies(options.archiveDir, outbox, scheduler, aws.clock),
    telemetry: new RecordingTelemetry(),
    importFiles,
  };
  return {
    ports,
    archive: new LocalEventArchive(options.archiveDir),
    scheduler,
    outbox,
    importFiles,
    deadLetters,
    aws,
  };
}
