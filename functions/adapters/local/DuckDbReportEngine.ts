// Reports on the local archive with embedded DuckDB (loaded only here: the Lambda bundles never carry it).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { duckdbDialect, ERASED_FOLDER, type SqlDialect } from '../../core/analytics/dialect.js';
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
    // The reports anti-join the erased-customer list; an empty list must be a file, not "no files found".
    const erased = join(this.archiveDir, ERASED_FOLDER);
    if (!existsSync(erased)) {
      mkdirSync(erased, { recursive: true });
      writeFileSync(join(erased, 'none.ndjson'), '');
    }
    this.connection ??= import('@duckdb/node-api').then(async ({ DuckDBInstance }) =>
      (await DuckDBInstance.create(':memory:')).connect(),
    );
    const reader = await (await this.connection).runAndReadAll(sql);
    return reader.getRowObjectsJson();
  }
}
