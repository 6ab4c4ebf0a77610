// Reports in AWS: the SQL on Athena, in Retain's workgroup (its result location, encryption and
// bytes-scanned limit are enforced there), polled until done, all result pages read.

import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  type AthenaClient,
} from '@aws-sdk/client-athena';
import { athenaDialect, type SqlDialect } from '../../../core/analytics/dialect.js';
import type { ReportEngine } from '../../../core/analytics/ports.js';

export type AthenaConfig = { workGroup: string; database: string; pollMs?: number; timeoutMs?: number };

export class AthenaReportEngine implements ReportEngine {
  readonly dialect: SqlDialect;

  constructor(
    private readonly athena: AthenaClient,
    private readonly config: AthenaConfig,
  ) {
    this.dialect = athenaDialect(config.database);
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const { QueryExecutionId } = await this.athena.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: this.config.workGroup,
        QueryExecutionContext: { Database: this.config.database },
      }),
    );
    const deadline = Date.now() + (this.config.timeoutMs ?? 25_000);
    for (;;) {
      const { QueryExecution } = await this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
      const state = QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED' || state === 'CANCELLED')
        throw new Error(`Athena query ${state.toLowerCase()}: ${QueryExecution?.Status?.StateChangeReason ?? ''}`);
      if (Date.now() > deadline)
        throw new Error(`Athena query ${QueryExecutionId} is still running; try a shorter range`);
      await new Promise((r) => setTimeout(r, this.config.pollMs ?? 250));
    }
    const rows: Record<string, unknown>[] = [];
    let columns: string[] | undefined;
    let NextToken: string | undefined;
    do {
      const page = await this.athena.send(new GetQueryResultsCommand({ QueryExecutionId, NextToken }));
      columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name ?? '') ?? [];
      const types = page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Type ?? 'varchar') ?? [];
      const data = page.ResultSet?.Rows ?? [];
      // The first row of the first page repeats the column names.
      for (const [index, row] of data.entries()) {
        if (!NextToken && index === 0) continue;
        rows.push(Object.fromEntries(columns.map((name, i) => [name, typed(row.Data?.[i]?.VarCharValue, types[i])])));
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return rows;
  }
}

/** Athena returns every value as text: numbers back to numbers, missing values to null. */
function typed(value: string | undefined, type: string): unknown {
  if (value === undefined) return null;
  return /^(tinyint|smallint|integer|bigint|double|real|float|decimal)/.test(type) ? Number(value) : value;
}
