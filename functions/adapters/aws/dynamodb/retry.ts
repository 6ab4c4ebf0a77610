// Bounded exponential backoff for the parts of a batch call DynamoDB left unprocessed.

export const MAX_BATCH_ATTEMPTS = 6;

/** 50, 100, 200, 400, 800 ms with full jitter: under ~1.6 s in all, well inside an API Gateway timeout. */
export function backoffMs(attempt: number): number {
  return Math.random() * 50 * 2 ** (attempt - 1);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
