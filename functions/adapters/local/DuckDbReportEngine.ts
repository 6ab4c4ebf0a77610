// Reports on the local archive with embedded DuckDB (loaded only here: the Lambda bundles never carry it).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { duckdbDialect, type SqlDialect } from '../../core/analytics/dialect.js';
import type { ReportEngine } from '../../core/analytics/ports.js';

type Connection = { runAndReadAll(sql: string): Promise<{ getRowObjectsJson(): Record<string, unknown>[] }> };

export class DuckDbReportEngine implements ReportEngine {
  readonly dialect: SqlDialect;
  private connection?: Promise<Connection>;

  constructor(private readonly archiveDir: string) {
    this.dialect = duckdbDialect(archiveDir);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    // An archive with no events yet is an empty report, not a "no files found" error.
    if (!existsSync(join(this.archiveDir, 'events'))) return [];
    this.connection ??= import('@duckdb/node-api').then(async ({ DuckDBInstance }) =>
      (await DuckDBInstance.create(':memory:')).connect(),
    );
    const reader = await (await this.connection).runAndReadAll(sql);
    return reader.getRowObjectsJson();
  }
}
