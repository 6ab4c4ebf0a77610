// What the live counters need from storage.

import type { Counts, MetricDimensions, MetricRow } from './counters.js';

/** The live counters (Metrics table): atomic adds, write-sharded; read back summed per row. */
export interface MessageMetrics {
  add(dimensions: MetricDimensions, day: string, counts: Counts): Promise<void>;
  /** Every row of a journey (or `broadcast:<id>`) between two days (inclusive, YYYY-MM-DD). */
  read(journeyId: string, fromDay: string, toDay: string): Promise<MetricRow[]>;
}

/** A dead-letter queue and how many messages wait in it: work that failed every retry and needs a person. */
export type DeadLetterCount = { queue: string; messages: number };

/** The dead-letter queues' depth (AWS: SQS's approximate count; locally: the runtime's dead letters since it started). */
export interface DeadLetterBacklog {
  counts(): Promise<DeadLetterCount[]>;
}
