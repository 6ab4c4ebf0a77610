// SOLAPI's v4 messages API over fetch, with its HMAC-SHA256 authorisation and a configurable endpoint.

import { createHmac, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIPv6 } from 'node:net';
import { ProviderRejectedError, ProviderThrottledError } from '../../../core/errors.js';
import type { MessagingProvider, OutgoingKakao, OutgoingSms } from '../../../core/delivery/ports.js';
import type { Clock } from '../../../core/system/ports.js';
import { domesticDigits } from '../../../core/profiles/address.js';
import { PROVIDER_TIMEOUT_MS } from '../providerTimeout.js';

/** SOLAPI's message types for the Brand Message formats. */
const BRAND_TYPES = { text: 'BMS_TEXT', image: 'BMS_IMAGE', wide: 'BMS_WIDE', carousel: 'BMS_CAROUSEL_FEED' } as const;

export type SolapiCredentials = { apiKey: string; apiSecret: string; endpoint?: string };

export type SolapiOptions = {
  timeoutMs?: number;
  /** Tests and the local runtime only: MMS images may come over plain http from a loopback address. */
  allowLoopbackImages?: boolean;
  /** How many image uploads a warm Lambda remembers (the least recently used is forgotten first). */
  uploadsRemembered?: number;
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

/** Addresses an image host on the internet never has: private, loopback, link-local, CGNAT, multicast, reserved. */
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 127],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(network, prefix, 'ipv6');

const isPrivate = (address: string) => PRIVATE.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
const isLoopback = (address: string) => address === '::1' || address.startsWith('127.');

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
        ...(message.kind === 'brand' ? { bms: { targeting: 'I' } } : {}),
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

  /**
   * The image URL comes from the team's message, so the fetch is held to what an image host looks like: https, a
   * public address, no redirects, at most 200 KB read, a deadline. Anything else is refused before it is buffered.
   */
  private async fetchImage(url: string): Promise<Buffer> {
    const refuse = (reason: string) => new ProviderRejectedError(`the MMS image ${url} ${reason}`, 'mms-image');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw refuse('is not a URL');
    }
    const allowLoopback = this.options.allowLoopbackImages === true;
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    const addresses = await lookup(host, { all: true }).catch(() => {
      throw new ProviderThrottledError(`the MMS image host ${host} could not be resolved`);
    });
    const loopbackOnly = addresses.every((a) => isLoopback(a.address));
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && allowLoopback && loopbackOnly))
      throw refuse('must be https');
    // Checked after resolution so a public name pointing inside the network is caught too.
    const inside = addresses.find((a) => isPrivate(a.address) && !(allowLoopback && isLoopback(a.address)));
    if (inside) throw refuse(`resolves to a private address (${inside.address})`);
    const res = await fetch(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? PROVIDER_TIMEOUT_MS),
    });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw refuse(`redirects (${res.status}); give the image's own address`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw refuse(`answered ${res.status}`);
    }
    const tooLarge = (size: string) => refuse(`is ${size}; carriers take at most ${MMS_MAX_BYTES} bytes`);
    const declared = Number(res.headers.get('content-length'));
    if (declared > MMS_MAX_BYTES) {
      await res.body?.cancel();
      throw tooLarge(`${declared} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body?.getReader();
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MMS_MAX_BYTES) {
        await reader.cancel();
        throw tooLarge(`over ${MMS_MAX_BYTES} bytes`);
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks);
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
