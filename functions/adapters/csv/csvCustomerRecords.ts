// Reads a CSV file of customers as a stream: encoding detected (UTF-8 with or without BOM, or EUC-KR), rows mapped.

import { pipeline, Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';
import { CSV_SNIFF_BYTES, detectEncoding } from '../../core/imports/csvEncoding.js';
import { type CsvMapping, mappingFromHeaders, readCsvRow } from '../../core/imports/csvMapping.js';
import type { ImportedCustomer, RefusedRecord } from '../../core/imports/importedCustomer.js';

import type { CsvEncoding } from '../../core/imports/importJobs.js';

export { CSV_ENCODINGS, type CsvEncoding } from '../../core/imports/importJobs.js';

async function* decode(source: AsyncIterable<Uint8Array>, encoding: CsvEncoding): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined = encoding === 'auto' ? undefined : new TextDecoder(encoding);
  const held: Uint8Array[] = [];
  let heldBytes = 0;
  for await (const chunk of source) {
    if (!decoder) {
      held.push(chunk);
      heldBytes += chunk.byteLength;
      if (heldBytes < CSV_SNIFF_BYTES) continue;
      decoder = new TextDecoder(detectEncoding(Buffer.concat(held)));
      yield decoder.decode(Buffer.concat(held), { stream: true });
      continue;
    }
    yield decoder.decode(chunk, { stream: true });
  }
  if (!decoder) {
    decoder = new TextDecoder(detectEncoding(Buffer.concat(held)));
    yield decoder.decode(Buffer.concat(held), { stream: true });
  }
  yield decoder.decode();
}

export type CsvReadOptions = {
  mapping?: CsvMapping;
  encoding?: CsvEncoding;
  /** Told the mapping once the header is read (the one given, or the one the headers suggest). */
  onMapping?: (mapping: CsvMapping) => void;
};

/**
 * Every data row of the file as an imported customer or a refusal; `record` is the row number a spreadsheet
 * shows (the header is row 1). Without a mapping, the one the headers suggest (`mappingFromHeaders`).
 */
export async function* csvCustomerRecords(
  source: AsyncIterable<Uint8Array>,
  options: CsvReadOptions = {},
): AsyncGenerator<ImportedCustomer | RefusedRecord> {
  let mapping = options.mapping;
  // pipeline, not pipe: a source that fails (a file gone, S3's stream cut) must fail the parser's iteration,
  // not become an unhandled error while the parser waits for bytes that never come.
  const parser = pipeline(
    Readable.from(decode(source, options.encoding ?? 'auto')),
    parse({
      bom: true,
      columns: (headers: string[]) => {
        const names = headers.map((h) => h.trim());
        mapping ??= mappingFromHeaders(names);
        options.onMapping?.(mapping);
        return names;
      },
      skip_empty_lines: true,
      relax_column_count: true,
    }),
    () => undefined,
  );
  let row = 1;
  for await (const values of parser as AsyncIterable<Record<string, string | undefined>>) {
    row++;
    yield readCsvRow(values, row, mapping!);
  }
}
