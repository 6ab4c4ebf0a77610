// Journey wake-ups onto the journey-steps queue, later: an SQS delay up to 15 minutes, a schedule beyond.

import { createHash } from 'node:crypto';
import type { WakeUp } from '../../core/journeys/instance.js';
import type { StepScheduler } from '../../core/journeys/ports.js';
import type { DelayedSqsSender, QueueTarget } from './DelayedSqsSender.js';

export { atExpression, MAX_SQS_DELAY_SECONDS } from './DelayedSqsSender.js';

/** Deterministic from instance and wait: retrying the schedule call is a no-op, cancelling needs no lookup. */
export function scheduleName(wakeUp: Pick<WakeUp, 'userKey' | 'journeyId' | 'instanceId' | 'token'>): string {
  const id = createHash('sha256')
    .update(`${wakeUp.userKey}\u0000${wakeUp.journeyId}\u0000${wakeUp.instanceId}`)
    .digest('base64url')
    .slice(0, 32);
  return `ji-${id}-${wakeUp.token}`;
}

export class EventBridgeStepScheduler implements StepScheduler {
  constructor(
    private readonly sender: DelayedSqsSender,
    private readonly stepsQueue: QueueTarget,
  ) {}

  schedule(wakeUp: WakeUp): Promise<void> {
    return this.sender.sendAt(this.stepsQueue, scheduleName(wakeUp), JSON.stringify(wakeUp), wakeUp.at);
  }

  cancel(wakeUp: WakeUp): Promise<void> {
    return this.sender.cancel(scheduleName(wakeUp));
  }
}
