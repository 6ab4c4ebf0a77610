// The pre-send checklist's decisions: who of the audience can be sent to and why not, links and their UTM
// tags, the sending window, and whether the last test send still shows what will go out.

import type { Profile } from '../profiles/profile.js';
import {
  capCounters,
  consentRefusal,
  customerZone,
  quietHoursDeferral,
  recipientOf,
  type CapCounter,
} from '../delivery/guards.js';
import type { Channel } from '../delivery/channel.js';
import type { DeliverySettings } from '../delivery/settings.js';
import { assignVariant, dueFor, type Broadcast, type ChecklistItem } from './broadcast.js';

export type RecipientVerdict =
  | { kind: 'control' }
  | { kind: 'skip'; reason: string }
  | { kind: 'candidate'; channel: Channel; email?: string; counters: CapCounter[]; quietUntil?: Date };

/**
 * Where a customer's message would go along the channel chain (the first channel with an address and
 * consent), or why it would be skipped — the same gates the sender applies, without sending.
 */
export function recipientVerdict(
  broadcast: Pick<Broadcast, 'definition'>,
  profile: Profile,
  ctx: { settings: DeliverySettings; channelOf: (template: string) => Channel; sendingSince: Date },
): RecipientVerdict {
  const { definition } = broadcast;
  const variant = assignVariant(definition, profile.userKey);
  if (variant === 'control') return { kind: 'control' };
  const chain = [ctx.channelOf(variant.template), ...definition.fallback];
  let firstReason: string | undefined;
  for (const channel of chain) {
    const recipient = recipientOf(profile, channel as Channel);
    const reason =
      'skip' in recipient ? recipient.skip : consentRefusal(profile, channel as Channel, definition.category);
    if (reason || 'skip' in recipient) {
      firstReason ??= reason;
      continue;
    }
    const zone = customerZone(profile, ctx.settings);
    const due = dueFor(definition, zone, ctx.sendingSince);
    return {
      kind: 'candidate',
      channel,
      ...(recipient.kind === 'email' ? { email: recipient.address } : {}),
      counters: capCounters(ctx.settings.caps, channel as Channel, definition.category, due, zone),
      quietUntil: quietHoursDeferral(due, zone, ctx.settings, profile, definition.category),
    };
  }
  return { kind: 'skip', reason: firstReason ?? 'no channel' };
}

export type AudienceTally = {
  matching: number;
  control: number;
  sendable: number;
  skipped: Record<string, number>;
  byChannel: Record<string, number>;
  /** Candidates whose local time at sending falls in quiet hours (they would be held until morning). */
  inQuietHours: number;
};

export function emptyTally(): AudienceTally {
  return { matching: 0, control: 0, sendable: 0, skipped: {}, byChannel: {}, inQuietHours: 0 };
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"')\]]+/g;
const HREF = /href\s*=\s*["']([^"']*)["']/gi;
export const UTM_PARAMETERS = ['utm_source', 'utm_medium', 'utm_campaign'] as const;

/** Every link in rendered content: hrefs of HTML and URLs written in text. */
export function linksIn(texts: string[]): string[] {
  const links = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(HREF)) links.add(match[1].replace(/&amp;/g, '&'));
    for (const match of text.replace(HREF, '').matchAll(URL_IN_TEXT)) links.add(match[0]);
  }
  return [...links];
}

/** Links that are not well-formed absolute http(s) URLs, or lack a UTM tag (our own unsubscribe link aside). */
export function linkProblems(links: string[], ownPrefix: string): { link: string; problem: string }[] {
  const problems: { link: string; problem: string }[] = [];
  for (const link of links) {
    if (link.startsWith(ownPrefix) || link.startsWith('mailto:') || link.startsWith('tel:')) continue;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      problems.push({ link, problem: 'not a well-formed URL' });
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      problems.push({ link, problem: `unexpected scheme ${url.protocol}` });
      continue;
    }
    const missing = UTM_PARAMETERS.filter((p) => !url.searchParams.get(p));
    if (missing.length > 0) problems.push({ link, problem: `missing ${missing.join(', ')}` });
  }
  return problems;
}

export function audienceItem(tally: AudienceTally): ChecklistItem {
  const skipped = Object.values(tally.skipped).reduce((a, b) => a + b, 0);
  return {
    id: 'audience',
    passed: tally.sendable > 0,
    summary:
      tally.sendable > 0
        ? `${tally.sendable} of ${tally.matching} in the segment will be sent to (${tally.control} held out as control, ${skipped} skipped)`
        : `nobody in the segment can be sent to (${tally.matching} match, ${tally.control} held out, ${skipped} skipped)`,
    details: tally,
  };
}

export function sendingWindowItem(tally: AudienceTally, settings: DeliverySettings): ChecklistItem {
  const { start, end } = settings.quietHours;
  return {
    id: 'sending-window',
    passed: tally.inQuietHours === 0,
    summary:
      tally.inQuietHours === 0
        ? `no recipient's local time at sending falls in quiet hours (${start}–${end})`
        : `${tally.inQuietHours} recipients would be in quiet hours (${start}–${end}) and held until ${end}; send at another time or at a local time`,
    details: { inQuietHours: tally.inQuietHours, quietHours: { start, end } },
  };
}

/** The last test send counts if it came after the last edit and showed the same content. */
export function testSendItem(
  broadcast: Pick<Broadcast, 'testSend' | 'updatedAt'>,
  currentHash: string,
  seeds: number,
): ChecklistItem {
  const test = broadcast.testSend;
  if (seeds === 0)
    return {
      id: 'test-send',
      passed: false,
      summary: 'the seed list is empty: add addresses under settings.seedList, then test-send',
    };
  if (!test) return { id: 'test-send', passed: false, summary: 'no test send to the seed list yet: POST …/test-send' };
  if (test.at < broadcast.updatedAt || test.contentHash !== currentHash) {
    return {
      id: 'test-send',
      passed: false,
      summary: `the last test send (${test.at}) is older than the last edit of the broadcast or its templates; test-send again`,
    };
  }
  return {
    id: 'test-send',
    passed: true,
    summary: `test sent to ${test.recipients} seed recipients at ${test.at}, after the last edit`,
  };
}
