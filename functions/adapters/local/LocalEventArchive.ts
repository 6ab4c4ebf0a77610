// The local event archive: NDJSON files under `<dir>/events/dt=YYYY-MM-DD/`, one file per day per process,
// which DuckDB reads with hive partitioning — the same layout Firehose writes to S3.

import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveRecord } from '../../core/analytics/archiveRecord.js';
import type { EventArchive } from '../../core/analytics/ports.js';

export class LocalEventArchive implements EventArchive {
  private readonly part = `part-${process.pid}-${Date.now().toString(36)}.ndjson`;

  constructor(readonly dir: string) {}

  async append(records: ArchiveRecord[]): Promise<void> {
    const byDay = new Map<string, string[]>();
    for (const record of records) {
      const { dt, ...columns } = record;
      const lines = byDay.get(dt) ?? [];
      lines.push(JSON.stringify(columns));
      byDay.set(dt, lines);
    }
    for (const [dt, lines] of byDay) {
      const folder = join(this.dir, 'events', `dt=${dt}`);
      mkdirSync(folder, { recursive: true });
      appendFileSync(join(folder, this.part), `${lines.join('\n')}\n`);
    }
  }
}
