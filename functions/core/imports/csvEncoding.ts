// How a CSV file's encoding is told from its first bytes: one rule for the import worker and the console's header reader.

/** Enough of a file to tell UTF-8 from EUC-KR: Korean text shows up in the first rows of a customer export. */
export const CSV_SNIFF_BYTES = 64 * 1024;

/**
 * The encoding of a file starting with `head`: a file that is valid UTF-8 is UTF-8; anything else is taken for
 * EUC-KR, which is what Excel writes for a Korean locale (WHATWG's `euc-kr` is the CP949 Excel uses).
 */
export function detectEncoding(head: Uint8Array): 'utf-8' | 'euc-kr' {
  try {
    // `stream: true` so a character cut by the end of the sample is not taken for an invalid one.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'euc-kr';
  }
}
