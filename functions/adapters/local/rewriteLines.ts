// Rewrites an NDJSON file without some of its lines, atomically: how the local runtime erases a customer from
// its archive and outbox logs.

import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from './writeFileAtomically.js';

/** Drops the lines `mentions` picks (the file is untouched when none is); returns how many went. */
export function rewriteLines(file: string, mentions: (line: string) => boolean): number {
  if (!existsSync(file)) return 0;
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  const kept = lines.filter((line) => !mentions(line));
  if (kept.length < lines.length) writeFileAtomically(file, kept.map((line) => `${line}\n`).join(''));
  return lines.length - kept.length;
}
