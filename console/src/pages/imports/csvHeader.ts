// A CSV file's header row and first data row read in the browser, the way the import worker will read them.
import { parse } from 'csv-parse/browser/esm/sync';
import { detectEncoding } from '../../../../functions/core/imports/csvEncoding.js';

export { CSV_SNIFF_BYTES } from '../../../../functions/core/imports/csvEncoding.js';

export type CsvHead = {
  /** The column names, trimmed as the import worker trims them (a mapping names columns by these). */
  headers: string[];
  /** The first data row's cells, when the sample holds one: what the marketer recognises a column by. */
  sample: string[];
  /** The encoding the file was read with (the one chosen, or the one detected). */
  encoding: 'utf-8' | 'euc-kr';
};

/**
 * The head of a CSV file from its first bytes. `wholeFile` says `bytes` is all of it; otherwise a last line the
 * sample cut short is left out. `auto` tells UTF-8 from EUC-KR by the worker's own rule, so the names shown are
 * the names the worker reads. Undefined when the bytes hold no header row.
 */
export function readCsvHead(
  bytes: Uint8Array,
  encoding: 'auto' | 'utf-8' | 'euc-kr',
  wholeFile: boolean,
): CsvHead | undefined {
  const used = encoding === 'auto' ? detectEncoding(bytes) : encoding;
  // TextDecoder drops a UTF-8 BOM; `stream` so a character cut by the end of the sample is not a replacement mark.
  const text = new TextDecoder(used).decode(bytes, { stream: !wholeFile });
  const [header, sample] = csvRecords(text.replace(/^\uFEFF/, ''), 2, wholeFile);
  if (!header) return undefined;
  return { headers: header.map((name) => name.trim()), sample: sample ?? [], encoding: used };
}

/**
 * Up to `limit` records, read by the csv project's parser with the import worker's options (its browser build:
 * the Node one needs Buffer), so the names shown are the names the worker reads. A sample cut short is read to its
 * last whole line; a quoted field the cut left open costs that record, not the header.
 */
export function csvRecords(text: string, limit: number, closed: boolean): string[][] {
  const whole = closed ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  for (let to = limit; to > 0; to--) {
    try {
      return parse(whole, { to, skip_empty_lines: true, relax_column_count: true }) as string[][];
    } catch (error) {
      if ((error as { code?: string }).code !== 'CSV_QUOTE_NOT_CLOSED') throw error;
    }
  }
  return [];
}
