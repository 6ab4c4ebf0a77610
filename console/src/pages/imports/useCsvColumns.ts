// The chosen CSV's columns as the Columns editor shows them: its head read from the file, each column's role.
import { useEffect, useMemo, useState } from 'react';
import { type ColumnRole, checkColumns, suggestedRoles } from './columnRoles.js';
import { CSV_SNIFF_BYTES, type CsvHead, readCsvHead } from './csvHeader.js';

type Encoding = 'auto' | 'utf-8' | 'euc-kr';

export type CsvColumns =
  | { status: 'none' }
  | { status: 'reading' }
  | { status: 'unreadable' }
  | ({ status: 'read'; head: CsvHead; roles: ColumnRole[] } & ReturnType<typeof checkColumns>);

/** What was read, and from which file and encoding: a head read for another choice is no answer for this one. */
type Read = { file: File; encoding: Encoding; head?: CsvHead; roles: ColumnRole[] };

/**
 * Reads the head of `file` (null while the file is not a CSV) with `encoding`, suggests each column's role and
 * checks the roles as the marketer changes them. A new file or encoding starts again from the suggestion.
 */
export function useCsvColumns(file: File | null, encoding: Encoding) {
  const [read, setRead] = useState<Read | undefined>();

  useEffect(() => {
    if (!file) return;
    let current = true;
    file
      .slice(0, CSV_SNIFF_BYTES)
      .arrayBuffer()
      .then((buffer) => {
        const head = readCsvHead(new Uint8Array(buffer), encoding, file.size <= CSV_SNIFF_BYTES);
        if (current) setRead({ file, encoding, head, roles: head ? suggestedRoles(head.headers) : [] });
      })
      .catch(() => current && setRead({ file, encoding, roles: [] }));
    // The file or encoding changed while this one was read: its answer is stale.
    return () => {
      current = false;
    };
  }, [file, encoding]);

  const columns = useMemo((): CsvColumns => {
    if (!file) return { status: 'none' };
    // Until the effect answers for this very file and encoding, the columns are not known: Start waits.
    if (read?.file !== file || read.encoding !== encoding) return { status: 'reading' };
    if (!read.head) return { status: 'unreadable' };
    return { status: 'read', head: read.head, roles: read.roles, ...checkColumns(read.head.headers, read.roles) };
  }, [file, encoding, read]);

  const setRole = (index: number, role: ColumnRole) =>
    setRead((current) => current && { ...current, roles: current.roles.map((r, i) => (i === index ? role : r)) });
  return { columns, setRole };
}
