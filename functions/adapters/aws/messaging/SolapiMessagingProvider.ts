// SOLAPI's v4 messages API over fetch, with its HMAC-SHA256 authorisation and a configurable endpoint.

import { createHmac, randomBytes } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { ProviderRejectedError, ProviderThrottledError } from '../../../core/errors.js';
import type { MessagingProvider, OutgoingKakao, OutgoingSms } from '../../../core/delivery/ports.js';
import type { Clock } from '../../../core/system/ports.js';
import { domesticDigits } from '../../../core/profiles/address.js';
import { PROVIDER_TIMEOUT_MS } from '../providerTimeout.js';
import { fetchPublicImage } from './fetchPublicImage.js';

/** SOLAPI's message types for the Brand Message formats. */
const BRAND_TYPES = { text: 'BMS_TEXT', image: 'BMS_IMAGE', wide: 'BMS_WIDE', carousel: 'BMS_CAROUSEL_FEED' } as const;

export type SolapiCredentials = { apiKey: string; apiSecret: string; endpoint?: string };

export type SolapiOptions = {
  timeoutMs?: number;
  /** Tests and the local runtime only: MMS images may come over plain http from a loopback address. */
  allowLoopbackImages?: boolean;
  /** How many image uploads a warm Lambda remembers (the least recently used is forgotten first). */
  uploadsRemembered?: number;
  /** Tests only: stands in for DNS when MMS image hosts are resolved. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
};

/** `Authorization: HMAC-SHA256 apiKey=…, date=…, salt=…, signature=hex(HMAC(secret, date + salt))`. */
export function solapiAuthorization(credentials: SolapiCredentials, date: string, salt: string): string {
  const signature = createHmac('sha256', credentials.apiSecret)
    .update(date + salt)
    .digest('hex');
  return `HMAC-SHA256 apiKey=${credentials.apiKey}, date=${date}, salt=${salt}, signature=${signature}`;
}

/** Carriers take MMS images as JPEG of at most 200 KB. */
export const MMS_MAX_BYTES = 200 * 1024;

export class SolapiMessagingProvider implements MessagingProvider {
  /** Image URL → SOLAPI file id: a broadcast uploads its image once per container, not once per recipient. */
  private readonly uploaded = new Map<string, Promise<string>>();

  constructor(
    private readonly credentials: SolapiCredentials,
    private readonly clock: Clock,
    private readonly options: SolapiOptions = {},
  ) {}

  async sendSms(message: OutgoingSms): Promise<string> {
    const imageId = message.type === 'MMS' && message.imageUrl ? await this.imageIdOf(message.imageUrl) : undefined;
    return this.send({
      to: domesticDigits(message.to) ?? message.to.replace(/-/g, ''),
      from: message.from.replace(/-/g, ''),
      text: message.text,
      ...(imageId ? { imageId } : {}),
      type: message.type,
      ...(message.title ? { subject: message.title } : {}),
      customFields: { messageRef: message.messageRef },
    });
  }

  async sendKakao(message: OutgoingKakao): Promise<string> {
    return this.send({
      to: domesticDigits(message.to) ?? message.to.replace(/-/g, ''),
      from: message.from.replace(/-/g, ''),
      type: message.kind === 'alimtalk' ? 'ATA' : BRAND_TYPES[message.brandType],
      kakaoOptions: {
        pfId: message.channelId,
        templateId: message.templateCode,
        variables: message.variables,
        // Retain falls back along the journey's own channel list, under its guards; not the provider.
        disableSms: true,
        ...(message.buttons?.length
          ? {
              buttons: message.buttons.map((b) => ({
                buttonName: b.name,
                buttonType: b.type,
                ...(b.linkMobile ? { linkMo: b.linkMobile } : {}),
                ...(b.linkPc ? { linkPc: b.linkPc } : {}),
              })),
            }
          : {}),
        ...(message.kind === 'brand' ? { bms: { targeting: message.target ?? 'I' } } : {}),
      },
      customFields: { messageRef: message.messageRef },
    });
  }

  /** MMS images go to SOLAPI's storage first (`POST /storage/v1/files`, type MMS); the message names the file. */
  private imageIdOf(url: string): Promise<string> {
    let upload = this.uploaded.get(url);
    // Re-inserted on every use, so the Map's order is least recently used first.
    if (upload) this.uploaded.delete(url);
    else {
      const attempt = this.upload(url);
      // A failed upload is forgotten, so the next send tries again (unless a newer attempt took its place).
      attempt.catch(() => this.uploaded.get(url) === attempt && this.uploaded.delete(url));
      upload = attempt;
    }
    this.uploaded.set(url, upload);
    const limit = this.options.uploadsRemembered ?? 500;
    for (const oldest of this.uploaded.keys()) {
      if (this.uploaded.size <= limit) break;
      this.uploaded.delete(oldest);
    }
    return upload;
  }

  private async upload(url: string): Promise<string> {
    let image: Buffer;
    try {
      image = await this.fetchImage(url);
    } catch (error) {
      if (error instanceof ProviderRejectedError) throw error;
      throw new ProviderThrottledError(`the MMS image ${url} could not be fetched: ${(error as Error).message}`);
    }
    const jpeg = image[0] === 0xff && image[1] === 0xd8;
    if (!jpeg) throw new ProviderRejectedError(`the MMS image ${url} is not a JPEG`, 'mms-image');
    const answer = await this.request<{ fileId?: string }>('/storage/v1/files', {
      file: image.toString('base64'),
      name: url.split('/').pop()?.split('?')[0] || 'image.jpg',
      type: 'MMS',
    });
    if (!answer.fileId) throw new ProviderRejectedError('SOLAPI stored the image but returned no fileId', 'mms-image');
    return answer.fileId;
  }

  /** The image URL comes from the team's message, so it is fetched as an image host is: see fetchPublicImage. */
  private fetchImage(url: string): Promise<Buffer> {
    return fetchPublicImage(url, {
      maxBytes: MMS_MAX_BYTES,
      timeoutMs: this.options.timeoutMs ?? PROVIDER_TIMEOUT_MS,
      allowLoopback: this.options.allowLoopbackImages,
      resolve: this.options.resolve,
    });
  }

  private async send(payload: Record<string, unknown>): Promise<string> {
    const answer = await this.request<{ messageId?: string; statusCode?: string; statusMessage?: string }>(
      '/messages/v4/send',
      { message: payload },
    );
    // Accepted for delivery ("2000"); the carrier's result arrives later as a report.
    if (answer.statusCode && answer.statusCode !== '2000')
      throw new ProviderRejectedError(answer.statusMessage ?? 'refused', answer.statusCode);
    return answer.messageId ?? 'solapi';
  }

  /** One signed call: 429, 5xx and network errors are throttling (the queue retries), other 4xx a refusal. */
  private async request<T>(path: string, body: unknown): Promise<T> {
    const endpoint = this.credentials.endpoint ?? 'https://api.solapi.com';
    const date = this.clock.now().toISOString();
    const salt = randomBytes(16).toString('hex');
    let res: Response;
    try {
      res = await fetch(`${endpoint}${path}`, {
        method: 'POST',
        headers: {
          authorization: solapiAuthorization(this.credentials, date, salt),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? PROVIDER_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ProviderThrottledError(`SOLAPI: ${(error as Error).message}`);
    }
    const answer = (await res.json().catch(() => ({}))) as T & { errorCode?: string; errorMessage?: string };
    if (res.status === 429 || res.status >= 500) throw new ProviderThrottledError(`SOLAPI answered ${res.status}`);
    if (!res.ok)
      throw new ProviderRejectedError(
        answer.errorMessage ?? `SOLAPI answered ${res.status}`,
        answer.errorCode ?? String(res.status),
      );
    return answer;
  }
}
