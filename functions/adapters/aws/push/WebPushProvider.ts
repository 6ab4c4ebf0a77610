// Web Push (browsers): the subscription the page registered, an encrypted payload, VAPID authentication.

import webpush from 'web-push';
import { ProviderRejectedError, ProviderThrottledError } from '../../../core/errors.js';
import type { PushProvider } from '../../../core/delivery/ports.js';
import { PROVIDER_TIMEOUT_MS } from '../providerTimeout.js';
import { webPushSubscriptionProblem } from '../../../core/events/pushToken.js';

export type WebPushCredentials = { subject: string; publicKey: string; privateKey: string };

export type WebPushOptions = {
  timeoutMs?: number;
  /** Tests only: a subscription may point at a plain-http loopback endpoint (a stand-in push service). */
  allowLoopbackEndpoints?: boolean;
};

/** A browser's token is its PushSubscription as JSON ({ endpoint, keys: { p256dh, auth } }). */
export class WebPushProvider implements PushProvider {
  constructor(
    private readonly credentials: WebPushCredentials,
    private readonly options: WebPushOptions = {},
  ) {}

  async send(token: { token: string }, message: Parameters<PushProvider['send']>[1]) {
    let subscription: webpush.PushSubscription;
    try {
      subscription = JSON.parse(token.token) as webpush.PushSubscription;
      if (!subscription.endpoint || !subscription.keys?.p256dh || !subscription.keys.auth)
        throw new Error('incomplete');
    } catch {
      return { status: 'invalid-token' as const };
    }
    // Ingest keeps only push-service endpoints; this holds for tokens stored before it did, so the sender never
    // POSTs to an address a client chose.
    const loopback = this.options.allowLoopbackEndpoints && /^http:\/\/127\.0\.0\.1:\d+\//.test(subscription.endpoint);
    if (!loopback && webPushSubscriptionProblem(token.token)) return { status: 'invalid-token' as const };
    // The library encrypts (aes128gcm) and signs (VAPID); the request itself goes out through fetch.
    const details = webpush.generateRequestDetails(
      subscription,
      JSON.stringify({
        title: message.title,
        body: message.body,
        url: message.deepLink,
        image: message.imageUrl,
        messageRef: message.messageRef,
      }),
      { vapidDetails: this.credentials, TTL: 24 * 3600 },
    );
    let res: Response;
    try {
      res = await fetch(details.endpoint, {
        method: details.method,
        headers: details.headers as Record<string, string>,
        body: details.body as Buffer,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? PROVIDER_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ProviderThrottledError(`Web Push: ${(error as Error).message}`);
    }
    if (res.ok) return { status: 'sent' as const, id: res.headers.get('location') ?? String(res.status) };
    // 404 and 410: the browser dropped the subscription.
    if (res.status === 404 || res.status === 410) return { status: 'invalid-token' as const };
    if (res.status === 429 || res.status >= 500) throw new ProviderThrottledError(`Web Push answered ${res.status}`);
    throw new ProviderRejectedError(`Web Push answered ${res.status}`, String(res.status));
  }
}
