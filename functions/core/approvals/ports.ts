// What approvals need from storage: requests by id, the pending ones listed, a decision written once.

import type { Approval } from './approval.js';

export interface ApprovalStore {
  create(approval: Approval): Promise<void>;
  get(id: string): Promise<Approval | undefined>;
  /** Pending: every one, oldest first. Decided: the 100 most recently decided, newest first. */
  list(which: 'pending' | 'decided'): Promise<Approval[]>;
  /** Writes the decided request only if it is still pending: false when someone else decided first. */
  decide(approval: Approval): Promise<boolean>;
}
