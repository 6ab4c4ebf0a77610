// Wall-clock times in the customer's time zone: "next 10:00", "next Monday 09:30".

import { DateTime } from 'luxon';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The first instant strictly after `now` at `time` (HH:MM) local to `zone`, on `weekday` if given.
 * A local time skipped by a DST change resolves to the instant after the gap, as luxon does.
 */
export function nextLocalTime(now: Date, zone: string, time: string, weekday?: Weekday): Date {
  const [hour, minute] = time.split(':').map(Number);
  const local = DateTime.fromJSDate(now, { zone });
  let candidate = local.set({ hour, minute, second: 0, millisecond: 0 });
  if (weekday) {
    const target = WEEKDAYS.indexOf(weekday) + 1; // luxon: Monday = 1
    candidate = candidate.plus({ days: (target - candidate.weekday + 7) % 7 });
    if (candidate <= local) candidate = candidate.plus({ weeks: 1 });
  } else if (candidate <= local) {
    candidate = candidate.plus({ days: 1 });
  }
  return candidate.toJSDate();
}
