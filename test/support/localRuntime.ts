// A local runtime for an end-to-end test file, on the run's shared DynamoDB Local with its own tables.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../functions/local/runtime.js';

export async function startTestRuntime(options: LocalRuntimeOptions = {}): Promise<{ runtime: LocalRuntime; errors: Error[] }> {
  const errors: Error[] = [];
  const runtime = await startLocalRuntime({
    port: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tablePrefix: `e2e${randomUUID().slice(0, 6)}-`,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { runtime, errors };
}
