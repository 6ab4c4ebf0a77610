// The local runtime's dead letters: counted per queue as the console's Home shows them (since this start), and
// with a data folder written one line each to dead-letters/<queue>.ndjson, where an operator reads them.

import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DeadLetterBacklog, DeadLetterCount } from '../../core/metrics/ports.js';
import type { Clock } from '../../core/system/ports.js';
import type { DeadLetter } from './LocalQueue.js';

type Source = () => readonly { queue: string }[];

export class LocalDeadLetters implements DeadLetterBacklog {
  private readonly sources: Source[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly dir?: string,
  ) {}

  /** A queue (or the stream poller) whose dead letters count; the runtime adds each once it has made it. */
  watch(source: Source): void {
    this.sources.push(source);
  }

  /** A local queue or the scheduler: its dead letters count and each is kept in its file as it dies. */
  follow(queue: { readonly deadLetters: readonly DeadLetter[]; onDeadLetter: (letter: DeadLetter) => void }): void {
    this.watch(() => queue.deadLetters);
    queue.onDeadLetter = (letter) => this.keep(letter);
  }

  /** Writes a dead letter of a queue beside the stream poller's (which writes its own). */
  keep(letter: DeadLetter): void {
    if (!this.dir) return;
    mkdirSync(this.dir, { recursive: true });
    const line = {
      at: this.clock.now().toISOString(),
      queue: letter.queue,
      attempts: letter.attempts,
      body: letter.body,
    };
    appendFileSync(join(this.dir, `${letter.queue}.ndjson`), `${JSON.stringify(line)}\n`);
  }

  async counts(): Promise<DeadLetterCount[]> {
    const byQueue = new Map<string, number>();
    for (const source of this.sources)
      for (const { queue } of source()) byQueue.set(queue, (byQueue.get(queue) ?? 0) + 1);
    return [...byQueue].map(([queue, messages]) => ({ queue, messages }));
  }
}
