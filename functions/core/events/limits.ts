// Ingest limits, as Segment's HTTP Tracking API documents them, plus our own guards against hostile input.

export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
export const MAX_BATCH_MESSAGES = 2500;
/** Deeper JSON than this is an app bug or an attack; real event payloads stay far below it. */
export const MAX_JSON_DEPTH = 32;
/** Keys that poison prototypes when some downstream code merges objects naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** How many rejections of one request are written to the ingest-error log; the response names them all. */
export const MAX_LOGGED_REJECTIONS_PER_REQUEST = 25;
