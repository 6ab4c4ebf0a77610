// In-memory ports for the sender use case, with recording providers: deliverMessage runs on these in unit
// tests as the journey code runs on its own in simulate.ts. The message log keeps the claim rules the
// DynamoDB one writes as conditions (new, due deferral, released for a retry, handed on by a fallback).

import type { DeliveryDeps } from '../../functions/core/delivery/deliverMessage.js';
import type { DeliveryRequest } from '../../functions/core/delivery/deliveryRequest.js';
import type { MessageLogEntry } from '../../functions/core/delivery/messageLog.js';
import type {
  MessageLog,
  MessageLogUpdate,
  OutgoingEmail,
  OutgoingKakao,
  OutgoingSms,
  PushProvider,
} from '../../functions/core/delivery/ports.js';
import { defaultSettings, type DeliverySettings } from '../../functions/core/delivery/settings.js';
import type { Template } from '../../functions/core/delivery/template.js';
import type { UserKey } from '../../functions/core/events/userKey.js';
import { ProviderRejectedError, ProviderThrottledError } from '../../functions/core/errors.js';
import type { ProfileStore, ProfileWrite } from '../../functions/core/profiles/ports.js';
import type { Profile, StoredProfile } from '../../functions/core/profiles/profile.js';
import { RecordingTelemetry } from '../../functions/adapters/local/RecordingTelemetry.js';

class InMemoryMessageLog implements MessageLog {
  readonly rows = new Map<string, MessageLogEntry>();

  async claim(request: DeliveryRequest, now: Date) {
    const key = `${request.userKey}|${request.idempotencyKey}`;
    const previous = this.rows.get(key);
    const soon = new Date(now.getTime() + 60_000).toISOString();
    const claimable =
      !previous ||
      previous.status === 'retrying' ||
      (previous.status === 'deferred' && (previous.deferredUntil ?? '') <= soon) ||
      (previous.status === 'fallback' && previous.nextChannel === request.channel);
    if (!claimable) return { claimed: false as const };
    const { nextChannel: _handedOn, ...kept } = previous ?? ({} as Partial<MessageLogEntry>);
    this.rows.set(key, {
      ...kept,
      userKey: request.userKey,
      idempotencyKey: request.idempotencyKey,
      channel: request.channel,
      template: request.template,
      category: request.category,
      journeyId: request.journeyId,
      stepId: request.stepId,
      variant: request.variant,
      requestedAt: request.requestedAt,
      updatedAt: now.toISOString(),
      status: 'processing',
    });
    return previous ? { claimed: true as const, previous: structuredClone(previous) } : { claimed: true as const };
  }

  async record(userKey: UserKey, idempotencyKey: string, update: MessageLogUpdate, now: Date) {
    const key = `${userKey}|${idempotencyKey}`;
    const row = this.rows.get(key) ?? ({ userKey, idempotencyKey } as MessageLogEntry);
    const { channel, ...fields } = update;
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const next: MessageLogEntry = { ...row, ...defined, updatedAt: now.toISOString() };
    if (channel && !['processing', 'retrying'].includes(update.status)) {
      const attempt = {
        channel,
        status: update.status,
        ...(update.reason ? { reason: update.reason } : {}),
        at: now.toISOString(),
      };
      next.attempts = [...(row.attempts ?? []), attempt];
      if (update.status === 'sent') next.deliveredVia = channel;
    }
    this.rows.set(key, next);
    return structuredClone(next);
  }

  async get(userKey: UserKey, idempotencyKey: string) {
    return this.rows.get(`${userKey}|${idempotencyKey}`);
  }

  async since(): Promise<MessageLogEntry[]> {
    throw new Error('not used by the sender');
  }
  async convert(): Promise<MessageLogEntry | undefined> {
    throw new Error('not used by the sender');
  }
  async feedback(): Promise<MessageLogEntry | undefined> {
    throw new Error('not used by the sender');
  }
  async list(): Promise<MessageLogEntry[]> {
    throw new Error('not used by the sender');
  }
}

/** The two profile operations the sender uses (read, and forgetting dead push tokens), versioned. */
class InMemoryProfiles {
  readonly stored = new Map<UserKey, StoredProfile>();

  put(profile: Profile): void {
    this.stored.set(profile.userKey, { kind: 'profile', profile: structuredClone(profile), version: 1 });
  }

  async get(userKey: UserKey) {
    const found = this.stored.get(userKey);
    return found && structuredClone(found);
  }

  async write(update: ProfileWrite): Promise<'written' | 'conflict'> {
    const current = this.stored.get(update.profile.userKey);
    if ((current?.version ?? 0) !== update.expectedVersion) return 'conflict';
    this.stored.set(update.profile.userKey, {
      kind: 'profile',
      profile: structuredClone(update.profile),
      version: update.expectedVersion + 1,
    });
    return 'written';
  }
}

/** A push provider whose devices behave as their token says: `dead-…` unregistered, `refuse-…` refused. */
export class RecordingPush implements PushProvider {
  readonly sent: { token: string; title: string; body: string }[] = [];
  /** Tokens that answer with a throttle while they are in here. */
  readonly throttled = new Set<string>();

  async send(token: { token: string }, message: { title: string; body: string }) {
    if (token.token.startsWith('dead-')) return { status: 'invalid-token' as const };
    if (token.token.startsWith('refuse-'))
      throw new ProviderRejectedError('the device refused the message', 'MismatchSenderId');
    if (this.throttled.has(token.token)) throw new ProviderThrottledError('quota exceeded');
    this.sent.push({ token: token.token, title: message.title, body: message.body });
    return { status: 'sent' as const, id: `push-${this.sent.length}` };
  }
}

export type DeliveryWorld = {
  deps: DeliveryDeps;
  messages: InMemoryMessageLog;
  profiles: InMemoryProfiles;
  templates: Map<string, Template>;
  settings: { current: DeliverySettings };
  mails: OutgoingEmail[];
  texts: OutgoingSms[];
  talks: OutgoingKakao[];
  push: RecordingPush;
  handedOn: DeliveryRequest[];
  deferred: { request: DeliveryRequest; until: Date }[];
  suppressed: Set<string>;
  telemetry: RecordingTelemetry;
};

/** Every port the sender needs, in memory; providers record what they were handed. */
export function deliveryWorld(): DeliveryWorld {
  const messages = new InMemoryMessageLog();
  const profiles = new InMemoryProfiles();
  const templates = new Map<string, Template>();
  const settings = { current: defaultSettings() };
  const mails: OutgoingEmail[] = [];
  const texts: OutgoingSms[] = [];
  const talks: OutgoingKakao[] = [];
  const push = new RecordingPush();
  const telemetry = new RecordingTelemetry();
  const handedOn: DeliveryRequest[] = [];
  const deferred: { request: DeliveryRequest; until: Date }[] = [];
  const suppressed = new Set<string>();
  const counts = new Map<string, number>();
  const deps: DeliveryDeps = {
    messages,
    // No template of these tests prints a coupon; the DynamoDB store is tested against DynamoDB Local.
    coupons: { claim: async () => ({ kind: 'unknown-pool' }) },
    catalog: { getMany: async () => [] },
    // The sender reads profiles and forgets dead tokens; nothing else of the store is reached.
    profiles: profiles as unknown as ProfileStore,
    suppressions: {
      isSuppressed: async (address) => suppressed.has(address),
      suppressedAmong: async (addresses) => new Set(addresses.filter((a) => suppressed.has(a))),
      suppress: async (address) => void suppressed.add(address),
    },
    caps: {
      consume: async (userKey, counters) => {
        const full = counters.find((c) => (counts.get(`${userKey}|${c.key}`) ?? 0) >= c.rule.limit);
        if (full) return { capped: full.rule.id };
        for (const c of counters) counts.set(`${userKey}|${c.key}`, (counts.get(`${userKey}|${c.key}`) ?? 0) + 1);
        return { ok: true };
      },
      full: async () => new Map(),
    },
    templates: {
      get: async (id) => templates.get(id),
      put: async (template) => void templates.set(template.id, template),
      list: async () => [...templates.values()],
      delete: async (id) => templates.delete(id),
    },
    settings: { get: async () => settings.current, put: async (next) => void (settings.current = next) },
    deferrer: { defer: async (request, until) => void deferred.push({ request, until }) },
    mailer: { send: async (email) => `ses-${mails.push(email)}` },
    push,
    messaging: {
      sendSms: async (sms) => `sms-${texts.push(sms)}`,
      sendKakao: async (kakao) => `kakao-${talks.push(kakao)}`,
    },
    deliveries: { enqueue: async (request) => void handedOn.push(request) },
    unsubscribe: { baseUrl: 'https://retain.example', secret: 'unit-test-secret' },
    broadcasts: { status: async () => undefined },
    metrics: { add: async () => undefined, read: async () => [] },
    telemetry,
  };
  return {
    deps,
    messages,
    profiles,
    templates,
    settings,
    mails,
    texts,
    talks,
    push,
    handedOn,
    deferred,
    suppressed,
    telemetry,
  };
}
