// The client side of an import: the file's records posted to the admin API in chunks, a few at a time, the report summed.

import type { CsvMapping } from '../functions/core/imports/csvMapping.js';
import type { ImportedCustomer, RefusedRecord } from '../functions/core/imports/importedCustomer.js';
import { emptyReport, type ImportReport } from '../functions/core/imports/importCustomers.js';
import {
  addReport,
  chunkRecords,
  fileOrderChunks,
  type ImportChunk,
  type ImportJob,
  type ImportJobSource,
} from '../functions/core/imports/importJobs.js';
import { MAX_RECORDS_PER_CHUNK } from '../functions/routes/admin/imports.js';

/** One admin API call: the status and the parsed body. */
export type AdminCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

type Answer = { error?: { message?: string }; report?: ImportReport };
const messageOf = (res: { status: number; body: unknown }) =>
  (res.body as Answer | undefined)?.error?.message ?? `the API answered ${res.status}`;

/** Under the admin API's 64 KB body limit, with room for the envelope. */
const MAX_CHUNK_BYTES = 60_000;
/** Chunks in flight at once: the server applies each independently, so order does not matter. */
const IN_FLIGHT = 4;

export class ImportRefused extends Error {}

export type PostImportOptions = {
  source: ImportJobSource;
  dryRun: boolean;
  triggerJourneys: boolean;
  /** Read when the first chunk is ready: the reader knows the mapping once it has read the header. */
  mapping?: () => CsvMapping | undefined;
  /** Told after each chunk with the report so far (the progress line). */
  onProgress?: (report: ImportReport) => void;
  /** The customers the file lists twice (a first read of it): their rows travel together, in file order. */
  repeated?: ReadonlySet<string>;
};

/**
 * Creates the job, posts the records in chunks (each at most 500 records and 60 KB of JSON), and answers the
 * job's report as the server keeps it. A chunk the server refuses stops the import naming its rows.
 */
export async function postImport(
  records: AsyncIterable<ImportedCustomer | RefusedRecord>,
  options: PostImportOptions,
  call: AdminCall,
): Promise<{ job: ImportJob; report: ImportReport }> {
  let job: ImportJob | undefined;
  const start = async () => {
    const res = await call('POST', '/admin/v1/imports', {
      source: options.source,
      dryRun: options.dryRun,
      triggerJourneys: options.triggerJourneys,
      mapping: options.mapping?.(),
    });
    if (res.status !== 201) throw new ImportRefused(messageOf(res));
    return (res.body as { job: ImportJob }).job;
  };
  const sofar = emptyReport(options);
  const inFlight = new Set<Promise<void>>();
  const send = async (chunk: ImportChunk) => {
    job ??= await start();
    const res = await call('POST', `/admin/v1/imports/${encodeURIComponent(job.id)}/records`, chunk);
    if (res.status !== 200) {
      const numbers = [...chunk.records, ...chunk.refused].map((r) => r.record);
      const where = `rows ${Math.min(...numbers)}–${Math.max(...numbers)}`;
      throw new ImportRefused(`${where}: ${messageOf(res)}`);
    }
    addReport(sofar, (res.body as Answer).report as ImportReport);
    options.onProgress?.(sofar);
  };
  let failure: unknown;
  const dispatch = async (chunk: ImportChunk) => {
    const sending: Promise<void> = send(chunk)
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (!job) await sending; // the first chunk creates the job; the others wait for its id
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
    if (failure) throw failure;
  };

  const chunks = options.repeated
    ? fileOrderChunks(records, options.repeated, MAX_RECORDS_PER_CHUNK, MAX_CHUNK_BYTES)
    : chunkRecords(records, MAX_RECORDS_PER_CHUNK, MAX_CHUNK_BYTES);
  for await (const chunk of chunks) await dispatch(chunk);
  await Promise.all(inFlight);
  if (failure) throw failure;
  job ??= await start();

  const res = await call('GET', `/admin/v1/imports/${encodeURIComponent(job.id)}`);
  if (res.status !== 200) throw new ImportRefused(messageOf(res));
  return { job, report: (res.body as Answer).report as ImportReport };
}

export type UploadImportOptions = Omit<PostImportOptions, 'mapping'> & {
  mapping?: CsvMapping;
  encoding?: string;
  advertising?: { attribute: string; dateAttribute?: string };
  /** Between two looks at the job's progress. */
  pollMs?: number;
};

type UploadAnswer = { job: ImportJob; upload: { url: string } };
type Progress = Answer & { job: ImportJob; state?: string };

/**
 * The other way in: the job asked for an upload URL, the whole file PUT there (streamed, with its length, as a
 * presigned S3 PUT requires), then the job followed until the import worker has read it and every chunk is
 * applied. Answers the job as it ended (with the Pinpoint tally, for an endpoint export) and its report.
 */
export async function uploadImport(
  file: { size: number; open: () => NodeJS.ReadableStream },
  options: UploadImportOptions,
  call: AdminCall,
): Promise<{ job: ImportJob; report: ImportReport }> {
  const started = await call('POST', '/admin/v1/imports', {
    source: options.source,
    dryRun: options.dryRun,
    triggerJourneys: options.triggerJourneys,
    mapping: options.mapping,
    upload: true,
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.advertising ? { advertising: options.advertising } : {}),
  });
  if (started.status !== 201) throw new ImportRefused(messageOf(started));
  const { job, upload } = started.body as UploadAnswer;
  const status = await putFile(upload.url, file);
  if (status !== 200) throw new ImportRefused(`the upload URL answered ${status}`);
  for (;;) {
    const res = await call('GET', `/admin/v1/imports/${encodeURIComponent(job.id)}`);
    if (res.status !== 200) throw new ImportRefused(messageOf(res));
    const progress = res.body as Progress;
    options.onProgress?.(progress.report as ImportReport);
    if (progress.state === 'failed')
      throw new ImportRefused(progress.job.upload?.error ?? 'the file could not be read');
    if (progress.state === 'done') return { job: progress.job, report: progress.report as ImportReport };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}

/** A streamed PUT with Content-Length (fetch would send a stream chunked, which S3 refuses). */
async function putFile(url: string, file: { size: number; open: () => NodeJS.ReadableStream }): Promise<number> {
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { 'content-length': String(file.size) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    file.open().pipe(req);
  });
}
