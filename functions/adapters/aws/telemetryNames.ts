// The operational metrics' namespace, service and names: one list for the senders that emit them and the
// alarms and dashboard that read them.

export const TELEMETRY_NAMESPACE = 'Retain';
/** Powertools adds this `service` dimension to every metric; alarms must name it to find the series. */
export const TELEMETRY_SERVICE = 'retain';

export const TELEMETRY_METRICS = {
  /** Count, by Channel and Outcome (sent, failed, skipped, capped, deferred, …). */
  messageOutcome: 'MessageOutcome',
  /** Count of the failed and skipped, by Channel, Outcome and Reason (a bounded code, see outcomeReason.ts). */
  messageRefusals: 'MessageRefusals',
  /** Count, by Channel and Kind (rejected, throttled, failed). */
  providerErrors: 'ProviderErrors',
  /** Milliseconds, by Channel: ingest's receipt of the triggering event to the provider's acceptance. */
  triggerToSend: 'TriggerToSendLatency',
  /** Count, by Outcome (advanced, stale, held, ended): the journey-steps queue's messages. */
  journeyWakeUps: 'JourneyWakeUps',
  /** Count, no dimension (pools are the marketers' to create): claims that left a pool under its alertBelow. */
  couponPoolLow: 'CouponPoolLow',
} as const;
