// The broadcast queue: fan-out pages, each sent to arrive shortly before its first recipient is due.

import { createHash } from 'node:crypto';
import type { BroadcastPage } from '../../core/broadcasts/fanOut.js';
import { pageKey } from '../../core/broadcasts/fanOut.js';
import type { BroadcastPages } from '../../core/broadcasts/ports.js';
import type { DelayedSqsSender, QueueTarget } from './DelayedSqsSender.js';

export const pageScheduleName = (page: BroadcastPage) =>
  `bp-${createHash('sha256')
    .update(`${page.broadcastId}\u0000${pageKey(page)}`)
    .digest('base64url')
    .slice(0, 40)}`;

export class SqsBroadcastPages implements BroadcastPages {
  constructor(
    private readonly sender: DelayedSqsSender,
    private readonly queue: QueueTarget,
  ) {}

  async schedule(page: BroadcastPage, at: Date): Promise<void> {
    await this.sender.sendAt(this.queue, pageScheduleName(page), JSON.stringify(page), at.toISOString());
  }
}
