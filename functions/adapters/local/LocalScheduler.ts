// The local runtime's EventBridge Scheduler and SQS delays: messages reach their local queue when the
// adjustable clock says they are due (journey wake-ups, quiet-hours deferrals).

import { existsSync, readFileSync } from 'node:fs';
import type { DeliveryRequest, WakeUp } from '../../core/journeys/instance.js';
import type { BroadcastPages } from '../../core/broadcasts/ports.js';
import type { DeliveryDeferrer } from '../../core/delivery/ports.js';
import type { StepScheduler } from '../../core/journeys/ports.js';
import type { Clock } from '../../core/system/ports.js';
import type { BroadcastPage } from '../../core/broadcasts/fanOut.js';
import { pageScheduleName } from '../aws/SqsBroadcastPages.js';
import { scheduleName } from '../aws/EventBridgeStepScheduler.js';
import { deferralName } from '../aws/SqsDeliveryDeferrer.js';
import { writeFileAtomically } from './writeFileAtomically.js';
import { type DeadLetter, deliverBatch, type QueueHandler } from './LocalQueue.js';

export type { QueueHandler } from './LocalQueue.js';
type Timed = { queue: string; at: string; body: unknown };

export const JOURNEY_STEPS = 'journey-steps';
export const BROADCAST_PAGES = 'broadcast-pages';

export class LocalScheduler implements StepScheduler, DeliveryDeferrer, BroadcastPages {
  private readonly pending = new Map<string, Timed>();
  private readonly handlers = new Map<string, QueueHandler>();
  private timer?: NodeJS.Timeout;
  private firing?: Promise<number>;
  private advancing = false;
  readonly deadLetters: DeadLetter[] = [];
  /** Told of each dead letter as it is kept (the runtime writes them under its data folder). */
  onDeadLetter: (deadLetter: DeadLetter) => void = () => undefined;

  constructor(
    private readonly clock: Clock,
    /** Pending messages survive a restart of `npm start` here. */
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) {
      for (const [name, timed] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Timed>))
        this.pending.set(name, timed);
    }
  }

  /** The queue's consumer, as its event source mapping would invoke it. */
  consume(queue: string, handler: QueueHandler): void {
    this.handlers.set(queue, handler);
  }

  async cancel(wakeUp: WakeUp): Promise<void> {
    if (this.pending.delete(scheduleName(wakeUp))) this.persist();
  }

  async defer(request: DeliveryRequest, until: Date): Promise<void> {
    this.later(request.channel, deferralName(request), request, until.toISOString());
  }

  async schedule(wakeUpOrPage: WakeUp | BroadcastPage, at?: Date): Promise<void> {
    if ('broadcastId' in wakeUpOrPage)
      this.later(BROADCAST_PAGES, pageScheduleName(wakeUpOrPage), wakeUpOrPage, at!.toISOString());
    else this.later(JOURNEY_STEPS, scheduleName(wakeUpOrPage), wakeUpOrPage, wakeUpOrPage.at);
  }

  /** Also the local channel queues: a message due now goes out at the next tick. */
  later(queue: string, name: string, body: unknown, at: string): void {
    this.pending.set(name, { queue, at, body });
    this.persist();
  }

  /** Many at once, written to disk once (a broadcast's page). */
  laterMany(entries: ({ name: string } & Timed)[]): void {
    for (const { name, ...timed } of entries) this.pending.set(name, timed);
    this.persist();
  }

  /** Drops every pending message whose JSON `mentions` says so (an erased customer's); returns how many. */
  forget(mentions: (json: string) => boolean): number {
    let dropped = 0;
    for (const [name, timed] of this.pending)
      if (mentions(JSON.stringify({ name, ...timed })) && this.pending.delete(name)) dropped++;
    if (dropped > 0) this.persist();
    return dropped;
  }

  get size(): number {
    return this.pending.size;
  }

  start(intervalMs = 100): void {
    this.timer = setInterval(() => {
      if (!this.advancing) void this.fireDue().catch(() => undefined);
    }, intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Lets time pass until `target` as it would in AWS: the clock moves to each message's own time before it
   * is delivered (so a step computing "next 10:00" computes it from when it really woke), then on to the target.
   */
  async runUntil(target: number, moveClock: (instant: number) => void): Promise<number> {
    // Nothing fires behind this loop's back, and what is due now is done before the clock moves: a message
    // handed on while the clock jumps would otherwise be stamped with the later time.
    this.advancing = true;
    try {
      return await this.runUntilTarget(target, moveClock);
    } finally {
      this.advancing = false;
    }
  }

  private async runUntilTarget(target: number, moveClock: (instant: number) => void): Promise<number> {
    let fired = await this.fireDue();
    for (;;) {
      const next = [...this.pending.values()]
        .filter((t) => Date.parse(t.at) <= target)
        .sort((a, b) => a.at.localeCompare(b.at))[0];
      if (!next) break;
      moveClock(Date.parse(next.at));
      fired += await this.fireDue();
    }
    moveClock(target);
    return fired + (await this.fireDue());
  }

  /** Delivers every message due by now, in time order, until none is due (a delivery may add more). */
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
      const due = [...this.pending.entries()]
        .filter(([, t]) => Date.parse(t.at) <= now && this.handlers.has(t.queue))
        .sort(([, a], [, b]) => a.at.localeCompare(b.at));
      if (due.length === 0) return fired;
      // Taken off the list now so a concurrent tick does not deliver them again; written to disk after the
      // round (a crash in between delivers them again, which every consumer tolerates).
      for (const [name] of due) this.pending.delete(name);
      const byQueue = new Map<string, unknown[]>();
      for (const [, t] of due) {
        if (!byQueue.has(t.queue)) byQueue.set(t.queue, []);
        byQueue.get(t.queue)!.push(t.body);
      }
      for (const [queue, bodies] of byQueue) {
        // Like the SQS event source: up to ten messages of one queue per invocation.
        for (let i = 0; i < bodies.length; i += 10) {
          await this.deliver(queue, bodies.slice(i, i + 10));
          fired += Math.min(10, bodies.length - i);
        }
      }
      this.persist();
    }
  }

  private async deliver(queue: string, bodies: unknown[]): Promise<void> {
    const dead = await deliverBatch(queue, bodies, this.handlers.get(queue)!);
    this.deadLetters.push(...dead);
    for (const letter of dead) this.onDeadLetter(letter);
  }

  private persist(): void {
    if (!this.file) return;
    writeFileAtomically(this.file, JSON.stringify(Object.fromEntries(this.pending)));
  }
}
