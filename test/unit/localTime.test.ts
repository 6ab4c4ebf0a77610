import { describe, expect, it } from 'vitest';
import { nextLocalTime } from '../../functions/core/time/localTime.js';
import { parseDuration } from '../../functions/core/time/duration.js';

describe('time', () => {
  it("finds the next 10:00 in the customer's zone", () => {
    // 2026-11-23 09:00 in Seoul is 00:00 UTC: 10:00 is the same day.
    expect(nextLocalTime(new Date('2026-11-23T00:00:00Z'), 'Asia/Seoul', '10:00').toISOString()).toBe(
      '2026-11-23T01:00:00.000Z',
    );
    // 11:00 in Seoul: tomorrow's 10:00.
    expect(nextLocalTime(new Date('2026-11-23T02:00:00Z'), 'Asia/Seoul', '10:00').toISOString()).toBe(
      '2026-11-24T01:00:00.000Z',
    );
    expect(nextLocalTime(new Date('2026-11-23T02:00:00Z'), 'America/New_York', '10:00').toISOString()).toBe(
      '2026-11-23T15:00:00.000Z',
    );
  });

  it('finds the next weekday at a time, a week later if that moment has passed', () => {
    // Monday 2026-11-23, 09:00 Seoul.
    expect(nextLocalTime(new Date('2026-11-23T00:00:00Z'), 'Asia/Seoul', '09:30', 'monday').toISOString()).toBe(
      '2026-11-23T00:30:00.000Z',
    );
    expect(nextLocalTime(new Date('2026-11-23T01:00:00Z'), 'Asia/Seoul', '09:30', 'monday').toISOString()).toBe(
      '2026-11-30T00:30:00.000Z',
    );
    expect(nextLocalTime(new Date('2026-11-23T00:00:00Z'), 'Asia/Seoul', '20:00', 'friday').toISOString()).toBe(
      '2026-11-27T11:00:00.000Z',
    );
  });

  it('parses durations and refuses what is not one', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('1w')).toBeUndefined();
    expect(parseDuration('h')).toBeUndefined();
  });
});
