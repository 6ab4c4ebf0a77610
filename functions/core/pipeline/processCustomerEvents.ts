// One batch of the Events stream through the five use cases, customer by customer: the profile first (and the
// catalog from product events), then push opens, goal attribution, push opt-outs, tier changes and the journeys.
// A customer's failure never stops the others.

import type { PositionedEvent } from '../profiles/applyEvents.js';
import { groupByUser, updateProfiles } from '../profiles/updateProfiles.js';
import { attributeConversions, countPushOptOut, isGoalEvent } from '../metrics/attributeConversions.js';
import { runCustomerEvents, type JourneyDeps } from '../journeys/runJourneys.js';
import { PUSH_OPENED, recordPushOpens } from '../delivery/pushOpens.js';
import type { JourneyIndex } from '../journeys/journeyIndex.js';
import type { MessageLog, SettingsStore } from '../delivery/ports.js';
import type { MessageMetrics } from '../metrics/ports.js';
import type { UserKey } from '../events/userKey.js';
import type { CatalogStore, CouponStore } from '../offers/ports.js';
import { productObservationsOf } from '../offers/catalog.js';
import { ORDER_COMPLETED, redeemCoupons } from '../offers/redeemCoupons.js';
import { confirmConsentChanges, type ConsentChangeDeps } from '../profiles/confirmConsentChanges.js';
import type { EventStore } from '../events/ports.js';
import { recordTierChange } from '../loyalty/recordTierChange.js';

export type PipelineDeps = JourneyDeps & {
  journeyIndex: { get(): Promise<JourneyIndex> };
  settings: Pick<SettingsStore, 'get'>;
  messages: Pick<MessageLog, 'since' | 'convert' | 'feedback' | 'get'>;
  metrics: Pick<MessageMetrics, 'add'>;
  coupons: Pick<CouponStore, 'redeem'>;
  catalog: Pick<CatalogStore, 'observe'>;
  consentLedger: ConsentChangeDeps['consentLedger'];
  /** Where derived events (`Tier Changed`) go, to come back through the stream like any other. */
  events: Pick<EventStore, 'append'>;
};

/** What went wrong for one customer; the stream resumes at `position` and replays (every step is idempotent). */
export type CustomerFailure = { stage: 'profile' | 'journeys'; userKey: UserKey; position: string; error: Error };

export async function processCustomerEvents(
  events: PositionedEvent[],
  deps: PipelineDeps,
  now: Date,
): Promise<CustomerFailure[]> {
  const settings = await deps.settings.get();
  const rules = { loyalty: settings.loyalty, timezone: settings.timezone };
  const results = await updateProfiles(groupByUser(events), { profiles: deps.profiles }, rules);
  // The catalog learns from every customer's product events at once; a replay re-applies nothing newer.
  const observed = productObservationsOf(events.map((e) => e.event));
  if (observed.length > 0) await deps.catalog.observe(observed, now);
  const index = await deps.journeyIndex.get();
  const failures: CustomerFailure[] = [];
  await Promise.all(
    results.map(async (result) => {
      if (result.outcome === 'failed') {
        failures.push({
          stage: 'profile',
          userKey: result.userKey,
          position: result.firstPosition,
          error: result.error,
        });
        return;
      }
      // Journeys run on replays too: entering is keyed by the trigger, so a replay finishes what a
      // crash interrupted and never starts anything twice.
      try {
        const customerEvents = result.events.map((e) => e.event);
        const keys = [result.profileKey, ...result.after.mergedKeys];
        if (customerEvents.some((e) => e.event === PUSH_OPENED)) await recordPushOpens(customerEvents, keys, deps);
        if (customerEvents.some((e) => e.event === ORDER_COMPLETED && e.properties?.coupon !== undefined))
          await redeemCoupons(customerEvents, result.profileKey, deps);
        // Only a goal event (the workspace's, or a journey's own) reads the customer's recent messages.
        const rule = settings.attribution;
        if (customerEvents.some((e) => isGoalEvent(e, rule, index.goals().events))) {
          await attributeConversions(customerEvents, keys, rule, deps, index.goals());
        }
        await confirmConsentChanges(result.before, result.after, customerEvents, deps, now);
        await recordTierChange(result.after, customerEvents, deps);
        // A customer who turns push off is counted against the last push they got (the negative reactions).
        if (result.before?.consent.push?.granted === true && result.after.consent.push?.granted === false) {
          await countPushOptOut(keys, customerEvents.at(-1)!.timestamp, deps);
        }
        await runCustomerEvents(
          { profileKey: result.profileKey, before: result.before, after: result.after, events: customerEvents },
          index,
          deps,
          now,
        );
      } catch (error) {
        failures.push({
          stage: 'journeys',
          userKey: result.userKey,
          position: result.events[0].position,
          error: error as Error,
        });
      }
    }),
  );
  return failures;
}
