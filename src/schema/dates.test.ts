import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../sources/types.js';
import {
  DateOrderDecider,
  combineDateAndTime,
  dateFormat,
  dateParser,
  daysInMonth,
  expandTwoDigitYear,
  inferDateFormat,
  parseDate,
  parseTimeOfDay,
  type DateFormat,
} from './dates.js';
import { epochToLocalParts, getZone } from './timezone.js';
import { invalid, isInvalid } from './values.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);
const YMD = dateFormat('ymd');
const DMY = dateFormat('dmy');
const MDY = dateFormat('mdy');
const NAMES = dateFormat('month-name');

function expectDates(format: DateFormat, cases: [Cell, number][], zone = 'UTC'): void {
  for (const [value, expected] of cases) {
    const got = parseDate(value, format, zone);
    expect(got, `${String(value)} as ${format.label}`).toBe(expected);
  }
}

function expectReasons(format: DateFormat, cases: [Cell, string][]): void {
  for (const [value, reason] of cases) expect(parseDate(value, format), String(value)).toEqual(invalid(reason));
}

describe('dateFormat', () => {
  it('labels formats and their order', () => {
    expect(dateFormat('dmy')).toEqual({ kind: 'dmy', order: 'dmy', label: 'dd/mm/yyyy' });
    expect(dateFormat('mdy', { serials: true })).toEqual({ kind: 'mdy', order: 'mdy', label: 'mm/dd/yyyy or Excel serial', serials: true });
    expect(dateFormat('ymd', { shortYear: true })).toEqual({ kind: 'ymd', order: 'ymd', label: 'yy-mm-dd', shortYear: true });
    expect(dateFormat('excel', { serials: true })).toEqual({ kind: 'excel', label: 'Excel serial' });
    expect(dateFormat('epoch-ms').label).toBe('epoch milliseconds');
  });

  it('pivots two-digit years at 69 and knows month lengths', () => {
    expect([0, 24, 68, 69, 99].map(expandTwoDigitYear)).toEqual([2000, 2024, 2068, 1969, 1999]);
    expect([daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(1900, 2), daysInMonth(2000, 2), daysInMonth(2025, 4), daysInMonth(2025, 12)]).toEqual([29, 28, 28, 29, 30, 31]);
  });
});

describe('parseDate: ISO 8601 and year-first', () => {
  it('reads dates, times, fractions and offsets', () => {
    expectDates(YMD, [
      ['2025-12-31', utc(2025, 12, 31)],
      ['2025-1-5', utc(2025, 1, 5)],
      ['2025/12/31', utc(2025, 12, 31)],
      ['2025.12.31', utc(2025, 12, 31)],
      ['2025-12-31 23:59', utc(2025, 12, 31, 23, 59)],
      ['2025-12-31T23:59', utc(2025, 12, 31, 23, 59)],
      ['2025-12-31 23:59:58', utc(2025, 12, 31, 23, 59, 58)],
      ['2025-12-31T23:59:58', utc(2025, 12, 31, 23, 59, 58)],
      ['2025-12-31t23:59:58', utc(2025, 12, 31, 23, 59, 58)],
      ['2025-12-31  9:05', utc(2025, 12, 31, 9, 5)],
      ['2017-08-30 11:55:08.970352', utc(2017, 8, 30, 11, 55, 8, 970)],
      ['2017-08-30 11:55:08.9', utc(2017, 8, 30, 11, 55, 8, 900)],
      ['2017-08-30 11:55:08.97', utc(2017, 8, 30, 11, 55, 8, 970)],
      ['2017-08-30 11:55:08,5', utc(2017, 8, 30, 11, 55, 8, 500)],
      ['2017-08-30T11:55:08.123456789Z', utc(2017, 8, 30, 11, 55, 8, 123)],
      ['2025-06-01T10:00:00Z', utc(2025, 6, 1, 10)],
      ['2025-06-01T10:00:00.250Z', utc(2025, 6, 1, 10, 0, 0, 250)],
      ['2025-06-01T10:00:00+00:00', utc(2025, 6, 1, 10)],
      ['2025-06-01T10:00:00+02:00', utc(2025, 6, 1, 8)],
      ['2025-06-01T10:00:00+0200', utc(2025, 6, 1, 8)],
      ['2025-06-01T10:00:00+02', utc(2025, 6, 1, 8)],
      ['2025-06-01T10:00:00-05:30', utc(2025, 6, 1, 15, 30)],
      ['2025-06-01T10:00:00−05:00', utc(2025, 6, 1, 15)],
      ['2025-06-01 10:00:00 +0000', utc(2025, 6, 1, 10)],
      ['2025-06-01 10:00:00 UTC', utc(2025, 6, 1, 10)],
      ['2025-06-01 10:00:00 GMT+2', utc(2025, 6, 1, 8)],
      ['2025-06-01 10:00:00 PM', utc(2025, 6, 1, 22)],
      [' 2025-06-01 ', utc(2025, 6, 1)],
      ['1900-02-28', utc(1900, 2, 28)],
      ['2024-02-29', utc(2024, 2, 29)],
      ['0001-01-01', -62135596800000],
    ]);
  });

  it('reads times without an offset in the zone, dates at local midnight', () => {
    expectDates(
      YMD,
      [
        ['2025-01-15', utc(2025, 1, 14, 23)],
        ['2025-07-15 09:00', utc(2025, 7, 15, 7)],
        ['2025-07-15T09:00:00Z', utc(2025, 7, 15, 9)],
        ['2025-07-15T09:00:00+01:00', utc(2025, 7, 15, 8)],
        ['2025-03-30 02:30', utc(2025, 3, 30, 1, 30)],
        ['2025-10-26 02:30', utc(2025, 10, 26, 0, 30)],
      ],
      'Europe/Madrid',
    );
    expectDates(YMD, [['2025-03-09 02:30', utc(2025, 3, 9, 7, 30)]], 'America/New_York');
  });

  it('reads two-digit years first only when asked', () => {
    const short = dateFormat('ymd', { shortYear: true });
    expectDates(short, [
      ['24/03/05', utc(2024, 3, 5)],
      ['99-02-01', utc(1999, 2, 1)],
      ['2024-03-05', utc(2024, 3, 5)],
    ]);
    expect(isInvalid(parseDate('24/03/05', YMD))).toBe(true);
  });

  it('rejects values that are not real dates or times', () => {
    expectReasons(YMD, [
      ['0000-00-00', 'not a real date (month 0), got "0000-00-00"'],
      ['0000-01-01', 'not a real date (year 0), got "0000-01-01"'],
      ['2024-13-01', 'not a real date (month 13), got "2024-13-01"'],
      ['2024-02-30', 'not a real date (February 2024 has 29 days), got "2024-02-30"'],
      ['2023-02-29', 'not a real date (February 2023 has 28 days), got "2023-02-29"'],
      ['1900-02-29', 'not a real date (February 1900 has 28 days), got "1900-02-29"'],
      ['2024-04-31', 'not a real date (April 2024 has 30 days), got "2024-04-31"'],
      ['2024-04-00', 'not a real date (day 0), got "2024-04-00"'],
      ['2024-04-01 25:00', 'not a real time (hour 25), got "2024-04-01 25:00"'],
      ['2024-04-01 24:00:00', 'not a real time (hour 24), got "2024-04-01 24:00:00"'],
      ['2024-04-01 12:61', 'not a real time (minute 61), got "2024-04-01 12:61"'],
      ['2024-04-01T12:00:60', 'not a real time (second 60), got "2024-04-01T12:00:60"'],
      ['2024-04-01 13:00 PM', 'not a real time (hour 13 with PM), got "2024-04-01 13:00 PM"'],
      ['2024-04-01T10:00:00+25:00', 'not a real UTC offset, got "2024-04-01T10:00:00+25:00"'],
    ]);
  });

  it('rejects other shapes, naming the expected one', () => {
    const expected = 'expected a date like 2025-12-31 or 2025-12-31T23:59:59Z';
    for (const value of ['31/12/2025', '2025-12', '2025', '20251231', '2025-12-31 garbage', '2025-12-31T', '2025-12-31 10', '2025-12-31 10:5', '2025-12/31', 'yesterday', '2025-12-31 10:00 CET', '2025-12-31T10:00:00.Z']) {
      expect(parseDate(value, YMD), value).toEqual(invalid(`${expected}, got ${JSON.stringify(value)}`));
    }
    expect(parseDate(true, YMD)).toEqual(invalid(`${expected}, got true`));
  });

  it('returns null for blanks', () => {
    for (const value of ['', '   ', 'N/A', 'null', '-', null]) expect(parseDate(value, YMD)).toBeNull();
  });
});

describe('parseDate: day/month/year and month/day/year', () => {
  it('reads day-first dates with any separator, optional time and 12-hour clocks', () => {
    expectDates(DMY, [
      ['31/12/2025', utc(2025, 12, 31)],
      ['1/2/2025', utc(2025, 2, 1)],
      ['01-02-2025', utc(2025, 2, 1)],
      ['01.02.2025', utc(2025, 2, 1)],
      ['1/2/25', utc(2025, 2, 1)],
      ['01-02-99', utc(1999, 2, 1)],
      ['01-02-68', utc(2068, 2, 1)],
      ['01-02-69', utc(1969, 2, 1)],
      ['31/12/2025 23:59', utc(2025, 12, 31, 23, 59)],
      ['31/12/2025 23:59:58', utc(2025, 12, 31, 23, 59, 58)],
      ['31/12/2025 7:02:47', utc(2025, 12, 31, 7, 2, 47)],
      ['31/12/2025, 07:02', utc(2025, 12, 31, 7, 2)],
      ['31/12/2025T07:02', utc(2025, 12, 31, 7, 2)],
      ['31/12/2025 3:53:50 PM', utc(2025, 12, 31, 15, 53, 50)],
      ['31/12/2025 3:53:50 pm', utc(2025, 12, 31, 15, 53, 50)],
      ['31/12/2025 3:53:50 p. m.', utc(2025, 12, 31, 15, 53, 50)],
      ['31/12/2025 3:53 a.m.', utc(2025, 12, 31, 3, 53)],
      ['31/12/2025 12:00 AM', utc(2025, 12, 31, 0, 0)],
      ['31/12/2025 12:00 PM', utc(2025, 12, 31, 12, 0)],
      ['31/12/2025 0:30 AM', utc(2025, 12, 31, 0, 30)],
      ['31/12/2025 10:00:00.5', utc(2025, 12, 31, 10, 0, 0, 500)],
      ['31/12/2025 10:00 +01:00', utc(2025, 12, 31, 9)],
      [' 31/12/2025 ', utc(2025, 12, 31)],
    ]);
  });

  it('reads month-first dates', () => {
    expectDates(MDY, [
      ['12/31/2025', utc(2025, 12, 31)],
      ['2/1/2025', utc(2025, 2, 1)],
      ['02-01-25', utc(2025, 2, 1)],
      ['3/5/2024 3:53:50 PM', utc(2024, 3, 5, 15, 53, 50)],
      ['12/31/2025 23:59', utc(2025, 12, 31, 23, 59)],
    ]);
  });

  it('reads wall times in the zone', () => {
    expectDates(
      DMY,
      [
        ['31/12/2025 23:59', utc(2025, 12, 31, 22, 59)],
        ['30/03/2025 02:30', utc(2025, 3, 30, 1, 30)],
        ['26/10/2025 02:30', utc(2025, 10, 26, 0, 30)],
        ['26/10/2025', utc(2025, 10, 25, 22)],
      ],
      'Europe/Madrid',
    );
  });

  it('rejects impossible dates, naming the order', () => {
    expectReasons(DMY, [
      ['31/02/2024', 'not a real date (February 2024 has 29 days), got "31/02/2024"'],
      ['12/31/2024', 'not a real date in day/month/year order (month 31), got "12/31/2024"'],
      ['01/13/2024', 'not a real date in day/month/year order (month 13), got "01/13/2024"'],
      ['00/12/2024', 'not a real date (day 0), got "00/12/2024"'],
      ['31/12/2024 25:00', 'not a real time (hour 25), got "31/12/2024 25:00"'],
      ['31/12/2024 13:00 PM', 'not a real time (hour 13 with PM), got "31/12/2024 13:00 PM"'],
      ['31/12/2024 0:10 PM', 'not a real time (hour 0 with PM), got "31/12/2024 0:10 PM"'],
    ]);
    expectReasons(MDY, [
      ['31/12/2024', 'not a real date in month/day/year order (month 31), got "31/12/2024"'],
      ['02/30/2024', 'not a real date (February 2024 has 29 days), got "02/30/2024"'],
    ]);
  });

  it('rejects values of another shape', () => {
    for (const value of ['2025-12-31', '31/12', '31/12/025', '31/12-2025', '31/12/2025 noon', '31 dic 2025', '311225']) {
      expect(parseDate(value, DMY), value).toEqual(invalid(`expected a date like 31/12/2025, got ${JSON.stringify(value)}`));
    }
    expect(parseDate('2025-12-31', MDY)).toEqual(invalid('expected a date like 12/31/2025, got "2025-12-31"'));
  });
});

describe('parseDate: month names', () => {
  it('reads English and Spanish names and abbreviations', () => {
    expectDates(NAMES, [
      ['31-Dec-25', utc(2025, 12, 31)],
      ['31-Dec-2025', utc(2025, 12, 31)],
      ['31 Dec 2025', utc(2025, 12, 31)],
      ['31 dic 2025', utc(2025, 12, 31)],
      ['5-ene-24', utc(2024, 1, 5)],
      ['5 ENE 2024', utc(2024, 1, 5)],
      ['1 feb 2024', utc(2024, 2, 1)],
      ['1 mar 2024', utc(2024, 3, 1)],
      ['1 abr 2024', utc(2024, 4, 1)],
      ['1 may 2024', utc(2024, 5, 1)],
      ['1 jun 2024', utc(2024, 6, 1)],
      ['1 jul 2024', utc(2024, 7, 1)],
      ['1 ago 2024', utc(2024, 8, 1)],
      ['1 sep 2024', utc(2024, 9, 1)],
      ['1 sept. 2024', utc(2024, 9, 1)],
      ['1 set 2024', utc(2024, 9, 1)],
      ['1 oct 2024', utc(2024, 10, 1)],
      ['1 nov 2024', utc(2024, 11, 1)],
      ['1 dic 2024', utc(2024, 12, 1)],
      ['1 Aug 2024', utc(2024, 8, 1)],
      ['5 de marzo de 2024', utc(2024, 3, 5)],
      ['5 de septiembre del 2024', utc(2024, 9, 5)],
      ['martes, 5 de marzo de 2024', utc(2024, 3, 5)],
      ['miércoles, 6 de marzo de 2024', utc(2024, 3, 6)],
      ['March 5, 2024', utc(2024, 3, 5)],
      ['Mar 5, 2024', utc(2024, 3, 5)],
      ['September 5th, 2024', utc(2024, 9, 5)],
      ['Tue, 05 Mar 2024 10:00:00 GMT', utc(2024, 3, 5, 10)],
      ['Tue, 05 Mar 2024 10:00:00 +0100', utc(2024, 3, 5, 9)],
      ['05MAR2024', utc(2024, 3, 5)],
      ['05-Mar-2024 14:30', utc(2024, 3, 5, 14, 30)],
      ['5 Diciembre 2024 3:00 PM', utc(2024, 12, 5, 15)],
    ]);
  });

  it('rejects unknown names and impossible days', () => {
    expectReasons(NAMES, [
      ['31 feb 2024', 'not a real date (February 2024 has 29 days), got "31 feb 2024"'],
      ['5 Smarch 2024', 'expected a date like 31-Dec-2025 or 31 dic 2025, got "5 Smarch 2024"'],
      ['Monday', 'expected a date like 31-Dec-2025 or 31 dic 2025, got "Monday"'],
      ['2024-03-05', 'expected a date like 31-Dec-2025 or 31 dic 2025, got "2024-03-05"'],
      ['5 Mar', 'expected a date like 31-Dec-2025 or 31 dic 2025, got "5 Mar"'],
    ]);
  });
});

describe('parseDate: compact digits, Excel serials and epochs', () => {
  it('reads yymmdd (pivot 69) and yyyymmdd', () => {
    expectDates(dateFormat('yymmdd'), [
      ['990201', utc(1999, 2, 1)],
      ['000101', utc(2000, 1, 1)],
      ['681231', utc(2068, 12, 31)],
      ['690101', utc(1969, 1, 1)],
      [990201, utc(1999, 2, 1)],
      [101, utc(2000, 1, 1)],
    ]);
    expectDates(dateFormat('yyyymmdd'), [
      ['19990201', utc(1999, 2, 1)],
      [20240229, utc(2024, 2, 29)],
    ]);
    expect(parseDate('991301', dateFormat('yymmdd'))).toEqual(invalid('not a real date (month 13), got "991301"'));
    expect(parseDate('99021', dateFormat('yymmdd'))).toEqual(invalid('expected a date like 251231 (yymmdd), got "99021"'));
    expect(parseDate('1999-02-01', dateFormat('yyyymmdd'))).toEqual(invalid('expected a date like 20251231, got "1999-02-01"'));
  });

  it('reads Excel serials with the 1900 leap-year bug', () => {
    const excel = dateFormat('excel');
    expectDates(excel, [
      ['1', utc(1900, 1, 1)],
      ['59', utc(1900, 2, 28)],
      ['61', utc(1900, 3, 1)],
      ['45657', utc(2024, 12, 31)],
      [45657, utc(2024, 12, 31)],
      ['46022', utc(2025, 12, 31)],
      ['45657.5', utc(2024, 12, 31, 12)],
      ['45657,25', utc(2024, 12, 31, 6)],
      [45657.41666666666, utc(2024, 12, 31, 10)],
      [2958465, utc(9999, 12, 31)],
    ]);
    expectDates(excel, [[45657.5, utc(2024, 12, 31, 11)]], 'Europe/Madrid');
    expectReasons(excel, [
      ['60', 'Excel serial 60 is 29 February 1900, a day that never existed, got "60"'],
      [60.5, 'Excel serial 60 is 29 February 1900, a day that never existed, got 60.5'],
      ['0', 'expected an Excel date serial 1-2958465, got "0"'],
      [0.5, 'expected an Excel date serial 1-2958465, got 0.5'],
      [2958466, 'expected an Excel date serial 1-2958465, got 2958466'],
      ['-5', 'expected an Excel date serial like 46022, got "-5"'],
      ['31/12/2024', 'expected an Excel date serial like 46022, got "31/12/2024"'],
    ]);
  });

  it('reads serials mixed into text columns', () => {
    expect(parseDate(45657, DMY)).toBe(utc(2024, 12, 31));
    expect(parseDate(45657, YMD)).toBe(utc(2024, 12, 31));
    expect(parseDate('45657', dateFormat('dmy', { serials: true }))).toBe(utc(2024, 12, 31));
    expect(parseDate('45657', DMY)).toEqual(invalid('expected a date like 31/12/2025, got "45657"'));
    expect(parseDate('60', dateFormat('ymd', { serials: true }))).toEqual(
      invalid('Excel serial 60 is 29 February 1900, a day that never existed, got "60"'),
    );
  });

  it('reads epoch seconds and milliseconds as instants, whatever the zone', () => {
    const seconds = dateFormat('epoch-s');
    const millis = dateFormat('epoch-ms');
    expectDates(seconds, [
      ['1767225599', utc(2025, 12, 31, 23, 59, 59)],
      [1767225599, utc(2025, 12, 31, 23, 59, 59)],
      ['1767225599.5', utc(2025, 12, 31, 23, 59, 59, 500)],
    ], 'Europe/Madrid');
    expectDates(millis, [
      ['1767225599000', utc(2025, 12, 31, 23, 59, 59)],
      [1767225599123, utc(2025, 12, 31, 23, 59, 59, 123)],
    ], 'America/New_York');
    expect(parseDate('soon', seconds)).toEqual(invalid('expected epoch seconds like 1767225599, got "soon"'));
    expect(parseDate('-1', millis)).toEqual(invalid('expected epoch milliseconds like 1767225599000, got "-1"'));
  });

  it('reads spreadsheet Date cells by their UTC fields as wall clock', () => {
    const cell = new Date(utc(2025, 7, 15, 9, 30));
    expect(parseDate(cell, DMY)).toBe(utc(2025, 7, 15, 9, 30));
    expect(parseDate(cell, dateFormat('epoch-s'), 'Europe/Madrid')).toBe(utc(2025, 7, 15, 7, 30));
    expect(parseDate(new Date(NaN), DMY)).toEqual(invalid('not a real date, got an invalid date'));
  });

  it('dateParser binds format and zone', () => {
    const parse = dateParser(DMY, getZone('Europe/Madrid'));
    expect(parse('15/07/2025 09:00')).toBe(utc(2025, 7, 15, 7));
    expect(parse('')).toBeNull();
    expect(isInvalid(parse('2025-07-15'))).toBe(true);
    expect(() => dateParser(DMY, 'Mars/Base')).toThrow('unknown time zone "Mars/Base"');
  });
});

describe('parseTimeOfDay', () => {
  it('reads 24- and 12-hour clocks as seconds since midnight', () => {
    const cases: [Cell, number][] = [
      ['7:02:47', 25367],
      ['07:02:47', 25367],
      ['15:04', 54240],
      ['15:04:05.250', 54245.25],
      ['3:53:50 PM', 57230],
      ['3:53 p. m.', 57180],
      ['12:15 AM', 900],
      ['00:00', 0],
      ['23:59:59', 86399],
      [0.5, 43200],
      [25367 / 86400, 25367],
      [new Date(Date.UTC(1899, 11, 30, 7, 2, 47)), 25367],
    ];
    for (const [value, seconds] of cases) expect(parseTimeOfDay(value), String(value)).toBe(seconds);
    expect(parseTimeOfDay('')).toBeNull();
    expect(parseTimeOfDay(null)).toBeNull();
  });

  it('rejects what is not a time of day', () => {
    const shape = 'expected a time like 15:04 or 3:53:50 PM';
    const cases: [Cell, string][] = [
      ['25:00', 'not a real time (hour 25), got "25:00"'],
      ['24:00', 'not a real time (hour 24), got "24:00"'],
      ['10:60', 'not a real time (minute 60), got "10:60"'],
      ['13:00 PM', 'not a real time (hour 13 with PM), got "13:00 PM"'],
      ['10:00Z', `${shape}, got "10:00Z"`],
      ['10', `${shape}, got "10"`],
      ['noon', `${shape}, got "noon"`],
      ['2025-01-01 10:00', `${shape}, got "2025-01-01 10:00"`],
      [1.5, `${shape}, got 1.5`],
      [true, `${shape}, got true`],
    ];
    for (const [value, reason] of cases) expect(parseTimeOfDay(value), String(value)).toEqual(invalid(reason));
  });
});

describe('combineDateAndTime', () => {
  it('puts the time on the local calendar date', () => {
    const day = parseDate('30/10/2025', DMY, 'Europe/Madrid') as number;
    expect(combineDateAndTime(day, 7 * 3600 + 2 * 60 + 47, 'Europe/Madrid')).toBe(utc(2025, 10, 30, 6, 2, 47));
    expect(combineDateAndTime(utc(2025, 7, 15), 3600.5)).toBe(utc(2025, 7, 15, 1, 0, 0, 500));
    expect(combineDateAndTime(utc(2025, 7, 15, 18), 0)).toBe(utc(2025, 7, 15));
  });

  it('follows DST on the transition days', () => {
    const spring = parseDate('30/03/2025', DMY, 'Europe/Madrid') as number;
    expect(combineDateAndTime(spring, 3600, 'Europe/Madrid')).toBe(utc(2025, 3, 30, 0));
    expect(combineDateAndTime(spring, 2.5 * 3600, 'Europe/Madrid')).toBe(utc(2025, 3, 30, 1, 30));
    expect(combineDateAndTime(spring, 12 * 3600, 'Europe/Madrid')).toBe(utc(2025, 3, 30, 10));
    const autumn = parseDate('26/10/2025', DMY, 'Europe/Madrid') as number;
    expect(combineDateAndTime(autumn, 2.5 * 3600, 'Europe/Madrid')).toBe(utc(2025, 10, 26, 0, 30));
    expect(combineDateAndTime(autumn, 12 * 3600, 'Europe/Madrid')).toBe(utc(2025, 10, 26, 11));
  });
});

describe('DateOrderDecider', () => {
  it('stays undecided while every value fits both orders', () => {
    const decider = new DateOrderDecider();
    for (const value of ['05/03/2024', '2024-03-31', 'N/A', '', '12/12/2024 10:00', '31/31/2024']) decider.feed(value);
    expect(decider.feed(42)).toBe('undecided');
    expect(decider.state).toBe('undecided');
    expect(decider.proof).toBeUndefined();
    expect(decider.either).toBe('05/03/2024');
    expect(decider.seen).toBe(3);
    expect(decider.evidence()).toBe('every value fits both orders, e.g. "05/03/2024"');
  });

  it('decides day-first from a first part above 12, month-first from a second part above 12', () => {
    const dmy = new DateOrderDecider();
    expect(dmy.feed('05/03/2024')).toBe('undecided');
    expect(dmy.feed('13/03/2024 10:00')).toBe('dmy');
    expect(dmy.feed('01/02/24')).toBe('dmy');
    expect(dmy.proof).toBe('13/03/2024 10:00');
    expect(dmy.evidence()).toBe('"13/03/2024 10:00" can only be day-first');
    const mdy = new DateOrderDecider();
    expect(mdy.feed('3-31-24')).toBe('mdy');
    expect(mdy.proof).toBe('3-31-24');
  });

  it('ignores values that are real dates in neither order (31/02, 02/30)', () => {
    const decider = new DateOrderDecider();
    expect(decider.feed('31/02/2024')).toBe('undecided');
    expect(decider.feed('02/30/2024')).toBe('undecided');
    expect(decider.feed('29/02/2024')).toBe('dmy');
  });

  it('reports both proofs as a conflict and stays there', () => {
    const decider = new DateOrderDecider();
    decider.feed('31/01/2024');
    expect(decider.feed('01/31/2024')).toBe('conflict');
    expect(decider.feed('25/01/2024')).toBe('conflict');
    expect(decider.reason).toBe('both day-first ("31/01/2024") and month-first ("01/31/2024") dates in one column');
    expect(decider.evidence()).toBe('"31/01/2024" can only be day-first, "01/31/2024" can only be month-first');
  });
});

describe('inferDateFormat', () => {
  it('recognises unambiguous shapes', () => {
    const cases: [Cell[], DateFormat][] = [
      [['2024-03-05', '2024-03-06 10:00:00', '', '2024-03-07T10:00:00Z'], YMD],
      [['2024/03/05'], YMD],
      [['31-Dec-25', '5 de marzo de 2024'], NAMES],
      [['990201', '000101', '991231'], dateFormat('yymmdd')],
      [['19990201', '20240229'], dateFormat('yyyymmdd')],
      [['45657', '45658.5', 45659], dateFormat('excel')],
      [['1767225599', '1767225600'], dateFormat('epoch-s')],
      [['1767225599000', 1767225600123], dateFormat('epoch-ms')],
      [['2024-03-05', '45657'], dateFormat('ymd', { serials: true })],
      [[new Date(0), new Date(1)], YMD],
    ];
    for (const [samples, format] of cases) {
      const result = inferDateFormat(samples);
      expect('format' in result && result.format, samples.join(' ')).toEqual(format);
    }
  });

  it('proves day-first or month-first from the values', () => {
    const dmy = inferDateFormat(['05/03/2024', '06/03/2024', '31/03/2024', '']);
    expect(dmy).toEqual({ format: DMY, note: 'dd/mm/yyyy: "31/03/2024" can only be day-first' });
    const mdy = inferDateFormat(['03/05/2024 10:00', '03/31/2024 3:00 PM']);
    expect(mdy).toEqual({ format: MDY, note: 'mm/dd/yyyy: "03/31/2024 3:00 PM" can only be month-first' });
    const withSerials = inferDateFormat(['31/03/2024', 45657]);
    expect('format' in withSerials && withSerials.format).toEqual(dateFormat('dmy', { serials: true }));
  });

  it('never guesses the order: ambiguous unless an explicit order is given', () => {
    const samples = ['05/03/2024', '06/03/2024', '12/12/2024'];
    expect(inferDateFormat(samples)).toEqual({
      ambiguous: true,
      reason: 'every sampled date fits both dd/mm/yyyy and mm/dd/yyyy, e.g. "05/03/2024"',
      candidates: [DMY, MDY],
    });
    expect(inferDateFormat(samples, { locale: 'es' })).toMatchObject({ ambiguous: true });
    expect(inferDateFormat(samples, { locale: 'en' })).toMatchObject({ ambiguous: true });
    expect(inferDateFormat(samples, { order: 'dmy' })).toEqual({
      format: DMY,
      note: 'dd/mm/yyyy from the date-order hint',
    });
    expect(inferDateFormat(samples, { order: 'mdy', locale: 'es' })).toMatchObject({ format: MDY });
  });

  it('keeps an explicit order over the values, and says which values will be rejected', () => {
    expect(inferDateFormat(['05/03/2024', '03/31/2024'], { order: 'dmy' })).toEqual({
      format: DMY,
      note: 'dd/mm/yyyy from the date-order hint; values such as "03/31/2024" do not fit that order and will be rejected',
    });
  });

  it('reads two-digit-year-first values only with an explicit ymd order', () => {
    expect(inferDateFormat(['24/03/05', '24/03/31'], { order: 'ymd' })).toMatchObject({ format: dateFormat('ymd', { shortYear: true }) });
    expect(inferDateFormat(['05/03/2024'], { order: 'ymd' })).toMatchObject({ ambiguous: true });
  });

  it('rejects columns with both proofs, several shapes, or no dates', () => {
    expect(inferDateFormat(['31/01/2024', '01/31/2024'])).toEqual(
      invalid('both day-first ("31/01/2024") and month-first ("01/31/2024") dates in one column'),
    );
    expect(inferDateFormat(['2024-03-05', '05/03/2024', '2024-03-06', '06/03/2024'])).toEqual(
      invalid('mixed date formats: "2024-03-05" (yyyy-mm-dd) and "05/03/2024" (dd/mm/yyyy)'),
    );
    expect(inferDateFormat(['soon', 'later'])).toEqual(invalid('no value looks like a date, e.g. "soon"'));
    expect(inferDateFormat(['2024', '2025'])).toEqual(
      invalid('numbers such as "2024" are too small to be Excel date serials (10000 is 1927-05-18)'),
    );
    expect(inferDateFormat(['31/01/2024', 7])).toMatchObject({ format: dateFormat('dmy', { serials: true }) });
    expect(inferDateFormat(['31/31/2024', '00/00/2024'])).toEqual(
      invalid('no value is a real date in either day/month order, e.g. "31/31/2024"'),
    );
    expect(inferDateFormat(['', 'N/A'])).toEqual({ ambiguous: true, reason: 'no dates among the 2 sampled values', candidates: [] });
  });

  it('tolerates a few odd values and says they will be rejected', () => {
    const samples = [...Array.from({ length: 20 }, (_, i) => `2024-03-${String(i + 1).padStart(2, '0')}`), '05/03/2024', 'TBD'];
    expect(inferDateFormat(samples)).toEqual({
      format: YMD,
      note: 'yyyy-mm-dd: year first (ISO 8601); 1 sampled value in other shapes such as "05/03/2024" will be rejected',
    });
  });
});

describe('round trips (property)', () => {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const instant = fc.integer({ min: Date.UTC(1901, 0, 1), max: Date.UTC(2099, 11, 31, 23, 59, 59) }).map((t) => Math.floor(t / 1000) * 1000);

  function format(t: number, zone: string, monthFirst = false): string {
    const p = epochToLocalParts(t, zone);
    const dm = monthFirst ? `${pad(p.month)}/${pad(p.day)}` : `${pad(p.day)}/${pad(p.month)}`;
    return `${dm}/${p.year} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
  }

  it('dd/mm/yyyy HH:mm:ss in UTC gives back the instant', () => {
    fc.assert(
      fc.property(instant, (t) => {
        expect(parseDate(format(t, 'UTC'), DMY, 'UTC')).toBe(t);
        expect(parseDate(format(t, 'UTC', true), MDY, 'UTC')).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('dd/mm/yyyy HH:mm:ss in Europe/Madrid gives back the instant away from DST changes', () => {
    const zone = getZone('Europe/Madrid');
    fc.assert(
      fc.property(instant, (t) => {
        // Within two hours of a change, a wall time may be repeated (and the earlier instant wins).
        fc.pre(zone.offsetAt(t - 7_200_000) === zone.offsetAt(t + 7_200_000));
        expect(parseDate(format(t, 'Europe/Madrid'), DMY, zone)).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('unpadded d/m/yyyy H:mm:ss and ISO with an offset give back the instant', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -14 * 60, max: 14 * 60 }), (t, offsetMinutes) => {
        const d = new Date(t);
        const loose = `${d.getUTCDate()}/${d.getUTCMonth() + 1}/${d.getUTCFullYear()} ${d.getUTCHours()}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
        expect(parseDate(loose, DMY)).toBe(t);
        const local = new Date(t + offsetMinutes * 60_000);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        const iso = `${local.toISOString().slice(0, 19)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
        expect(parseDate(iso, YMD, 'Asia/Tokyo')).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });
});
