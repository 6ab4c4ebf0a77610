// What reports need: the event archive, the engine that runs their SQL and the fitted models.

import type { ArchiveRecord } from './archiveRecord.js';
import type { SqlDialect } from './dialect.js';
import type { AnalyticsModel } from './refreshCustomers.js';

/** Every accepted event, flattened, for SQL reports (NDJSON files locally, Firehose → S3 Parquet in AWS). */
export interface EventArchive {
  append(records: ArchiveRecord[]): Promise<void>;
}

/** Runs a report's SQL where the archive is (DuckDB locally, Athena in AWS). */
export interface ReportEngine {
  readonly dialect: SqlDialect;
  query(sql: string): Promise<Record<string, unknown>[]>;
}

export interface AnalyticsModelStore {
  save(model: AnalyticsModel): Promise<void>;
  latest(): Promise<AnalyticsModel | undefined>;
}
