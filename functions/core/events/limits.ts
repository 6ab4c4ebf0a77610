// Ingest limits, as Segment's HTTP Tracking API documents them, plus our own guards against hostile input.

/** Checked on the message as stored, i.e. after the batch envelope's context and integrations are merged in. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_MESSAGES = 2500;
/**
 * The envelope's context and integrations are copied into every message of the batch, so each byte there is
 * written once per message: a few KB holds what Segment libraries put there (library, app, device, os,
 * locale, campaign) and keeps the worst batch (2,500 tiny messages) at a bounded multiple of its size.
 */
export const MAX_ENVELOPE_CONTEXT_BYTES = 4 * 1024;
export const MAX_ENVELOPE_INTEGRATIONS_BYTES = 2 * 1024;
/**
 * What the envelope's copies may add to one request's writes (its bytes × the messages in the batch): a
 * 400-byte library context for 2,500 messages fits, a 4 KB one for 250. Segment's own libraries put the
 * context in each message, where the 500 KB body limit already counts it.
 */
export const MAX_ENVELOPE_COPIES_BYTES = 1024 * 1024;
/**
 * The stored event (the message plus what ingest adds: key, ids, times) as JSON. DynamoDB refuses an item
 * over 400 KB counting attribute names and values; the Events item is this JSON plus a few short attributes,
 * so this bound leaves room by a factor of six and a message under MAX_MESSAGE_BYTES always fits it.
 */
export const MAX_STORED_EVENT_BYTES = 64 * 1024;
/**
 * Money (revenue, total, price, value …) outside ±1e12 is refused. It is above any real order in any
 * currency (a trillion won is ~700 M USD); one such amount is still exact to the cent (1e14 cents < 2^53), and
 * sums of millions of them stay far from Infinity, which DuckDB and Athena turn into null: two orders of
 * 1e308 once blanked revenue reports for everyone in the range.
 */
export const MAX_MONEY = 1e12;
/** Deeper JSON than this is an app bug or an attack; real event payloads stay far below it. */
export const MAX_JSON_DEPTH = 32;
/** Keys that poison prototypes when some downstream code merges objects naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** How many rejections of one request are written to the ingest-error log; the response names them all. */
export const MAX_LOGGED_REJECTIONS_PER_REQUEST = 25;
