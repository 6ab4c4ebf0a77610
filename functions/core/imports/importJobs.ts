// An import job posted in chunks through the admin API: its record, each chunk applied once, the report summed.

import { NotFoundError } from '../errors.js';
import type { CsvMapping } from './csvMapping.js';
import type { ImportedCustomer, RefusedRecord } from './importedCustomer.js';
import {
  emptyReport,
  type ImportDeps,
  importChunk,
  type ImportReport,
  MAX_LISTED_REFUSALS,
} from './importCustomers.js';
import type { Clock, RandomSource } from '../system/ports.js';

export const IMPORT_SOURCES = ['csv', 'pinpoint'] as const;
export type ImportJobSource = (typeof IMPORT_SOURCES)[number];

/** What `POST /admin/v1/imports` creates: the options every chunk of the job is applied with. */
export type ImportJob = {
  id: string;
  source: ImportJobSource;
  dryRun: boolean;
  triggerJourneys: boolean;
  /** The mapping the file was read with, kept as a record of the run (the client reads the file). */
  mapping?: CsvMapping;
  createdAt: string;
  createdBy: string;
};

/** One chunk's share of the report, kept under the chunk's first record number. */
export type ChunkReport = { first: number; last: number; report: ImportReport };

export interface ImportJobStore {
  create(job: ImportJob): Promise<void>;
  get(id: string): Promise<ImportJob | undefined>;
  /** Keeps the chunk's report unless one is already kept under its first record: then answers that one. */
  saveChunk(id: string, chunk: ChunkReport): Promise<ChunkReport>;
  getChunk(id: string, first: number): Promise<ChunkReport | undefined>;
  /** Every chunk kept, in record order. */
  chunks(id: string): Promise<ChunkReport[]>;
}

export type ImportJobDeps = Pick<ImportDeps, 'profiles' | 'events'> & {
  imports: ImportJobStore;
  clock: Clock;
  random: RandomSource;
};

export async function startImport(
  input: Pick<ImportJob, 'source' | 'dryRun' | 'triggerJourneys' | 'mapping'>,
  createdBy: string,
  deps: Pick<ImportJobDeps, 'imports' | 'clock' | 'random'>,
): Promise<ImportJob> {
  const job: ImportJob = {
    id: `imp-${deps.random.id()}`,
    ...input,
    createdAt: deps.clock.now().toISOString(),
    createdBy,
  };
  await deps.imports.create(job);
  return job;
}

export async function findImport(id: string, deps: Pick<ImportJobDeps, 'imports'>): Promise<ImportJob> {
  const job = await deps.imports.get(id);
  if (!job) throw new NotFoundError(`no import ${id}`);
  return job;
}

/**
 * Applies one chunk (customers read, and the rows the reader refused, so the job's report names them too) and
 * keeps its report under its first record number. The same chunk sent again (a retry after a timeout) answers
 * the report kept the first time and applies nothing, so the job's counts never double.
 */
export async function importRecords(
  job: ImportJob,
  chunk: { customers: ImportedCustomer[]; refused: RefusedRecord[] },
  deps: ImportJobDeps,
): Promise<{ chunk: ChunkReport; repeated: boolean }> {
  const numbers = [...chunk.customers, ...chunk.refused].map((r) => r.record);
  const first = Math.min(...numbers);
  const last = Math.max(...numbers);
  const kept = await deps.imports.getChunk(job.id, first);
  if (kept) return { chunk: kept, repeated: true };

  const options = { dryRun: job.dryRun, triggerJourneys: job.triggerJourneys, source: job.source, jobId: job.id };
  const report = emptyReport(options);
  report.records = numbers.length;
  for (const r of chunk.refused) {
    report.refusedCount++;
    if (report.refused.length < MAX_LISTED_REFUSALS) report.refused.push(r);
  }
  if (chunk.customers.length > 0) {
    await importChunk(
      chunk.customers,
      options,
      { profiles: deps.profiles, clock: deps.clock, events: deps.events },
      report,
    );
  }
  report.refused.sort((a, b) => a.record - b.record);
  const saved = await deps.imports.saveChunk(job.id, { first, last, report });
  return { chunk: saved, repeated: saved.report !== report };
}

/** The job's report so far: its chunks summed, the first refusals in record order. */
export function sumChunks(job: Pick<ImportJob, 'source' | 'dryRun'>, chunks: ChunkReport[]): ImportReport {
  const total = emptyReport({ source: job.source, dryRun: job.dryRun });
  for (const { report } of [...chunks].sort((a, b) => a.first - b.first)) addReport(total, report);
  return total;
}

/** Adds one report's counts to another, keeping the first refusals listed. */
export function addReport(total: ImportReport, part: ImportReport): void {
  total.records += part.records;
  total.accepted += part.accepted;
  total.refusedCount += part.refusedCount;
  for (const r of part.refused) if (total.refused.length < MAX_LISTED_REFUSALS) total.refused.push(r);
  total.created += part.created;
  total.changed += part.changed;
  total.unchanged += part.unchanged;
  total.consent.applied += part.consent.applied;
  total.consent.olderKept += part.consent.olderKept;
  total.consent.withoutDate += part.consent.withoutDate;
  total.journeysTriggered += part.journeysTriggered;
}

export async function importProgress(id: string, deps: Pick<ImportJobDeps, 'imports'>) {
  const job = await findImport(id, deps);
  const chunks = await deps.imports.chunks(id);
  return {
    job,
    chunks: chunks.length,
    lastRecord: Math.max(0, ...chunks.map((c) => c.last)),
    report: sumChunks(job, chunks),
  };
}
