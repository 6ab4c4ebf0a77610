// Starting a broadcast's fan-out and running one page of it: the use cases behind `…/send` and the
// broadcast queue's consumer.

import type { BroadcastPages, BroadcastStore } from './ports.js';
import type { BulkDeliveryQueue, SettingsStore, TemplateStore } from '../delivery/ports.js';
import type { ProfileStore } from '../profiles/ports.js';
import type { SegmentStore } from '../segments/ports.js';
import type { Template } from '../delivery/template.js';
import type { Channel } from '../delivery/channel.js';
import type { DeliverySettings } from '../delivery/settings.js';
import { variantsOf, type Broadcast } from './broadcast.js';
import { LEAD_MS, SCAN_SEGMENTS, nextPageAt, pageKey, pageLimit, planPage, type BroadcastPage } from './fanOut.js';

export type FanOutDeps = {
  broadcasts: BroadcastStore;
  profiles: ProfileStore;
  segments: SegmentStore;
  templates: TemplateStore;
  settings: SettingsStore;
  deliveries: BulkDeliveryQueue;
  pages: BroadcastPages;
};

/** The templates a broadcast uses, by id (missing ones left out). */
export async function templatesOf(
  definition: Broadcast['definition'],
  templates: Pick<TemplateStore, 'get'>,
): Promise<Map<string, Template>> {
  const found = await Promise.all(variantsOf(definition).map((v) => templates.get(v.template)));
  return new Map(found.filter((t): t is Template => t !== undefined).map((t) => [t.id, t]));
}

/** The channel a template goes out on (e-mail for one that is missing: its sends fail with the reason). */
export const channelOfTemplate =
  (templates: Map<string, Template>) =>
  (template: string): Channel =>
    templates.get(template)?.channel ?? 'email';

/** The broadcast's rate: its own, or the workspace's for the channel of its first template. */
export function rateOf(broadcast: Pick<Broadcast, 'definition'>, channel: Channel, settings: DeliverySettings): number {
  return broadcast.definition.ratePerMinute ?? settings.broadcasts.ratePerMinute[channel];
}

/** Moves a checked draft to sending and puts the first page of every scan segment × wave on the queue. */
export async function startBroadcast(
  broadcast: Broadcast,
  waves: Date[],
  deps: Pick<FanOutDeps, 'broadcasts' | 'pages'>,
  now: Date,
): Promise<Broadcast | undefined> {
  const started: Broadcast = {
    ...broadcast,
    status: 'sending',
    sendingSince: now.toISOString(),
    progress: { chains: waves.length * SCAN_SEGMENTS, chainsDone: 0, pages: 0, enqueued: 0, heldOut: 0 },
  };
  if (!(await deps.broadcasts.save(started, ['draft']))) return undefined;
  const instants = waves.map((w) => w.toISOString());
  for (let wave = 0; wave < waves.length; wave++) {
    const at = new Date(Math.max(now.getTime(), waves[wave].getTime() - LEAD_MS));
    for (let segment = 0; segment < SCAN_SEGMENTS; segment++) {
      await deps.pages.schedule(
        {
          broadcastId: broadcast.definition.id,
          wave,
          waves: instants,
          segment,
          totalSegments: SCAN_SEGMENTS,
          index: 0,
          position: 0,
        },
        at,
      );
    }
  }
  return started;
}

export type PageOutcome = { status: 'stopped' | 'already' | 'done'; enqueued: number; heldOut: number; next?: boolean };

/**
 * One page: read it, enqueue its recipients at their throttled times, hand the next page on, then mark
 * this one done. A retried page enqueues again (the senders' claims make that harmless) but counts once.
 */
export async function runBroadcastPage(page: BroadcastPage, deps: FanOutDeps, now: Date): Promise<PageOutcome> {
  const broadcast = await deps.broadcasts.get(page.broadcastId);
  // Cancelled (or deleted): what was not yet enqueued never is.
  if (broadcast?.status !== 'sending') return { status: 'stopped', enqueued: 0, heldOut: 0 };
  if (await deps.broadcasts.pageDone(page.broadcastId, pageKey(page)))
    return { status: 'already', enqueued: 0, heldOut: 0 };
  const { definition } = broadcast;
  const [segment, allSegments, settings, templates] = await Promise.all([
    deps.segments.get(definition.segment),
    deps.segments.list(),
    deps.settings.get(),
    templatesOf(definition, deps.templates),
  ]);
  const channelOf = channelOfTemplate(templates);
  const ratePerMinute = rateOf(broadcast, channelOf(variantsOf(definition)[0].template), settings);
  if (!segment) {
    // The segment was deleted after the send: nobody more is enqueued.
    await deps.broadcasts.commitPage(page.broadcastId, pageKey(page), { enqueued: 0, heldOut: 0 }, true);
    return { status: 'done', enqueued: 0, heldOut: 0 };
  }
  const conditions = new Map(allSegments.map((s) => [s.id, s.condition]));
  const read = await deps.profiles.audiencePage(
    { index: page.segment, of: page.totalSegments },
    page.cursor,
    pageLimit(ratePerMinute, page.totalSegments),
  );
  const ctx = {
    definition,
    condition: segment.condition,
    segments: (id: string) => conditions.get(id),
    settings,
    channelOf,
    sendingSince: new Date(broadcast.sendingSince ?? now.toISOString()),
    ratePerMinute,
    now,
  };
  const plan = planPage(page, read.profiles, ctx);
  await deps.deliveries.enqueueMany(plan.deliveries);
  if (read.next) {
    const next: BroadcastPage = { ...page, index: page.index + 1, position: plan.nextPosition, cursor: read.next };
    await deps.pages.schedule(next, nextPageAt(page, plan.nextPosition, ctx));
  }
  const counts = { enqueued: plan.deliveries.length - plan.heldOut, heldOut: plan.heldOut };
  const committed = await deps.broadcasts.commitPage(page.broadcastId, pageKey(page), counts, !read.next);
  return { status: committed === 'already' ? 'already' : 'done', ...counts, next: read.next !== undefined };
}
