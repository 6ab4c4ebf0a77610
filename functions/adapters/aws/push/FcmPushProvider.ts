// Firebase Cloud Messaging HTTP v1: an OAuth token from the service account (RS256 JWT), then one POST per token.

import { createSign } from 'node:crypto';
import { ProviderRejectedError, ProviderThrottledError } from '../../../core/errors.js';
import type { PushProvider } from '../../../core/delivery/ports.js';
import type { Clock } from '../../../core/system/ports.js';
import { fetchWithin, isTimeout, PROVIDER_TIMEOUT_MS } from '../providerTimeout.js';

export type FcmCredentials = {
  projectId: string;
  clientEmail: string;
  privateKey: string;
  /** Overridable so tests (and emulators) can stand in for Google's endpoints. */
  endpoint?: string;
  tokenEndpoint?: string;
};

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';

export class FcmPushProvider implements PushProvider {
  private accessToken?: { value: string; until: number };

  constructor(
    private readonly credentials: FcmCredentials,
    private readonly clock: Clock,
    private readonly timeoutMs = PROVIDER_TIMEOUT_MS,
  ) {}

  async send(token: { token: string }, message: Parameters<PushProvider['send']>[1]) {
    try {
      return await this.post(token, message);
    } catch (error) {
      // The deadline also covers reading the answer's body.
      if (isTimeout(error)) throw new ProviderThrottledError(`FCM did not answer within ${this.timeoutMs} ms`);
      throw error;
    }
  }

  private async post(token: { token: string }, message: Parameters<PushProvider['send']>[1]) {
    const endpoint = this.credentials.endpoint ?? 'https://fcm.googleapis.com';
    const url = `${endpoint}/v1/projects/${this.credentials.projectId}/messages:send`;
    const res = await fetchWithin(
      'FCM',
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${await this.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          message: {
            token: token.token,
            notification: {
              title: message.title,
              body: message.body,
              ...(message.imageUrl ? { image: message.imageUrl } : {}),
            },
            data: { messageRef: message.messageRef, ...(message.deepLink ? { deepLink: message.deepLink } : {}) },
          },
        }),
      },
      this.timeoutMs,
    );
    if (res.ok) return { status: 'sent' as const, id: ((await res.json()) as { name?: string }).name ?? 'fcm' };
    const detail = await res.text();
    // UNREGISTERED (404) and an invalid token (400 INVALID_ARGUMENT) mean the token is dead.
    if (res.status === 404 || (res.status === 400 && /INVALID_ARGUMENT|registration token/i.test(detail)))
      return { status: 'invalid-token' as const };
    if (res.status === 429 || res.status >= 500) throw new ProviderThrottledError(`FCM answered ${res.status}`);
    throw new ProviderRejectedError(`FCM answered ${res.status}: ${detail.slice(0, 300)}`, String(res.status));
  }

  private async token(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.accessToken && this.accessToken.until > now) return this.accessToken.value;
    const tokenEndpoint = this.credentials.tokenEndpoint ?? 'https://oauth2.googleapis.com/token';
    const iat = Math.floor(now / 1000);
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iss: this.credentials.clientEmail, scope: SCOPE, aud: tokenEndpoint, iat, exp: iat + 3600 })}`;
    const signature = createSign('RSA-SHA256').update(unsigned).sign(this.credentials.privateKey, 'base64url');
    const res = await fetchWithin(
      'Google OAuth',
      tokenEndpoint,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: `${unsigned}.${signature}`,
        }),
      },
      this.timeoutMs,
    );
    if (!res.ok) {
      if (res.status >= 500) throw new ProviderThrottledError(`Google OAuth answered ${res.status}`);
      throw new ProviderRejectedError(`Google OAuth refused the service account (${res.status})`, 'oauth');
    }
    const body = (await res.json()) as { access_token: string; expires_in?: number };
    this.accessToken = { value: body.access_token, until: now + ((body.expires_in ?? 3600) - 60) * 1000 };
    return body.access_token;
  }
}
