// The pre-send checklist of a broadcast: one pass over the audience with the sender's own gates, sample
// renders per variant and channel, personalisation, links, the sending window and the last test send.

import type { Channel } from '../delivery/channel.js';
import { customerZone, type CapCounter } from '../delivery/guards.js';
import type { FrequencyCaps, SettingsStore, SuppressionList, TemplateStore } from '../delivery/ports.js';
import type { Template } from '../delivery/template.js';
import type { UserKey } from '../events/userKey.js';
import type { Profile } from '../profiles/profile.js';
import type { ProfileStore } from '../profiles/ports.js';
import { evaluateCondition } from '../segments/condition.js';
import type { SegmentStore } from '../segments/ports.js';
import { profileSubject } from '../segments/profileSubject.js';
import { contentHash, variantsOf, type Broadcast, type Checklist, type ChecklistItem } from './broadcast.js';
import { audienceItem, emptyTally, recipientVerdict, sendingWindowItem, testSendItem } from './checklist.js';
import { contentItems, type ContentCheckDeps } from './contentChecks.js';
import { channelOfTemplate, templatesOf } from './runBroadcast.js';
import type { CouponStore } from '../offers/ports.js';
import { couponSupplyItem } from '../offers/couponSupply.js';

export type ChecklistDeps = ContentCheckDeps & {
  segments: Pick<SegmentStore, 'get' | 'list'>;
  settings: Pick<SettingsStore, 'get'>;
  templates: Pick<TemplateStore, 'get'>;
  profiles: Pick<ProfileStore, 'scan'>;
  suppressions: Pick<SuppressionList, 'suppressedAmong'>;
  caps: Pick<FrequencyCaps, 'full'>;
  coupons: Pick<CouponStore, 'getPool'>;
  /** A number in [0, 1) for picking the sample recipients; any will do. */
  chance?: () => number;
};

const SAMPLES = 3;

/** Every item, and the customers' time zones (a local-time broadcast sends one wave per zone). */
export async function runChecklist(
  broadcast: Broadcast,
  deps: ChecklistDeps,
  now: Date,
): Promise<{ checklist: Checklist; zones: Set<string> }> {
  const { definition } = broadcast;
  const chance = deps.chance ?? Math.random;
  const [segment, allSegments, settings, templates] = await Promise.all([
    deps.segments.get(definition.segment),
    deps.segments.list(),
    deps.settings.get(),
    templatesOf(definition, deps.templates),
  ]);
  const items: ChecklistItem[] = [];
  const missingTemplates = variantsOf(definition).filter((v) => !templates.has(v.template));
  if (!segment || missingTemplates.length > 0) {
    const summary = !segment
      ? `the segment ${definition.segment} does not exist`
      : `missing templates: ${missingTemplates.map((v) => v.template).join(', ')}`;
    const items = [{ id: 'audience', passed: false, summary }];
    return { checklist: { at: now.toISOString(), passed: false, items }, zones: new Set() };
  }
  const channelOf = channelOfTemplate(templates);
  const conditions = new Map(allSegments.map((s) => [s.id, s.condition]));
  const sendingSince = now;

  // The audience: one pass, the same gates the sender applies.
  const tally = emptyTally();
  const zones = new Set<string>();
  const emails = new Map<string, UserKey>();
  const capped: { userKey: UserKey; counters: CapCounter[] }[] = [];
  const channelsOf = new Map<UserKey, Channel>();
  const samples: Profile[] = [];
  let seen = 0;
  await deps.profiles.scan((profile) => {
    if (!evaluateCondition(segment.condition, profileSubject(profile), now, (id) => conditions.get(id))) return;
    tally.matching++;
    zones.add(customerZone(profile, settings));
    const verdict = recipientVerdict(broadcast, profile, { settings, channelOf, sendingSince });
    if (verdict.kind === 'control') return void tally.control++;
    if (verdict.kind === 'skip') return void (tally.skipped[verdict.reason] = (tally.skipped[verdict.reason] ?? 0) + 1);
    tally.sendable++;
    tally.byChannel[verdict.channel] = (tally.byChannel[verdict.channel] ?? 0) + 1;
    if (verdict.quietUntil) tally.inQuietHours++;
    if (verdict.email) emails.set(verdict.email, profile.userKey);
    if (verdict.counters.length > 0) capped.push({ userKey: profile.userKey, counters: verdict.counters });
    channelsOf.set(profile.userKey, verdict.channel);
    // Reservoir sampling: three recipients, each as likely as any other.
    seen++;
    if (samples.length < SAMPLES) samples.push(profile);
    else if (chance() < SAMPLES / seen) samples[Math.floor(chance() * SAMPLES)] = profile;
  });
  const skip = (reason: string) => {
    tally.sendable--;
    tally.skipped[reason] = (tally.skipped[reason] ?? 0) + 1;
  };
  for (const address of await deps.suppressions.suppressedAmong([...emails.keys()])) {
    skip('suppressed address');
    const key = emails.get(address)!;
    tally.byChannel[channelsOf.get(key)!]--;
    channelsOf.delete(key);
  }
  for (const [userKey, rule] of await deps.caps.full(capped.filter((c) => channelsOf.has(c.userKey)))) {
    skip(`frequency cap ${rule}`);
    tally.byChannel[channelsOf.get(userKey)!]--;
  }
  items.push(audienceItem(tally));

  // Sample renders on every channel of the chain, for every variant, compliance text applied.
  const targets = variantsOf(definition).map((v) => ({
    label: v.name,
    template: v.template,
    ...(definition.variants ? { variant: v.name } : {}),
    fallback: definition.fallback,
    category: definition.category,
  }));
  items.push(...(await contentItems(targets, samples, deps, `broadcast:${definition.id}`)));
  const chain = (template: Template): Channel[] => [template.channel, ...definition.fallback];
  const coupons = await couponSupplyItem([...templates.values()], tally.sendable, deps);
  if (coupons) items.push(coupons);
  items.push(sendingWindowItem(tally, settings));
  const channels = new Set([...templates.values()].flatMap(chain));
  const seeds = [...channels].reduce((n, c) => n + settings.seedList[c].length, 0);
  items.push(testSendItem(broadcast, contentHash(definition, [...templates.values()]), seeds));
  return { checklist: { at: now.toISOString(), passed: items.every((i) => i.passed), items }, zones };
}
