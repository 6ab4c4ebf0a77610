// Every call to a provider's endpoint is bounded in time: a silent endpoint is a retry later, never a hung Lambda.

import { ProviderThrottledError } from '../../core/errors.js';

/** Long enough for a slow provider, short enough that a batch of sends finishes well inside a Lambda's time. */
export const PROVIDER_TIMEOUT_MS = 10_000;

/** fetch's own abort on `AbortSignal.timeout` (TimeoutError) or an explicit abort. */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** fetch with a deadline; running out of time is throttling (the queue retries), other errors pass through. */
export async function fetchWithin(provider: string, url: string, init: RequestInit, timeoutMs: number) {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (isTimeout(error)) throw new ProviderThrottledError(`${provider} did not answer within ${timeoutMs} ms`);
    throw error;
  }
}
