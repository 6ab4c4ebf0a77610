// What segments need from storage.

import type { Segment } from './segment.js';

export interface SegmentStore {
  get(id: string): Promise<Segment | undefined>;
  put(segment: Segment): Promise<void>;
  list(): Promise<Segment[]>;
  delete(id: string): Promise<boolean>;
}
