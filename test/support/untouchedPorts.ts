// Ports that fail the test (or the benchmark) if anything calls them.

import { athenaDialect } from '../../functions/core/analytics/dialect.js';
import { RecordingTelemetry } from '../../functions/adapters/local/RecordingTelemetry.js';

const untouched = () => {
  throw new Error('a port was called');
};

export function untouchedJourneyPorts() {
  return {
    instances: { enter: untouched, get: untouched, save: untouched, listActive: untouched, list: untouched },
    scheduler: { schedule: untouched, cancel: untouched },
    deliveries: { enqueue: untouched },
    profiles: {
      get: untouched,
      getMany: untouched,
      write: untouched,
      writeMany: untouched,
      delete: untouched,
      scan: untouched,
      audiencePage: untouched,
      findByAddress: untouched,
    },
    outcomes: { outcomesOf: untouched },
  };
}

/** The ports outside the tables (queues, schedules, Athena) for tests that run on DynamoDB Local alone. */
export function unconfiguredPorts() {
  return {
    scheduler: { schedule: untouched, cancel: untouched },
    deliveries: { enqueue: untouched, enqueueMany: untouched },
    deferrer: { defer: untouched },
    broadcastPages: { schedule: untouched },
    reports: { dialect: athenaDialect('retain'), query: untouched },
    // Tests on DynamoDB Local alone have no archive or outbox: an erasure finds no copies outside the tables.
    customerCopies: { erase: async () => [] },
    telemetry: new RecordingTelemetry(),
    importFiles: { uploadUrl: untouched, read: untouched, remove: untouched },
    // No queues here, so none holds a dead letter.
    deadLetters: { counts: async () => [] },
  };
}
