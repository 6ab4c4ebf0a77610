// What core asks of the system it runs on: the time and unguessable randomness.

export interface Clock {
  now(): Date;
}

/** Random, unguessable strings: secrets for keys and ids for messages that came without one. */
export interface RandomSource {
  secret(bytes: number): string;
  id(): string;
}
