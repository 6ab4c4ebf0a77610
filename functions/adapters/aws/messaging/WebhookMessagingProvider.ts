// The generic channel: text and KakaoTalk messages POSTed as signed JSON to the team's own endpoint, so any
// provider can be plugged in behind it.

import { createHmac } from 'node:crypto';
import { ProviderRejectedError, ProviderThrottledError } from '../../../core/errors.js';
import type { MessagingProvider, OutgoingKakao, OutgoingSms } from '../../../core/delivery/ports.js';
import type { Clock } from '../../../core/system/ports.js';
import { PROVIDER_TIMEOUT_MS } from '../providerTimeout.js';

export type WebhookCredentials = { url: string; secret: string };

/** `X-Retain-Signature: sha256=hex(HMAC(secret, "<timestamp>.<body>"))`; receivers check it and the timestamp. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const ATTEMPTS = 3;

export class WebhookMessagingProvider implements MessagingProvider {
  constructor(
    private readonly credentials: WebhookCredentials,
    private readonly clock: Clock,
    private readonly pauseMs = 200,
    private readonly timeoutMs = PROVIDER_TIMEOUT_MS,
  ) {}

  sendSms(message: OutgoingSms): Promise<string> {
    return this.post('sms', message);
  }

  sendKakao(message: OutgoingKakao): Promise<string> {
    return this.post('kakao', message);
  }

  private async post(channel: 'sms' | 'kakao', message: OutgoingSms | OutgoingKakao): Promise<string> {
    const body = JSON.stringify({ channel, message });
    let last = '';
    // A few quick retries for a blip; beyond that the queue's own backoff takes over.
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, this.pauseMs * 2 ** (attempt - 2)));
      const timestamp = String(Math.floor(this.clock.now().getTime() / 1000));
      let res: Response;
      try {
        res = await fetch(this.credentials.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-retain-timestamp': timestamp,
            'x-retain-signature': webhookSignature(this.credentials.secret, timestamp, body),
            'x-retain-message': message.messageRef,
          },
          body,
          // A silent endpoint counts as one failed attempt, like a 5xx.
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        last = (error as Error).message;
        continue;
      }
      if (res.ok) {
        const answer = (await res.json().catch(() => ({}))) as { id?: string };
        return answer.id ?? `webhook-${res.status}`;
      }
      if (res.status !== 429 && res.status < 500) {
        const answer = (await res.json().catch(() => ({}))) as { error?: string; code?: string };
        throw new ProviderRejectedError(
          answer.error ?? `the webhook answered ${res.status}`,
          answer.code ?? String(res.status),
        );
      }
      last = `the webhook answered ${res.status}`;
    }
    throw new ProviderThrottledError(last);
  }
}
