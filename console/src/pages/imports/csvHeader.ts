// A CSV file's header row and first data row read in the browser, the way the import worker will read them.
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
 * Up to `limit` records of RFC 4180 CSV: fields in double quotes may hold commas, line breaks and `""` for a quote;
 * blank lines are skipped, as the worker skips them. A record still open at the end counts only when `closed`.
 */
export function csvRecords(text: string, limit: number, closed: boolean): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let started = false;
  const endField = () => {
    record.push(field);
    field = '';
    started = false;
  };
  const endRecord = () => {
    endField();
    const blank = record.length === 1 && record[0] === '';
    if (!blank) records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length && records.length < limit; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
      continue;
    }
    if (c === '"' && !started) {
      quoted = true;
      started = true;
    } else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += c;
      started = true;
    }
  }
  if (records.length < limit && closed && (started || field !== '' || record.length > 0)) endRecord();
  return records;
}
