// `npm run demo`: fills a running local engine (`npm start`) through the real ingest with the synthetic
// shop — about 20,000 customers and 1,000,000 events over a year — then runs an A/B broadcast with a control
// group whose recipients go on to buy (more for one variant), so every report has something true to show.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { assignVariant, broadcastSchema } from '../functions/core/broadcasts/broadcast.js';
import { seeded, syntheticShop, type DemoMessage } from './syntheticShop.js';

const usage = `Usage: npm run demo -- [--customers N] [--events N] [--url URL] [--json]

Fills a running local Retain (\`npm start\`) with a year of a synthetic shop through the real ingest, then runs
an A/B broadcast whose recipients go on to buy. Reads RETAIN_WRITE_KEY and RETAIN_ADMIN_TOKEN.

  --customers N   customers who sign up over the year (default 20000)
  --events N      about this many events in all (default 1000000)
  --url URL       the engine (default $RETAIN_URL, else http://127.0.0.1:$PORT, port 3000)
  --json          print a JSON summary at the end and no progress
  -h, --help      this text`;

function options() {
  try {
    return parseArgs({
      options: {
        customers: { type: 'string', default: '20000' },
        events: { type: 'string', default: '1000000' },
        url: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function fail(message: string): never {
  console.error(`demo: ${message}\n\n${usage}`);
  process.exit(2);
}

/** A whole number of at least `min`, or the usage. */
function count(name: string, value: string, min: number): number {
  if (!/^\d+$/.test(value.replaceAll('_', '')) || Number(value.replaceAll('_', '')) < min) {
    fail(`--${name} must be a whole number of at least ${min}, not "${value}"`);
  }
  return Number(value.replaceAll('_', ''));
}

const args = options();
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const customers = count('customers', args.customers, 1);
const events = count('events', args.events, 1);
if (events < customers) {
  fail(`--events (${events}) must be at least --customers (${customers}): each customer signs up`);
}
const url = (args.url ?? process.env.RETAIN_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');
const writeKey = process.env.RETAIN_WRITE_KEY;
const adminToken = process.env.RETAIN_ADMIN_TOKEN;
if (!writeKey || !adminToken) {
  console.error('demo: set RETAIN_WRITE_KEY and RETAIN_ADMIN_TOKEN to the keys `npm start` printed (or started with).');
  process.exit(1);
}
// A bar only for a person watching: not into a file or a pipe, not under --json.
const showProgress = process.stdout.isTTY === true && !args.json;
const say = (line: string) => {
  if (!args.json) console.log(line);
};

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function ingest(batch: DemoMessage[]) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      },
      body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
    });
    if (res.status === 200) return;
    if (res.status !== 503 || attempt > 5) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
}

let clock: Awaited<ReturnType<typeof admin>>;
try {
  clock = await admin('GET', '/admin/v1/clock');
} catch {
  console.error(`demo: nothing answers at ${url}: start the engine first (\`npm start\`), or pass --url`);
  process.exit(1);
}
if (clock.status === 401 || clock.status === 403) {
  console.error(
    `demo: ${url} refused the admin token (${clock.status}): set RETAIN_ADMIN_TOKEN to the one \`npm start\` printed`,
  );
  process.exit(1);
}
if (clock.status !== 200) {
  console.error(`demo: ${url} is not a local Retain (GET /admin/v1/clock answered ${clock.status})`);
  process.exit(1);
}
const end = new Date(clock.body.now);
const endDay = end.toISOString().slice(0, 10);
say(`retain demo: ${customers} customers, about ${events} events over the year before ${endDay} → ${url}`);

// 1. A year of the shop, through the real ingest (batches of 500, four at a time).
const started = Date.now();
let sent = 0;
let accepted = 0;
let pending: DemoMessage[] = [];
const inFlight = new Set<Promise<void>>();
const consenting: string[] = [];
// The shop yields "about" the asked number of events: the total is an estimate until the last one is sent.
const bar = showProgress
  ? new cliProgress.SingleBar(
      {
        format: '  events {bar} {percentage}% | {value}/{total} | {rate}/s | {eta_formatted} left',
        etaBuffer: 50,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    )
  : undefined;
bar?.start(events, 0, { rate: 0 });
const flush = async () => {
  const batch = pending;
  pending = [];
  const call = ingest(batch).then(() => {
    inFlight.delete(call);
    accepted += batch.length;
    bar?.update(accepted, { rate: Math.round(accepted / Math.max((Date.now() - started) / 1000, 0.001)) });
  });
  inFlight.add(call);
  if (inFlight.size >= 4) await Promise.race(inFlight);
};
try {
  for (const messages of syntheticShop({ customers, events, end })) {
    const identify = messages[0] as unknown as {
      userId: string;
      context: { consent: { categoryPreferences: { advertising: boolean } } };
    };
    if (identify.context.consent.categoryPreferences.advertising) consenting.push(identify.userId);
    for (const message of messages) {
      pending.push(message);
      if (pending.length === 500) await flush();
    }
    sent += messages.length;
    if (bar && sent > events) bar.setTotal(sent);
  }
  if (pending.length > 0) await flush();
  await Promise.all(inFlight);
} finally {
  bar?.setTotal(accepted);
  bar?.stop();
}
const ingestSeconds = (Date.now() - started) / 1000;
say(`  ${accepted} events accepted in ${ingestSeconds.toFixed(0)} s; waiting for the pipeline …`);
await admin('POST', '/admin/v1/local/drain');

// 2. A running A/B test: two subject lines and a 10 % control group, to everyone who accepts advertising.
for (const [path, file] of [
  ['/admin/v1/templates', 'examples/templates/year-end-sale.json'],
  ['/admin/v1/segments', 'examples/segments/subscribers.json'],
] as const) {
  await admin('POST', path, JSON.parse(readFileSync(file, 'utf8')));
}
const definition = broadcastSchema.parse({
  ...JSON.parse(readFileSync('examples/broadcasts/year-end-sale.json', 'utf8')),
  id: 'demo-sale',
  ratePerMinute: 1_000_000,
});
await admin('POST', '/admin/v1/broadcasts', definition);
const sending = await admin('POST', '/admin/v1/broadcasts/demo-sale/send', {
  force: { reason: 'demo data: no seed list to test on' },
});
say(
  `  broadcast demo-sale: ${sending.status === 202 ? 'sending' : JSON.stringify(sending.body.error ?? sending.body)}`,
);
await admin('POST', '/admin/v1/clock/advance', { by: '30m' });
// A day on: sends that quiet hours held overnight have gone out by then.
await admin('POST', '/admin/v1/clock/advance', { by: '1d' });

// 3. Recipients read it as people do: about 35 % open the e-mail and about 4 % click a link (each clicker
// opened it first), through the local tracking pixel and redirects, so the open and click rates are real.
const outbox = (await admin('GET', '/admin/v1/outbox?channel=email&limit=100000')).body as {
  email: { tracking?: { open: string; clicks: { tracked: string }[] } }[];
};
const readers = seeded(11);
const hits: string[] = [];
for (const mail of outbox.email) {
  if (!mail.tracking) continue;
  const reads = readers();
  if (reads >= 0.35) continue;
  hits.push(mail.tracking.open);
  const link = mail.tracking.clicks[0];
  if (link && reads < 0.04) hits.push(link.tracked);
}
let opens = 0;
let clicks = 0;
for (let i = 0; i < hits.length; i += 20) {
  await Promise.all(
    hits.slice(i, i + 20).map(async (hit) => {
      // A click answers with a redirect to the shop; following it would leave this machine.
      const res = await fetch(hit, { redirect: 'manual' });
      await res.arrayBuffer();
      if (hit.includes('/_local/t/click/')) clicks += res.status === 302 ? 1 : 0;
      else opens += res.status === 200 ? 1 : 0;
    }),
  );
}
say(`  ${outbox.email.length} e-mails: ${opens} opened and ${clicks} clicked through the local tracking`);

// 4. Recipients buy in the day after the send: control 3 %, A 4 %, B 5.5 %.
const sentAt = Date.parse(end.toISOString());
const random = seeded(7);
const rates: Record<string, number> = { control: 0.03, A: 0.04, B: 0.055 };
const orders: DemoMessage[] = [];
for (const userId of consenting) {
  const variant = assignVariant(definition, `u:${userId}`);
  const name = variant === 'control' ? 'control' : variant.name;
  if (random() >= rates[name]) continue;
  const total = 20000 + Math.round(random() * 60000);
  orders.push({
    type: 'track',
    userId,
    messageId: `demo-after-${userId}`,
    timestamp: new Date(sentAt + 3600_000 + random() * 20 * 3600_000).toISOString(),
    event: 'Order Completed',
    properties: { order_id: `o-after-${userId}`, total, revenue: total },
  });
}
for (let i = 0; i < orders.length; i += 500) await ingest(orders.slice(i, i + 500));
await admin('POST', '/admin/v1/local/drain');

const ab = (await admin('GET', '/admin/v1/reports/ab-test?broadcastId=demo-sale')).body;
const pareto = (await admin('GET', '/admin/v1/reports/pareto')).body;
const repurchase = (await admin('GET', '/admin/v1/reports/repurchase')).body;
if (args.json) {
  const summary = {
    url,
    customers,
    events: accepted,
    ingestSeconds: Math.round(ingestSeconds),
    eventsPerSecond: Math.round(accepted / Math.max(ingestSeconds, 0.001)),
    broadcast: {
      id: 'demo-sale',
      status: sending.status,
      emails: outbox.email.length,
      opens,
      clicks,
      orders: orders.length,
    },
    abVerdict: ab.verdict,
    top20Share: pareto.top20Share,
    repurchaseRate: repurchase.repurchaseRate,
  };
  console.log(JSON.stringify(summary, null, 2));
} else {
  console.log(`  A/B: ${ab.verdict}`);
  console.log(
    `  Pareto: the top 20 % of buyers bring ${Math.round((pareto.top20Share ?? 0) * 100)} % of revenue; repurchase rate ${Math.round((repurchase.repurchaseRate ?? 0) * 100)} %`,
  );
  console.log(
    'Done. Try the reports: GET /admin/v1/reports/{message-funnel,ab-test,funnel,retention,repurchase,pareto,revenue-tree,ltv-history,rfm} (README).',
  );
}
