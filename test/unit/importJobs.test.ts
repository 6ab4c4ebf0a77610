// An import job's pure parts: records grouped into chunks by count and by size, and an upload's state.

import { describe, expect, it } from 'vitest';
import {
  chunkRecords,
  fileOrderChunks,
  repeatedCustomers,
  uploadState,
} from '../../functions/core/imports/importJobs.js';
import type { ImportedCustomer, RefusedRecord } from '../../functions/core/imports/importedCustomer.js';

async function* records(n: number, traitBytes = 0): AsyncGenerator<ImportedCustomer | RefusedRecord> {
  for (let i = 2; i < n + 2; i++) {
    if (i % 10 === 0) yield { record: i, reason: 'no userId' };
    else yield { record: i, userId: `u-${i}`, pushTokens: [], traits: { note: 'x'.repeat(traitBytes) }, consents: [] };
  }
}

async function all<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('chunkRecords', () => {
  it('keeps file order, refusals beside customers, at most the count per chunk', async () => {
    const chunks = await all(chunkRecords(records(1201), 500, 1_000_000));
    expect(chunks.map((c) => c.records.length + c.refused.length)).toEqual([500, 500, 201]);
    expect(chunks[0].records[0].record).toBe(2);
    expect(chunks[0].refused[0]).toEqual({ record: 10, reason: 'no userId' });
    expect(chunks.at(-1)!.records.at(-1)!.record).toBe(1202);
  });

  it('starts a new chunk before one would pass the byte limit, and never leaves a chunk empty', async () => {
    const chunks = await all(chunkRecords(records(50, 1000), 500, 10_000));
    for (const chunk of chunks) {
      expect(Buffer.byteLength(JSON.stringify(chunk))).toBeLessThan(10_500);
      expect(chunk.records.length + chunk.refused.length).toBeGreaterThan(0);
    }
    expect(chunks.reduce((n, c) => n + c.records.length + c.refused.length, 0)).toBe(50);
    // One record larger than the limit still travels, alone.
    expect(await all(chunkRecords(records(1, 20_000), 500, 10_000))).toHaveLength(1);
    expect(await all(chunkRecords(records(0), 500, 10_000))).toEqual([]);
  });
});

describe('uploadState', () => {
  it('is applying until every chunk the file made is applied', () => {
    expect(uploadState({ encoding: 'auto', status: 'waiting-for-file' }, 0)).toBe('waiting-for-file');
    expect(uploadState({ encoding: 'auto', status: 'reading', chunks: 3 }, 3)).toBe('reading');
    expect(uploadState({ encoding: 'auto', status: 'read', chunks: 3 }, 2)).toBe('applying');
    expect(uploadState({ encoding: 'auto', status: 'read', chunks: 3 }, 3)).toBe('done');
    expect(uploadState({ encoding: 'auto', status: 'read', chunks: 0 }, 0)).toBe('done');
    expect(uploadState({ encoding: 'auto', status: 'failed', error: 'x' }, 0)).toBe('failed');
  });
});

describe('fileOrderChunks', () => {
  const customer = (record: number, userId: string): ImportedCustomer => ({
    record,
    userId,
    pushTokens: [],
    traits: {},
    consents: [],
  });
  async function* rows(): AsyncGenerator<ImportedCustomer | RefusedRecord> {
    for (let i = 2; i <= 11; i++) yield customer(i, `u-${i}`);
    yield customer(12, 'u-3');
    yield { record: 13, reason: 'no userId' };
    yield customer(14, 'u-3');
    yield customer(15, 'u-9');
  }

  it('keeps each repeated customer’s rows together, in file order, after the others', async () => {
    const repeated = await repeatedCustomers(rows());
    expect([...repeated].sort()).toEqual(['u:u-3', 'u:u-9']);
    const chunks = await all(fileOrderChunks(rows(), repeated, 4, 1_000_000));
    const numbers = chunks.map((c) => [...c.records, ...c.refused].map((r) => r.record));
    // u-3's three rows and u-9's two do not fit one chunk of four: a group is never split to fill one.
    expect(numbers).toEqual([[2, 4, 5, 6], [7, 8, 10, 11], [13], [3, 12, 14], [9, 15]]);
    // Every row travels once.
    expect(numbers.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 14 }, (_, i) => i + 2));
  });
});
