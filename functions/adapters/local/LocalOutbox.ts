// The local runtime's channel queues and providers: delivery requests go to the same sender handlers,
// e-mail comes out as .eml files, push and text messages as JSON lines — nothing leaves the machine.

import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveryRequest } from '../../core/journeys/instance.js';
import type { RenderedPush } from '../../core/delivery/render.js';
import type {
  BulkDeliveryQueue,
  Mailer,
  MessagingProvider,
  OutgoingEmail,
  OutgoingKakao,
  OutgoingSms,
  PushProvider,
} from '../../core/delivery/ports.js';
import type { Clock } from '../../core/system/ports.js';
import { ProviderRejectedError } from '../../core/errors.js';
import { smsBytes } from '../../core/delivery/sms.js';
import { composeRawEmail } from '../mime.js';
import { trackEmailHtml, type TrackingConfig, type TrackingLinks } from './LocalEmailTracking.js';
import type { LocalScheduler } from './LocalScheduler.js';
import { rewriteLines } from './rewriteLines.js';

export type SentEmail = {
  at: string;
  to: string;
  subject: string;
  messageRef: string;
  raw: string;
  file?: string;
  /** The open pixel and click redirects written into the HTML (when tracking is on). */
  tracking?: TrackingLinks;
};
export type SentPush = RenderedPush & { at: string; token: string; platform: string; messageRef: string };
export type SentSms = OutgoingSms & { at: string; bytes: number };
export type SentKakao = OutgoingKakao & { at: string };

export class LocalOutbox implements BulkDeliveryQueue, Mailer, MessagingProvider {
  readonly requests: DeliveryRequest[] = [];
  readonly emails: SentEmail[] = [];
  readonly pushes: SentPush[] = [];
  readonly texts: SentSms[] = [];
  readonly kakao: SentKakao[] = [];
  /** Phone numbers that have no KakaoTalk (the provider would refuse them), to exercise fallback. */
  readonly withoutKakao = new Set<string>();
  /** Push tokens that a real provider would call unregistered (to exercise token clean-up). */
  readonly deadTokens = new Set<string>();
  /** Open and click tracking as SES's configuration set does it; the runtime sets it once it knows its URL. */
  tracking?: TrackingConfig;

  constructor(
    private readonly scheduler: LocalScheduler,
    private readonly clock: Clock,
    private readonly dir?: string,
  ) {}

  /** The channel queue: the request reaches the channel's sender at the next tick. */
  async enqueue(request: DeliveryRequest): Promise<void> {
    this.requests.push(request);
    if (this.dir) append(join(this.dir, 'delivery-requests.ndjson'), request);
    this.scheduler.later(
      request.channel,
      `dr-${request.userKey}-${request.idempotencyKey}-${this.requests.length}`,
      request,
      this.clock.now().toISOString(),
    );
  }

  async enqueueMany(items: { request: DeliveryRequest; at: Date }[]): Promise<void> {
    const entries = items.map(({ request, at }) => {
      this.requests.push(request);
      return {
        queue: request.channel,
        name: `dr-${request.userKey}-${request.idempotencyKey}-${this.requests.length}`,
        body: request,
        at: at.toISOString(),
      };
    });
    this.scheduler.laterMany(entries);
    // A 100,000-recipient broadcast would otherwise append a line per call: one append per batch.
    if (this.dir && items.length > 0) {
      mkdirSync(this.dir, { recursive: true });
      appendFileSync(
        join(this.dir, 'delivery-requests.ndjson'),
        items.map(({ request }) => `${JSON.stringify(request)}\n`).join(''),
      );
    }
  }

  async send(email: OutgoingEmail): Promise<string> {
    const at = this.clock.now();
    const id = `local-email-${this.emails.length + 1}`;
    const tracked = this.tracking
      ? trackEmailHtml(email.html, { messageRef: email.messageRef, providerMessageId: id, to: email.to }, this.tracking)
      : undefined;
    const raw = (await composeRawEmail(tracked ? { ...email, html: tracked.html } : email, at)).toString('utf8');
    let file: string | undefined;
    if (this.dir) {
      mkdirSync(join(this.dir, 'email'), { recursive: true });
      file = join(this.dir, 'email', `${at.toISOString().replace(/[:.]/g, '-')}-${this.emails.length + 1}.eml`);
      writeFileSync(file, raw);
    }
    this.emails.push({
      at: at.toISOString(),
      to: email.to,
      subject: email.subject,
      messageRef: email.messageRef,
      raw,
      file,
      ...(tracked ? { tracking: tracked.links } : {}),
    });
    return id;
  }

  // PushProvider: the local push "device" log.
  async sendPush(token: { token: string; platform: string }, message: RenderedPush & { messageRef: string }) {
    if (this.deadTokens.has(token.token)) return { status: 'invalid-token' as const };
    const entry: SentPush = {
      ...message,
      at: this.clock.now().toISOString(),
      token: token.token,
      platform: token.platform,
    };
    this.pushes.push(entry);
    if (this.dir) append(join(this.dir, 'push.ndjson'), entry);
    return { status: 'sent' as const, id: `local-push-${this.pushes.length}` };
  }

  async sendSms(message: OutgoingSms): Promise<string> {
    const entry: SentSms = { ...message, at: this.clock.now().toISOString(), bytes: smsBytes(message.text) };
    this.texts.push(entry);
    if (this.dir) append(join(this.dir, 'sms.ndjson'), entry);
    return `local-sms-${this.texts.length}`;
  }

  async sendKakao(message: OutgoingKakao): Promise<string> {
    if (this.withoutKakao.has(message.to))
      throw new ProviderRejectedError('the recipient does not use KakaoTalk', '3018');
    const entry: SentKakao = { ...message, at: this.clock.now().toISOString() };
    this.kakao.push(entry);
    if (this.dir) append(join(this.dir, 'kakao.ndjson'), entry);
    return `local-kakao-${this.kakao.length}`;
  }

  /**
   * Removes every message and request that `mentions` the customer, from memory and from the outbox files
   * (each log rewritten atomically, each .eml deleted); returns how many went from each file.
   */
  forget(mentions: (text: string) => boolean): { file: string; removed: number }[] {
    const keep = <T>(list: T[]) => {
      const kept = list.filter((item) => !mentions(JSON.stringify(item)));
      const removed = list.length - kept.length;
      list.splice(0, list.length, ...kept);
      return removed;
    };
    const inMemory = [
      { file: 'delivery-requests.ndjson', removed: keep(this.requests) },
      { file: 'email', removed: keep(this.emails) },
      { file: 'push.ndjson', removed: keep(this.pushes) },
      { file: 'sms.ndjson', removed: keep(this.texts) },
      { file: 'kakao.ndjson', removed: keep(this.kakao) },
    ];
    if (!this.dir) return inMemory;
    const dir = this.dir;
    const logs = ['delivery-requests.ndjson', 'push.ndjson', 'sms.ndjson', 'kakao.ndjson'].map((name) => ({
      file: name,
      removed: rewriteLines(join(dir, name), mentions),
    }));
    const emailDir = join(dir, 'email');
    let emails = 0;
    if (existsSync(emailDir))
      for (const name of readdirSync(emailDir).filter((n) => n.endsWith('.eml'))) {
        if (!mentions(readFileSync(join(emailDir, name), 'utf8'))) continue;
        rmSync(join(emailDir, name));
        emails++;
      }
    return [...logs, { file: 'email', removed: emails }];
  }

  get push(): PushProvider {
    return { send: (token, message) => this.sendPush(token, message) };
  }
}

function append(file: string, value: unknown): void {
  mkdirSync(join(file, '..'), { recursive: true });
  appendFileSync(file, `${JSON.stringify(value)}\n`);
}
