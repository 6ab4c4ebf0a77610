// The ingest use case: validate what a client app sent, store every valid event, log every rejection.

import type { EventStore, IngestErrorLog } from './ports.js';
import { acceptMessage, describeRejection, type AcceptContext, type IngestRefusal } from './acceptMessage.js';
import type { IngestError } from './ingestError.js';
import { findJsonProblem } from './jsonSafety.js';
import {
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  MAX_ENVELOPE_COPIES_BYTES,
  MAX_ENVELOPE_CONTEXT_BYTES,
  MAX_ENVELOPE_INTEGRATIONS_BYTES,
  MAX_LOGGED_REJECTIONS_PER_REQUEST,
  MAX_MESSAGE_BYTES,
} from './limits.js';
import { batchEnvelopeSchema, type MessageType } from './segmentMessage.js';
import type { StoredEvent } from './storedEvent.js';

export type IngestRequest = {
  /** `batch` for `/v1/batch`, otherwise the call type of the single-message endpoint. */
  endpoint: MessageType | 'batch';
  body: unknown;
  bodyBytes: number;
  writeKeyId: string;
  /** The sender's address as the gateway saw it; fills `context.ip` when the SDK leaves it out. */
  sourceIp?: string;
};

export type Rejected = { index: number; messageId?: string; error: string };

export type IngestOutcome =
  | { kind: 'stored'; stored: number; rejected: Rejected[]; errorLogFailed: boolean }
  | { kind: 'refused'; code: IngestRefusal; error: string; field?: string; errorLogFailed: boolean };

export type IngestDeps = {
  events: EventStore;
  ingestErrors: IngestErrorLog;
  now: Date;
  newMessageId: () => string;
};

export async function ingestMessages(request: IngestRequest, deps: IngestDeps): Promise<IngestOutcome> {
  const base: AcceptContext = {
    receivedAt: deps.now,
    writeKeyId: request.writeKeyId,
    newMessageId: deps.newMessageId,
    client: { sourceIp: request.sourceIp },
  };
  const path = `/v1/${request.endpoint}`;

  if (request.endpoint !== 'batch') {
    if (request.bodyBytes > MAX_MESSAGE_BYTES) {
      return refuse(
        'payload_too_large',
        `request body is ${request.bodyBytes} bytes; the limit for one message is 32 KB`,
      );
    }
    const result = acceptMessage(request.body, { ...base, type: request.endpoint });
    if (!result.ok) {
      const { rejection } = result;
      const error = describeRejection(rejection);
      const errorLogFailed = await logRejections(deps, [
        describe(request.body, { path, error, receivedAt: deps.now, writeKeyId: request.writeKeyId }),
      ]);
      return { kind: 'refused', code: rejection.code, error, field: rejection.field || undefined, errorLogFailed };
    }
    await deps.events.append([result.event]);
    return { kind: 'stored', stored: 1, rejected: [], errorLogFailed: false };
  }

  if (request.bodyBytes > MAX_BATCH_BYTES) {
    return refuse('payload_too_large', `request body is ${request.bodyBytes} bytes; the limit for a batch is 500 KB`);
  }
  const envelope = batchEnvelopeSchema.safeParse(request.body);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    const field = issue.path.join('.') || 'batch';
    return refuse('invalid_message', `${field}: ${issue.message}`, field);
  }
  const { batch, sentAt, context, integrations } = envelope.data;
  const shared = checkEnvelope(context, integrations, batch.length);
  if (shared) return refuse(shared.code, `${shared.field}: ${shared.error}`, shared.field);
  if (batch.length === 0) return refuse('invalid_message', 'batch: must contain at least one message', 'batch');
  if (batch.length > MAX_BATCH_MESSAGES) {
    return refuse('invalid_message', `batch: has ${batch.length} messages; the limit is 2,500`, 'batch');
  }

  const accepted: StoredEvent[] = [];
  const rejected: Rejected[] = [];
  const logged: IngestError[] = [];
  const ctx: AcceptContext = { ...base, envelope: { sentAt, context, integrations } };
  batch.forEach((raw, index) => {
    const result = acceptMessage(raw, ctx);
    if (result.ok) {
      accepted.push(result.event);
      return;
    }
    const error = describeRejection(result.rejection, `batch[${index}]`);
    const messageId = messageIdOf(raw);
    rejected.push(messageId === undefined ? { index, error } : { index, messageId, error });
    if (logged.length < MAX_LOGGED_REJECTIONS_PER_REQUEST) {
      logged.push(describe(raw, { path, index, error, receivedAt: deps.now, writeKeyId: request.writeKeyId }));
    }
  });

  // Store first: if the table refuses, the client retries the whole batch and nothing was half-logged.
  if (accepted.length > 0) await deps.events.append(dedupeByKey(accepted));
  const errorLogFailed = await logRejections(deps, logged);
  if (accepted.length === 0) {
    return {
      kind: 'refused',
      code: 'invalid_message',
      error: `no valid message in the batch; first: ${rejected[0].error}`,
      errorLogFailed,
    };
  }
  return { kind: 'stored', stored: accepted.length, rejected, errorLogFailed };
}

/**
 * The envelope's context and integrations are copied into every message, so they are checked once here for
 * what each message is checked for, and held to a few KB (see MAX_ENVELOPE_CONTEXT_BYTES).
 */
function checkEnvelope(
  context: Record<string, unknown> | undefined,
  integrations: Record<string, unknown> | undefined,
  messages: number,
): { field: string; error: string; code: IngestRefusal } | undefined {
  let copied = 0;
  const parts = [
    ['context', context, MAX_ENVELOPE_CONTEXT_BYTES],
    ['integrations', integrations, MAX_ENVELOPE_INTEGRATIONS_BYTES],
  ] as const;
  for (const [name, value, limit] of parts) {
    if (value === undefined) continue;
    const problem = findJsonProblem(value, name);
    if (problem) return { field: problem.path, error: problem.message, code: 'invalid_message' };
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (bytes > limit) {
      const error = `is ${bytes} bytes; it is copied into every message and is limited to ${limit / 1024} KB`;
      return { field: name, error, code: 'payload_too_large' };
    }
    copied += bytes * messages;
  }
  if (copied > MAX_ENVELOPE_COPIES_BYTES) {
    const error =
      `copied into each of ${messages} messages, the batch context and integrations would add ${copied} bytes; ` +
      'the limit is 1 MB: send fewer messages per batch or the context in each message';
    return { field: 'context', error, code: 'payload_too_large' };
  }
  return undefined;
}

function refuse(code: IngestRefusal, error: string, field?: string): IngestOutcome {
  return { kind: 'refused', code, error, field, errorLogFailed: false };
}

/** The ingest-error log is a debugging aid: failing to write it must never fail the ingest call. */
async function logRejections(deps: IngestDeps, errors: IngestError[]): Promise<boolean> {
  if (errors.length === 0) return false;
  try {
    await deps.ingestErrors.record(errors);
    return false;
  } catch {
    return true;
  }
}

/** A client that sends one message twice in a batch would make BatchWriteItem refuse the whole batch. */
function dedupeByKey(events: StoredEvent[]): StoredEvent[] {
  const byKey = new Map<string, StoredEvent>();
  for (const e of events) byKey.set(`${e.userKey}\u0000${e.sk}`, e);
  return byKey.size === events.length ? events : [...byKey.values()];
}

function messageIdOf(raw: unknown): string | undefined {
  const id = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).messageId : undefined;
  return typeof id === 'string' ? id.slice(0, 200) : undefined;
}

function describe(
  raw: unknown,
  e: { path: string; index?: number; error: string; receivedAt: Date; writeKeyId: string },
): IngestError {
  const m = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 200) : undefined);
  const entry: IngestError = {
    receivedAt: e.receivedAt.toISOString(),
    writeKeyId: e.writeKeyId,
    path: e.path,
    error: e.error.slice(0, 1000),
  };
  if (e.index !== undefined) entry.index = e.index;
  const messageId = messageIdOf(raw);
  if (messageId !== undefined) entry.messageId = messageId;
  if (text(m.type)) entry.type = text(m.type);
  if (text(m.event)) entry.event = text(m.event);
  return entry;
}
