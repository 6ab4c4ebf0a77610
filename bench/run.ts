// `npm run bench`: ingest and pipeline throughput, write units per event, bundle sizes and cold imports.

import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalRuntime } from '../functions/local/runtime.js';
import { startDynamoDbLocal } from '../functions/local/dynamoDbLocal.js';
import { createTables } from '../functions/local/createTables.js';
import { StreamPoller } from '../functions/local/streamPoller.js';
import { lambdaContext } from '../functions/local/apiGateway.js';
import { buildAdapters, parseEnvironment } from '../functions/adapters/aws/environment.js';
import { tableEnvVar, tableNamesWithPrefix, type TableKey } from '../functions/tables.js';
import type { CapacityTally } from '../functions/adapters/aws/dynamodb/documentClient.js';
import type { StoredEvent } from '../functions/core/events/storedEvent.js';
import { ESM_REQUIRE_SHIM, handlerEntries } from '../lib/bundling.js';

const INGEST_EVENTS = Number(process.env.BENCH_INGEST_EVENTS ?? 10_000);
const PIPELINE_EVENTS = Number(process.env.BENCH_PIPELINE_EVENTS ?? 10_000);
const USERS = 10;
const BATCH = 100;
const CONCURRENCY = 4;

const log = (line: string) => console.error(line);

function message(i: number, run: string) {
  const user = `bench-${run}-${i % USERS}`;
  return i % 10 === 0
    ? { type: 'identify', userId: user, messageId: `${run}-${i}`, traits: { name: `User ${i % USERS}`, email: `${user}@example.com` } }
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
  const runtime = await startLocalRuntime({ port: 0, writeKey: 'wk_bench', adminToken: 'rat_bench', capacityTally: tally });
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

async function benchPipeline() {
  const dynamo = await startDynamoDbLocal();
  try {
    const tables = tableNamesWithPrefix('bench-');
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    await createTables(client, tables);
    client.destroy();
    const env: Record<string, string> = { DYNAMODB_ENDPOINT: dynamo.endpoint };
    for (const key of Object.keys(tables) as TableKey[]) env[tableEnvVar[key]] = tables[key];
    const adapters = buildAdapters(parseEnvironment(env));
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
    // Imported late: the handler module builds its default handler from the environment.
    Object.assign(process.env, { ...env, ...process.env });
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

async function benchBundles() {
  const outdir = join(process.cwd(), '.bench');
  mkdirSync(outdir, { recursive: true });
  const bundleKb: Record<string, number> = {};
  const coldImportMs: Record<string, number> = {};
  const env = { ...process.env, AWS_REGION: 'ap-northeast-2', POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1' } as NodeJS.ProcessEnv;
  for (const [key, name] of Object.entries(tableNamesWithPrefix('cold-'))) env[tableEnvVar[key as TableKey]] = name;
  for (const [name, entry] of Object.entries(handlerEntries)) {
    const outfile = join(outdir, `${name}.mjs`);
    // The same options as lib/bundling.ts (NodejsFunction passes them to esbuild).
    await build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      mainFields: ['module', 'main'],
      banner: { js: ESM_REQUIRE_SHIM },
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    bundleKb[name] = Math.round(statSync(outfile).size / 1024);
    const samples = Array.from({ length: 5 }, () =>
      Number(
        execFileSync(
          process.execPath,
          ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`],
          { env, encoding: 'utf8' },
        ).trim(),
      ),
    );
    coldImportMs[name] = Math.round(samples.sort((a, b) => a - b)[2]);
  }
  return { bundleKb, coldImportMs };
}

log('retain bench: ingest, write units per event ...');
const ingest = await benchIngestAndCapacity();
log(`  ingest ${ingest.ingestEventsPerSecond.toFixed(0)} events/s through the local HTTP endpoint`);
log(`  ${ingest.wruPerEvent.toFixed(3)} write units per event (batches of ${BATCH} over ${USERS} users)`);
log('retain bench: pipeline ...');
const pipeline = await benchPipeline();
log(`  pipeline ${pipeline.pipelineEventsPerSecond.toFixed(0)} events/s into profiles`);
log('retain bench: bundles ...');
const bundles = await benchBundles();
for (const name of Object.keys(bundles.bundleKb)) log(`  ${name}: ${bundles.bundleKb[name]} KB, cold import ${bundles.coldImportMs[name]} ms`);

console.log(
  JSON.stringify({
    ingest_events_per_s: Math.round(ingest.ingestEventsPerSecond),
    pipeline_events_per_s: Math.round(pipeline.pipelineEventsPerSecond),
    wru_per_event: Number(ingest.wruPerEvent.toFixed(3)),
    bundle_kb: bundles.bundleKb,
    cold_import_ms: bundles.coldImportMs,
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
  }),
);
