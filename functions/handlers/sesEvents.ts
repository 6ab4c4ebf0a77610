// The handler of SES feedback (configuration set → EventBridge): the message log, suppression, and
// an event on the customer's timeline so journeys can branch on opens and clicks.

import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { EventBridgeEvent } from 'aws-lambda';
import { applyEmailFeedback, type EmailFeedbackKind } from '../core/feedback/emailFeedback.js';
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

const KINDS: Record<string, EmailFeedbackKind> = {
  Delivery: 'delivered',
  Open: 'opened',
  Click: 'clicked',
  Bounce: 'bounced',
  Complaint: 'complained',
  Reject: 'rejected',
};

export function createSesEventsHandler(
  adapters: Pick<Adapters, 'clock' | 'messages' | 'metrics' | 'suppressions' | 'events'>,
) {
  const logger = new Logger({ serviceName: 'retain-ses-events' });
  return middy<EventBridgeEvent<string, SesEventDetail>, void>()
    .use(injectLambdaContext(logger))
    .handler(async (event) => {
      const { detail } = event;
      const at =
        detail.open?.timestamp ??
        detail.click?.timestamp ??
        detail.bounce?.timestamp ??
        detail.complaint?.timestamp ??
        detail.delivery?.timestamp ??
        event.time;
      const outcome = await applyEmailFeedback(
        {
          kind: KINDS[detail.eventType] ?? 'other',
          messageRef: detail.mail.tags?.retain_ref?.[0] ?? '',
          providerMessageId: detail.mail.messageId,
          recipients: detail.mail.destination,
          permanent: detail.bounce?.bounceType === 'Permanent',
          link: detail.click?.link,
          at,
        },
        adapters,
        adapters.clock.now(),
      );
      if (outcome === 'no message reference')
        logger.warn('SES event without a Retain message reference', { eventType: detail.eventType });
    });
}
