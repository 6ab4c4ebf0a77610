// What event ingestion needs from storage: the raw event store and the ingest-error log.

import type { IngestError } from './ingestError.js';
import type { StoredEvent } from './storedEvent.js';
import type { UserKey } from './userKey.js';

export interface EventStore {
  /** Stores every event or throws StoreUnavailableError; a retry of the same events is harmless. */
  append(events: StoredEvent[]): Promise<void>;
  /** The newest events first across the given keys (a profile and the identities merged into it). */
  listRecent(userKeys: UserKey[], limit: number): Promise<StoredEvent[]>;
  /** Deletes every event of the key; returns how many. */
  deleteAll(userKey: UserKey): Promise<number>;
}

export interface IngestErrorLog {
  record(errors: IngestError[]): Promise<void>;
  listRecent(limit: number): Promise<IngestError[]>;
}
