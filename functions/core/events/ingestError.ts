// A rejected message as the ingest-error log keeps it, so a developer can see why an event went missing.

export type IngestError = {
  receivedAt: string;
  writeKeyId?: string;
  path: string;
  index?: number;
  messageId?: string;
  type?: string;
  event?: string;
  error: string;
};

/** Long enough to debug a release, short enough that the log never becomes a second event store. */
export const INGEST_ERROR_RETENTION_DAYS = 7;
