// Operational metrics for the local runtime and tests: kept in memory, nothing to publish to.

import type { MiddlewareObj } from '@middy/core';
import type { Channel } from '../../core/delivery/channel.js';
import type { MessageStatus } from '../../core/delivery/messageLog.js';
import type { OutcomeReason } from '../../core/delivery/outcomeReason.js';
import type { ProviderErrorKind } from '../../core/delivery/ports.js';
import type { WakeUpOutcome } from '../../core/journeys/ports.js';
import type { Telemetry } from '../Adapters.js';

/** A long-running local engine keeps the latest observations only. */
const KEEP = 10_000;

function keep<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > KEEP) list.shift();
}

export class RecordingTelemetry implements Telemetry {
  readonly outcomes: { channel: Channel; status: MessageStatus; reason?: OutcomeReason }[] = [];
  readonly providerErrors: { channel: Channel; kind: ProviderErrorKind }[] = [];
  readonly triggerToSendMs: { channel: Channel; milliseconds: number }[] = [];
  readonly wakeUps: WakeUpOutcome[] = [];
  readonly lowCouponPools: { poolId: string; remaining: number }[] = [];

  outcome(channel: Channel, status: MessageStatus, reason: OutcomeReason | undefined): void {
    keep(this.outcomes, { channel, status, ...(reason ? { reason } : {}) });
  }

  providerError(channel: Channel, kind: ProviderErrorKind): void {
    keep(this.providerErrors, { channel, kind });
  }

  triggerToSend(channel: Channel, milliseconds: number): void {
    keep(this.triggerToSendMs, { channel, milliseconds });
  }

  couponPoolLow(poolId: string, remaining: number): void {
    keep(this.lowCouponPools, { poolId, remaining });
  }

  wakeUp(outcome: WakeUpOutcome): void {
    keep(this.wakeUps, outcome);
  }

  /** Nothing to publish; middy wants a middleware with at least one phase. */
  publishAfterEachInvocation(): MiddlewareObj {
    return { after: async () => undefined };
  }
}
