// E-mail through SES: raw MIME, the workspace's configuration set, a tag that leads feedback back to the log.

import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { ProviderRejectedError, ProviderThrottledError } from '../../core/errors.js';
import type { Mailer, OutgoingEmail } from '../../core/delivery/ports.js';
import type { Clock } from '../../core/system/ports.js';
import { composeRawEmail } from '../mime.js';

/** SES errors that no retry will fix. */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
  'AccountSendingPausedException',
  'ConfigurationSetSendingPausedException',
]);

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly configurationSet: string,
    private readonly clock: Clock,
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    const raw = await composeRawEmail(email, this.clock.now());
    try {
      const result = await this.ses.send(
        new SendRawEmailCommand({
          RawMessage: { Data: raw },
          // The envelope names the one recipient: SES would otherwise take every address in the headers.
          Destinations: [email.to],
          ConfigurationSetName: this.configurationSet,
          Tags: [{ Name: 'retain_ref', Value: email.messageRef }],
        }),
      );
      return result.MessageId ?? 'unknown';
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      if (PERMANENT.has(e.name)) throw new ProviderRejectedError(e.message, e.name);
      if (
        e.name.startsWith('Throttling') ||
        (e.$metadata?.httpStatusCode ?? 0) >= 500 ||
        e.name === 'TooManyRequestsException'
      ) {
        throw new ProviderThrottledError(`SES: ${e.message}`);
      }
      throw error;
    }
  }
}
