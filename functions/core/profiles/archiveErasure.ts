// The nightly job that finishes an erasure in the event archive: every day partition holding an erased customer is
// rewritten without them, and only the objects listed before the rewrite are replaced, so nothing archived
// meanwhile is lost or doubled.

import { createHash } from 'node:crypto';
import type { ErasureRecord } from './erasure.js';
import type { ArchivePartitions, ErasedCustomerList, ErasureLog } from './ports.js';
import type { Clock } from '../system/ports.js';

/** The archive step an erasure leaves pending in AWS, until this job has rewritten the partitions. */
export const ARCHIVE_STEP = 'event archive (S3 Parquet partitions)';

/**
 * One partition's rewrite, saved before anything is swapped: a job that dies half-way resumes from it with the
 * same sources and staged objects instead of listing again (which would read its own copies as originals).
 */
export type PartitionRewrite = { dt: string; sources: string[]; staged: string[] };

/** A job's plan: the erased rows found per partition and customer hash, and each partition's rewrite so far. */
export type ArchiveRewritePlan = {
  found: { dt: string; hash: string; rows: number }[];
  rewrites: Record<string, PartitionRewrite>;
};

export type ArchiveErasureResult = { job: string; erasures: string[]; partitions: string[]; removed: number };

export type ArchiveErasureDeps = {
  erasures: ErasureLog;
  erasedList: ErasedCustomerList;
  archive: ArchivePartitions;
  clock: Clock;
};

export function archiveErasureJob(deps: ArchiveErasureDeps) {
  return async (): Promise<ArchiveErasureResult> => {
    const pending = await deps.erasures.pending();
    if (pending.length === 0) return { job: '', erasures: [], partitions: [], removed: 0 };
    const ids = pending.map((r) => r.id).sort();
    // Named by the erasures it serves: a retried run (same erasures) finds its own saved rewrites.
    const job = createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16);
    const hashesOf = new Map<string, string[]>();
    for (const id of ids) hashesOf.set(id, await deps.erasedList.hashes(id));
    const hashes = [...new Set([...hashesOf.values()].flat())];

    // The plan is saved before anything changes and read back on a retry: once a swap has deleted some
    // originals, asking the archive again would no longer find those partitions (or count what they held).
    const plan: ArchiveRewritePlan = (await deps.archive.savedPlan(job)) ?? {
      found: hashes.length > 0 ? await deps.archive.affected(hashes) : [],
      rewrites: {},
    };
    await deps.archive.savePlan(job, plan);
    const { found } = plan;
    const partitions = [...new Set(found.map((f) => f.dt))].sort();
    for (const dt of partitions) {
      let rewrite = plan.rewrites[dt];
      if (!rewrite) {
        const sources = await deps.archive.list(dt);
        // Each attempt stages under its own folder: a staging folder must start empty (Athena's UNLOAD refuses
        // a non-empty one), and an attempt that died before saving leaves only an orphan the lifecycle removes.
        const attempt = deps.clock.now().getTime().toString(36);
        const staged = await deps.archive.rewrite({ dt, sources, hashes, staging: `${job}/${attempt}/dt=${dt}` });
        rewrite = { dt, sources, staged };
        plan.rewrites[dt] = rewrite;
        await deps.archive.savePlan(job, plan);
      }
      await deps.archive.swap(job, rewrite);
    }

    const at = deps.clock.now().toISOString();
    let removed = 0;
    for (const record of pending) {
      const own = new Set(hashesOf.get(record.id));
      const rows = found.filter((f) => own.has(f.hash)).reduce((sum, f) => sum + f.rows, 0);
      removed += rows;
      await deps.erasures.save(completeArchiveStep(record, rows, at));
    }
    return { job, erasures: ids, partitions, removed };
  };
}

function completeArchiveStep(record: ErasureRecord, removed: number, at: string): ErasureRecord {
  return {
    ...record,
    completedAt: at,
    steps: record.steps.map((s) => (s.where === ARCHIVE_STEP && s.pending ? { where: s.where, removed, at } : s)),
  };
}

/** Whether an erasure still waits for this job. */
export const awaitsArchiveRewrite = (record: ErasureRecord) =>
  record.steps.some((s) => s.where === ARCHIVE_STEP && s.pending === true);
