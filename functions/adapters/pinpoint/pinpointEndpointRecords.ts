// Reads an Amazon Pinpoint endpoint export (JSON lines, plain or gzipped) as a stream of imported customers.

import { createInterface } from 'node:readline';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ImportedCustomer, RefusedRecord } from '../../core/imports/importedCustomer.js';
import {
  convertPinpointEndpoint,
  type PinpointAdvertisingProof,
  type PinpointEndpointTally,
} from '../../core/imports/pinpointEndpoints.js';

/** gzip's magic number: Pinpoint's exports to S3 are gzipped; the console's download is not. */
const isGzip = (head: Uint8Array) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

async function* bytes(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) yield chunk;
}

/** The source's bytes, gunzipped when they start with gzip's magic number (several members, as `cat` makes, too). */
async function plain(source: AsyncIterable<Uint8Array>): Promise<Readable> {
  const iterator = bytes(source);
  const first = await iterator.next();
  const head = first.done ? new Uint8Array() : first.value;
  const rest = Readable.from(
    (async function* () {
      yield head;
      yield* iterator;
    })(),
  );
  // pipeline, not pipe: a failing source must fail the reader's iteration, not go unhandled.
  return isGzip(head) ? pipeline(rest, createGunzip(), () => undefined) : rest;
}

export type PinpointReadOptions = { tally: PinpointEndpointTally; advertising?: PinpointAdvertisingProof };

/** Every non-empty line of the export as a customer or a refusal; `record` is the line number. */
export async function* pinpointEndpointRecords(
  source: AsyncIterable<Uint8Array>,
  options: PinpointReadOptions,
): AsyncGenerator<ImportedCustomer | RefusedRecord> {
  const lines = createInterface({ input: await plain(source), crlfDelay: Number.POSITIVE_INFINITY });
  let record = 0;
  for await (const line of lines) {
    record++;
    const text = record === 1 ? line.replace(/^\uFEFF/, '') : line;
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      yield { record, reason: 'not a JSON object (an export has one endpoint per line)' };
      continue;
    }
    yield convertPinpointEndpoint(parsed, record, options.tally, options.advertising);
  }
}
