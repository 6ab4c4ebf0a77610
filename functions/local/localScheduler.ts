// The local runtime's EventBridge Scheduler and SQS delays: wake-ups fire from the adjustable clock.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SQSEvent, SQSBatchResponse } from 'aws-lambda';
import type { WakeUp } from '../core/journeys/instance.js';
import type { Clock, StepScheduler } from '../ports.js';
import { scheduleName } from '../adapters/aws/EventBridgeStepScheduler.js';

export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export class LocalScheduler implements StepScheduler {
  private readonly pending = new Map<string, WakeUp>();
  private timer?: NodeJS.Timeout;
  private firing?: Promise<number>;
  handler?: QueueHandler;
  readonly deadLetters: { wakeUp: WakeUp; attempts: number }[] = [];

  constructor(
    private readonly clock: Clock,
    /** Pending wake-ups survive a restart of `npm start` here. */
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) {
      for (const w of JSON.parse(readFileSync(file, 'utf8')) as WakeUp[]) this.pending.set(scheduleName(w), w);
    }
  }

  async schedule(wakeUp: WakeUp): Promise<void> {
    this.pending.set(scheduleName(wakeUp), wakeUp);
    this.persist();
  }

  async cancel(wakeUp: WakeUp): Promise<void> {
    if (this.pending.delete(scheduleName(wakeUp))) this.persist();
  }

  get size(): number {
    return this.pending.size;
  }

  start(intervalMs = 250): void {
    this.timer = setInterval(() => void this.fireDue().catch(() => undefined), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Lets time pass until `target` as it would in AWS: the clock moves to each wake-up's own time before it
   * fires (so a step computing "next 10:00" computes it from when it really woke), then on to the target.
   */
  async runUntil(target: number, moveClock: (instant: number) => void): Promise<number> {
    let fired = 0;
    for (;;) {
      const next = [...this.pending.values()].filter((w) => Date.parse(w.at) <= target).sort((a, b) => a.at.localeCompare(b.at))[0];
      if (!next) break;
      moveClock(Date.parse(next.at));
      fired += await this.fireDue();
    }
    moveClock(target);
    return fired + (await this.fireDue());
  }

  /**
   * Delivers every wake-up due by now, in time order, as SQS messages to the journey-step handler, until
   * none is due (a step may schedule another one inside the window). Returns how many fired.
   */
  async fireDue(): Promise<number> {
    if (this.firing) await this.firing.catch(() => undefined);
    this.firing = this.fireLoop();
    try {
      return await this.firing;
    } finally {
      this.firing = undefined;
    }
  }

  private async fireLoop(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = this.clock.now().getTime();
      const due = [...this.pending.entries()].filter(([, w]) => Date.parse(w.at) <= now).sort(([, a], [, b]) => a.at.localeCompare(b.at));
      if (due.length === 0 || !this.handler) return fired;
      // Like the SQS event source: up to ten messages per invocation, processed side by side.
      const batch = due.slice(0, 10);
      for (const [name] of batch) this.pending.delete(name);
      this.persist();
      await this.deliver(batch.map(([, w]) => w));
      fired += batch.length;
    }
  }

  private async deliver(wakeUps: WakeUp[]): Promise<void> {
    // Like the queue's redrive policy: a few receives, then the dead-letter list.
    let pending = wakeUps.map((wakeUp) => ({ wakeUp, messageId: randomUUID() }));
    for (let attempt = 1; attempt <= 3 && pending.length > 0; attempt++) {
      const event: SQSEvent = {
        Records: pending.map(({ wakeUp, messageId }) => ({
          messageId,
          receiptHandle: messageId,
          body: JSON.stringify(wakeUp),
          attributes: {
            ApproximateReceiveCount: String(attempt),
            SentTimestamp: String(Date.now()),
            SenderId: 'local',
            ApproximateFirstReceiveTimestamp: String(Date.now()),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:local:000000000000:retain-journey-steps',
          awsRegion: 'local',
        })),
      };
      let failed: Set<string>;
      try {
        const response = await this.handler!(event);
        failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch {
        failed = new Set(pending.map((p) => p.messageId));
      }
      pending = pending.filter((p) => failed.has(p.messageId));
    }
    for (const { wakeUp } of pending) this.deadLetters.push({ wakeUp, attempts: 3 });
  }

  private persist(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, JSON.stringify([...this.pending.values()]));
  }
}
