// The client side of an import: the file's records posted to the admin API in chunks, a few at a time, the report summed.

import type { CsvMapping } from '../functions/core/imports/csvMapping.js';
import type { ImportedCustomer, RefusedRecord } from '../functions/core/imports/importedCustomer.js';
import { emptyReport, type ImportReport } from '../functions/core/imports/importCustomers.js';
import { addReport, type ImportJob, type ImportJobSource } from '../functions/core/imports/importJobs.js';
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
    return res.body as ImportJob;
  };
  const sofar = emptyReport(options);
  const inFlight = new Set<Promise<void>>();
  const send = async (chunk: { records: ImportedCustomer[]; refused: RefusedRecord[] }) => {
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
  const dispatch = async (chunk: { records: ImportedCustomer[]; refused: RefusedRecord[] }) => {
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

  let chunk = { records: [] as ImportedCustomer[], refused: [] as RefusedRecord[] };
  let bytes = 0;
  for await (const record of records) {
    const size = Buffer.byteLength(JSON.stringify(record)) + 1;
    const count = chunk.records.length + chunk.refused.length;
    if (count > 0 && (count >= MAX_RECORDS_PER_CHUNK || bytes + size > MAX_CHUNK_BYTES)) {
      await dispatch(chunk);
      chunk = { records: [], refused: [] };
      bytes = 0;
    }
    if ('reason' in record) chunk.refused.push(record);
    else chunk.records.push(record);
    bytes += size;
  }
  if (chunk.records.length + chunk.refused.length > 0) await dispatch(chunk);
  await Promise.all(inFlight);
  if (failure) throw failure;
  job ??= await start();

  const res = await call('GET', `/admin/v1/imports/${encodeURIComponent(job.id)}`);
  if (res.status !== 200) throw new ImportRefused(messageOf(res));
  return { job, report: (res.body as Answer).report as ImportReport };
}
