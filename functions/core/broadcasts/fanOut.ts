// The broadcast fan-out, one page of one part of the audience at a time: who in the page is in the
// audience and in this wave, their variant, and when each one's request is due under the throttle.

import * as z from 'zod';
import type { Channel } from '../delivery/channel.js';
import type { DeliveryRequest } from '../journeys/instance.js';
import type { Profile } from '../profiles/profile.js';
import type { AudienceCursor } from '../profiles/ports.js';
import { evaluateCondition, type Condition } from '../segments/condition.js';
import { profileSubject } from '../segments/profileSubject.js';
import { customerZone } from '../delivery/guards.js';
import type { DeliverySettings } from '../delivery/settings.js';
import { assignVariant, broadcastRequest, dueFor, waveOf, type BroadcastDefinition } from './broadcast.js';

/** A cursor as the profile store issued it: opaque here, so only its being a string is checked. */
export const audienceCursorSchema = z.custom<AudienceCursor>((value) => typeof value === 'string' && value.length > 0);

/** A unit of fan-out work on the broadcast queue, validated where the fan-out picks it up. */
export const broadcastPageSchema = z.object({
  broadcastId: z.string().min(1),
  wave: z.number().int().min(0),
  waves: z.array(z.iso.datetime()).min(1),
  segment: z.number().int().min(0),
  totalSegments: z.number().int().min(1).max(1000),
  /** The page's number in its chain (segment × wave). */
  index: z.number().int().min(0),
  /** Recipients this segment already enqueued in this wave. */
  position: z.number().int().min(0),
  /** Where this segment's reading of the audience resumes; absent on the first page. */
  cursor: audienceCursorSchema.optional(),
});
export type BroadcastPage = z.infer<typeof broadcastPageSchema>;

export const pageKey = (page: Pick<BroadcastPage, 'wave' | 'segment' | 'index'>) =>
  `${page.wave}#${page.segment}#${page.index}`;

/** The parts a broadcast's audience is read in, side by side in AWS (one fan-out invocation each). */
export const SCAN_SEGMENTS = 8;
/** A page spans at most this much sending time, so every request fits in SQS's 15-minute delay. */
const PAGE_SPAN_MS = 10 * 60_000;
/** A page is read this long before its first request is due. */
export const LEAD_MS = 5 * 60_000;

export type PageContext = {
  definition: BroadcastDefinition;
  condition: Condition;
  segments: (id: string) => Condition | undefined;
  settings: DeliverySettings;
  /** The channel of each template the broadcast uses. */
  channelOf: (template: string) => Channel;
  sendingSince: Date;
  ratePerMinute: number;
  now: Date;
};

export type PagePlan = { deliveries: { request: DeliveryRequest; at: Date }[]; heldOut: number; nextPosition: number };

/** Recipients per minute one scan segment sends: the broadcast's rate shared by its segments. */
export const segmentRate = (ctx: Pick<PageContext, 'ratePerMinute'>, page: Pick<BroadcastPage, 'totalSegments'>) =>
  ctx.ratePerMinute / page.totalSegments;

/** How many profiles a page reads: never more than ten minutes of this segment's sending. */
export function pageLimit(ratePerMinute: number, totalSegments: number): number {
  return Math.max(10, Math.min(1000, Math.floor((ratePerMinute / totalSegments) * (PAGE_SPAN_MS / 60_000))));
}

/** The instant the recipient at `position` of a segment is due in a wave. */
export function throttledAt(waveAt: Date, position: number, perSegmentPerMinute: number): Date {
  return new Date(waveAt.getTime() + Math.floor((position / perSegmentPerMinute) * 60_000));
}

export function planPage(page: BroadcastPage, profiles: Profile[], ctx: PageContext): PagePlan {
  const waves = page.waves.map((w) => new Date(w));
  const waveAt = waves[page.wave];
  const rate = segmentRate(ctx, page);
  const deliveries: PagePlan['deliveries'] = [];
  let position = page.position;
  let heldOut = 0;
  for (const profile of profiles) {
    if (!evaluateCondition(ctx.condition, profileSubject(profile), ctx.now, ctx.segments)) continue;
    if (waveOf(dueFor(ctx.definition, customerZone(profile, ctx.settings), ctx.sendingSince), waves) !== page.wave)
      continue;
    const variant = assignVariant(ctx.definition, profile.userKey);
    const template = variant === 'control' ? undefined : variant.template;
    const channel = ctx.channelOf(template ?? ctx.definition.template ?? ctx.definition.variants![0].template);
    const request = broadcastRequest(
      ctx.definition,
      channel,
      { userKey: profile.userKey, userId: profile.userId },
      variant,
      ctx.now,
    );
    if (variant === 'control') {
      // Held out now: a control recipient takes no sending capacity.
      heldOut++;
      deliveries.push({ request, at: ctx.now });
      continue;
    }
    const at = throttledAt(waveAt, position++, rate);
    deliveries.push({
      request: at > ctx.now ? { ...request, notBefore: at.toISOString() } : request,
      at: at > ctx.now ? at : ctx.now,
    });
  }
  return { deliveries, heldOut, nextPosition: position };
}

/** When the next page should be read: shortly before its first request is due. */
export function nextPageAt(
  page: BroadcastPage,
  nextPosition: number,
  ctx: Pick<PageContext, 'ratePerMinute' | 'now'>,
): Date {
  const due = throttledAt(new Date(page.waves[page.wave]), nextPosition, segmentRate(ctx, page));
  const at = new Date(due.getTime() - LEAD_MS);
  return at > ctx.now ? at : ctx.now;
}
