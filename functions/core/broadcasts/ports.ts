// What a broadcast needs: its store and the queue of audience pages.

import type { Broadcast, BroadcastStatus, Checklist } from './broadcast.js';
import type { BroadcastPage } from './fanOut.js';

export interface BroadcastStore {
  get(id: string): Promise<Broadcast | undefined>;
  /** 'exists' when a broadcast already has the id. */
  create(broadcast: Broadcast): Promise<'created' | 'exists'>;
  /** Stores the broadcast if its status is still one of `whenStatus`; false otherwise. */
  save(broadcast: Broadcast, whenStatus: BroadcastStatus[]): Promise<boolean>;
  list(): Promise<Broadcast[]>;
  /** Deletes a broadcast that is still a draft. */
  delete(id: string): Promise<'deleted' | 'not-found' | 'not-draft'>;
  status(id: string): Promise<BroadcastStatus | undefined>;
  /** Cancels a draft, or a broadcast still sending or with requests still queued; false if it was neither. */
  cancel(id: string, at: string): Promise<boolean>;
  saveCheck(id: string, checklist: Checklist): Promise<void>;
  lastCheck(id: string): Promise<Checklist | undefined>;
  pageDone(id: string, pageKey: string): Promise<boolean>;
  /**
   * Marks a fan-out page done and adds its counts, once ('already' for a repeated page); when it ended the
   * last chain, a broadcast still sending becomes enqueued.
   */
  commitPage(
    id: string,
    pageKey: string,
    counts: { enqueued: number; heldOut: number },
    endsChain: boolean,
  ): Promise<'committed' | 'already'>;
}

/** The broadcast fan-out's own queue: a page of the audience, picked up at its time. */
export interface BroadcastPages {
  schedule(page: BroadcastPage, at: Date): Promise<void>;
}
