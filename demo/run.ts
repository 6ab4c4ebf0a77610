// `npm run demo`: fills a running local engine (`npm start`) through the real ingest with the synthetic
// shop — about 20,000 customers and 1,000,000 events over a year — then runs an A/B broadcast with a control
// group whose recipients go on to buy (more for one variant), so every report has something true to show.

import { readFileSync } from 'node:fs';
import { assignVariant, broadcastSchema } from '../functions/core/broadcasts/broadcast.js';
import { seeded, syntheticShop, type DemoMessage } from './syntheticShop.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const url = (process.env.RETAIN_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const writeKey = process.env.RETAIN_WRITE_KEY;
const adminToken = process.env.RETAIN_ADMIN_TOKEN;
if (!writeKey || !adminToken) {
  console.error('Set RETAIN_WRITE_KEY and RETAIN_ADMIN_TOKEN to the keys `npm start` printed (or started with).');
  process.exit(1);
}
const customers = arg('customers', 20_000);
const events = arg('events', 1_000_000);

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function ingest(batch: DemoMessage[]) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ batch, sentAt: new Date().toISOString() }),
    });
    if (res.status === 200) return;
    if (res.status !== 503 || attempt > 5) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 500 * attempt));
  }
}

const clock = await admin('GET', '/admin/v1/clock');
if (clock.status !== 200) throw new Error(`is the local engine running at ${url}? (${clock.status})`);
const end = new Date(clock.body.now);
console.log(`retain demo: ${customers} customers, about ${events} events over the year before ${end.toISOString().slice(0, 10)} → ${url}`);

// 1. A year of the shop, through the real ingest (batches of 500, four at a time).
const started = Date.now();
let sent = 0;
let pending: DemoMessage[] = [];
const inFlight = new Set<Promise<void>>();
const consenting: string[] = [];
const flush = async () => {
  const batch = pending;
  pending = [];
  const call = ingest(batch).then(() => void inFlight.delete(call));
  inFlight.add(call);
  if (inFlight.size >= 4) await Promise.race(inFlight);
};
for (const messages of syntheticShop({ customers, events, end })) {
  const identify = messages[0] as unknown as { userId: string; context: { consent: { categoryPreferences: { advertising: boolean } } } };
  if (identify.context.consent.categoryPreferences.advertising) consenting.push(identify.userId);
  for (const message of messages) {
    pending.push(message);
    if (pending.length === 500) await flush();
  }
  sent += messages.length;
  if (sent % 100_000 < messages.length) console.log(`  ${sent} events sent (${Math.round(sent / ((Date.now() - started) / 1000))}/s)`);
}
if (pending.length > 0) await flush();
await Promise.all(inFlight);
console.log(`  ${sent} events accepted in ${((Date.now() - started) / 1000).toFixed(0)} s; waiting for the pipeline …`);
await admin('POST', '/admin/v1/local/drain');

// 2. A running A/B test: two subject lines and a 10 % control group, to everyone who accepts advertising.
for (const [path, file] of [['/admin/v1/templates', 'examples/templates/year-end-sale.json'], ['/admin/v1/segments', 'examples/segments/subscribers.json']] as const) {
  await admin('POST', path, JSON.parse(readFileSync(file, 'utf8')));
}
const definition = broadcastSchema.parse({ ...JSON.parse(readFileSync('examples/broadcasts/year-end-sale.json', 'utf8')), id: 'demo-sale', ratePerMinute: 1_000_000 });
await admin('POST', '/admin/v1/broadcasts', definition);
const sending = await admin('POST', '/admin/v1/broadcasts/demo-sale/send', { force: { reason: 'demo data: no seed list to test on' } });
console.log(`  broadcast demo-sale: ${sending.status === 202 ? 'sending' : JSON.stringify(sending.body.error ?? sending.body)}`);
await admin('POST', '/admin/v1/clock/advance', { by: '30m' });
await admin('POST', '/admin/v1/clock/advance', { by: '1d' });

// 3. Recipients buy in the day after the send: control 3 %, A 4 %, B 5.5 %.
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
console.log(`  A/B: ${ab.verdict}`);
console.log(`  Pareto: the top 20 % of buyers bring ${Math.round((pareto.top20Share ?? 0) * 100)} % of revenue; repurchase rate ${Math.round((repurchase.repurchaseRate ?? 0) * 100)} %`);
console.log('Done. Try the reports: GET /admin/v1/reports/{message-funnel,ab-test,funnel,retention,repurchase,pareto,revenue-tree,ltv-history,rfm} (README).');
