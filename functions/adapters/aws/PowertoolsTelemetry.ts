// Operational metrics as CloudWatch embedded metric format (Powertools Metrics): buffered during an
// invocation, printed to the function's log at its end, turned into metrics by CloudWatch with no API call.

import type { MiddlewareObj } from '@middy/core';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Channel } from '../../core/delivery/channel.js';
import type { MessageStatus } from '../../core/delivery/messageLog.js';
import type { OutcomeReason } from '../../core/delivery/outcomeReason.js';
import type { ProviderErrorKind } from '../../core/delivery/ports.js';
import type { WakeUpOutcome } from '../../core/journeys/ports.js';
import type { Telemetry } from '../Adapters.js';
import { TELEMETRY_METRICS, TELEMETRY_NAMESPACE, TELEMETRY_SERVICE } from './telemetryNames.js';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

type Series = {
  name: string;
  unit: Unit;
  dimensions: Record<string, string>;
  values: number[];
};

export class PowertoolsTelemetry implements Telemetry {
  private readonly metrics: Metrics;
  private readonly series = new Map<string, Series>();
  /** One log line per pool per container: a low pool is claimed from on every send until it is refilled. */
  private readonly lowPools = new Set<string>();

  constructor(metrics = new Metrics({ namespace: TELEMETRY_NAMESPACE, serviceName: TELEMETRY_SERVICE })) {
    this.metrics = metrics;
  }

  outcome(channel: Channel, status: MessageStatus, reason: OutcomeReason | undefined): void {
    this.add(TELEMETRY_METRICS.messageOutcome, MetricUnit.Count, { Channel: channel, Outcome: status }, 1);
    // A metric of its own rather than a second dimension set: Powertools warns on every overlapping set.
    if (reason) {
      const dimensions = { Channel: channel, Outcome: status, Reason: reason };
      this.add(TELEMETRY_METRICS.messageRefusals, MetricUnit.Count, dimensions, 1);
    }
  }

  providerError(channel: Channel, kind: ProviderErrorKind): void {
    this.add(TELEMETRY_METRICS.providerErrors, MetricUnit.Count, { Channel: channel, Kind: kind }, 1);
  }

  triggerToSend(channel: Channel, milliseconds: number): void {
    this.add(TELEMETRY_METRICS.triggerToSend, MetricUnit.Milliseconds, { Channel: channel }, milliseconds);
  }

  /** The metric the alarm watches, and a log line naming the pool (a metric per pool would need an alarm per pool). */
  couponPoolLow(poolId: string, remaining: number): void {
    this.add(TELEMETRY_METRICS.couponPoolLow, MetricUnit.Count, {}, 1);
    if (!this.lowPools.has(poolId)) console.warn(JSON.stringify({ message: 'coupon pool low', poolId, remaining }));
    this.lowPools.add(poolId);
  }

  wakeUp(outcome: WakeUpOutcome): void {
    this.add(TELEMETRY_METRICS.journeyWakeUps, MetricUnit.Count, { Outcome: outcome }, 1);
  }

  /**
   * Powertools keeps one set of dimensions per flush, and a batch mixes outcomes: so one flush per series,
   * each carrying every value it collected (`Values` in EMF), and nothing printed when nothing happened.
   */
  publish(): void {
    for (const s of this.series.values()) {
      for (const [key, value] of Object.entries(s.dimensions)) this.metrics.addDimension(key, value);
      for (const value of s.values) this.metrics.addMetric(s.name, s.unit, value);
      this.metrics.publishStoredMetrics();
    }
    this.series.clear();
  }

  publishAfterEachInvocation(): MiddlewareObj {
    const publish = async () => this.publish();
    return { after: publish, onError: publish };
  }

  private add(name: string, unit: Unit, dimensions: Record<string, string>, value: number): void {
    const key = JSON.stringify([name, dimensions]);
    const found = this.series.get(key);
    if (found) found.values.push(value);
    else this.series.set(key, { name, unit, dimensions, values: [value] });
  }
}
