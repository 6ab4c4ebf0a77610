// Lambda entry point of SES feedback (configuration set → EventBridge): the message log, suppression, and
// an event on the customer's timeline so journeys can branch on opens and clicks.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { parseMessageRef } from '../core/delivery/messageRef.js';
import type { Feedback } from '../core/delivery/messageLog.js';
import { systemEvent } from '../core/events/systemEvent.js';
import { recordFeedback } from '../core/metrics/recordFeedback.js';
import type { Adapters } from '../adapters/Adapters.js';

export type SesEventDetail = {
  eventType: 'Delivery' | 'Open' | 'Click' | 'Bounce' | 'Complaint' | 'Reject' | 'Send' | string;
  mail: { messageId: string; timestamp: string; destination: string[]; tags?: Record<string, string[]> };
  bounce?: { bounceType: string; bouncedRecipients?: { emailAddress: string }[]; timestamp?: string };
  complaint?: { complainedRecipients?: { emailAddress: string }[]; timestamp?: string };
  open?: { timestamp: string };
  click?: { timestamp: string; link: string };
  delivery?: { timestamp: string };
};

const FEEDBACK: Record<string, Feedback> = { Delivery: 'delivered', Open: 'opened', Click: 'clicked', Bounce: 'bounced', Complaint: 'complained' };
const TIMELINE: Partial<Record<Feedback, string>> = { opened: 'Email Opened', clicked: 'Email Link Clicked', bounced: 'Email Bounced', complained: 'Email Marked as Spam' };

export function createSesEventsHandler(adapters: Pick<Adapters, 'clock' | 'messages' | 'metrics' | 'suppressions' | 'events'>) {
  const logger = new Logger({ serviceName: 'retain-ses-events' });
  return middy<EventBridgeEvent<string, SesEventDetail>, void>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const detail = event.detail;
      const ref = parseMessageRef(detail.mail.tags?.retain_ref?.[0] ?? '');
      if (!ref) {
        logger.warn('SES event without a Retain message reference', { eventType: detail.eventType });
        return;
      }
      const feedback = FEEDBACK[detail.eventType];
      const at = detail.open?.timestamp ?? detail.click?.timestamp ?? detail.bounce?.timestamp ?? detail.complaint?.timestamp ?? detail.delivery?.timestamp ?? event.time;
      const now = adapters.clock.now();
      if (detail.eventType === 'Reject') {
        await adapters.messages.record(ref.userKey, ref.idempotencyKey, { status: 'failed', reason: 'rejected by SES (virus or policy)' }, now);
        return;
      }
      if (!feedback) return;
      // A soft bounce is transient: only a permanent bounce and a complaint suppress the address for good.
      const permanent = detail.eventType === 'Complaint' || (detail.eventType === 'Bounce' && detail.bounce?.bounceType === 'Permanent');
      if (permanent) {
        for (const address of detail.mail.destination) await adapters.suppressions.suppress(address, detail.eventType === 'Complaint' ? 'complaint' : 'hard bounce', at);
      }
      if (detail.eventType === 'Bounce' && !permanent) return;
      const first = await recordFeedback(adapters, ref.userKey, ref.idempotencyKey, feedback, at);
      const name = TIMELINE[feedback];
      if (!first || !name) return; // repeated opens and clicks count once
      const timeline = systemEvent({
        userKey: ref.userKey,
        messageId: `ses-${feedback}-${detail.mail.messageId}`,
        event: name,
        properties: { messageId: ref.idempotencyKey, journeyId: first.journeyId, stepId: first.stepId, template: first.template, ...(detail.click ? { url: detail.click.link } : {}) },
        timestamp: at,
        receivedAt: now.toISOString(),
        source: 'ses-events',
      });
      await adapters.events.append([timeline]);
    });
}
