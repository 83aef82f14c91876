import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CxmError } from '../errors.js';
import {
  MS_PER_DAY,
  civilToMs,
  daysFromCivil,
  epochToLocalParts,
  getZone,
  isValidTimeZone,
  localToEpoch,
  wallToParts,
} from './timezone.js';

const utc = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms);

const formats = new Map<string, Intl.DateTimeFormat>();

/** The local wall clock of an instant according to Intl alone (the oracle for the caches). */
function intlWall(epochMs: number, zone: string): number {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(epochMs);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return utc(get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second'), ((epochMs % 1000) + 1000) % 1000);
}

describe('calendar arithmetic', () => {
  it('matches Date.UTC inside and outside the month table', () => {
    for (const [y, m, d] of [
      [1970, 1, 1],
      [1900, 1, 1],
      [1899, 12, 31],
      [2199, 12, 31],
      [2200, 1, 1],
      [1600, 2, 29],
      [2024, 2, 29],
      [9999, 12, 31],
    ] as const) {
      expect(daysFromCivil(y, m, d) * MS_PER_DAY, `${y}-${m}-${d}`).toBe(utc(y, m, d));
    }
    expect(daysFromCivil(99, 1, 1)).toBe(Math.round((new Date('0099-01-01T00:00:00Z').getTime()) / MS_PER_DAY));
  });

  it('round-trips random instants through wallToParts and civilToMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: utc(1, 1, 1), max: utc(9999, 12, 31, 23, 59, 59, 999) }), (t) => {
        const p = wallToParts(t);
        const date = new Date(t);
        expect([p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond]).toEqual([
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
          date.getUTCHours(),
          date.getUTCMinutes(),
          date.getUTCSeconds(),
          date.getUTCMilliseconds(),
        ]);
        expect(p.weekday).toBe(((date.getUTCDay() + 6) % 7) + 1);
        expect(civilToMs(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond)).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('zone names', () => {
  it('validates IANA names', () => {
    for (const name of ['UTC', 'utc', 'Etc/UTC', 'GMT', 'Europe/Madrid', 'europe/madrid', 'America/New_York', 'Asia/Kolkata']) {
      expect(isValidTimeZone(name), name).toBe(true);
    }
    for (const name of ['', ' ', 'Europe/Madird', 'Mars/Olympus', 'CEST+1', 'local']) {
      expect(isValidTimeZone(name), name).toBe(false);
    }
  });

  it('canonicalises names and shares zones', () => {
    expect(getZone('europe/madrid').name).toBe('Europe/Madrid');
    expect(getZone('europe/madrid')).toBe(getZone('Europe/Madrid'));
    expect(getZone('Etc/UTC').name).toBe('UTC');
    const zone = getZone('Asia/Tokyo');
    expect(getZone(zone)).toBe(zone);
  });

  it('throws a CxmError with a hint for unknown zones', () => {
    expect(() => getZone('Europe/Madird')).toThrow(CxmError);
    try {
      getZone('Europe/Madird');
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_OPTION', message: 'unknown time zone "Europe/Madird"' });
      expect((error as CxmError).hint).toContain('IANA');
    }
  });
});

describe('localToEpoch', () => {
  it('is Date.UTC in UTC', () => {
    expect(localToEpoch(2025, 3, 30, 2, 30, 0, 0, 'UTC')).toBe(utc(2025, 3, 30, 2, 30));
    expect(localToEpoch(2024, 2, 29, 23, 59, 59, 999)).toBe(utc(2024, 2, 29, 23, 59, 59, 999));
  });

  it('reads Madrid winter and summer time', () => {
    expect(localToEpoch(2025, 1, 15, 9, 0, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 1, 15, 8));
    expect(localToEpoch(2025, 7, 15, 9, 0, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 7, 15, 7));
  });

  it('moves a time in the spring gap forward (Madrid 2025-03-30 02:00-03:00 does not exist)', () => {
    expect(localToEpoch(2025, 3, 30, 1, 59, 59, 0, 'Europe/Madrid')).toBe(utc(2025, 3, 30, 0, 59, 59));
    expect(localToEpoch(2025, 3, 30, 2, 0, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 3, 30, 1));
    expect(localToEpoch(2025, 3, 30, 2, 30, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 3, 30, 1, 30));
    expect(localToEpoch(2025, 3, 30, 3, 0, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 3, 30, 1));
    expect(localToEpoch(2025, 3, 30, 3, 30, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 3, 30, 1, 30));
    expect(epochToLocalParts(localToEpoch(2025, 3, 30, 2, 30, 0, 0, 'Europe/Madrid'), 'Europe/Madrid')).toMatchObject({ hour: 3, minute: 30 });
  });

  it('takes the earlier instant in the autumn overlap (Madrid 2025-10-26 02:00-03:00 happens twice)', () => {
    expect(localToEpoch(2025, 10, 26, 1, 59, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 10, 25, 23, 59));
    expect(localToEpoch(2025, 10, 26, 2, 0, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 10, 26, 0));
    expect(localToEpoch(2025, 10, 26, 2, 30, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 10, 26, 0, 30));
    expect(localToEpoch(2025, 10, 26, 2, 59, 59, 0, 'Europe/Madrid')).toBe(utc(2025, 10, 26, 0, 59, 59));
    expect(localToEpoch(2025, 10, 26, 3, 0, 0, 0, 'Europe/Madrid')).toBe(utc(2025, 10, 26, 2));
  });

  it('handles New York gap and overlap', () => {
    expect(localToEpoch(2025, 3, 9, 2, 30, 0, 0, 'America/New_York')).toBe(utc(2025, 3, 9, 7, 30));
    expect(localToEpoch(2025, 3, 9, 1, 30, 0, 0, 'America/New_York')).toBe(utc(2025, 3, 9, 6, 30));
    expect(localToEpoch(2025, 11, 2, 1, 30, 0, 0, 'America/New_York')).toBe(utc(2025, 11, 2, 5, 30));
    expect(localToEpoch(2025, 11, 2, 2, 30, 0, 0, 'America/New_York')).toBe(utc(2025, 11, 2, 7, 30));
    expect(localToEpoch(2025, 1, 10, 12, 0, 0, 0, 'America/New_York')).toBe(utc(2025, 1, 10, 17));
  });

  it('handles half-hour offsets and transitions off the hour (St John’s, Kolkata)', () => {
    // Newfoundland springs forward at 02:00 NST (-03:30) = 05:30 UTC.
    expect(localToEpoch(2025, 3, 9, 1, 59, 0, 0, 'America/St_Johns')).toBe(utc(2025, 3, 9, 5, 29));
    expect(localToEpoch(2025, 3, 9, 2, 15, 0, 0, 'America/St_Johns')).toBe(utc(2025, 3, 9, 5, 45));
    expect(localToEpoch(2025, 3, 9, 3, 0, 0, 0, 'America/St_Johns')).toBe(utc(2025, 3, 9, 5, 30));
    expect(localToEpoch(2025, 6, 1, 12, 0, 0, 0, 'Asia/Kolkata')).toBe(utc(2025, 6, 1, 6, 30));
  });

  it('agrees with Intl for random wall times away from transitions', () => {
    const zones = ['Europe/Madrid', 'America/New_York', 'Australia/Sydney', 'America/Sao_Paulo', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(
        fc.integer({ min: utc(1950, 1, 1), max: utc(2100, 1, 1) }),
        fc.constantFrom(...zones),
        (t, zone) => {
          const wall = intlWall(t, zone);
          // Skip instants within a day of a transition, where a wall time may be repeated.
          fc.pre(intlWall(t - MS_PER_DAY, zone) - (t - MS_PER_DAY) === intlWall(t + MS_PER_DAY, zone) - (t + MS_PER_DAY));
          const p = wallToParts(wall);
          expect(localToEpoch(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond, zone)).toBe(t);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('epochToLocalParts', () => {
  it('gives local fields, weekday and offset', () => {
    expect(epochToLocalParts(utc(2025, 7, 1, 10), 'Europe/Madrid')).toEqual({
      year: 2025,
      month: 7,
      day: 1,
      hour: 12,
      minute: 0,
      second: 0,
      millisecond: 0,
      weekday: 2,
      offsetMs: 7_200_000,
    });
    expect(epochToLocalParts(utc(2025, 1, 1, 3, 4, 5, 6))).toMatchObject({ year: 2025, hour: 3, millisecond: 6, weekday: 3, offsetMs: 0 });
    expect(epochToLocalParts(utc(2025, 1, 1, 3), 'America/New_York')).toMatchObject({ year: 2024, month: 12, day: 31, hour: 22, offsetMs: -18_000_000 });
  });

  it('shows both readings of the repeated hour', () => {
    expect(epochToLocalParts(utc(2025, 10, 26, 0, 30), 'Europe/Madrid')).toMatchObject({ hour: 2, minute: 30, offsetMs: 7_200_000 });
    expect(epochToLocalParts(utc(2025, 10, 26, 1, 30), 'Europe/Madrid')).toMatchObject({ hour: 2, minute: 30, offsetMs: 3_600_000 });
    expect(epochToLocalParts(utc(2025, 3, 9, 5, 29, 59), 'America/St_Johns')).toMatchObject({ hour: 1, minute: 59, second: 59 });
    expect(epochToLocalParts(utc(2025, 3, 9, 5, 30), 'America/St_Johns')).toMatchObject({ hour: 3, minute: 0 });
  });

  it('agrees with Intl for random instants, including transition days', () => {
    const zones = ['Europe/Madrid', 'America/New_York', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Europe/London'];
    fc.assert(
      fc.property(fc.integer({ min: utc(1900, 1, 1), max: utc(2100, 1, 1) }), fc.constantFrom(...zones), (t, zone) => {
        const p = epochToLocalParts(t, zone);
        expect(civilToMs(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond)).toBe(intlWall(t, zone));
      }),
      { numRuns: 2000 },
    );
    // Every minute of two transition days, where the per-day cache must fall back to hours.
    for (const [zone, day] of [
      ['Europe/Madrid', utc(2025, 3, 30)],
      ['Europe/Madrid', utc(2025, 10, 26)],
      ['America/St_Johns', utc(2025, 3, 9)],
      ['Australia/Lord_Howe', utc(2025, 4, 5)],
    ] as const) {
      for (let t = day - MS_PER_DAY; t < day + 2 * MS_PER_DAY; t += 60_000) {
        const p = epochToLocalParts(t, zone);
        expect(civilToMs(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond), `${zone} ${new Date(t).toISOString()}`).toBe(intlWall(t, zone));
      }
    }
  });

  it('round-trips through localToEpoch except for the second pass of a repeated hour', () => {
    const zone = 'Europe/Madrid';
    for (let t = utc(2025, 10, 25, 22); t < utc(2025, 10, 26, 4); t += 15 * 60_000) {
      const p = epochToLocalParts(t, zone);
      const back = localToEpoch(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond, zone);
      const secondPass = t >= utc(2025, 10, 26, 1) && t < utc(2025, 10, 26, 2);
      expect(back, new Date(t).toISOString()).toBe(secondPass ? t - 3_600_000 : t);
    }
  });
});
