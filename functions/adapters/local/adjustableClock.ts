// The local runtime's clock: real time plus an offset that `POST /admin/v1/clock/advance` can move forward.

import type { Clock } from '../../core/system/ports.js';

export class AdjustableClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): Date {
    this.offsetMs += ms;
    return this.now();
  }

  /** Moves forward to an instant (never back: time in the engine only moves on). */
  moveTo(instant: number): Date {
    this.offsetMs = Math.max(this.offsetMs, instant - Date.now());
    return this.now();
  }
}

/** One clock per local process, shared by every handler the local runtime runs. */
export const localClock = new AdjustableClock();
