// Turns one raw Segment message into a StoredEvent, or says precisely why it cannot be accepted.

import { enrichClientContext, type ClientRequest } from './clientContext.js';
import { findJsonProblem } from './jsonSafety.js';
import { MAX_MESSAGE_BYTES, MAX_STORED_EVENT_BYTES } from './limits.js';
import { findMoneyProblem } from './money.js';
import { type MessageType, segmentMessageSchema } from './segmentMessage.js';
import type { StoredEvent } from './storedEvent.js';
import { userKeyOf } from './userKey.js';

/** Why a message was refused: the offending field (empty for the message as a whole) and what is wrong. */
/** Why a message is refused: the edge turns each into its HTTP answer. */
export type IngestRefusal = 'invalid_message' | 'payload_too_large';
export type MessageRejection = { field: string; error: string; code: IngestRefusal };

/** `userId: must not be empty`, or with a prefix `batch[3].userId: must not be empty`. */
export function describeRejection(rejection: MessageRejection, prefix = ''): string {
  const where = `${prefix}${prefix && rejection.field ? '.' : ''}${rejection.field}`;
  return where ? `${where}: ${rejection.error}` : rejection.error;
}

export type AcceptContext = {
  receivedAt: Date;
  writeKeyId: string;
  /** Fills a messageId for the rare client that sends none (such a message cannot be deduplicated). */
  newMessageId: () => string;
  /** The single-message endpoints (`/v1/track`, …) fix the type; `/v1/batch` reads it from each message. */
  type?: MessageType;
  /** From the batch envelope: applied to every message in it, the message's own values winning. */
  envelope?: { sentAt?: string; context?: Record<string, unknown>; integrations?: Record<string, unknown> };
  /** What the request tells about the sender (its IP), for what the SDK leaves out. */
  client?: ClientRequest;
};

export type AcceptResult = { ok: true; event: StoredEvent } | { ok: false; rejection: MessageRejection };

export function acceptMessage(raw: unknown, ctx: AcceptContext): AcceptResult {
  if (!isPlainObject(raw)) return reject('', 'a message must be a JSON object');
  // Every check runs on the message as it will be stored, envelope included: checking the raw item let one
  // 300 KB envelope context ride into each of 2,000 tiny messages.
  const candidate = withEnvelope(raw, ctx);
  // The walk stops at the depth limit, so it runs before anything that recurses through the whole value.
  const problem = findJsonProblem(candidate);
  if (problem) return reject(problem.path, problem.message);
  const bytes = Buffer.byteLength(JSON.stringify(candidate), 'utf8');
  if (bytes > MAX_MESSAGE_BYTES) {
    const applied = ctx.envelope?.context || ctx.envelope?.integrations ? ' with the batch context applied' : '';
    const error = `message is ${bytes} bytes${applied}; the limit is 32 KB`;
    return { ok: false, rejection: { field: '', error, code: 'payload_too_large' } };
  }
  const parsed = segmentMessageSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.');
    return reject(field, issue.message);
  }
  const m = parsed.data;

  const receivedAt = ctx.receivedAt.getTime();
  const clientTime = m.timestamp ?? m.originalTimestamp;
  const clientMs = clientTime === undefined ? receivedAt : Date.parse(clientTime);
  const correctedMs =
    clientTime !== undefined && m.sentAt !== undefined ? receivedAt - (Date.parse(m.sentAt) - clientMs) : clientMs;
  const messageId = m.messageId ?? ctx.newMessageId();
  const clientTimestamp = new Date(clientMs).toISOString();

  const event: StoredEvent = {
    userKey: userKeyOf(m),
    sk: `${clientTimestamp}#${messageId}`,
    type: m.type,
    messageId,
    userId: m.userId,
    anonymousId: m.anonymousId,
    timestamp: new Date(correctedMs).toISOString(),
    clientTimestamp,
    sentAt: m.sentAt,
    receivedAt: ctx.receivedAt.toISOString(),
    writeKeyId: ctx.writeKeyId,
    context: enrichClientContext(m.context, ctx.client ?? {}),
    integrations: m.integrations,
  };
  switch (m.type) {
    case 'track':
      Object.assign(event, { event: m.event, properties: m.properties });
      break;
    case 'identify':
      event.traits = m.traits;
      break;
    case 'page':
      Object.assign(event, { name: m.name, category: m.category, properties: m.properties });
      break;
    case 'screen':
      Object.assign(event, { name: m.name, properties: m.properties });
      break;
    case 'group':
      Object.assign(event, { groupId: m.groupId, traits: m.traits });
      break;
    case 'alias':
      event.previousId = m.previousId;
      break;
  }
  const money = 'properties' in event ? findMoneyProblem(event.properties) : undefined;
  if (money) return reject(money.path, money.message);
  const stored = dropUndefined(event);
  // Ingest adds ids and times to the message; this bound keeps the item far below DynamoDB's 400 KB whatever
  // the message's byte count, so a store call never fails on what a client sent.
  const storedBytes = Buffer.byteLength(JSON.stringify(stored), 'utf8');
  if (storedBytes > MAX_STORED_EVENT_BYTES) {
    const error = `event is ${storedBytes} bytes as stored; the limit is 64 KB`;
    return { ok: false, rejection: { field: '', error, code: 'payload_too_large' } };
  }
  return { ok: true, event: stored };
}

/** The batch envelope's sentAt, context and integrations under the message's own, which win on conflicts. */
function withEnvelope(input: Record<string, unknown>, ctx: AcceptContext): Record<string, unknown> {
  const envelope = ctx.envelope ?? {};
  return {
    ...input,
    type: ctx.type ?? input.type,
    sentAt: input.sentAt ?? envelope.sentAt,
    context: merged(envelope.context, input.context),
    integrations: merged(envelope.integrations, input.integrations),
  };
}

/** A message's own value that is not an object is left as sent, so the schema names it (spread would not). */
function merged(fromEnvelope: Record<string, unknown> | undefined, own: unknown): unknown {
  if (fromEnvelope === undefined) return own;
  if (own === undefined || own === null) return fromEnvelope;
  return isPlainObject(own) ? { ...fromEnvelope, ...own } : own;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function reject(field: string, error: string): AcceptResult {
  return { ok: false, rejection: { field, error, code: 'invalid_message' } };
}

function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
