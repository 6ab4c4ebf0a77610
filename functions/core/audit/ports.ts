// What the audit log needs from storage: append-only, read by time.

import type { AuditEntry, AuditQuery } from './auditEntry.js';

/** Entries are only ever appended: nothing in the API edits or deletes one (in AWS, IAM allows only PutItem). */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first; `next` (an ISO time) continues further back as the next query's `before`. */
  list(query: AuditQuery): Promise<{ entries: AuditEntry[]; next?: string }>;
}
