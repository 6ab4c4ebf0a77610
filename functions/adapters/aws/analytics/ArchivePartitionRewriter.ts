// The archive rewrite's partitions as objects and SQL: which day partitions hold an erased customer, a rewrite
// of exactly the listed objects into a staging folder (Athena UNLOAD in AWS), and the swap by copy and delete.

import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ARCHIVE_COLUMNS } from '../../../core/analytics/archiveRecord.js';
import { ERASURE_STAGING, literal } from '../../../core/analytics/dialect.js';
import type { ReportEngine } from '../../../core/analytics/ports.js';
import type { ArchiveRewritePlan, PartitionRewrite } from '../../../core/profiles/archiveErasure.js';
import type { ArchivePartitions } from '../../../core/profiles/ports.js';

/** The archive's objects by key: S3 in AWS, a folder in the tests. */
export interface ArchiveObjects {
  list(prefix: string): Promise<string[]>;
  copy(from: string, to: string): Promise<void>;
  delete(keys: string[]): Promise<void>;
  read(key: string): Promise<string | undefined>;
  write(key: string, body: string): Promise<void>;
}

/** The two statements the rewrite needs, in the engine's dialect. */
export interface ArchiveRewriteSql {
  affected(hashes: string[]): string;
  rewrite(input: { dt: string; sources: string[]; hashes: string[]; stagingPrefix: string }): string;
}

const HASH = /^[0-9a-f]{64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const columns = Object.keys(ARCHIVE_COLUMNS).join(', ');

/** Athena over the Glue `events` table; `"$path"` pins the rewrite to the listed objects. */
export function athenaRewriteSql(database: string, bucket: string): ArchiveRewriteSql {
  const hashOf = 'lower(to_hex(sha256(to_utf8(customer))))';
  const list = (values: string[]) => values.map(literal).join(', ');
  return {
    affected: (hashes) =>
      `SELECT dt, ${hashOf} AS hash, count(*) AS "rows" FROM "${database}"."events" ` +
      `WHERE ${hashOf} IN (${list(checked(hashes))}) GROUP BY 1, 2`,
    rewrite: ({ dt, sources, hashes, stagingPrefix }) =>
      `UNLOAD (SELECT ${columns} FROM "${database}"."events" WHERE dt = ${literal(day(dt))} ` +
      `AND "$path" IN (${list(sources.map((key) => `s3://${bucket}/${key}`))}) ` +
      `AND ${hashOf} NOT IN (${list(checked(hashes))})) ` +
      `TO ${literal(`s3://${bucket}/${stagingPrefix}/`)} WITH (format = 'PARQUET', compression = 'SNAPPY')`,
  };
}

function checked(hashes: string[]): string[] {
  for (const hash of hashes) if (!HASH.test(hash)) throw new Error(`not a customer hash: ${hash.slice(0, 80)}`);
  return hashes;
}

function day(dt: string): string {
  if (!DAY.test(dt)) throw new Error(`not a day partition: ${dt.slice(0, 40)}`);
  return dt;
}

export class ArchivePartitionRewriter implements ArchivePartitions {
  constructor(
    private readonly engine: Pick<ReportEngine, 'query'>,
    private readonly sql: ArchiveRewriteSql,
    private readonly objects: ArchiveObjects,
  ) {}

  async affected(hashes: string[]): Promise<{ dt: string; hash: string; rows: number }[]> {
    const rows = await this.engine.query(this.sql.affected(hashes));
    return rows.map((r) => ({ dt: String(r.dt), hash: String(r.hash), rows: Number(r.rows) }));
  }

  list(dt: string): Promise<string[]> {
    return this.objects.list(`events/dt=${day(dt)}/`);
  }

  async rewrite(input: { dt: string; sources: string[]; hashes: string[]; staging: string }): Promise<string[]> {
    const stagingPrefix = `${ERASURE_STAGING}/${input.staging}`;
    // Nothing to read: the partition's objects were all deleted meanwhile, and there is nothing to keep.
    if (input.sources.length === 0) return [];
    await this.engine.query(this.sql.rewrite({ ...input, stagingPrefix }));
    return this.objects.list(`${stagingPrefix}/`);
  }

  async savedPlan(job: string): Promise<ArchiveRewritePlan | undefined> {
    const text = await this.objects.read(planKey(job));
    return text === undefined ? undefined : (JSON.parse(text) as ArchiveRewritePlan);
  }

  savePlan(job: string, plan: ArchiveRewritePlan): Promise<void> {
    return this.objects.write(planKey(job), JSON.stringify(plan));
  }

  async swap(job: string, rewrite: PartitionRewrite): Promise<void> {
    // Copies first, under names fixed by job and index (a resumed swap overwrites its own copies), then the
    // originals go: at no moment is a kept row missing, and a resumed swap never doubles one.
    for (const [index, staged] of rewrite.staged.entries())
      await this.objects.copy(staged, `events/dt=${day(rewrite.dt)}/erasure-${job}-${index}.parquet`);
    await this.objects.delete(rewrite.sources);
  }
}

const planKey = (job: string) => `${ERASURE_STAGING}/${job}/plan.json`;

/** The archive bucket through S3. */
export class S3ArchiveObjects implements ArchiveObjects {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    return keys;
  }

  async copy(from: string, to: string): Promise<void> {
    const source = `${this.bucket}/${from.split('/').map(encodeURIComponent).join('/')}`;
    await this.s3.send(new CopyObjectCommand({ Bucket: this.bucket, CopySource: source, Key: to }));
  }

  async delete(keys: string[]): Promise<void> {
    // DeleteObjects takes at most 1,000 keys; a key already gone counts as deleted.
    for (let i = 0; i < keys.length; i += 1000) {
      const { Errors } = await this.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true },
        }),
      );
      if (Errors?.length) throw new Error(`S3 kept ${Errors.length} objects: ${Errors[0]?.Key} ${Errors[0]?.Code}`);
    }
  }

  async read(key: string): Promise<string | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await object.Body?.transformToString();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async write(key: string, body: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
  }
}
