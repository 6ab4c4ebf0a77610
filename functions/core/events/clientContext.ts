// Fills what a browser's event leaves to the receiver, as Segment's API does: the client's IP, the device type
// from the user agent (the funnel's device breakdown), and the UTM campaign from the page's address.

import Bowser from 'bowser';
import type { SegmentContext } from './segmentMessage.js';

/** What the request itself tells about the sender. */
export type ClientRequest = { sourceIp?: string };

const UTM_FIELDS: Record<string, string> = {
  utm_source: 'source',
  utm_medium: 'medium',
  utm_campaign: 'name',
  utm_term: 'term',
  utm_content: 'content',
};

/** The message's own values always win: an SDK (or a server relaying for a browser) knows better. */
export function enrichClientContext(
  context: SegmentContext | undefined,
  request: ClientRequest,
): SegmentContext | undefined {
  const enriched: SegmentContext = { ...context };
  if (enriched.ip === undefined && request.sourceIp) enriched.ip = request.sourceIp;
  const deviceType = enriched.device?.type === undefined ? deviceTypeOf(enriched.userAgent) : undefined;
  if (deviceType) enriched.device = { ...enriched.device, type: deviceType };
  if (enriched.campaign === undefined) {
    const campaign = campaignOf(enriched.page);
    if (campaign) enriched.campaign = campaign;
  }
  return context === undefined && Object.keys(enriched).length === 0 ? undefined : enriched;
}

/** `mobile`, `tablet`, `desktop` or `tv`; nothing for an agent bowser cannot place (a server, a bot). */
export function deviceTypeOf(userAgent: unknown): string | undefined {
  if (typeof userAgent !== 'string' || userAgent.trim() === '') return undefined;
  return Bowser.parse(userAgent.slice(0, 512)).platform.type;
}

/** Analytics.js reads UTM itself; a server library passing `context.page.url` gets the same treatment here. */
function campaignOf(page: unknown): Record<string, string> | undefined {
  if (page === null || typeof page !== 'object') return undefined;
  const { search, url } = page as { search?: unknown; url?: unknown };
  let query: URLSearchParams;
  if (typeof search === 'string' && search.includes('utm_')) query = new URLSearchParams(search);
  else if (typeof url === 'string' && url.includes('utm_')) {
    query = new URLSearchParams(url.split('#')[0].split('?')[1] ?? '');
  } else return undefined;
  const campaign: Record<string, string> = {};
  for (const [param, field] of Object.entries(UTM_FIELDS)) {
    const value = query.get(param);
    if (value) campaign[field] = value.slice(0, 200);
  }
  return Object.keys(campaign).length > 0 ? campaign : undefined;
}
