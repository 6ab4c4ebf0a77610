// SOLAPI's v4 messages API over fetch, with its HMAC-SHA256 authorisation and a configurable endpoint.

import { createHmac, randomBytes } from 'node:crypto';
import { ProviderRejectedError, ProviderThrottledError } from '../../../errors.js';
import type { Clock, MessagingProvider, OutgoingKakao, OutgoingSms } from '../../../ports.js';

/** SOLAPI's message types for the Brand Message formats. */
const BRAND_TYPES = { text: 'BMS_TEXT', image: 'BMS_IMAGE', wide: 'BMS_WIDE', carousel: 'BMS_CAROUSEL_FEED' } as const;

export type SolapiCredentials = { apiKey: string; apiSecret: string; endpoint?: string };

/** `Authorization: HMAC-SHA256 apiKey=…, date=…, salt=…, signature=hex(HMAC(secret, date + salt))`. */
export function solapiAuthorization(credentials: SolapiCredentials, date: string, salt: string): string {
  const signature = createHmac('sha256', credentials.apiSecret).update(date + salt).digest('hex');
  return `HMAC-SHA256 apiKey=${credentials.apiKey}, date=${date}, salt=${salt}, signature=${signature}`;
}

export class SolapiMessagingProvider implements MessagingProvider {
  constructor(
    private readonly credentials: SolapiCredentials,
    private readonly clock: Clock,
  ) {}

  async sendSms(message: OutgoingSms): Promise<string> {
    // MMS needs the image uploaded to SOLAPI's storage first; that upload is not built yet.
    if (message.type === 'MMS') throw new ProviderRejectedError('MMS images are not supported by the SOLAPI adapter yet', 'mms-unsupported');
    return this.send({
      to: message.to.replace(/-/g, ''),
      from: message.from.replace(/-/g, ''),
      text: message.text,
      type: message.type,
      ...(message.title ? { subject: message.title } : {}),
      customFields: { messageRef: message.messageRef },
    });
  }

  async sendKakao(message: OutgoingKakao): Promise<string> {
    return this.send({
      to: message.to.replace(/-/g, ''),
      from: message.from.replace(/-/g, ''),
      type: message.kind === 'alimtalk' ? 'ATA' : BRAND_TYPES[message.brandType],
      kakaoOptions: {
        pfId: message.channelId,
        templateId: message.templateCode,
        variables: message.variables,
        // Retain falls back along the journey's own channel list, under its guards; not the provider.
        disableSms: true,
        ...(message.buttons?.length
          ? { buttons: message.buttons.map((b) => ({ buttonName: b.name, buttonType: b.type, ...(b.linkMobile ? { linkMo: b.linkMobile } : {}), ...(b.linkPc ? { linkPc: b.linkPc } : {}) })) }
          : {}),
        ...(message.kind === 'brand' ? { bms: { targeting: 'I' } } : {}),
      },
      customFields: { messageRef: message.messageRef },
    });
  }

  private async send(payload: Record<string, unknown>): Promise<string> {
    const endpoint = this.credentials.endpoint ?? 'https://api.solapi.com';
    const body = { message: payload };
    const date = this.clock.now().toISOString();
    const salt = randomBytes(16).toString('hex');
    let res: Response;
    try {
      res = await fetch(`${endpoint}/messages/v4/send`, {
        method: 'POST',
        headers: { authorization: solapiAuthorization(this.credentials, date, salt), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      throw new ProviderThrottledError(`SOLAPI: ${(error as Error).message}`);
    }
    const answer = (await res.json().catch(() => ({}))) as { messageId?: string; statusCode?: string; errorCode?: string; errorMessage?: string; statusMessage?: string };
    if (res.status === 429 || res.status >= 500) throw new ProviderThrottledError(`SOLAPI answered ${res.status}`);
    if (!res.ok) throw new ProviderRejectedError(answer.errorMessage ?? `SOLAPI answered ${res.status}`, answer.errorCode ?? String(res.status));
    // Accepted for delivery ("2000"); the carrier's result arrives later as a report.
    if (answer.statusCode && answer.statusCode !== '2000') throw new ProviderRejectedError(answer.statusMessage ?? 'refused', answer.statusCode);
    return answer.messageId ?? 'solapi';
  }
}
