// The local runtime's channel queues: delivery requests are kept (and appended to a file) for the senders.

import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeliveryRequest } from '../core/journeys/instance.js';
import type { DeliveryQueue } from '../ports.js';

export class LocalOutbox implements DeliveryQueue {
  readonly requests: DeliveryRequest[] = [];

  constructor(private readonly file?: string) {}

  async enqueue(request: DeliveryRequest): Promise<void> {
    this.requests.push(request);
    if (this.file) {
      mkdirSync(dirname(this.file), { recursive: true });
      appendFileSync(this.file, `${JSON.stringify(request)}\n`);
    }
  }
}
