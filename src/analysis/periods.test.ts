import { describe, expect, it } from 'vitest';
import { CxmError } from '../errors.js';
import { PeriodCalendar, formatLocal, formatLocalDate, parseRangeValue } from './periods.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const utc = (y: number, m: number, d: number, h = 0, mi = 0) => Date.UTC(y, m - 1, d, h, mi);
const iso = (text: string) => Date.parse(text);

describe('PeriodCalendar: ISO weeks', () => {
  const weeks = new PeriodCalendar('week', 'UTC');

  it.each([
    // [date, key, Monday the week starts on]
    ['2024-12-30', '2025-W01', '2024-12-30'], // Monday of the week holding 2 January 2025 (a Thursday)
    ['2025-01-05', '2025-W01', '2024-12-30'], // its Sunday
    ['2024-12-29', '2024-W52', '2024-12-23'],
    ['2021-01-03', '2020-W53', '2020-12-28'], // 2020 has 53 ISO weeks (it starts on a Wednesday of a leap year)
    ['2021-01-04', '2021-W01', '2021-01-04'],
    ['2026-01-01', '2026-W01', '2025-12-29'],
    ['2025-12-28', '2025-W52', '2025-12-22'],
    ['2025-02-12', '2025-W07', '2025-02-10'],
  ])('%s is in %s starting %s', (date, key, monday) => {
    const p = weeks.periodOf(iso(`${date}T12:00:00Z`));
    expect(p.key).toBe(key);
    expect(p.start).toBe(iso(`${monday}T00:00:00Z`));
    expect(p.end - p.start).toBe(7 * DAY);
  });

  it('keys a week by its Monday even when the instant is the last millisecond of Sunday', () => {
    expect(weeks.periodOf(iso('2025-01-05T23:59:59.999Z')).key).toBe('2025-W01');
    expect(weeks.periodOf(iso('2025-01-06T00:00:00Z')).key).toBe('2025-W02');
  });
});

describe('PeriodCalendar: sunday weeks', () => {
  const weeks = new PeriodCalendar('week', 'UTC', 'sunday');

  it.each([
    ['2025-02-09', '2025-02-09'], // the Sunday itself
    ['2025-02-12', '2025-02-09'], // Wednesday
    ['2025-02-15', '2025-02-09'], // Saturday
    ['2025-02-16', '2025-02-16'],
    ['2025-01-01', '2024-12-29'],
  ])('%s is in the week keyed %s', (date, sunday) => {
    const p = weeks.periodOf(iso(`${date}T08:00:00Z`));
    expect(p.key).toBe(sunday);
    expect(p.start).toBe(iso(`${sunday}T00:00:00Z`));
    expect(p.end).toBe(p.start + 7 * DAY);
  });
});

describe('PeriodCalendar: day, month, quarter and year in UTC', () => {
  const t = utc(2025, 11, 5, 15, 30);

  it('day', () => {
    expect(new PeriodCalendar('day', 'UTC').periodOf(t)).toEqual({ key: '2025-11-05', start: utc(2025, 11, 5), end: utc(2025, 11, 6) });
  });
  it('month', () => {
    expect(new PeriodCalendar('month', 'UTC').periodOf(t)).toEqual({ key: '2025-11', start: utc(2025, 11, 1), end: utc(2025, 12, 1) });
    expect(new PeriodCalendar('month', 'UTC').periodOf(utc(2025, 12, 31, 23, 59))).toEqual({ key: '2025-12', start: utc(2025, 12, 1), end: utc(2026, 1, 1) });
    expect(new PeriodCalendar('month', 'UTC').periodOf(utc(2024, 2, 29, 12))).toEqual({ key: '2024-02', start: utc(2024, 2, 1), end: utc(2024, 3, 1) });
  });
  it('quarter', () => {
    const q = new PeriodCalendar('quarter', 'UTC');
    expect(q.periodOf(t)).toEqual({ key: '2025-Q4', start: utc(2025, 10, 1), end: utc(2026, 1, 1) });
    expect(q.periodOf(utc(2025, 1, 1))).toEqual({ key: '2025-Q1', start: utc(2025, 1, 1), end: utc(2025, 4, 1) });
    expect(q.periodOf(utc(2025, 6, 30, 23))).toEqual({ key: '2025-Q2', start: utc(2025, 4, 1), end: utc(2025, 7, 1) });
    expect(q.periodOf(utc(2025, 7, 1))).toEqual({ key: '2025-Q3', start: utc(2025, 7, 1), end: utc(2025, 10, 1) });
  });
  it('year', () => {
    expect(new PeriodCalendar('year', 'UTC').periodOf(t)).toEqual({ key: '2025', start: utc(2025, 1, 1), end: utc(2026, 1, 1) });
  });
});

describe('PeriodCalendar in Europe/Madrid', () => {
  const zone = 'Europe/Madrid';

  it('a month bucket starts at local midnight (2025-04-01T00:00+02:00)', () => {
    const p = new PeriodCalendar('month', zone).periodOf(iso('2025-04-15T12:00:00Z'));
    expect(p.key).toBe('2025-04');
    expect(p.start).toBe(iso('2025-04-01T00:00:00+02:00'));
    expect(p.start).toBe(utc(2025, 3, 31, 22));
    expect(p.end).toBe(iso('2025-05-01T00:00:00+02:00'));
  });

  it('an instant late on the last UTC day of a month is already next month in Madrid', () => {
    const t = iso('2025-03-31T22:30:00Z'); // 00:30 on 1 April in Madrid
    expect(new PeriodCalendar('month', zone).periodOf(t).key).toBe('2025-04');
    expect(new PeriodCalendar('month', 'UTC').periodOf(t).key).toBe('2025-03');
    expect(new PeriodCalendar('day', zone).periodOf(t).key).toBe('2025-04-01');
  });

  it('the March month (which holds the spring-forward) starts at +01:00 and ends at +02:00', () => {
    const p = new PeriodCalendar('month', zone).periodOf(iso('2025-03-15T12:00:00Z'));
    expect(p.start).toBe(iso('2025-03-01T00:00:00+01:00'));
    expect(p.end).toBe(iso('2025-04-01T00:00:00+02:00'));
    expect(p.end - p.start).toBe(31 * DAY - HOUR);
  });

  it('quarter and year start at local midnight', () => {
    const q = new PeriodCalendar('quarter', zone).periodOf(iso('2025-11-05T12:00:00Z'));
    expect(q).toEqual({ key: '2025-Q4', start: iso('2025-10-01T00:00:00+02:00'), end: iso('2026-01-01T00:00:00+01:00') });
    const y = new PeriodCalendar('year', zone).periodOf(iso('2024-12-31T23:30:00Z')); // already 2025 in Madrid
    expect(y).toEqual({ key: '2025', start: utc(2024, 12, 31, 23), end: utc(2025, 12, 31, 23) });
  });

  it('a week starts at local Monday midnight', () => {
    const w = new PeriodCalendar('week', zone).periodOf(iso('2025-01-05T23:30:00Z')); // Monday 00:30 in Madrid
    expect(w.key).toBe('2025-W02');
    expect(w.start).toBe(iso('2025-01-06T00:00:00+01:00'));
  });

  it('DST days are 23 and 25 hours long', () => {
    const days = new PeriodCalendar('day', zone);
    const spring = days.periodOf(iso('2025-03-30T12:00:00Z'));
    expect(spring.key).toBe('2025-03-30');
    expect(spring.start).toBe(iso('2025-03-30T00:00:00+01:00'));
    expect(spring.end - spring.start).toBe(23 * HOUR);
    const autumn = days.periodOf(iso('2025-10-26T12:00:00Z'));
    expect(autumn.key).toBe('2025-10-26');
    expect(autumn.start).toBe(iso('2025-10-26T00:00:00+02:00'));
    expect(autumn.end - autumn.start).toBe(25 * HOUR);
    const ordinary = days.periodOf(iso('2025-10-27T12:00:00Z'));
    expect(ordinary.end - ordinary.start).toBe(24 * HOUR);
  });
});

describe('PeriodCalendar.periodsBetween', () => {
  it('lists every period, empty ones included, from the one holding start to the one holding end - 1', () => {
    const months = new PeriodCalendar('month', 'UTC').periodsBetween(utc(2025, 1, 15), utc(2025, 4, 2));
    expect(months.map((p) => p.key)).toEqual(['2025-01', '2025-02', '2025-03', '2025-04']);
    // contiguous: each period ends where the next starts
    for (let i = 1; i < months.length; i++) expect(months[i]!.start).toBe(months[i - 1]!.end);
  });

  it('an exclusive end on a boundary does not open the next period', () => {
    const months = new PeriodCalendar('month', 'UTC').periodsBetween(utc(2025, 1, 1), utc(2025, 3, 1));
    expect(months.map((p) => p.key)).toEqual(['2025-01', '2025-02']);
  });

  it('weeks across new year', () => {
    const weeks = new PeriodCalendar('week', 'UTC').periodsBetween(utc(2024, 12, 20), utc(2025, 1, 8));
    expect(weeks.map((p) => p.key)).toEqual(['2024-W51', '2024-W52', '2025-W01', '2025-W02']);
  });

  it('Madrid days across the spring-forward', () => {
    const days = new PeriodCalendar('day', 'Europe/Madrid').periodsBetween(iso('2025-03-29T10:00:00+01:00'), iso('2025-03-31T10:00:00+02:00'));
    expect(days.map((p) => p.key)).toEqual(['2025-03-29', '2025-03-30', '2025-03-31']);
    expect(days.map((p) => (p.end - p.start) / HOUR)).toEqual([24, 23, 24]);
  });

  it('an empty or inverted range has no periods', () => {
    const cal = new PeriodCalendar('day', 'UTC');
    expect(cal.periodsBetween(utc(2025, 1, 1), utc(2025, 1, 1))).toEqual([]);
    expect(cal.periodsBetween(utc(2025, 1, 2), utc(2025, 1, 1))).toEqual([]);
  });
});

describe('parseRangeValue', () => {
  const now = iso('2025-06-04T10:00:00Z'); // a Wednesday

  it('an absolute date is local midnight in the zone', () => {
    expect(parseRangeValue('2025-03-01', now, 'UTC')).toEqual({ at: utc(2025, 3, 1), periodEnd: null });
    expect(parseRangeValue('2025-03-01', now, 'Europe/Madrid')).toEqual({ at: iso('2025-03-01T00:00:00+01:00'), periodEnd: null });
    expect(parseRangeValue(' 2025-03-01 ', now, 'UTC').at).toBe(utc(2025, 3, 1));
  });

  it('date-times, with and without an offset', () => {
    expect(parseRangeValue('2025-03-01T09:00', now, 'Europe/Madrid').at).toBe(iso('2025-03-01T09:00:00+01:00'));
    expect(parseRangeValue('2025-07-01 09:30:15', now, 'Europe/Madrid').at).toBe(iso('2025-07-01T09:30:15+02:00'));
    expect(parseRangeValue('2025-03-01T09:00Z', now, 'Europe/Madrid').at).toBe(utc(2025, 3, 1, 9));
    expect(parseRangeValue('2025-03-01T09:00+05:30', now, 'UTC').at).toBe(utc(2025, 3, 1, 3, 30));
    expect(parseRangeValue('2025-03-01T09:00-0300', now, 'UTC').at).toBe(utc(2025, 3, 1, 12));
  });

  it('last-week with --now 2025-06-04T10:00 in UTC is the week 2025-05-26..2025-06-02', () => {
    expect(parseRangeValue('last-week', now, 'UTC')).toEqual({ at: utc(2025, 5, 26), periodEnd: utc(2025, 6, 2) });
    expect(parseRangeValue('previous-week', now, 'UTC')).toEqual({ at: utc(2025, 5, 26), periodEnd: utc(2025, 6, 2) });
    expect(parseRangeValue('LAST-WEEK', now, 'UTC')).toEqual({ at: utc(2025, 5, 26), periodEnd: utc(2025, 6, 2) });
  });

  it('last-week with sunday weeks', () => {
    // the current Sunday week started on 1 June; the one before on 25 May
    expect(parseRangeValue('last-week', now, 'UTC', 'sunday')).toEqual({ at: utc(2025, 5, 25), periodEnd: utc(2025, 6, 1) });
  });

  it('last-month, this-month, this-week, last-quarter, last-year', () => {
    expect(parseRangeValue('last-month', now, 'UTC')).toEqual({ at: utc(2025, 5, 1), periodEnd: utc(2025, 6, 1) });
    expect(parseRangeValue('this-month', now, 'UTC')).toEqual({ at: utc(2025, 6, 1), periodEnd: utc(2025, 7, 1) });
    expect(parseRangeValue('this-week', now, 'UTC')).toEqual({ at: utc(2025, 6, 2), periodEnd: utc(2025, 6, 9) });
    expect(parseRangeValue('last-quarter', now, 'UTC')).toEqual({ at: utc(2025, 1, 1), periodEnd: utc(2025, 4, 1) });
    expect(parseRangeValue('last-year', now, 'UTC')).toEqual({ at: utc(2024, 1, 1), periodEnd: utc(2025, 1, 1) });
  });

  it('last-month in Madrid is bounded by local midnights', () => {
    expect(parseRangeValue('last-month', now, 'Europe/Madrid')).toEqual({
      at: iso('2025-05-01T00:00:00+02:00'),
      periodEnd: iso('2025-06-01T00:00:00+02:00'),
    });
  });

  it('today and yesterday', () => {
    expect(parseRangeValue('today', now, 'UTC')).toEqual({ at: utc(2025, 6, 4), periodEnd: utc(2025, 6, 5) });
    expect(parseRangeValue('yesterday', now, 'UTC')).toEqual({ at: utc(2025, 6, 3), periodEnd: utc(2025, 6, 4) });
    // 23:30 UTC on 3 June is already 4 June in Madrid
    expect(parseRangeValue('yesterday', iso('2025-06-03T23:30:00Z'), 'Europe/Madrid')).toEqual({
      at: iso('2025-06-03T00:00:00+02:00'),
      periodEnd: iso('2025-06-04T00:00:00+02:00'),
    });
  });

  it('last-30d and last-4w count today as the last day', () => {
    // 6 May .. 4 June inclusive is 30 days
    expect(parseRangeValue('last-30d', now, 'UTC')).toEqual({ at: utc(2025, 5, 6), periodEnd: null });
    expect(parseRangeValue('last-1d', now, 'UTC')).toEqual({ at: utc(2025, 6, 4), periodEnd: null });
    expect(parseRangeValue('last-4w', now, 'UTC')).toEqual({ at: utc(2025, 5, 8), periodEnd: null });
  });

  it('last-6m and last-1y start the day after the same date n months back', () => {
    expect(parseRangeValue('last-6m', now, 'UTC')).toEqual({ at: utc(2024, 12, 5), periodEnd: null });
    expect(parseRangeValue('last-1y', now, 'UTC')).toEqual({ at: utc(2024, 6, 5), periodEnd: null });
    expect(parseRangeValue('last-1m', iso('2025-03-15T12:00:00Z'), 'UTC').at).toBe(utc(2025, 2, 16));
  });

  it('last-1m at the end of a month does not skip into the current month', () => {
    // one month before 31 March is the end of February; the range starts on 1 March
    expect(parseRangeValue('last-1m', iso('2025-03-31T12:00:00Z'), 'UTC').at).toBe(utc(2025, 3, 1));
    expect(parseRangeValue('last-6m', iso('2025-08-31T12:00:00Z'), 'UTC').at).toBe(utc(2025, 3, 1));
    expect(parseRangeValue('last-1y', iso('2024-02-29T12:00:00Z'), 'UTC').at).toBe(utc(2023, 3, 1));
  });

  it('ytd and mtd', () => {
    expect(parseRangeValue('ytd', now, 'UTC')).toEqual({ at: utc(2025, 1, 1), periodEnd: null });
    expect(parseRangeValue('mtd', now, 'UTC')).toEqual({ at: utc(2025, 6, 1), periodEnd: null });
    expect(parseRangeValue('ytd', now, 'Europe/Madrid').at).toBe(iso('2025-01-01T00:00:00+01:00'));
  });

  it.each(['', 'tomorrow', 'last-weeks', 'last-week-ish', 'next-month', 'last-30x', 'last-12345d', '2025-02-30', '2025-13-01', '2025-1-1', '01/03/2025', '2025-03-01T25:00'])(
    'rejects %j with INVALID_OPTION naming the option',
    (value) => {
      let error: unknown;
      try {
        parseRangeValue(value, now, 'UTC', 'monday', '--until');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CxmError);
      expect((error as CxmError).code).toBe('INVALID_OPTION');
      expect((error as CxmError).exitCode).toBe(2);
      expect((error as CxmError).message).toContain('--until');
      expect((error as CxmError).message).toContain(JSON.stringify(value));
    },
  );

  it('an unknown time zone is INVALID_OPTION', () => {
    expect(() => parseRangeValue('last-week', now, 'Europe/Madird')).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('formatLocal', () => {
  it('writes the local time with its offset', () => {
    expect(formatLocal(utc(2025, 3, 31, 22), 'Europe/Madrid')).toBe('2025-04-01T00:00:00+02:00');
    expect(formatLocal(utc(2025, 1, 15, 8, 5), 'Europe/Madrid')).toBe('2025-01-15T09:05:00+01:00');
    expect(formatLocal(utc(2025, 1, 15, 8, 5), 'UTC')).toBe('2025-01-15T08:05:00Z');
    expect(formatLocal(utc(2025, 1, 15, 8, 5), 'America/New_York')).toBe('2025-01-15T03:05:00-05:00');
    expect(formatLocal(utc(2025, 1, 15, 8, 5), 'Asia/Kolkata')).toBe('2025-01-15T13:35:00+05:30');
    expect(formatLocal(utc(2025, 7, 1, 12), 'America/St_Johns')).toBe('2025-07-01T09:30:00-02:30');
  });

  it('round-trips with Date.parse', () => {
    const t = utc(2025, 10, 26, 0, 30); // 02:30 CEST, before the clocks go back
    expect(Date.parse(formatLocal(t, 'Europe/Madrid'))).toBe(t);
    expect(Date.parse(formatLocal(t + HOUR, 'Europe/Madrid'))).toBe(t + HOUR); // 02:30 CET
    expect(formatLocal(t, 'Europe/Madrid')).toBe('2025-10-26T02:30:00+02:00');
    expect(formatLocal(t + HOUR, 'Europe/Madrid')).toBe('2025-10-26T02:30:00+01:00');
  });

  it('formatLocalDate gives the local calendar date', () => {
    expect(formatLocalDate(iso('2025-03-31T22:30:00Z'), 'Europe/Madrid')).toBe('2025-04-01');
    expect(formatLocalDate(iso('2025-03-31T22:30:00Z'), 'UTC')).toBe('2025-03-31');
  });
});
