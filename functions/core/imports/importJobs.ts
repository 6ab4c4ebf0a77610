// An import job posted in chunks through the admin API: its record, each chunk applied once, the report summed.

import { ConflictError, NotFoundError } from '../errors.js';
import { knownUserKey } from '../events/userKey.js';
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
import type { PinpointAdvertisingProof, PinpointEndpointTally } from './pinpointEndpoints.js';

export const IMPORT_SOURCES = ['csv', 'pinpoint'] as const;
export type ImportJobSource = (typeof IMPORT_SOURCES)[number];

export const CSV_ENCODINGS = ['auto', 'utf-8', 'euc-kr'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** How long an upload URL stays valid. */
export const UPLOAD_URL_LIFETIME_MS = 60 * 60 * 1000;

/**
 * A job whose file is uploaded (a presigned S3 URL in AWS, the local runtime's own URL locally) and read by the
 * import-file worker, which queues its chunks; `chunks` is known once the whole file is read.
 */
export type ImportUpload = {
  encoding: CsvEncoding;
  advertising?: PinpointAdvertisingProof;
  status: 'waiting-for-file' | 'reading' | 'read' | 'failed';
  chunks?: number;
  /** Why the file could not be read (not a CSV, a broken gzip). */
  error?: string;
  /** The endpoint tally of a Pinpoint export. */
  endpoints?: PinpointEndpointTally;
};

/** What `POST /admin/v1/imports` creates: the options every chunk of the job is applied with. */
export type ImportJob = {
  id: string;
  source: ImportJobSource;
  dryRun: boolean;
  triggerJourneys: boolean;
  /** The mapping the file was read with, kept as a record of the run (the client reads the file). */
  mapping?: CsvMapping;
  upload?: ImportUpload;
  createdAt: string;
  createdBy: string;
  /** Set by `POST /admin/v1/imports/{id}/cancel`: no chunk is applied after it (one being applied finishes). */
  cancelled?: { at: string; by: string };
};

/** A chunk of a file's records, as queued for the import-chunk worker and posted by the CLI. */
export type ImportChunk = { records: ImportedCustomer[]; refused: RefusedRecord[] };

/** Where uploaded files wait to be read: an S3 bucket in AWS, a folder locally. */
export interface ImportFiles {
  uploadUrl(jobId: string, expiresAt: Date): Promise<string>;
  read(jobId: string): AsyncIterable<Uint8Array>;
  /** A file is deleted once read: it holds customers' addresses. */
  remove(jobId: string): Promise<void>;
}

/** The import-chunk worker's queue. */
export interface ImportChunkQueue {
  send(jobId: string, chunk: ImportChunk): Promise<void>;
}

/** One chunk's share of the report, kept under the chunk's first record number. */
export type ChunkReport = { first: number; last: number; report: ImportReport };

/** How many jobs `GET /admin/v1/imports` lists at most. */
export const MAX_LISTED_IMPORTS = 50;

export interface ImportJobStore {
  create(job: ImportJob): Promise<void>;
  get(id: string): Promise<ImportJob | undefined>;
  /** The latest jobs created, newest first. */
  latest(limit: number): Promise<ImportJob[]>;
  /** Keeps the chunk's report unless one is already kept under its first record: then answers that one. */
  saveChunk(id: string, chunk: ChunkReport): Promise<ChunkReport>;
  getChunk(id: string, first: number): Promise<ChunkReport | undefined>;
  /** Every chunk kept, in record order. */
  chunks(id: string): Promise<ChunkReport[]>;
  /** Replaces the job's upload state (and the mapping the reader used, once it has read the header). */
  updateUpload(id: string, upload: ImportUpload, mapping?: CsvMapping): Promise<void>;
  /** Marks the job cancelled unless it already is; answers the job as it now stands. */
  cancel(id: string, cancelled: NonNullable<ImportJob['cancelled']>): Promise<ImportJob>;
}

export type ImportJobDeps = Pick<ImportDeps, 'profiles' | 'events'> & {
  imports: ImportJobStore;
  clock: Clock;
  random: RandomSource;
};

export type StartImportInput = Pick<ImportJob, 'source' | 'dryRun' | 'triggerJourneys' | 'mapping'> & {
  /** Set when the file is to be uploaded rather than posted in chunks. */
  upload?: Pick<ImportUpload, 'encoding' | 'advertising'>;
};

export async function startImport(
  { upload, ...input }: StartImportInput,
  createdBy: string,
  deps: Pick<ImportJobDeps, 'imports' | 'clock' | 'random'> & { importFiles: Pick<ImportFiles, 'uploadUrl'> },
): Promise<{ job: ImportJob; upload?: { url: string; method: 'PUT'; expiresAt: string } }> {
  const now = deps.clock.now();
  const job: ImportJob = {
    id: `imp-${deps.random.id()}`,
    ...input,
    ...(upload ? { upload: { ...upload, status: 'waiting-for-file' as const } } : {}),
    createdAt: now.toISOString(),
    createdBy,
  };
  await deps.imports.create(job);
  if (!upload) return { job };
  const expiresAt = new Date(now.getTime() + UPLOAD_URL_LIFETIME_MS);
  const url = await deps.importFiles.uploadUrl(job.id, expiresAt);
  return { job, upload: { url, method: 'PUT', expiresAt: expiresAt.toISOString() } };
}

/**
 * The records grouped into chunks of at most `maxRecords` and `maxBytes` of JSON (the admin API's body limit for
 * the CLI, SQS's message size for the import-file worker), in file order.
 */
export async function* chunkRecords(
  records: AsyncIterable<ImportedCustomer | RefusedRecord>,
  maxRecords: number,
  maxBytes: number,
): AsyncGenerator<ImportChunk> {
  let chunk: ImportChunk = { records: [], refused: [] };
  let bytes = 0;
  for await (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    const count = chunk.records.length + chunk.refused.length;
    if (count > 0 && (count >= maxRecords || bytes + size > maxBytes)) {
      yield chunk;
      chunk = { records: [], refused: [] };
      bytes = 0;
    }
    if ('reason' in record) chunk.refused.push(record);
    else chunk.records.push(record);
    bytes += size;
  }
  if (chunk.records.length + chunk.refused.length > 0) yield chunk;
}

/** The customers listed more than once (refusals carry no customer), by the key their profile is stored under. */
export async function repeatedCustomers(
  records: AsyncIterable<ImportedCustomer | RefusedRecord>,
): Promise<Set<string>> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for await (const record of records) {
    if ('reason' in record) continue;
    const key = knownUserKey(record.userId);
    if (seen.has(key)) repeated.add(key);
    else seen.add(key);
  }
  return repeated;
}

/**
 * Chunks in file order, but a repeated customer's records are held back and sent last, all of one customer in
 * one chunk in file order. Chunks are applied side by side, so two rows of one customer in two chunks could land
 * in either order; in one chunk they apply top to bottom and the later row wins, as a reader of the file expects.
 * (A customer with more rows than a chunk holds is split, in order, across consecutive chunks.)
 */
export async function* fileOrderChunks(
  records: AsyncIterable<ImportedCustomer | RefusedRecord>,
  repeated: ReadonlySet<string>,
  maxRecords: number,
  maxBytes: number,
): AsyncGenerator<ImportChunk> {
  const held = new Map<string, ImportedCustomer[]>();
  async function* inFileOrder() {
    for await (const record of records) {
      const key = 'reason' in record ? undefined : knownUserKey(record.userId);
      if (key && repeated.has(key)) {
        const list = held.get(key);
        if (list) list.push(record as ImportedCustomer);
        else held.set(key, [record as ImportedCustomer]);
      } else yield record;
    }
  }
  yield* chunkRecords(inFileOrder(), maxRecords, maxBytes);
  let chunk: ImportChunk = { records: [], refused: [] };
  let bytes = 0;
  for (const group of held.values()) {
    const size = group.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)) + 1, 0);
    if (chunk.records.length > 0 && (chunk.records.length + group.length > maxRecords || bytes + size > maxBytes)) {
      yield chunk;
      chunk = { records: [], refused: [] };
      bytes = 0;
    }
    if (group.length > maxRecords) {
      for await (const part of chunkRecords(toAsync(group), maxRecords, maxBytes)) yield part;
      continue;
    }
    chunk.records.push(...group);
    bytes += size;
  }
  if (chunk.records.length > 0) yield chunk;
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
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
  if (job.cancelled) {
    throw new ConflictError(`import ${job.id} was cancelled at ${job.cancelled.at} by ${job.cancelled.by}`);
  }

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

export async function importProgress(id: string, deps: Pick<ImportJobDeps, 'imports'>): Promise<ImportProgress> {
  return progressOf(await findImport(id, deps), deps);
}

/** The latest imports with their progress, newest first: where a marketer finds an earlier job again. */
export async function latestImports(limit: number, deps: Pick<ImportJobDeps, 'imports'>) {
  const jobs = await deps.imports.latest(limit);
  return Promise.all(jobs.map((job) => progressOf(job, deps)));
}

/**
 * Stops a job: chunks not yet applied are refused (posted) or dropped (queued), and the import-file worker queues
 * no more. A job whose every chunk is applied has nothing left to stop. Cancelling twice answers the first.
 */
export async function cancelImport(id: string, by: string, deps: Pick<ImportJobDeps, 'imports' | 'clock'>) {
  const progress = await importProgress(id, deps);
  if (progress.state === 'done' || progress.state === 'failed') {
    throw new ConflictError(`import ${id} is ${progress.state}: nothing is left to cancel`);
  }
  if (progress.job.cancelled) return progress;
  const job = await deps.imports.cancel(id, { at: deps.clock.now().toISOString(), by });
  return progressOf(job, deps);
}

/** Where a job stands, as `GET /admin/v1/imports/{id}` answers it. */
export type ImportProgress = {
  job: ImportJob;
  chunks: number;
  lastRecord: number;
  report: ImportReport;
  /** An uploaded file's job, or any cancelled one. */
  state?: ImportState;
};

/** Where an import stands: an uploaded file's job from its upload to its report, or any job stopped. */
export const IMPORT_STATES = ['waiting-for-file', 'reading', 'applying', 'done', 'failed', 'cancelled'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

async function progressOf(job: ImportJob, deps: Pick<ImportJobDeps, 'imports'>): Promise<ImportProgress> {
  const chunks = await deps.imports.chunks(job.id);
  return {
    job,
    chunks: chunks.length,
    lastRecord: Math.max(0, ...chunks.map((c) => c.last)),
    report: sumChunks(job, chunks),
    ...(job.cancelled
      ? { state: 'cancelled' as const }
      : job.upload
        ? { state: uploadState(job.upload, chunks.length) }
        : {}),
  };
}

/** Where an uploaded file's job stands: `done` once the file is read and every chunk it queued is applied. */
export function uploadState(upload: ImportUpload, applied: number): Exclude<ImportState, 'cancelled'> {
  if (upload.status !== 'read') return upload.status;
  return applied >= (upload.chunks ?? 0) ? 'done' : 'applying';
}
