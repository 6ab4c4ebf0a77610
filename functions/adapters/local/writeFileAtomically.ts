// Replaces a file all at once (a temporary file beside it, then a rename), so a crash mid-write leaves the old
// contents rather than half a file: the local scheduler's pending wake-ups and the poller's checkpoints.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function writeFileAtomically(file: string, contents: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  // Same folder, so the rename stays on one file system, where POSIX makes it atomic.
  const temporary = join(dir, `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}
