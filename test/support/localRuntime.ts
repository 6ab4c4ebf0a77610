// A local runtime for an end-to-end test file, on the run's shared DynamoDB Local with its own tables.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../functions/local/runtime.js';

export async function startTestRuntime(
  options: LocalRuntimeOptions = {},
): Promise<{ runtime: LocalRuntime; errors: Error[] }> {
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

/** The calls an end-to-end test makes: the admin API, a batch of events, the local clock. */
export function testClient(runtime: LocalRuntime, credentials: { writeKey: string; adminToken: string }) {
  const admin = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${credentials.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
  };
  /** Sends a batch and waits until the pipeline has processed it. */
  const send = async (messages: Record<string, unknown>[]) => {
    const res = await fetch(`${runtime.url}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${credentials.writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ batch: messages }),
    });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    // A condition with room, not a deadline: a batch of a thousand events takes tens of seconds on a busy machine.
    await runtime.poller.drain(300_000);
  };
  const advance = async (by: string) => {
    const res = await admin('POST', '/admin/v1/clock/advance', { by });
    if (res.status !== 200) throw new Error(`clock advance answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as { now: string; fired: number; pendingWakeUps: number };
  };
  return { admin, send, advance };
}
