// Open and click tracking for the local mailer, as an SES configuration set does it: an open pixel and links
// rewritten to signed redirects, whose hits become the SES events the ses-events handler reads.

import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { decodeHTML } from 'entities';
import type { EventBridgeEvent } from 'aws-lambda';
import type { SesEventDetail } from '../../handlers/sesEvents.js';

export type TrackingConfig = {
  /** The local runtime's origin: the pixel and the redirects point at it. */
  baseUrl: string;
  secret: string;
};

/** What a tracking token names: the message as SES knows it and, for a click, the original link. */
export type TrackedMessage = { messageRef: string; providerMessageId: string; to: string };
type Claim = TrackedMessage & { kind: 'open' | 'click'; link?: string };

export type TrackingLinks = { open: string; clicks: { url: string; tracked: string }[] };

export const TRACKING_PREFIX = '/_local/t/';

// SES rewrites http(s) links in anchors; `ses:no-track` on the anchor opts one out, as it does in SES.
const ANCHOR = /<a\b[^>]*?\bhref\s*=\s*(["'])(https?:\/\/[^"']+)\1[^>]*>/gi;
/** A 1×1 transparent GIF, the pixel SES serves. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * The HTML with every link through a click redirect and an open pixel before `</body>`. Links to the runtime
 * itself (the unsubscribe page) stay as they are, so an opt-out is never counted as a click.
 */
export function trackEmailHtml(
  html: string,
  message: TrackedMessage,
  config: TrackingConfig,
): { html: string; links: TrackingLinks } {
  const clicks: TrackingLinks['clicks'] = [];
  const rewritten = html.replace(ANCHOR, (anchor, quote: string, href: string) => {
    if (/\bses:no-track\b/i.test(anchor) || href.startsWith(config.baseUrl)) return anchor;
    const url = decodeHTML(href);
    const tracked = trackingUrl({ ...message, kind: 'click', link: url }, config);
    clicks.push({ url, tracked });
    return anchor.replace(`${quote}${href}${quote}`, `${quote}${tracked}${quote}`);
  });
  const open = trackingUrl({ ...message, kind: 'open' }, config);
  const pixel = `<img src="${open}" width="1" height="1" alt="" style="display:none;border:0">`;
  const withPixel = /<\/body>/i.test(rewritten)
    ? rewritten.replace(/<\/body>/i, `${pixel}</body>`)
    : `${rewritten}\n${pixel}`;
  return { html: withPixel, links: { open, clicks } };
}

export type TrackingHit = { status: number; headers: Record<string, string>; body: Buffer };

/**
 * Answers `GET /_local/t/{open,click}/<token>`: a valid token becomes an SES `Open` or `Click` event handed to
 * `record` (the ses-events handler), then the pixel or a redirect to the original link. Anything else under the
 * prefix is 404 and records nothing; paths outside it are undefined (not ours).
 */
export function createTrackingHits(options: {
  secret: string;
  now: () => Date;
  record: (event: EventBridgeEvent<string, SesEventDetail>) => Promise<void>;
}) {
  return async (method: string, path: string): Promise<TrackingHit | undefined> => {
    if (!path.startsWith(TRACKING_PREFIX)) return undefined;
    const [kind, token, ...rest] = path.slice(TRACKING_PREFIX.length).split('/');
    const claim = method === 'GET' && rest.length === 0 ? verify(token ?? '', options.secret) : undefined;
    if (!claim || claim.kind !== kind) {
      return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('not found') };
    }
    await options.record(sesEvent(claim, options.now()));
    if (claim.kind === 'click' && claim.link) {
      return { status: 302, headers: { location: claim.link, 'cache-control': 'no-store' }, body: Buffer.alloc(0) };
    }
    return { status: 200, headers: { 'content-type': 'image/gif', 'cache-control': 'no-store' }, body: PIXEL };
  };
}

/** The event SES's configuration set would put on EventBridge for this hit. */
function sesEvent(claim: Claim, at: Date): EventBridgeEvent<string, SesEventDetail> {
  const timestamp = at.toISOString();
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': claim.kind === 'open' ? 'Email Opened' : 'Email Clicked',
    source: 'aws.ses',
    account: '000000000000',
    time: timestamp,
    region: 'local',
    resources: [],
    detail: {
      eventType: claim.kind === 'open' ? 'Open' : 'Click',
      mail: {
        messageId: claim.providerMessageId,
        timestamp,
        destination: [claim.to],
        tags: { retain_ref: [claim.messageRef] },
      },
      ...(claim.kind === 'open' ? { open: { timestamp } } : { click: { timestamp, link: claim.link ?? '' } }),
    },
  };
}

function trackingUrl(claim: Claim, config: TrackingConfig): string {
  const fields = [claim.kind, claim.messageRef, claim.providerMessageId, claim.to, claim.link ?? ''];
  const payload = Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
  return `${config.baseUrl}${TRACKING_PREFIX}${claim.kind}/${payload}.${mac(payload, config.secret)}`;
}

function verify(token: string, secret: string): Claim | undefined {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return undefined;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const [kind, messageRef, providerMessageId, to, link] = JSON.parse(
      Buffer.from(payload, 'base64url').toString('utf8'),
    ) as string[];
    if (kind !== 'open' && kind !== 'click') return undefined;
    if (kind === 'click' && !/^https?:\/\//.test(link)) return undefined;
    return { kind, messageRef, providerMessageId, to, ...(kind === 'click' ? { link } : {}) };
  } catch {
    return undefined;
  }
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
