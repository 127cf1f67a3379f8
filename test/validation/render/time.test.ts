import { describe, expect, it } from 'vitest';
import { vietnamTime } from '../../../src/validation/render/time.js';

describe('vietnamTime', () => {
  it('reads the same fields as an Intl formatter for Asia/Ho_Chi_Minh, from 1976 to 2100', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    const start = Date.UTC(1976, 0, 1);
    const end = Date.UTC(2100, 0, 1);
    const step = (end - start) / 5000;
    for (let i = 0; i <= 5000; i++) {
      // odd offsets land on every hour of the day and on month and year boundaries in Vietnam
      const d = new Date(Math.floor(start + i * step + i * 3_599_999));
      const parts = Object.fromEntries(intl.formatToParts(d).map((p) => [p.type, p.value]));
      const { year, month, day, hour, minute, second } = parts;
      expect(vietnamTime(d), d.toISOString()).toEqual({ year, month, day, hour, minute, second });
    }
  });

  it('turns the day at 17:00 UTC', () => {
    expect(vietnamTime(new Date('2026-12-31T16:59:59Z'))).toMatchObject({ year: '2026', day: '31', hour: '23' });
    expect(vietnamTime(new Date('2026-12-31T17:00:00Z'))).toMatchObject({
      year: '2027',
      month: '01',
      day: '01',
      hour: '00',
    });
  });
});
