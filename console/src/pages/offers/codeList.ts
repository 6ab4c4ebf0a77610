// Coupon codes as a marketer pastes or uploads them: one a line (or the first cell of a CSV row), checked and
// de-duplicated in the browser, then cut into requests the API accepts.

// The API's own pattern, checked here so one bad line does not refuse a whole part.
import { COUPON_CODE, MAX_CODES_PER_REQUEST } from '../../../../functions/core/offers/couponPatterns.js';

/** A first row naming the column is a header, not a code (it would pass as one: `code` is three letters or more). */
const HEADERS = new Set(['code', 'codes', 'coupon', 'coupons', 'coupon_code', 'couponcode']);

export type CodeList = {
  /** Each code once, as written, in the order given. */
  codes: string[];
  /** Lines that repeat an earlier one (the API stores codes in upper case, so `ab-123` repeats `AB-123`). */
  repeated: number;
  /** Lines that are not a code, as written. */
  invalid: string[];
};

export function codeListOf(text: string): CodeList {
  const cells = text
    .split(/\r?\n/)
    .map((line) => cellOf(line))
    .filter((cell) => cell !== '');
  if (cells.length > 0 && HEADERS.has(cells[0].toLowerCase())) cells.shift();
  const seen = new Set<string>();
  const list: CodeList = { codes: [], repeated: 0, invalid: [] };
  for (const cell of cells) {
    if (!COUPON_CODE.test(cell)) list.invalid.push(cell);
    else if (seen.has(cell.toUpperCase())) list.repeated += 1;
    else {
      seen.add(cell.toUpperCase());
      list.codes.push(cell);
    }
  }
  return list;
}

/** The first cell of a CSV (or tab-separated) row, its quotes taken off. */
function cellOf(line: string): string {
  const first = line.split(/[,;\t]/)[0].trim();
  return first.length >= 2 && first.startsWith('"') && first.endsWith('"') ? first.slice(1, -1).trim() : first;
}

export function partsOf(codes: string[]): string[][] {
  const parts: string[][] = [];
  for (let i = 0; i < codes.length; i += MAX_CODES_PER_REQUEST) parts.push(codes.slice(i, i + MAX_CODES_PER_REQUEST));
  return parts;
}
