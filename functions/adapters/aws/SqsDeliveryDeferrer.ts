// Quiet hours: the delivery request goes back on its channel's queue at the end of the quiet period.

import { createHash } from 'node:crypto';
import type { Channel } from '../../core/delivery/channel.js';
import type { DeliveryRequest } from '../../core/journeys/instance.js';
import type { DeliveryDeferrer } from '../../core/delivery/ports.js';
import type { DelayedSqsSender, QueueTarget } from './DelayedSqsSender.js';

export const deferralName = (request: Pick<DeliveryRequest, 'userKey' | 'idempotencyKey'>) =>
  `dm-${createHash('sha256').update(`${request.userKey}\u0000${request.idempotencyKey}`).digest('base64url').slice(0, 40)}`;

export class SqsDeliveryDeferrer implements DeliveryDeferrer {
  constructor(
    private readonly sender: DelayedSqsSender,
    private readonly queues: Partial<Record<Channel, QueueTarget>>,
  ) {}

  async defer(request: DeliveryRequest, until: Date): Promise<void> {
    const target = this.queues[request.channel];
    if (!target) throw new Error(`no delivery queue is configured for the ${request.channel} channel`);
    await this.sender.sendAt(target, deferralName(request), JSON.stringify(request), until.toISOString());
  }
}
