// An import file's records by its job's source (a CSV export or a Pinpoint endpoint export), and why a file
// the readers cannot read was refused, in the words the CLI and the import worker both answer with.

import type { CsvMapping } from '../core/imports/csvMapping.js';
import type { ImportedCustomer, RefusedRecord } from '../core/imports/importedCustomer.js';
import type { ImportJob } from '../core/imports/importJobs.js';
import type { PinpointEndpointTally } from '../core/imports/pinpointEndpoints.js';
import { csvCustomerRecords } from './csv/csvCustomerRecords.js';
import { pinpointEndpointRecords } from './pinpoint/pinpointEndpointRecords.js';

/** An uploaded file's records, read with the options its job was started with. */
export function uploadedFileRecords(
  job: Pick<ImportJob, 'source' | 'mapping' | 'upload'>,
  bytes: AsyncIterable<Uint8Array>,
  seen: { tally: PinpointEndpointTally; onMapping?: (mapping: CsvMapping) => void },
): AsyncGenerator<ImportedCustomer | RefusedRecord> {
  if (job.source === 'pinpoint')
    return pinpointEndpointRecords(bytes, { tally: seen.tally, advertising: job.upload?.advertising });
  return csvCustomerRecords(bytes, {
    mapping: job.mapping,
    encoding: job.upload?.encoding ?? 'auto',
    onMapping: seen.onMapping,
  });
}

/**
 * Why the readers could not read a file — the CSV parser's `CSV_*` errors, zlib's `Z_*` for a broken gzip — or
 * undefined for any other error (S3, the network: worth a retry, not a verdict on the file).
 */
export function whyUnreadable(error: unknown): string | undefined {
  const code = String((error as NodeJS.ErrnoException | undefined)?.code);
  const message = (error as Error | undefined)?.message;
  if (code.startsWith('CSV_')) return `not a CSV file this reader can read: ${message}`;
  if (code.startsWith('Z_')) return `looks gzipped but cannot be unpacked: ${message}`;
  return undefined;
}
