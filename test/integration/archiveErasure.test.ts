// The archive rewrite for erasures, on real Parquet partitions read and written by DuckDB (the statements Athena
// runs in AWS are checked for shape below), with erasure records in DynamoDB Local.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { DuckDbReportEngine } from '../../functions/adapters/local/DuckDbReportEngine.js';
import {
  type ArchiveObjects,
  type ArchiveRewriteSql,
  ArchivePartitionRewriter,
  athenaRewriteSql,
} from '../../functions/adapters/aws/analytics/ArchivePartitionRewriter.js';
import { ARCHIVE_COLUMNS } from '../../functions/core/analytics/archiveRecord.js';
import { literal } from '../../functions/core/analytics/dialect.js';
import { ARCHIVE_STEP, archiveErasureJob } from '../../functions/core/profiles/archiveErasure.js';
import { erasedCustomerHash, type ErasureRecord } from '../../functions/core/profiles/erasure.js';
import { freshTables, type TestTables } from '../support/tables.js';

/** The archive folder as the S3 bucket's keys. */
class FolderObjects implements ArchiveObjects {
  constructor(private readonly root: string) {}
  async list(prefix: string): Promise<string[]> {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [relative(this.root, join(dir, e.name))],
      );
    const start = join(this.root, prefix);
    try {
      return walk(start).sort();
    } catch {
      return [];
    }
  }
  async copy(from: string, to: string) {
    mkdirSync(dirname(join(this.root, to)), { recursive: true });
    copyFileSync(join(this.root, from), join(this.root, to));
  }
  async delete(keys: string[]) {
    for (const key of keys) rmSync(join(this.root, key), { force: true });
  }
  async read(key: string) {
    try {
      return readFileSync(join(this.root, key), 'utf8');
    } catch {
      return undefined;
    }
  }
  async write(key: string, body: string) {
    mkdirSync(dirname(join(this.root, key)), { recursive: true });
    writeFileSync(join(this.root, key), body);
  }
}

/** The same two statements in DuckDB: the listed objects are read by name, as `"$path"` pins them in Athena. */
const duckdbRewriteSql = (root: string): ArchiveRewriteSql => ({
  affected: (hashes) =>
    `SELECT dt, sha256(customer) AS hash, count(*) AS "rows" FROM read_parquet(${literal(`${root}/events/*/*`)}, ` +
    `hive_partitioning = true) WHERE sha256(customer) IN (${hashes.map(literal).join(', ')}) GROUP BY 1, 2`,
  rewrite: ({ sources, hashes, stagingPrefix }) => {
    mkdirSync(join(root, stagingPrefix), { recursive: true });
    return (
      `COPY (SELECT ${Object.keys(ARCHIVE_COLUMNS).join(', ')} FROM read_parquet([${sources.map((s) => literal(join(root, s))).join(', ')}]) ` +
      `WHERE sha256(customer) NOT IN (${hashes.map(literal).join(', ')})) ` +
      `TO ${literal(join(root, stagingPrefix, 'part-0.parquet'))} (FORMAT PARQUET)`
    );
  },
});

let root: string;
let engine: DuckDbReportEngine;
let t: TestTables;
let now: Date;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'retain-archive-erasure-'));
  engine = new DuckDbReportEngine(root);
  now = new Date('2026-12-04T16:00:00Z');
  t = await freshTables();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Writes one Firehose-like object (no extension) of rows for these customers in a day partition. */
async function archived(dt: string, name: string, customers: string[]) {
  mkdirSync(join(root, 'events', `dt=${dt}`), { recursive: true });
  const rows = customers
    .map(
      (c, i) =>
        `(${literal(`${name}-${i}`)}, ${literal(c)}, ${literal(c.slice(2))}, NULL, 'track', 'Order Completed', ` +
        `'${dt}T10:00:00Z', '${dt}T10:00:01Z', '{}', NULL, 'ios', ${i + 1}.0)`,
    )
    .join(', ');
  await engine.query(
    `COPY (SELECT * FROM (VALUES ${rows}) AS t(${Object.keys(ARCHIVE_COLUMNS).join(', ')})) ` +
      `TO ${literal(join(root, 'events', `dt=${dt}`, name))} (FORMAT PARQUET)`,
  );
}

async function customersIn(dt: string): Promise<string[]> {
  const rows = await engine.query(
    `SELECT customer FROM read_parquet(${literal(`${root}/events/dt=${dt}/*`)}) ORDER BY customer, id`,
  );
  return rows.map((r) => String(r.customer));
}

function pendingErasure(id: string): ErasureRecord {
  return {
    id,
    requestedAt: '2026-12-04T09:00:00.000Z',
    completedAt: '2026-12-04T09:00:01.000Z',
    keys: 1,
    steps: [
      { where: 'profiles table', removed: 1, at: '2026-12-04T09:00:01.000Z' },
      { where: ARCHIVE_STEP, removed: 0, at: '2026-12-04T09:00:01.000Z', pending: true },
    ],
    kept: [],
  };
}

function job(objects: ArchiveObjects, erased: Record<string, string[]>) {
  return archiveErasureJob({
    erasures: t.adapters.erasures,
    erasedList: { hashes: async (id) => erased[id] ?? [] },
    archive: new ArchivePartitionRewriter(engine, duckdbRewriteSql(root), objects),
    clock: { now: () => now },
  });
}

describe('the archive rewrite for erasures', () => {
  it('rewrites only the partitions that hold the erased customer, keeps everyone else, and completes the record', async () => {
    await archived('2026-11-01', 'firehose-a', ['u:alice', 'u:bob', 'u:alice']);
    await archived('2026-11-01', 'firehose-b', ['u:bob']);
    await archived('2026-11-02', 'firehose-c', ['u:carol']);
    const untouched = statSync(join(root, 'events/dt=2026-11-02/firehose-c')).mtimeMs;
    await t.adapters.erasures.save(pendingErasure('er-1'));
    expect((await t.adapters.erasures.pending()).map((r) => r.id)).toEqual(['er-1']);

    const result = await job(new FolderObjects(root), { 'er-1': [erasedCustomerHash('u:alice')] })();

    expect(result).toMatchObject({ erasures: ['er-1'], partitions: ['2026-11-01'], removed: 2 });
    expect(await customersIn('2026-11-01')).toEqual(['u:bob', 'u:bob']);
    expect(await customersIn('2026-11-02')).toEqual(['u:carol']);
    expect(statSync(join(root, 'events/dt=2026-11-02/firehose-c')).mtimeMs).toBe(untouched);
    expect(readdirSync(join(root, 'events/dt=2026-11-01'))).toEqual([`erasure-${result.job}-0.parquet`]);
    const record = await t.adapters.erasures.get('er-1');
    expect(record!.steps.find((s) => s.where === ARCHIVE_STEP)).toEqual({
      where: ARCHIVE_STEP,
      removed: 2,
      at: now.toISOString(),
    });
    expect(record!.completedAt).toBe(now.toISOString());
    expect(await t.adapters.erasures.pending()).toEqual([]);
    // Nothing pending: the next night does nothing.
    expect((await job(new FolderObjects(root), {})()).partitions).toEqual([]);
  });

  it('keeps an object archived while the job runs, and reads it neither as a source nor twice', async () => {
    await archived('2026-11-01', 'firehose-a', ['u:alice', 'u:bob']);
    await t.adapters.erasures.save(pendingErasure('er-2'));
    const folder = new FolderObjects(root);
    const arriving: ArchiveObjects = {
      copy: folder.copy.bind(folder),
      delete: folder.delete.bind(folder),
      read: folder.read.bind(folder),
      write: folder.write.bind(folder),
      // Firehose delivers a buffer right after the partition was listed.
      list: async (prefix) => {
        const listed = await folder.list(prefix);
        if (prefix.startsWith('events/')) await archived('2026-11-01', 'firehose-late', ['u:dave']);
        return listed;
      },
    };
    await job(arriving, { 'er-2': [erasedCustomerHash('u:alice')] })();
    expect(await customersIn('2026-11-01')).toEqual(['u:bob', 'u:dave']);
  });

  it('resumes a swap that died half-way from its saved plan: no row lost, none doubled', async () => {
    await archived('2026-11-01', 'firehose-a', ['u:alice', 'u:bob']);
    await archived('2026-11-01', 'firehose-b', ['u:carol']);
    await t.adapters.erasures.save(pendingErasure('er-3'));
    const folder = new FolderObjects(root);
    let failures = 1;
    const dying: ArchiveObjects = {
      list: folder.list.bind(folder),
      copy: folder.copy.bind(folder),
      read: folder.read.bind(folder),
      write: folder.write.bind(folder),
      // The Lambda times out after deleting the first original.
      delete: async (keys) => {
        if (failures-- > 0) {
          await folder.delete(keys.slice(0, 1));
          throw new Error('Task timed out');
        }
        await folder.delete(keys);
      },
    };
    const erased = { 'er-3': [erasedCustomerHash('u:alice')] };
    await expect(job(dying, erased)()).rejects.toThrow('Task timed out');
    expect((await t.adapters.erasures.pending()).map((r) => r.id)).toEqual(['er-3']);

    now = new Date('2026-12-05T16:00:00Z');
    await job(dying, erased)();
    expect(await customersIn('2026-11-01')).toEqual(['u:bob', 'u:carol']);
    expect(await t.adapters.erasures.pending()).toEqual([]);
    // Counted from the plan saved before the first deletion, not from what the archive holds after it.
    const record = await t.adapters.erasures.get('er-3');
    expect(record!.steps.find((s) => s.where === ARCHIVE_STEP)!.removed).toBe(1);
  });
});

describe('the rewrite in Athena', () => {
  const sql = athenaRewriteSql('retain_analytics', 'archive-bucket');
  const hash = erasedCustomerHash('u:alice');

  it('unloads exactly the listed objects of one day, without the erased hashes, into the staging folder', () => {
    const statement = sql.rewrite({
      dt: '2026-11-01',
      sources: ['events/dt=2026-11-01/a', 'events/dt=2026-11-01/b'],
      hashes: [hash],
      stagingPrefix: 'erasure-staging/job/1/dt=2026-11-01',
    });
    expect(statement).toMatch(
      /^UNLOAD \(SELECT id, customer, .* FROM "retain_analytics"\."events" WHERE dt = '2026-11-01' /,
    );
    expect(statement).toContain(
      `"$path" IN ('s3://archive-bucket/events/dt=2026-11-01/a', 's3://archive-bucket/events/dt=2026-11-01/b')`,
    );
    expect(statement).toContain(`lower(to_hex(sha256(to_utf8(customer)))) NOT IN ('${hash}')`);
    expect(statement).toContain(
      "TO 's3://archive-bucket/erasure-staging/job/1/dt=2026-11-01/' WITH (format = 'PARQUET', compression = 'SNAPPY')",
    );
    // The partition column comes from the object's path, never from its rows.
    expect(statement).toContain(
      'SELECT id, customer, user_id, anonymous_id, type, event, ts, received_at, properties, campaign_source, device_type, revenue FROM',
    );
  });

  it('refuses anything but a hash or a day where SQL is written', () => {
    expect(() => sql.affected(["x') OR 1=1 --"])).toThrow('not a customer hash');
    expect(() =>
      sql.rewrite({ dt: "2026-11-01' OR '1'='1", sources: ['k'], hashes: [hash], stagingPrefix: 's' }),
    ).toThrow('not a day partition');
  });
});
