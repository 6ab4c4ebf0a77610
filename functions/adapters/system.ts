// The real clock and randomness, for the Lambdas and the CLI (the local runtime has an adjustable clock).

import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, RandomSource } from '../core/system/ports.js';

export const systemClock: Clock = { now: () => new Date() };

export const cryptoRandom: RandomSource = {
  secret: (bytes) => randomBytes(bytes).toString('base64url'),
  id: () => randomUUID(),
};
