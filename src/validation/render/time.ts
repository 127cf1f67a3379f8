/** The fields of a time on Vietnam's clocks. */
export interface VietnamTime {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

// Vietnam has kept UTC+07:00 without daylight saving since 1975, long before any signature kyso reads; plain
// arithmetic gives the same fields as an Intl formatter for Asia/Ho_Chi_Minh without its ~20 ms set-up at start.
const OFFSET_MS = 7 * 3600 * 1000;
const two = (n: number) => String(n).padStart(2, '0');

/** `d` as read on a clock in Vietnam (UTC+07:00), field by field, for the catalogues to arrange. */
export function vietnamTime(d: Date): VietnamTime {
  const t = new Date(d.getTime() + OFFSET_MS);
  return {
    year: String(t.getUTCFullYear()),
    month: two(t.getUTCMonth() + 1),
    day: two(t.getUTCDate()),
    hour: two(t.getUTCHours()),
    minute: two(t.getUTCMinutes()),
    second: two(t.getUTCSeconds()),
  };
}
