// The live journeys and segments, loaded at most once per TTL per container.

import type { Condition } from '../core/segments/condition.js';
import { JourneyIndex } from '../core/journeys/journeyIndex.js';
import type { JourneyStore } from '../core/journeys/ports.js';
import type { SegmentStore } from '../core/segments/ports.js';
import type { Clock } from '../core/system/ports.js';

export class JourneyIndexCache {
  private cached?: { index: JourneyIndex; until: number };
  private loading?: Promise<JourneyIndex>;

  constructor(
    private readonly journeys: JourneyStore,
    private readonly segments: SegmentStore,
    private readonly clock: Clock,
    /** A journey activated or edited elsewhere takes effect within this long (30 s by default). */
    private readonly ttlMs = 30_000,
  ) {}

  /** After an admin change: the next read loads afresh (in AWS this only helps the admin container). */
  invalidate(): void {
    this.cached = undefined;
  }

  async get(): Promise<JourneyIndex> {
    const now = this.clock.now().getTime();
    if (this.cached && this.cached.until > now) return this.cached.index;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    const index = await this.loading;
    this.cached = { index, until: now + this.ttlMs };
    return index;
  }

  private async load(): Promise<JourneyIndex> {
    const [live, segments] = await Promise.all([this.journeys.live(), this.segments.list()]);
    return new JourneyIndex(live, new Map<string, Condition>(segments.map((s) => [s.id, s.condition])));
  }
}
