// Every error Retain throws on purpose, with the HTTP answer each one becomes at the edge.

export class RetainError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidRequestError extends RetainError {
  constructor(message: string, field?: string) {
    super(message, 400, 'invalid_request', field);
  }
}

export class UnauthorizedError extends RetainError {
  constructor(message: string) {
    super(message, 401, 'unauthorized');
  }
}

export class NotFoundError extends RetainError {
  constructor(message: string) {
    super(message, 404, 'not_found');
  }
}

export class PayloadTooLargeError extends RetainError {
  constructor(message: string) {
    super(message, 413, 'payload_too_large');
  }
}

export class UnsupportedMediaTypeError extends RetainError {
  constructor(message: string) {
    super(message, 415, 'unsupported_media_type');
  }
}

/** The store refused writes even after retries; the client should retry (Segment libraries do on 5xx). */
export class StoreUnavailableError extends RetainError {
  constructor(message: string) {
    super(message, 503, 'unavailable');
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
