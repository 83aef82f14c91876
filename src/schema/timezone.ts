/**
 * Wall clock <-> instant conversion for IANA time zones, cheap enough for the per-row path.
 *
 * A "wall" value is a local calendar date and time encoded as if it were UTC milliseconds
 * (`civilToMs(2025, 3, 30, 2, 30)`), which keeps the arithmetic integer and allocation-free; a zone
 * turns it into an instant (epoch milliseconds) and back.
 *
 * `Intl.DateTimeFormat` is the only source of zone rules (no bundled tzdata), and it is slow
 * (microseconds per call), so each zone caches offsets per UTC day, falling back to per UTC hour and
 * then to an exact lookup only for the day and hour that contain a transition. The cache assumes at
 * most one transition per UTC day, which holds for every zone in the IANA database since 1900.
 */
import { CxmError } from '../errors.js';

export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`,
 * http://howardhinnant.github.io/date_algorithms.html). Unlike `Date.UTC`, years 0-99 are not
 * shifted to 1900-1999, and nothing is allocated.
 *
 * @example
 * daysFromCivil(1970, 1, 1); // 0
 * daysFromCivil(2000, 3, 1); // 11017
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const index = (y - TABLE_FIRST_YEAR) * 12 + m - 1;
  if (index >= 0 && index < MONTH_STARTS.length && m >= 1 && m <= 12) return (MONTH_STARTS[index] as number) + d - 1;
  return civilDays(y, m, d);
}

function civilDays(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// The day number of the 1st of every month of 1900-2199: one array read instead of five floored
// divisions on the per-row path.
const TABLE_FIRST_YEAR = 1900;
const MONTH_STARTS = new Int32Array(300 * 12);
for (let k = 0; k < MONTH_STARTS.length; k++) {
  MONTH_STARTS[k] = civilDays(TABLE_FIRST_YEAR + Math.floor(k / 12), (k % 12) + 1, 1);
}

/**
 * Wall-clock milliseconds of a local date and time (the fields are not validated: the caller has).
 *
 * @example
 * civilToMs(2025, 3, 30, 2, 30); // Date.UTC(2025, 2, 30, 2, 30)
 */
export function civilToMs(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  return daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + s * MS_PER_SECOND + ms;
}

/** A local date and time as a person in the zone reads it. `weekday` is ISO: 1 = Monday … 7 = Sunday. */
export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
  /** Local minus UTC, in milliseconds (Madrid in summer: 7_200_000). */
  offsetMs: number;
}

/**
 * Splits wall-clock milliseconds into fields (the inverse of `civilToMs`), without a `Date`.
 *
 * @example
 * wallToParts(civilToMs(2025, 7, 1, 12)); // { year: 2025, month: 7, day: 1, hour: 12, …, weekday: 2, offsetMs: 0 }
 */
export function wallToParts(wall: number, offsetMs = 0): LocalParts {
  const days = Math.floor(wall / MS_PER_DAY);
  let rem = wall - days * MS_PER_DAY;
  // Hinnant's civil_from_days.
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rem / MS_PER_HOUR);
  rem -= hour * MS_PER_HOUR;
  const minute = Math.floor(rem / MS_PER_MINUTE);
  rem -= minute * MS_PER_MINUTE;
  const second = Math.floor(rem / MS_PER_SECOND);
  const millisecond = rem - second * MS_PER_SECOND;
  const weekday = (((days + 3) % 7) + 7) % 7 + 1; // 1970-01-01 was a Thursday
  return { year, month, day, hour, minute, second, millisecond, weekday, offsetMs };
}

/** A resolved time zone. Get one with `getZone`; hold on to it for a column instead of the name. */
export interface Zone {
  /** Canonical IANA name (`Europe/Madrid`, `UTC`). */
  readonly name: string;
  /** Local minus UTC at the instant, in milliseconds. */
  offsetAt(epochMs: number): number;
  /**
   * The instant of a local wall-clock time. A time skipped by a DST gap is shifted forward by the
   * gap (Temporal's `'compatible'` disambiguation); a repeated time in an overlap is the earlier one.
   */
  wallToEpoch(wallMs: number): number;
}

const UTC_ZONE: Zone = {
  name: 'UTC',
  offsetAt: () => 0,
  wallToEpoch: (wallMs) => wallMs,
};

// Bounds the caches of a long-running process reading decades of data; entries are cheap to rebuild.
const MAX_CACHE_ENTRIES = 100_000;

class IanaZone implements Zone {
  readonly name: string;
  private readonly format: Intl.DateTimeFormat;
  /** UTC day -> offset, or NaN when a transition happens that day. */
  private readonly utcDays = new Map<number, number>();
  /** UTC hour -> offset, or NaN when a transition happens within that hour; only for transition days. */
  private readonly utcHours = new Map<number, number>();
  /** Local (wall) day -> offset valid for every wall time of that day, or NaN when a transition is near. */
  private readonly wallDays = new Map<number, number>();
  // One-entry memos: consecutive rows are usually on the same day.
  private lastUtcDay = NaN;
  private lastUtcOffset = 0;
  private lastWallDay = NaN;
  private lastWallOffset = 0;

  constructor(name: string) {
    this.name = name;
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The offset straight from Intl (second resolution, which is all the tz database has). */
  private exactOffset(epochMs: number): number {
    const t = Math.floor(epochMs / MS_PER_SECOND) * MS_PER_SECOND;
    let y = 0;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let s = 0;
    let bc = false;
    for (const part of this.format.formatToParts(t)) {
      switch (part.type) {
        case 'year':
          y = Number(part.value);
          break;
        case 'month':
          mo = Number(part.value);
          break;
        case 'day':
          d = Number(part.value);
          break;
        case 'hour':
          h = Number(part.value);
          break;
        case 'minute':
          mi = Number(part.value);
          break;
        case 'second':
          s = Number(part.value);
          break;
        case 'era':
          bc = part.value === 'BC' || part.value === 'B';
          break;
        default:
          break;
      }
    }
    if (bc) y = 1 - y;
    return civilToMs(y, mo, d, h, mi, s) - t;
  }

  offsetAt(epochMs: number): number {
    const day = Math.floor(epochMs / MS_PER_DAY);
    if (day === this.lastUtcDay) return this.lastUtcOffset;
    let offset = this.utcDays.get(day);
    if (offset === undefined) {
      const start = this.exactOffset(day * MS_PER_DAY);
      const end = this.exactOffset(day * MS_PER_DAY + MS_PER_DAY - 1);
      offset = start === end ? start : NaN;
      if (this.utcDays.size >= MAX_CACHE_ENTRIES) this.utcDays.clear();
      this.utcDays.set(day, offset);
    }
    if (offset === offset) {
      this.lastUtcDay = day;
      this.lastUtcOffset = offset;
      return offset;
    }
    // A transition day: resolve per hour, and exactly within the transition hour.
    const hour = Math.floor(epochMs / MS_PER_HOUR);
    let hourOffset = this.utcHours.get(hour);
    if (hourOffset === undefined) {
      const start = this.exactOffset(hour * MS_PER_HOUR);
      const end = this.exactOffset(hour * MS_PER_HOUR + MS_PER_HOUR - 1);
      hourOffset = start === end ? start : NaN;
      if (this.utcHours.size >= MAX_CACHE_ENTRIES) this.utcHours.clear();
      this.utcHours.set(hour, hourOffset);
    }
    return hourOffset === hourOffset ? hourOffset : this.exactOffset(epochMs);
  }

  wallToEpoch(wallMs: number): number {
    const day = Math.floor(wallMs / MS_PER_DAY);
    let offset: number | undefined;
    if (day === this.lastWallDay) {
      offset = this.lastWallOffset;
    } else {
      offset = this.wallDays.get(day);
      if (offset === undefined) {
        // Every instant whose wall time falls on `day` lies within a day either side of it (offsets
        // are under 24 h), so one offset across [day - 1, day + 2) serves the whole local day.
        const before = this.offsetAt((day - 1) * MS_PER_DAY);
        const after = this.offsetAt((day + 2) * MS_PER_DAY);
        offset = before === after ? before : NaN;
        if (this.wallDays.size >= MAX_CACHE_ENTRIES) this.wallDays.clear();
        this.wallDays.set(day, offset);
      }
      if (offset === offset) {
        this.lastWallDay = day;
        this.lastWallOffset = offset;
      }
    }
    if (offset === offset) return wallMs - offset;
    return this.disambiguate(wallMs);
  }

  /** Temporal's GetPossibleEpochNanoseconds + 'compatible' disambiguation, near a transition. */
  private disambiguate(wallMs: number): number {
    const before = this.offsetAt(wallMs - MS_PER_DAY);
    const after = this.offsetAt(wallMs + MS_PER_DAY);
    const early = wallMs - before;
    const late = wallMs - after;
    const earlyOk = this.offsetAt(early) === before;
    const lateOk = this.offsetAt(late) === after;
    if (earlyOk && lateOk) return Math.min(early, late); // overlap: the earlier instant
    if (earlyOk) return early;
    if (lateOk) return late;
    // Gap: read the wall time with the offset in force before the transition, which lands after
    // it, i.e. the wall time moves forward by the length of the gap (02:30 -> 03:30).
    return wallMs - before;
  }
}

const zones = new Map<string, Zone>();
const invalidNames = new Set<string>();
let lastName = 'UTC';
let lastZone: Zone = UTC_ZONE;

function resolveZone(name: string): Zone | null {
  const cached = zones.get(name);
  if (cached !== undefined) return cached;
  if (invalidNames.has(name) || name.trim() === '') return null;
  let canonical: string;
  try {
    canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    if (invalidNames.size < 1000) invalidNames.add(name);
    return null;
  }
  let zone = zones.get(canonical);
  if (zone === undefined) {
    zone = canonical === 'UTC' || canonical === 'Etc/UTC' || canonical === 'Etc/GMT' || canonical === 'GMT'
      ? UTC_ZONE
      : new IanaZone(canonical);
    zones.set(canonical, zone);
  }
  zones.set(name, zone);
  return zone;
}

/**
 * Whether `name` is a time zone this runtime knows (IANA names such as `Europe/Madrid`, or `UTC`).
 *
 * @example
 * isValidTimeZone('Europe/Madrid'); // true
 * isValidTimeZone('Europe/Madird'); // false
 */
export function isValidTimeZone(name: string): boolean {
  return typeof name === 'string' && resolveZone(name) !== null;
}

/**
 * The cached `Zone` for an IANA name (a `Zone` is returned as is). Validate user input with
 * `isValidTimeZone` first: an unknown name throws `CxmError` `INVALID_OPTION`.
 *
 * @example
 * const madrid = getZone('Europe/Madrid');
 * madrid.wallToEpoch(civilToMs(2025, 1, 15, 9, 0)); // 2025-01-15T08:00:00Z
 */
export function getZone(zone: string | Zone = 'UTC'): Zone {
  if (typeof zone !== 'string') return zone;
  if (zone === lastName) return lastZone;
  const resolved = resolveZone(zone);
  if (resolved === null) {
    throw new CxmError('INVALID_OPTION', `unknown time zone "${zone}"`, {
      hint: 'use an IANA name such as Europe/Madrid, America/New_York or UTC',
    });
  }
  lastName = zone;
  lastZone = resolved;
  return resolved;
}

/**
 * The instant (epoch milliseconds) of a local date and time in `zone`. Fields must be valid (month
 * 1-12, …). A time inside a DST gap moves forward by the gap; a repeated time is the earlier instant.
 *
 * @example
 * localToEpoch(2025, 3, 30, 2, 30, 0, 0, 'Europe/Madrid'); // 2025-03-30T01:30:00Z (03:30 CEST)
 * localToEpoch(2025, 10, 26, 2, 30, 0, 0, 'Europe/Madrid'); // 2025-10-26T00:30:00Z (02:30 CEST)
 */
export function localToEpoch(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  zone: string | Zone = 'UTC',
): number {
  return getZone(zone).wallToEpoch(civilToMs(y, mo, d, h, mi, s, ms));
}

/**
 * The local date and time of an instant in `zone`.
 *
 * @example
 * epochToLocalParts(Date.UTC(2025, 6, 1, 10), 'Europe/Madrid');
 * // { year: 2025, month: 7, day: 1, hour: 12, minute: 0, …, offsetMs: 7200000 }
 */
export function epochToLocalParts(epochMs: number, zone: string | Zone = 'UTC'): LocalParts {
  const offset = getZone(zone).offsetAt(epochMs);
  return wallToParts(epochMs + offset, offset);
}
