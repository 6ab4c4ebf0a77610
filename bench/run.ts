// `npm run bench`: ingest and pipeline throughput, write units per event, bundle sizes and cold imports.

import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalRuntime } from '../functions/local/runtime.js';
import { startDynamoDbLocal } from '../functions/local/dynamoDbLocal.js';
import { createTables } from '../functions/local/createTables.js';
import { StreamPoller } from '../functions/local/streamPoller.js';
import { lambdaContext } from '../functions/local/apiGateway.js';
import { awsContext, storedPorts } from '../functions/adapters/aws/awsPorts.js';
import { tableNamesWithPrefix, tableVariables, type TableNames } from '../functions/tables.js';
import { unconfiguredPorts } from '../test/support/untouchedPorts.js';
import { plausibleEnvironment } from '../test/support/plausibleEnvironment.js';
import type { CapacityTally } from '../functions/adapters/aws/dynamodb/documentClient.js';
import type { StoredEvent } from '../functions/core/events/storedEvent.js';
import { ESM_REQUIRE_SHIM, bundling, handlerEntries } from '../lib/bundling.js';
import { batchWrite } from '../functions/adapters/aws/dynamodb/batchWrite.js';
import { newProfile } from '../functions/core/profiles/profile.js';
import { broadcastSchema, type Broadcast } from '../functions/core/broadcasts/broadcast.js';
import type { BroadcastPage } from '../functions/core/broadcasts/fanOut.js';
import { runBroadcastPage, startBroadcast } from '../functions/core/broadcasts/runBroadcast.js';
import { LocalScheduler } from '../functions/adapters/local/LocalScheduler.js';
import { LocalOutbox } from '../functions/adapters/local/LocalOutbox.js';
import type { RecordingTelemetry } from '../functions/adapters/local/RecordingTelemetry.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SHOP_PRODUCTS, syntheticShop } from '../demo/syntheticShop.js';
import { holdOutHitRate } from '../functions/core/offers/holdOut.js';
import type { ProductInteraction } from '../functions/core/offers/recommend.js';
import { archiveRecordOf, type ArchiveRecord } from '../functions/core/analytics/archiveRecord.js';
import { LocalEventArchive } from '../functions/adapters/local/LocalEventArchive.js';
import { DuckDbReportEngine } from '../functions/adapters/local/DuckDbReportEngine.js';
import {
  churnSql,
  cohortParams,
  funnelParams,
  funnelSql,
  ltvHistorySql,
  orderParams,
  paretoSql,
  repurchaseSql,
  retentionSql,
  revenueTreeSql,
  rfmSql,
} from '../functions/core/analytics/eventReports.js';
import { fakeSecretsManager } from '../test/support/fakeSecretsManager.js';
import { createReadStream, writeFileSync } from 'node:fs';
import { csvCustomerRecords } from '../functions/adapters/csv/csvCustomerRecords.js';
import { postImport, uploadImport } from '../bin/postImport.js';
import type { ImportReport } from '../functions/core/imports/importCustomers.js';

const INGEST_EVENTS = Number(process.env.BENCH_INGEST_EVENTS ?? 10_000);
const PIPELINE_EVENTS = Number(process.env.BENCH_PIPELINE_EVENTS ?? 10_000);
const USERS = 10;
const BATCH = 100;
const CONCURRENCY = 4;
const JOURNEY_CUSTOMERS = Number(process.env.BENCH_JOURNEY_CUSTOMERS ?? 500);
const SENDER_MESSAGES = Number(process.env.BENCH_SENDER_MESSAGES ?? 1000);
const BROADCAST_RECIPIENTS = Number(process.env.BENCH_BROADCAST_RECIPIENTS ?? 100_000);
const REPORT_CUSTOMERS = Number(process.env.BENCH_REPORT_CUSTOMERS ?? 20_000);
const REPORT_EVENTS = Number(process.env.BENCH_REPORT_EVENTS ?? 1_000_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 100);
const IMPORT_CUSTOMERS = Number(process.env.BENCH_IMPORT_CUSTOMERS ?? 100_000);

const log = (line: string) => console.error(line);

function message(i: number, run: string) {
  const user = `bench-${run}-${i % USERS}`;
  return i % 10 === 0
    ? {
        type: 'identify',
        userId: user,
        messageId: `${run}-${i}`,
        traits: { name: `User ${i % USERS}`, email: `${user}@example.com` },
      }
    : {
        type: 'track',
        userId: user,
        messageId: `${run}-${i}`,
        event: i % 3 === 0 ? 'Product Added' : 'Product Viewed',
        properties: { product_id: `p${i % 50}`, price: 12000, name: 'Mug' },
        timestamp: new Date(Date.UTC(2026, 10, 23, 0, 0, 0, i)).toISOString(),
      };
}

async function benchIngestAndCapacity() {
  const tally: CapacityTally = { readUnits: 0, writeUnits: 0 };
  const runtime = await startLocalRuntime({
    port: 0,
    writeKey: 'wk_bench',
    adminToken: 'rat_bench',
    capacityTally: tally,
  });
  const auth = `Basic ${Buffer.from('wk_bench:').toString('base64')}`;
  const post = async (batch: unknown[]) => {
    const res = await fetch(`${runtime.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
    });
    if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  };
  try {
    // Write units: batches of 100 events over 10 users, each drained before the next, as Lambda would
    // see them with a batch size of 100.
    await runtime.poller.drain();
    tally.writeUnits = 0;
    const capacityBatches = 10;
    for (let b = 0; b < capacityBatches; b++) {
      await post(Array.from({ length: BATCH }, (_, i) => message(b * BATCH + i, 'wru')));
      await runtime.poller.drain();
    }
    const wruPerEvent = tally.writeUnits / (capacityBatches * BATCH);

    // Ingest throughput through the local HTTP endpoint (the pipeline keeps running, as it would).
    const batches = Array.from({ length: INGEST_EVENTS / BATCH }, (_, b) =>
      Array.from({ length: BATCH }, (_, i) => message(b * BATCH + i, 'ingest')),
    );
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batches.length) await post(batches[next++]);
      }),
    );
    const ingestSeconds = (performance.now() - started) / 1000;
    await runtime.poller.drain(120_000);
    return { ingestEventsPerSecond: INGEST_EVENTS / ingestSeconds, wruPerEvent };
  } finally {
    await runtime.stop();
  }
}

/** A fresh DynamoDB Local with Retain's tables, and the environment that points the adapters at it. */
async function benchDatabase(prefix: string) {
  const dynamo = await startDynamoDbLocal();
  const tables = tableNamesWithPrefix(prefix);
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  await createTables(client, tables);
  client.destroy();
  return { dynamo, tables };
}

/** The real DynamoDB ports over the bench tables (the composition the local runtime uses). */
function benchPorts(endpoint: string, tables: TableNames, tally?: CapacityTally) {
  const aws = awsContext({ dynamoEndpoint: endpoint, tally });
  return { ...storedPorts(aws, benchEnvironment(tables)), client: aws.dynamo };
}

const benchEnvironment = (tables: TableNames) => ({
  ...tableVariables(tables),
  EVENT_RETENTION_DAYS: 90,
  JOURNEY_CACHE_TTL_SECONDS: 30,
});

async function benchPipeline() {
  const { dynamo, tables } = await benchDatabase('bench-');
  try {
    // Only profiles, settings and the journey index are read: no journey is live, so nothing is scheduled.
    const adapters = { ...benchPorts(dynamo.endpoint, tables), ...unconfiguredPorts() };
    const events: StoredEvent[] = Array.from({ length: PIPELINE_EVENTS }, (_, i) => {
      const m = message(i, 'pipe') as Record<string, unknown>;
      const timestamp = new Date(Date.UTC(2026, 10, 23, 0, 0, 0, i)).toISOString();
      return {
        ...(m as object),
        userKey: `u:${m.userId}`,
        sk: `${timestamp}#${m.messageId}`,
        timestamp,
        clientTimestamp: timestamp,
        receivedAt: timestamp,
        writeKeyId: 'bench',
      } as StoredEvent;
    });
    await adapters.events.append(events);
    const { createProcessEventsHandler } = await import('../functions/handlers/processEvents.js');
    const processEvents = createProcessEventsHandler(adapters);
    const poller = new StreamPoller({
      endpoint: dynamo.endpoint,
      tableName: tables.events,
      handler: (event) => processEvents(event, lambdaContext('bench')),
      idleMs: 5,
    });
    const started = performance.now();
    await poller.start();
    await poller.drain(300_000);
    const seconds = (performance.now() - started) / 1000;
    await poller.stop();
    adapters.client.destroy();
    return { pipelineEventsPerSecond: PIPELINE_EVENTS / seconds };
  } finally {
    await dynamo.stop();
  }
}

/** CPU per event that no journey triggers or follows, through the real use case (ports that must not be called). */
async function benchTriggerMatching() {
  const { JourneyIndex } = await import('../functions/core/journeys/journeyIndex.js');
  const { journeyDefinitionSchema } = await import('../functions/core/journeys/definition.js');
  const { runCustomerEvents } = await import('../functions/core/journeys/runJourneys.js');
  const { newProfile } = await import('../functions/core/profiles/profile.js');
  // An unmatched event must not reach a port: these throw if it does.
  const { untouchedJourneyPorts } = await import('../test/support/untouchedPorts.js');
  const deps = untouchedJourneyPorts();
  const profile = newProfile('u:bench', '2026-11-23T00:00:00.000Z');
  const event = {
    userKey: 'u:bench',
    sk: 'x',
    type: 'track',
    messageId: 'm',
    event: 'Page Scrolled',
    timestamp: '2026-11-23T00:00:00.000Z',
    clientTimestamp: '',
    receivedAt: '',
    writeKeyId: 'w',
  } as StoredEvent;
  const results: Record<string, number> = {};
  for (const n of [10, 1000, 10_000]) {
    const journeys = Array.from({ length: n }, (_, i) => {
      const definition = journeyDefinitionSchema.parse({
        id: `j${i}`,
        name: `J${i}`,
        trigger: { kind: 'event', event: `Event ${i}` },
        goal: { event: `Goal ${i}` },
        start: 'e',
        steps: { e: { type: 'exit' } },
      });
      return {
        head: {
          id: definition.id,
          name: definition.name,
          status: 'active' as const,
          latestVersion: 1,
          activeVersion: 1,
          updatedAt: '',
        },
        versions: new Map([[1, definition]]),
      };
    });
    const index = new JourneyIndex(journeys);
    const input = { profileKey: 'u:bench' as const, after: profile, events: [event] };
    const now = new Date();
    for (let i = 0; i < 20_000; i++) await runCustomerEvents(input, index, deps, now);
    const rounds = 200_000;
    const started = process.cpuUsage();
    for (let i = 0; i < rounds; i++) await runCustomerEvents(input, index, deps, now);
    const used = process.cpuUsage(started);
    results[n] = Number((((used.user + used.system) * 1000) / rounds / 1000).toFixed(3));
  }
  return results;
}

/** Journey steps per second through the local runtime: customers enter, the clock moves, steps run. */
async function benchJourneySteps() {
  const runtime = await startLocalRuntime({ port: 0, writeKey: 'wk_bench', adminToken: 'rat_bench' });
  try {
    const headers = { authorization: 'Bearer rat_bench', 'content-type': 'application/json' };
    const journey = {
      id: 'bench',
      name: 'Bench',
      trigger: { kind: 'event', event: 'Signed Up' },
      start: 'wait',
      steps: {
        wait: { type: 'wait', duration: '1h', next: 'points' },
        points: { type: 'update-profile', increment: { points: 10 }, next: 'send' },
        send: { type: 'send', channel: 'email', template: 'welcome', next: 'done' },
        done: { type: 'exit' },
      },
    };
    const template = {
      id: 'welcome',
      name: 'Welcome',
      channel: 'email',
      email: { subject: 'Welcome', html: '<p>Hello</p>' },
    };
    await fetch(`${runtime.url}/admin/v1/templates`, { method: 'POST', headers, body: JSON.stringify(template) });
    await fetch(`${runtime.url}/admin/v1/journeys`, { method: 'POST', headers, body: JSON.stringify(journey) });
    const activated = await fetch(`${runtime.url}/admin/v1/journeys/bench/activate`, { method: 'POST', headers });
    if (activated.status !== 200) throw new Error(`activation answered ${activated.status}: ${await activated.text()}`);
    const customers = JOURNEY_CUSTOMERS;
    const auth = `Basic ${Buffer.from('wk_bench:').toString('base64')}`;
    for (let b = 0; b < customers / 100; b++) {
      const batch = Array.from({ length: 100 }, (_, i) => ({
        type: 'track',
        userId: `steps-${b * 100 + i}`,
        event: 'Signed Up',
      }));
      await fetch(`${runtime.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify({ batch }),
      });
    }
    await runtime.poller.drain(120_000);
    const started = performance.now();
    const res = await fetch(`${runtime.url}/admin/v1/clock/advance`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ by: '2h' }),
    });
    await res.json();
    const seconds = (performance.now() - started) / 1000;
    if (runtime.outbox.requests.length !== customers)
      throw new Error(`expected ${customers} sends, got ${runtime.outbox.requests.length}`);
    // Each wake-up runs three steps (update-profile, send, exit).
    return { stepsPerSecond: (customers * 3) / seconds };
  } finally {
    await runtime.stop();
  }
}

/** The value below which `q` of the sorted samples lie (nearest rank). */
function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/**
 * Trigger-to-send latency of an immediate journey on the local runtime: from the ingest call to the message
 * log's `sent`, one customer at a time so each sample is the path alone, not a queue behind other customers.
 */
async function benchTriggerToSend() {
  const runtime = await startLocalRuntime({ port: 0, writeKey: 'wk_bench', adminToken: 'rat_bench' });
  try {
    const headers = { authorization: 'Bearer rat_bench', 'content-type': 'application/json' };
    const template = {
      id: 'receipt',
      name: 'Receipt',
      channel: 'email',
      email: { subject: 'Thanks', html: '<p>Hi</p>' },
    };
    // Transactional: no consent or quiet hours to wait for, whatever the hour in Seoul when the bench runs.
    const journey = {
      id: 'latency',
      name: 'Latency',
      trigger: { kind: 'event', event: 'Order Completed' },
      start: 'send',
      steps: {
        send: { type: 'send', channel: 'email', template: 'receipt', category: 'transactional', next: 'done' },
        done: { type: 'exit' },
      },
    };
    await fetch(`${runtime.url}/admin/v1/templates`, { method: 'POST', headers, body: JSON.stringify(template) });
    await fetch(`${runtime.url}/admin/v1/journeys`, { method: 'POST', headers, body: JSON.stringify(journey) });
    const activated = await fetch(`${runtime.url}/admin/v1/journeys/latency/activate`, { method: 'POST', headers });
    if (activated.status !== 200) throw new Error(`activation answered ${activated.status}: ${await activated.text()}`);
    const auth = `Basic ${Buffer.from('wk_bench:').toString('base64')}`;
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const userId = `latency-${i}`;
      const batch = [
        { type: 'identify', userId, messageId: `${userId}-id`, traits: { email: `${userId}@example.com` } },
        { type: 'track', userId, messageId: `${userId}-order`, event: 'Order Completed' },
      ];
      const started = performance.now();
      const res = await fetch(`${runtime.url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: auth },
        body: JSON.stringify({ batch }),
      });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}`);
      for (;;) {
        const [latest] = await runtime.adapters.messages.list(`u:${userId}`, 1);
        if (latest?.status === 'sent') break;
        if (latest && latest.status !== 'processing')
          throw new Error(`the message was ${latest.status}: ${latest.reason}`);
        if (performance.now() - started > 30_000) throw new Error(`no send for ${userId} within 30 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    // What the sender itself measured (ingest's receipt → the provider's acceptance), from the same runs.
    const recorded = (runtime.adapters.telemetry as RecordingTelemetry).triggerToSendMs.map((s) => s.milliseconds);
    recorded.sort((a, b) => a - b);
    return {
      samples: samples.length,
      p50: Math.round(percentile(samples, 0.5)),
      p95: Math.round(percentile(samples, 0.95)),
      handlerP50: Math.round(percentile(recorded, 0.5)),
      handlerP95: Math.round(percentile(recorded, 0.95)),
    };
  } finally {
    await runtime.stop();
  }
}

/** Messages/s through the sender handler (every gate, Liquid, ad-law marking) and write units per message. */
async function benchSender() {
  const { dynamo, tables } = await benchDatabase('send-');
  try {
    const tally: CapacityTally = { readUnits: 0, writeUnits: 0 };
    const adapters = benchPorts(dynamo.endpoint, tables, tally);
    const { newProfile } = await import('../functions/core/profiles/profile.js');
    const { createSendHandler } = await import('../functions/handlers/sendMessage.js');
    const { composeRawEmail } = await import('../functions/adapters/mime.js');
    let sent = 0;
    // The provider call is the one thing left out: SES's latency is not ours to measure.
    const mailer = {
      send: async (email: Parameters<typeof composeRawEmail>[0]) => (
        await composeRawEmail(email, new Date()), `bench-${++sent}`
      ),
    };
    const deps = {
      ...adapters,
      // No request is deferred or falls back in this run; either would fail it.
      ...unconfiguredPorts(),
      mailer,
      push: { send: async () => ({ status: 'sent' as const, id: 'p' }) },
      messaging: { sendSms: async () => 'unused', sendKakao: async () => 'unused' },
      unsubscribe: { baseUrl: 'http://127.0.0.1:3000', secret: 'bench-unsubscribe-secret-0123456789abcdef' },
    };
    deps.settings = {
      get: async () => ({
        ...(await adapters.settings.get()),
        quietHours: { enabled: false, start: '21:00', end: '08:00' },
      }),
      put: async () => undefined,
    };
    await adapters.templates.put({
      id: 'bench',
      name: 'Bench',
      channel: 'email',
      variants: {},
      email: {
        subject: '{{ profile.traits.name | default: "고객" }}님, 장바구니를 확인하세요',
        html: '<p>{{ profile.traits.name }}님, {{ event.product_id }} 외 {{ profile.computed.cart.items.size }}개</p>',
      },
    });
    const customers = SENDER_MESSAGES;
    const at = '2026-11-01T00:00:00.000Z';
    await Promise.all(
      Array.from({ length: customers }, async (_, i) => {
        const p = newProfile(`u:send-${i}`, at);
        p.traits = { name: `고객${i}` };
        p.channels.email = `send-${i}@example.com`;
        p.consent = { email: { granted: true, at }, advertising: { granted: true, at } };
        await adapters.profiles.write({ profile: p, expectedVersion: 0, tombstones: [] });
      }),
    );
    const send = createSendHandler({ ...adapters, telemetry: deps.telemetry }, deps);
    const record = (i: number) => ({
      messageId: `m${i}`,
      receiptHandle: `h${i}`,
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:0:email',
      awsRegion: 'local',
      messageAttributes: {},
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'b',
        ApproximateFirstReceiveTimestamp: '0',
      },
      body: JSON.stringify({
        idempotencyKey: `bench:${i}`,
        channel: 'email',
        userKey: `u:send-${i}`,
        userId: `send-${i}`,
        template: 'bench',
        category: 'marketing',
        journeyId: 'bench',
        journeyVersion: 1,
        stepId: 's',
        instanceId: `i${i}`,
        requestedAt: at,
        trigger: { event: 'Product Added', properties: { product_id: 'mug' } },
      }),
    });
    tally.writeUnits = 0;
    const batches = Array.from({ length: customers / 10 }, (_, b) => ({
      Records: Array.from({ length: 10 }, (_, i) => record(b * 10 + i)),
    }));
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batches.length) await send(batches[next++], lambdaContext('bench-send'));
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (sent !== customers) throw new Error(`expected ${customers} messages, sent ${sent}`);
    adapters.client.destroy();
    return { messagesPerSecond: customers / seconds, wruPerMessage: tally.writeUnits / customers };
  } finally {
    await dynamo.stop();
  }
}

/**
 * Broadcast fan-out: a segment of 100,000 profiles enqueued onto the local channel queue, the eight scan
 * segments' page chains run side by side as eight fan-out Lambdas would, at an unthrottled rate.
 */
async function benchBroadcast() {
  const { dynamo, tables } = await benchDatabase('bench-broadcast-');
  try {
    const adapters = benchPorts(dynamo.endpoint, tables);
    const at = new Date('2026-11-23T01:00:00Z').toISOString();
    for (let from = 0; from < BROADCAST_RECIPIENTS; from += 5000) {
      const requests = Array.from({ length: Math.min(5000, BROADCAST_RECIPIENTS - from) }, (_, i) => {
        const profile = newProfile(`u:bc-${from + i}`, at);
        profile.traits = { plan: 'pro', name: `고객${from + i}` };
        profile.channels.email = `bc-${from + i}@example.com`;
        return {
          PutRequest: { Item: { userKey: profile.userKey, kind: 'profile', version: 1, doc: JSON.stringify(profile) } },
        };
      });
      await batchWrite(adapters.client, tables.profiles, requests);
    }
    await adapters.segments.put({
      id: 'pro',
      name: 'Pro',
      condition: { attribute: 'traits.plan', op: 'eq', value: 'pro' },
    });
    await adapters.templates.put({
      id: 'news',
      name: 'News',
      channel: 'email',
      email: { subject: 'News', html: '<p>Hi</p>' },
      variants: {},
    });
    const clock = { now: () => new Date(at) };
    const scheduler = new LocalScheduler(clock);
    const outbox = new LocalOutbox(scheduler, clock);
    const next: BroadcastPage[] = [];
    const deps = {
      ...adapters,
      deliveries: outbox,
      pages: { schedule: async (page: BroadcastPage) => void next.push(page) },
    };
    const broadcast: Broadcast = {
      definition: broadcastSchema.parse({
        id: 'bench',
        segment: 'pro',
        template: 'news',
        controlPercent: 10,
        ratePerMinute: 1_000_000,
      }),
      status: 'draft',
      createdAt: at,
      updatedAt: at,
      progress: { chains: 0, chainsDone: 0, pages: 0, enqueued: 0, heldOut: 0 },
    };
    await adapters.broadcasts.create(broadcast);
    const started = performance.now();
    await startBroadcast(broadcast, [new Date(at)], deps, clock.now());
    const chains = next.splice(0);
    await Promise.all(
      chains.map(async (first) => {
        let page: BroadcastPage | undefined = first;
        while (page) {
          const outcome = await runBroadcastPage(page, deps, clock.now());
          page = outcome.next
            ? next.splice(
                next.findIndex((p) => p.broadcastId === page!.broadcastId && p.segment === page!.segment),
                1,
              )[0]
            : undefined;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (outbox.requests.length !== BROADCAST_RECIPIENTS)
      throw new Error(`the broadcast enqueued ${outbox.requests.length} of ${BROADCAST_RECIPIENTS}`);
    return { recipientsPerSecond: BROADCAST_RECIPIENTS / seconds, seconds };
  } finally {
    await dynamo.stop();
  }
}

/**
 * Hit rate at 3 of the recommendations on the demo shop's year, each repeat buyer's last order held out, against
 * the best sellers. The interactions are read from the generated events as the refresh's SQL reads the archive
 * (order items, product views and adds), in memory: the ranking, not DuckDB, is what is measured here.
 */
function benchRecommendations() {
  const end = new Date('2026-11-23T00:00:00Z');
  const interactions: ProductInteraction[] = [];
  for (const messages of syntheticShop({ customers: REPORT_CUSTOMERS, events: REPORT_EVENTS, end })) {
    for (const m of messages) {
      const customer = `u:${m.userId as string}`;
      const properties = (m.properties ?? {}) as {
        product_id?: string;
        order_id?: string;
        products?: { product_id: string }[];
      };
      if (m.event === 'Order Completed')
        for (const p of properties.products ?? [])
          interactions.push({
            customer,
            productId: p.product_id,
            kind: 'buy',
            basket: properties.order_id,
            at: m.timestamp,
          });
      else if ((m.event === 'Product Viewed' || m.event === 'Product Added') && properties.product_id)
        interactions.push({ customer, productId: properties.product_id, kind: 'view', at: m.timestamp });
    }
  }
  const catalog = SHOP_PRODUCTS.map((p) => ({
    id: p.id,
    category: p.category,
    price: p.price,
    inStock: true,
    consumable: false,
    updatedAt: end.toISOString(),
  }));
  const started = performance.now();
  const result = holdOutHitRate(interactions, catalog, 3);
  return { ...result, seconds: Number(((performance.now() - started) / 1000).toFixed(2)) };
}

/** Every archive report over the demo shop's year (20,000 customers, ~1,000,000 events) on DuckDB. */
async function benchReports() {
  const dir = mkdtempSync(join(tmpdir(), 'retain-bench-archive-'));
  const archive = new LocalEventArchive(dir);
  const end = new Date('2026-11-23T00:00:00Z');
  let events = 0;
  let batch: ArchiveRecord[] = [];
  for (const messages of syntheticShop({ customers: REPORT_CUSTOMERS, events: REPORT_EVENTS, end })) {
    for (const m of messages) {
      const userId = m.userId as string;
      batch.push(
        archiveRecordOf({
          ...(m as object),
          userKey: `u:${userId}`,
          sk: '',
          clientTimestamp: m.timestamp,
          receivedAt: m.timestamp,
          writeKeyId: 'bench',
        } as StoredEvent),
      );
    }
    events += messages.length;
    if (batch.length > 50_000) {
      await archive.append(batch);
      batch = [];
    }
  }
  await archive.append(batch);
  const engine = new DuckDbReportEngine(dir);
  const range = { from: '2025-11-23', to: '2026-11-23' };
  const steps = ['Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed'].map((event) => ({ event }));
  const sql: Record<string, string[]> = {
    funnel: [funnelSql(engine.dialect, funnelParams.parse({ steps, ...range }))],
    'funnel by source': [
      funnelSql(engine.dialect, funnelParams.parse({ steps, ...range, breakdown: 'campaign_source' })),
    ],
    retention: [
      retentionSql(engine.dialect, cohortParams.parse(range)),
      churnSql(engine.dialect, cohortParams.parse(range)),
    ],
    repurchase: [repurchaseSql(engine.dialect, orderParams.parse(range))],
    pareto: [paretoSql(engine.dialect, orderParams.parse(range))],
    'revenue-tree': [revenueTreeSql(engine.dialect, orderParams.parse(range))],
    'ltv-history': [ltvHistorySql(engine.dialect, orderParams.parse(range))],
    rfm: [rfmSql(engine.dialect, orderParams.parse(range))],
  };
  await engine.query('SELECT 1');
  const seconds: Record<string, number> = {};
  for (const [name, queries] of Object.entries(sql)) {
    const started = performance.now();
    for (const q of queries) await engine.query(q);
    seconds[name] = Number(((performance.now() - started) / 1000).toFixed(2));
  }
  const bytes = readdirSync(join(dir, 'events'), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .reduce((sum, f) => sum + statSync(join(f.parentPath, f.name)).size, 0);
  return { events, seconds, archiveMb: Number((bytes / 1024 ** 2).toFixed(1)) };
}

const execFileAsync = promisify(execFile);

/** The largest packages in a bundle, from esbuild's metafile (bytes of output each input contributed). */
function heaviestPackages(meta: Metafile, outfile: string, top = 5): Record<string, number> {
  const output = Object.entries(meta.outputs).find(([path]) => outfile.endsWith(path))?.[1];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const name = match ? match[1] : 'retain';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const sorted = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, top);
  return Object.fromEntries(sorted.map(([name, bytes]) => [name, Math.round(bytes / 1024)]));
}

/** Bundles every entry as lib/bundling.ts does, and imports each in fresh Node processes (median of 5). */
async function bundleAndImport(entries: Record<string, string>, outdir: string, env: NodeJS.ProcessEnv) {
  mkdirSync(outdir, { recursive: true });
  const bundleKb: Record<string, number> = {};
  const coldImportMs: Record<string, number> = {};
  const holds: Record<string, Record<string, number>> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const outfile = join(outdir, `${name}.mjs`);
    const { metafile } = await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      metafile: true,
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_SHIM },
      external: bundling.externalModules,
      logLevel: 'silent',
    });
    bundleKb[name] = Math.round(statSync(outfile).size / 1024);
    holds[name] = heaviestPackages(metafile, outfile);
    // Asynchronously: the fake Secrets Manager answers from this process's event loop.
    const importOnce = async () => {
      const script = `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`;
      const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      return Number(stdout.trim());
    };
    try {
      const samples: number[] = [];
      for (let i = 0; i < 5; i++) samples.push(await importOnce());
      coldImportMs[name] = Math.round(samples.sort((a, b) => a - b)[2]);
    } catch {
      // The code before the entries split built every adapter at import and refused some environments.
      coldImportMs[name] = Number.NaN;
    }
  }
  return { bundleKb, coldImportMs, holds };
}

/**
 * Bundle sizes and cold imports of today's entries and, with `BENCH_BUNDLES_BEFORE=<git ref>`, of the entries at
 * that commit, in the same run on the same machine (a temporary worktree sharing this node_modules).
 */
async function benchBundles() {
  const secrets = await fakeSecretsManager();
  const env = {
    ...process.env,
    ...plausibleEnvironment(),
    AWS_REGION: 'ap-northeast-2',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  } as NodeJS.ProcessEnv;
  try {
    const after = await bundleAndImport(handlerEntries, join(process.cwd(), '.bench', 'after'), env);
    const ref = process.env.BENCH_BUNDLES_BEFORE;
    if (!ref) return { after };
    const tree = mkdtempSync(join(tmpdir(), 'retain-before-'));
    execFileSync('git', ['worktree', 'add', '--detach', tree, ref], { stdio: 'ignore' });
    try {
      symlinkSync(join(process.cwd(), 'node_modules'), join(tree, 'node_modules'));
      const bundlingSource = readFileSync(join(tree, 'lib', 'bundling.ts'), 'utf8');
      const entries = Object.fromEntries(
        [...bundlingSource.matchAll(/^\s+(\w+): '(functions\/[^']+\.ts)'/gm)].map(([, name, path]) => [
          name,
          join(tree, path),
        ]),
      );
      const before = await bundleAndImport(entries, join(process.cwd(), '.bench', 'before'), env);
      return { after, before, beforeRef: ref };
    } finally {
      execFileSync('git', ['worktree', 'remove', '--force', tree], { stdio: 'ignore' });
    }
  } finally {
    secrets.close();
  }
}

const FAMILY_NAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임'];
const GIVEN_NAMES = ['민준', '서연', '지호', '유나', '하준', '지우', '도윤', '서윤', '시우', '하은'];

/** A Korean CRM export of `n` customers: names, addresses, a grade, dated e-mail and SMS consent. */
function koreanCustomersCsv(n: number): string {
  const lines = ['회원ID,이름,이메일,휴대폰,등급,가입일,email_consent,email_consent_at,sms_consent,sms_consent_at'];
  for (let i = 0; i < n; i++) {
    const name = `${FAMILY_NAMES[i % 10]}${GIVEN_NAMES[Math.floor(i / 10) % 10]}`;
    const phone = `010-${String(1000 + (i % 9000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')}`;
    const day = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    lines.push(
      `bench-${i},${name},member${i}@example.com,${phone},${i % 7 === 0 ? 'VIP' : '일반'},${day},${i % 3 === 0 ? 'N' : 'Y'},${day} 10:00,${i % 2 === 0 ? '동의' : '거부'},${day}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Write units per new customer as AWS bills them. The local runtime writes an import's profiles in transactions,
 * whose capacity DynamoDB Local under-reports; in AWS they go one conditional put each, which Local counts right.
 */
async function importWriteUnitsAsInAws(rows = 5_000): Promise<number> {
  const { dynamo, tables } = await benchDatabase('bench-wru-');
  try {
    const tally: CapacityTally = { readUnits: 0, writeUnits: 0 };
    const aws = { ...awsContext({ dynamoEndpoint: dynamo.endpoint, tally }), manyProfileWrites: 'items' as const };
    const { profiles, clock } = storedPorts(aws, benchEnvironment(tables));
    const { importCustomers } = await import('../functions/core/imports/importCustomers.js');
    const { Readable } = await import('node:stream');
    const report = await importCustomers(
      csvCustomerRecords(Readable.from([Buffer.from(koreanCustomersCsv(rows))])),
      { source: 'csv', dryRun: false, triggerJourneys: false },
      { profiles, clock },
    );
    if (report.created !== rows) throw new Error(`expected ${rows} new customers, got ${report.created}`);
    return Number((tally.writeUnits / rows).toFixed(2));
  } finally {
    await dynamo.stop();
  }
}

/** The CLI's path through the local runtime: the file read and mapped, chunks posted to the admin API, twice. */
async function benchImport() {
  const tally: CapacityTally = { readUnits: 0, writeUnits: 0 };
  const runtime = await startLocalRuntime({
    port: 0,
    writeKey: 'wk_bench',
    adminToken: 'rat_bench',
    capacityTally: tally,
  });
  const file = join(mkdtempSync(join(tmpdir(), 'retain-bench-import-')), 'customers.csv');
  writeFileSync(file, koreanCustomersCsv(IMPORT_CUSTOMERS));
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${runtime.url}${path}`, {
      method,
      headers: { authorization: 'Bearer rat_bench', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const once = async () => {
    tally.writeUnits = 0;
    const started = performance.now();
    const { report } = await postImport(
      csvCustomerRecords(createReadStream(file)),
      { source: 'csv', dryRun: false, triggerJourneys: false },
      call,
    );
    const seconds = (performance.now() - started) / 1000;
    return { report, seconds, writeUnits: tally.writeUnits };
  };
  // The same file uploaded whole for the import workers (the `--upload` path), after the two posted runs.
  const uploaded = async () => {
    tally.writeUnits = 0;
    const started = performance.now();
    const { report } = await uploadImport(
      { size: statSync(file).size, open: () => createReadStream(file) },
      { source: 'csv', dryRun: false, triggerJourneys: false, pollMs: 200 },
      call,
    );
    const seconds = (performance.now() - started) / 1000;
    return { report, seconds, writeUnits: tally.writeUnits };
  };
  try {
    const first = await once();
    const second = await once();
    const upload = await uploaded();
    const summary = (r: { report: ImportReport; seconds: number; writeUnits: number }) => ({
      seconds: Number(r.seconds.toFixed(1)),
      rowsPerSecond: Math.round(r.report.records / r.seconds),
      wruPerRow: Number((r.writeUnits / r.report.records).toFixed(2)),
      created: r.report.created,
      changed: r.report.changed,
      unchanged: r.report.unchanged,
      refused: r.report.refusedCount,
    });
    return {
      rows: IMPORT_CUSTOMERS,
      first: summary(first),
      second: summary(second),
      upload: summary(upload),
      awsWruPerRow: await importWriteUnitsAsInAws(),
    };
  } finally {
    await runtime.stop();
  }
}

/** `BENCH_ONLY=pipeline,sender npm run bench` runs only those parts. */
const want = (part: string) => !process.env.BENCH_ONLY || process.env.BENCH_ONLY.split(',').includes(part);

if (want('ingest')) log('retain bench: ingest, write units per event ...');
const ingest = want('ingest') ? await benchIngestAndCapacity() : undefined;
if (ingest) log(`  ingest ${ingest.ingestEventsPerSecond.toFixed(0)} events/s through the local HTTP endpoint`);
if (ingest) log(`  ${ingest.wruPerEvent.toFixed(3)} write units per event (batches of ${BATCH} over ${USERS} users)`);
const pipeline = want('pipeline') ? await benchPipeline() : undefined;
if (pipeline) log(`  pipeline ${pipeline.pipelineEventsPerSecond.toFixed(0)} events/s into profiles`);
const matching = want('matching') ? await benchTriggerMatching() : undefined;
for (const [n, us] of Object.entries(matching ?? {}))
  log(`  ${us} µs CPU per unmatched event with ${n} active journeys`);
const steps = want('steps') ? await benchJourneySteps() : undefined;
if (steps) log(`  ${steps.stepsPerSecond.toFixed(0)} journey steps/s through the local runtime`);
const latency = want('latency') ? await benchTriggerToSend() : undefined;
if (latency)
  log(
    `  trigger-to-send p50 ${latency.p50} ms, p95 ${latency.p95} ms (ingest call → message log sent, ${latency.samples} customers; sender's own measure p50 ${latency.handlerP50} ms, p95 ${latency.handlerP95} ms)`,
  );
const sender = want('sender') ? await benchSender() : undefined;
if (sender)
  log(
    `  ${sender.messagesPerSecond.toFixed(0)} e-mails/s through the sender (every gate, Liquid, ad-law marking, MIME)`,
  );
if (sender) log(`  ${sender.wruPerMessage.toFixed(2)} write units per delivered message`);
const broadcast = want('broadcast') ? await benchBroadcast() : undefined;
if (broadcast)
  log(
    `  ${broadcast.recipientsPerSecond.toFixed(0)} broadcast recipients/s enqueued (${broadcast.seconds.toFixed(1)} s for ${BROADCAST_RECIPIENTS})`,
  );
const reports = want('reports') ? await benchReports() : undefined;
for (const [name, s] of Object.entries(reports?.seconds ?? {})) log(`  ${name}: ${s} s over ${reports!.events} events`);
if (reports) log(`  the archive: ${reports.archiveMb} MB of NDJSON`);
const recommendations = want('recommendations') ? benchRecommendations() : undefined;
if (recommendations)
  log(
    `  recommendations: hit rate at 3 ${(recommendations.hitRate * 100).toFixed(1)} % vs best sellers ${(recommendations.popularHitRate * 100).toFixed(1)} % over ${recommendations.customers} repeat buyers`,
  );
const customerImport = want('import') ? await benchImport() : undefined;
for (const [run, r] of Object.entries(
  customerImport
    ? { first: customerImport.first, second: customerImport.second, 'uploaded, third': customerImport.upload }
    : {},
))
  log(
    `  import (${run} run) ${customerImport!.rows} Korean customers from CSV ${run.startsWith('uploaded') ? 'uploaded to the import workers' : 'through the admin API'}: ${r.seconds} s, ${r.rowsPerSecond} rows/s, ${r.wruPerRow} write units per row as DynamoDB Local counts them, created ${r.created}, changed ${r.changed}, unchanged ${r.unchanged}`,
  );
if (customerImport)
  log(
    `  import write units per new customer as billed in AWS (one conditional put each): ${customerImport.awsWruPerRow}`,
  );
const bundles = want('bundles') ? await benchBundles() : undefined;
for (const name of Object.keys(bundles?.after.bundleKb ?? {})) {
  const was = bundles?.before
    ? ` (was ${bundles.before.bundleKb[name]} KB, ${bundles.before.coldImportMs[name]} ms)`
    : '';
  log(`  ${name}: ${bundles!.after.bundleKb[name]} KB, cold import ${bundles!.after.coldImportMs[name]} ms${was}`);
}

console.log(
  JSON.stringify({
    ingest_events_per_s: ingest && Math.round(ingest.ingestEventsPerSecond),
    pipeline_events_per_s: pipeline && Math.round(pipeline.pipelineEventsPerSecond),
    wru_per_event: ingest && Number(ingest.wruPerEvent.toFixed(3)),
    bundle_kb: bundles?.after.bundleKb,
    cold_import_ms: bundles?.after.coldImportMs,
    bundle_heaviest_kb: bundles?.after.holds,
    bundles_before: bundles?.before && {
      ref: bundles.beforeRef,
      kb: bundles.before.bundleKb,
      cold_import_ms: bundles.before.coldImportMs,
    },
    unmatched_event_cpu_us: matching,
    journey_steps_per_s: steps && Math.round(steps.stepsPerSecond),
    trigger_to_send_ms: latency && {
      p50: latency.p50,
      p95: latency.p95,
      samples: latency.samples,
      sender_measured_p50: latency.handlerP50,
      sender_measured_p95: latency.handlerP95,
    },
    sender_messages_per_s: sender && Math.round(sender.messagesPerSecond),
    wru_per_message: sender && Number(sender.wruPerMessage.toFixed(2)),
    broadcast_recipients_per_s: broadcast && Math.round(broadcast.recipientsPerSecond),
    report_events: reports?.events,
    report_seconds: reports?.seconds,
    report_archive_mb: reports?.archiveMb,
    recommendations_hit_rate_at_3: recommendations && Number(recommendations.hitRate.toFixed(4)),
    recommendations_popular_hit_rate_at_3: recommendations && Number(recommendations.popularHitRate.toFixed(4)),
    recommendations_held_out_customers: recommendations?.customers,
    customer_import: customerImport,
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
  }),
);
