// Apple Push Notification service over HTTP/2 with a token-based (ES256 JWT) provider key.

import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { createSign } from 'node:crypto';
import { ProviderRejectedError, ProviderThrottledError } from '../../../core/errors.js';
import type { PushProvider } from '../../../core/delivery/ports.js';
import type { Clock } from '../../../core/system/ports.js';
import { PROVIDER_TIMEOUT_MS } from '../providerTimeout.js';

export type ApnsCredentials = {
  teamId: string;
  keyId: string;
  /** The .p8 key (PEM). */
  privateKey: string;
  bundleId: string;
  production?: boolean;
  endpoint?: string;
};

export class ApnsPushProvider implements PushProvider {
  private session?: ClientHttp2Session;
  private jwt?: { value: string; until: number };

  constructor(
    private readonly credentials: ApnsCredentials,
    private readonly clock: Clock,
    private readonly timeoutMs = PROVIDER_TIMEOUT_MS,
  ) {}

  async send(token: { token: string }, message: Parameters<PushProvider['send']>[1]) {
    const body = JSON.stringify({
      aps: { alert: { title: message.title, body: message.body }, 'mutable-content': 1 },
      messageRef: message.messageRef,
      ...(message.deepLink ? { deepLink: message.deepLink } : {}),
      ...(message.imageUrl ? { imageUrl: message.imageUrl } : {}),
    });
    const { status, apnsId, reason } = await new Promise<{ status: number; apnsId?: string; reason?: string }>(
      (resolve, reject) => {
        const request = this.connection().request({
          ':method': 'POST',
          ':path': `/3/device/${token.token}`,
          authorization: `bearer ${this.token()}`,
          'apns-topic': this.credentials.bundleId,
          'apns-push-type': 'alert',
          'content-type': 'application/json',
        });
        let status = 0;
        let apnsId: string | undefined;
        let text = '';
        // A deadline on the whole exchange, handshake included: a silent peer also loses its session.
        const deadline = setTimeout(() => {
          request.close(constants.NGHTTP2_CANCEL);
          this.session?.destroy();
          this.session = undefined;
          reject(new ProviderThrottledError(`APNs did not answer within ${this.timeoutMs} ms`));
        }, this.timeoutMs);
        request.on('close', () => clearTimeout(deadline));
        request.on('response', (headers) => {
          status = Number(headers[':status']);
          apnsId = headers['apns-id'] as string | undefined;
        });
        request.setEncoding('utf8');
        request.on('data', (chunk) => (text += chunk));
        request.on('end', () =>
          resolve({ status, apnsId, reason: text ? (JSON.parse(text) as { reason?: string }).reason : undefined }),
        );
        request.on('error', reject);
        request.end(body);
      },
    );
    if (status === 200) return { status: 'sent' as const, id: apnsId ?? 'apns' };
    if (
      status === 410 ||
      reason === 'BadDeviceToken' ||
      reason === 'Unregistered' ||
      reason === 'DeviceTokenNotForTopic'
    ) {
      return { status: 'invalid-token' as const };
    }
    if (status === 429 || status >= 500) throw new ProviderThrottledError(`APNs answered ${status} ${reason ?? ''}`);
    throw new ProviderRejectedError(`APNs answered ${status} ${reason ?? ''}`, reason);
  }

  close(): void {
    this.session?.close();
  }

  private connection(): ClientHttp2Session {
    if (!this.session || this.session.closed || this.session.destroyed) {
      const endpoint =
        this.credentials.endpoint ??
        (this.credentials.production === false ? 'https://api.sandbox.push.apple.com' : 'https://api.push.apple.com');
      this.session = connect(endpoint);
      this.session.on('error', () => (this.session = undefined));
      this.session.unref();
    }
    return this.session;
  }

  /** Apple accepts a provider token for up to an hour; it is refreshed after 50 minutes. */
  private token(): string {
    const now = this.clock.now().getTime();
    if (this.jwt && this.jwt.until > now) return this.jwt.value;
    const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${encode({ alg: 'ES256', kid: this.credentials.keyId })}.${encode({ iss: this.credentials.teamId, iat: Math.floor(now / 1000) })}`;
    const signature = createSign('SHA256')
      .update(unsigned)
      .sign({ key: this.credentials.privateKey, dsaEncoding: 'ieee-p1363' }, 'base64url');
    this.jwt = { value: `${unsigned}.${signature}`, until: now + 50 * 60_000 };
    return this.jwt.value;
  }
}
