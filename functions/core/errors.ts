// Every error Retain throws on purpose, named by what went wrong; the edge decides which HTTP answer each is.

/** The stable `code` of every error body; documented in the API contract. */
export const ERROR_CODES = {
  invalid_request: 'The request (body, query or path) does not match its schema; `field` names where.',
  invalid_message: 'An ingest message (or every message of a batch) was refused; `field` names where.',
  invalid_journey: 'The journey definition is structurally invalid; `field` is the first problem’s path.',
  unauthorized: 'No valid credential (write key, API token) came with the request.',
  forbidden: 'The credential is valid but may not do this.',
  not_found: 'The thing named in the path does not exist.',
  conflict: 'The thing is not in a state that allows this (a sent broadcast, a changed draft).',
  checklist_failed: 'The send or activation checklist failed; the body lists the failing items.',
  payload_too_large: 'The body (or one message in it) is over its size limit.',
  unsupported_media_type: 'The body is not JSON.',
  unavailable: 'The store refused the write after retries; retry later (the answer carries Retry-After).',
  internal: 'Something unexpected failed; nothing internal is disclosed. Quote the request id.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class RetainError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends RetainError {
  constructor(message: string, field?: string) {
    super(message, 'invalid_request', field);
  }
}

export class UnauthorizedError extends RetainError {
  constructor(message: string) {
    super(message, 'unauthorized');
  }
}

/** The caller is known but its role does not grant the permission the route requires. */
export class ForbiddenError extends RetainError {
  constructor(
    message: string,
    readonly permission?: string,
  ) {
    super(message, 'forbidden');
  }
}

export class NotFoundError extends RetainError {
  constructor(message: string) {
    super(message, 'not_found');
  }
}

export class ConflictError extends RetainError {
  constructor(message: string) {
    super(message, 'conflict');
  }
}

export class PayloadTooLargeError extends RetainError {
  constructor(message: string) {
    super(message, 'payload_too_large');
  }
}

export class UnsupportedMediaTypeError extends RetainError {
  constructor(message: string) {
    super(message, 'unsupported_media_type');
  }
}

/** The store refused writes even after retries; the client should retry (Segment libraries do on 5xx). */
export class StoreUnavailableError extends RetainError {
  constructor(message: string) {
    super(message, 'unavailable');
  }
}

/** The provider asked us to slow down or failed transiently: the message goes back to its queue. */
export class ProviderThrottledError extends Error {
  override name = 'ProviderThrottledError';
}

/** The provider refused the message for good (bad address, rejected content): recorded as failed. */
export class ProviderRejectedError extends Error {
  override name = 'ProviderRejectedError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
