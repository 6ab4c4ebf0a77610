// The local runtime's dead letters: counted per queue for Home, and kept one line each under the data folder.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalDeadLetters } from '../../functions/adapters/local/LocalDeadLetters.js';
import { LocalQueue } from '../../functions/adapters/local/LocalQueue.js';

const clock = { now: () => new Date('2026-12-07T01:00:00.000Z') };

describe('LocalDeadLetters', () => {
  it('counts what each queue kept after its receives and writes it to dead-letters/<queue>.ndjson', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'retain-dead-letters-')), 'dead-letters');
    const deadLetters = new LocalDeadLetters(clock, dir);
    let receives = 0;
    const chunks = new LocalQueue<{ n: number }>('import-chunks', async (event) => {
      receives++;
      // Odd bodies fail every receive.
      return {
        batchItemFailures: event.Records.filter((r) => JSON.parse(r.body).n % 2 === 1).map((r) => ({
          itemIdentifier: r.messageId,
        })),
      };
    });
    deadLetters.follow(chunks);
    deadLetters.watch(() => [{ queue: 'process-events' }]);
    for (const n of [1, 2, 3]) await chunks.send({ n });
    await chunks.drain();
    expect(receives).toBe(3 + 2 * 2);
    expect(await deadLetters.counts()).toEqual([
      { queue: 'import-chunks', messages: 2 },
      { queue: 'process-events', messages: 1 },
    ]);
    const lines = readFileSync(join(dir, 'import-chunks.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { at: '2026-12-07T01:00:00.000Z', queue: 'import-chunks', attempts: 3, body: { n: 1 } },
      { at: '2026-12-07T01:00:00.000Z', queue: 'import-chunks', attempts: 3, body: { n: 3 } },
    ]);
  });
});
