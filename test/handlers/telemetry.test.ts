// The sender prints its outcomes as CloudWatch embedded metric format: a paused SES account shows up as
// failed e-mail with the provider's refusal, which the failure-rate alarm reads.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SESClient } from '@aws-sdk/client-ses';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { PowertoolsTelemetry } from '../../functions/adapters/aws/PowertoolsTelemetry.js';
import { SesMailer } from '../../functions/adapters/aws/SesMailer.js';
import type { DeliveryDeps } from '../../functions/core/delivery/deliverMessage.js';
import type { DeliveryRequest } from '../../functions/core/delivery/deliveryRequest.js';
import { newProfile } from '../../functions/core/profiles/profile.js';
import { createSendHandler } from '../../functions/handlers/sendMessage.js';
import { createJourneyStepHandler } from '../../functions/handlers/journeyStep.js';
import { context } from '../support/awsEvents.js';
import { fixedClock, freshTables, type TestTables } from '../support/tables.js';

const clock = fixedClock('2026-11-23T03:00:00.000Z'); // noon in Seoul: no quiet hours
let t: TestTables;
/** What the fake SES answers: the one outbound provider these tests stand in for. */
let sesAnswer: () => Promise<{ MessageId: string }>;

const request = (userId: string, key: string, extra: Partial<DeliveryRequest> = {}): DeliveryRequest => ({
  idempotencyKey: key,
  channel: 'email',
  userKey: `u:${userId}`,
  userId,
  template: 'hello',
  category: 'transactional',
  journeyId: 'j',
  journeyVersion: 1,
  stepId: 's',
  instanceId: 'i',
  requestedAt: clock.now().toISOString(),
  trigger: {},
  ...extra,
});

// As Lambda's SQS event source delivers a batch from the e-mail queue.
function sqsEvent(requests: DeliveryRequest[]): SQSEvent {
  return {
    Records: requests.map((r, i) => ({
      messageId: `0e5b8c1a-${i}`,
      receiptHandle: `AQEB${i}`,
      body: JSON.stringify(r),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '1763866800000',
        SenderId: 'AROAEXAMPLE',
        ApproximateFirstReceiveTimestamp: '1763866800001',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:retain-email',
      awsRegion: 'ap-northeast-2',
    })),
  };
}

type Emf = {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
};

/** What `run` printed to stdout as EMF documents. */
async function printedEmf<T>(run: () => Promise<T>): Promise<{ result: T; emf: Emf[] }> {
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    const result = await run();
    const emf = printed
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line.includes('"_aws"'))
      .map((line) => JSON.parse(line) as Emf);
    return { result, emf };
  } finally {
    write.mockRestore();
  }
}

/** Runs the send handler on a batch and returns its response and the EMF documents it printed. */
async function invoke(requests: DeliveryRequest[]): Promise<{ response: SQSBatchResponse; emf: Emf[] }> {
  const telemetry = new PowertoolsTelemetry();
  const deps: DeliveryDeps = {
    ...t.adapters,
    deferrer: { defer: async () => undefined },
    mailer: new SesMailer({ send: () => sesAnswer() } as unknown as SESClient, 'retain', clock),
    push: { send: async () => ({ status: 'invalid-token' }) },
    messaging: { sendSms: async () => 'x', sendKakao: async () => 'x' },
    deliveries: { enqueue: async () => undefined },
    unsubscribe: { baseUrl: 'https://api.example.com', secret: 's' },
    telemetry,
  };
  const handler = createSendHandler({ clock, telemetry }, deps);
  const { result, emf } = await printedEmf(() => handler(sqsEvent(requests), context()));
  return { response: result as SQSBatchResponse, emf };
}

const metricsNamed = (emf: Emf[], name: string) =>
  emf.filter((doc) => doc._aws.CloudWatchMetrics[0].Metrics.some((m) => m.Name === name));

beforeAll(async () => {
  t = await freshTables({ clock });
  await t.adapters.templates.put({
    id: 'hello',
    name: 'Hello',
    channel: 'email',
    email: { subject: 'Your order', html: '<p>Thank you</p>' },
    variants: {},
  });
  const at = '2026-11-01T00:00:00.000Z';
  for (const id of ['paused', 'busy', 'ok', 'ok2']) {
    const p = newProfile(`u:${id}`, at);
    p.channels.email = `${id}@example.com`;
    await t.adapters.profiles.write({ profile: p, expectedVersion: 0, tombstones: [] });
  }
});

afterEach(() => vi.restoreAllMocks());

describe('the sender metrics (EMF on stdout)', () => {
  it('counts a send refused by a paused SES account as a failed e-mail, a provider error, by reason', async () => {
    sesAnswer = async () => {
      throw Object.assign(new Error('Sending paused for this account.'), { name: 'AccountSendingPausedException' });
    };
    const { response, emf } = await invoke([request('paused', 'p1')]);
    // The Lambda succeeds, as before: the record is final (failed), not retried.
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await t.adapters.messages.get('u:paused', 'p1'))?.status).toBe('failed');

    const [outcome] = metricsNamed(emf, 'MessageOutcome');
    expect(outcome._aws.CloudWatchMetrics[0]).toEqual({
      Namespace: 'Retain',
      Dimensions: [['service', 'Channel', 'Outcome']],
      Metrics: [{ Name: 'MessageOutcome', Unit: 'Count' }],
    });
    expect(outcome).toMatchObject({ service: 'retain', Channel: 'email', Outcome: 'failed', MessageOutcome: 1 });
    const [refusal] = metricsNamed(emf, 'MessageRefusals');
    expect(refusal._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'Channel', 'Outcome', 'Reason']]);
    expect(refusal).toMatchObject({
      Channel: 'email',
      Outcome: 'failed',
      Reason: 'provider-refused',
      MessageRefusals: 1,
    });
    const [providerError] = metricsNamed(emf, 'ProviderErrors');
    expect(providerError._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service', 'Channel', 'Kind']]);
    expect(providerError).toMatchObject({ Channel: 'email', Kind: 'rejected', ProviderErrors: 1 });
  });

  it('counts a throttled send as a throttle and fails only its record, for the queue to retry', async () => {
    sesAnswer = async () => {
      throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
    };
    const { response, emf } = await invoke([request('busy', 'b1')]);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '0e5b8c1a-0' }]);
    expect(metricsNamed(emf, 'ProviderErrors')).toMatchObject([
      { Channel: 'email', Kind: 'throttled', ProviderErrors: 1 },
    ]);
    // Not an outcome yet: the retry will record one.
    expect(metricsNamed(emf, 'MessageOutcome')).toEqual([]);
  });

  it('publishes sends of one batch as one series with every value, and the trigger-to-send latency', async () => {
    sesAnswer = async () => ({ MessageId: 'ses-1' });
    const triggeredAt = new Date(clock.now().getTime() - 1250).toISOString();
    const { emf } = await invoke([request('ok', 'k1', { triggeredAt }), request('ok2', 'k2', { triggeredAt })]);
    const outcomes = metricsNamed(emf, 'MessageOutcome');
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ Channel: 'email', Outcome: 'sent', MessageOutcome: [1, 1] });
    // A send has no reason to break down.
    expect(metricsNamed(emf, 'MessageRefusals')).toEqual([]);
    const [latency] = metricsNamed(emf, 'TriggerToSendLatency');
    expect(latency._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'TriggerToSendLatency', Unit: 'Milliseconds' }]);
    expect(latency).toMatchObject({ Channel: 'email', TriggerToSendLatency: [1250, 1250] });
  });

  it('counts a claim that leaves a coupon pool under its alertBelow, and names the pool in one log line', async () => {
    sesAnswer = async () => ({ MessageId: 'ses-3' });
    await t.adapters.coupons.putPool(
      { id: 'scarce', name: 'Scarce', discount: '5%', perCustomerLimit: 1, alertBelow: 5 },
      clock.now(),
    );
    await t.adapters.coupons.addCodes('scarce', ['SC-1', 'SC-2', 'SC-3']);
    await t.adapters.templates.put({
      id: 'scarce-code',
      name: 'Scarce code',
      channel: 'email',
      email: { subject: 'A code', html: '<p>{% coupon "scarce" %}</p>' },
      variants: {},
    });
    const warned: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((line) => void warned.push(String(line)));
    const { emf } = await invoke([request('ok', 'c1', { template: 'scarce-code' })]);
    const [low] = metricsNamed(emf, 'CouponPoolLow');
    expect(low?._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(low).toMatchObject({ service: 'retain', CouponPoolLow: 1 });
    expect(warned.map((line) => JSON.parse(line))).toEqual([
      { message: 'coupon pool low', poolId: 'scarce', remaining: 2 },
    ]);
  });

  it('prints nothing when a batch produced no metric (a redelivery of a finished request)', async () => {
    sesAnswer = async () => ({ MessageId: 'ses-2' });
    const { emf } = await invoke([request('ok', 'k1')]);
    expect(emf).toEqual([]);
  });
});

describe('the journey-step metrics (EMF on stdout)', () => {
  it('counts a wake-up whose instance is gone as stale', async () => {
    const telemetry = new PowertoolsTelemetry();
    const handler = createJourneyStepHandler({ ...t.adapters, telemetry });
    const wakeUp = { userKey: 'u:nobody', journeyId: 'j', instanceId: 'gone', token: 1, at: clock.now().toISOString() };
    const event = sqsEvent([]);
    event.Records = [{ ...sqsEvent([request('x', 'x')]).Records[0], body: JSON.stringify(wakeUp) }];
    const { emf } = await printedEmf(() => handler(event, context()));
    expect(metricsNamed(emf, 'JourneyWakeUps')).toMatchObject([
      { service: 'retain', Outcome: 'stale', JourneyWakeUps: 1 },
    ]);
  });
});
