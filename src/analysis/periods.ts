/**
 * Calendar periods in a time zone: buckets for `--period`, and the ranges `--since/--until`
 * accept (dates, or relative names such as `last-week`, `last-30d`, `ytd`, resolved against
 * `--now`). Weeks are ISO weeks (Monday first, keyed `2025-W07`) unless `--week-start sunday`
 * (keyed by the Sunday the week starts on, `2025-02-09`, as there is no standard numbering).
 */
import { CxmError } from '../errors.js';
import { epochToLocalParts, getZone, localToEpoch, type Zone } from '../schema/timezone.js';

export const PERIOD_UNITS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];
export type WeekStart = 'monday' | 'sunday';

export interface Period {
  key: string;
  /** Inclusive start, epoch ms. */
  start: number;
  /** Exclusive end, epoch ms. */
  end: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO 8601 week-numbering year and week of a civil date. */
function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = Date.UTC(year, month - 1, day);
  const weekday = ((new Date(date).getUTCDay() + 6) % 7) + 1; // 1 = Monday
  const thursday = date + (4 - weekday) * 86_400_000;
  const thursdayYear = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(thursdayYear, 0, 1)) / (7 * 86_400_000)) + 1;
  return { year: thursdayYear, week };
}

function addDays(year: number, month: number, day: number, days: number): [number, number, number] {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** Builds period lookups for one unit and zone; remembers the last period, as rows come in runs. */
export class PeriodCalendar {
  readonly unit: PeriodUnit;
  readonly zone: Zone;
  readonly weekStart: WeekStart;
  private last: Period | null = null;

  constructor(unit: PeriodUnit, zone: string, weekStart: WeekStart = 'monday') {
    this.unit = unit;
    this.zone = getZone(zone);
    this.weekStart = weekStart;
  }

  /** The period an instant falls in. */
  periodOf(ms: number): Period {
    const last = this.last;
    if (last && ms >= last.start && ms < last.end) return last;
    const p = epochToLocalParts(ms, this.zone);
    let y = p.year;
    let m = p.month;
    let d = p.day;
    let key: string;
    let next: [number, number, number];
    switch (this.unit) {
      case 'day':
        key = `${y}-${pad(m)}-${pad(d)}`;
        next = addDays(y, m, d, 1);
        break;
      case 'week': {
        const back = this.weekStart === 'monday' ? p.weekday - 1 : p.weekday % 7;
        [y, m, d] = addDays(y, m, d, -back);
        if (this.weekStart === 'monday') {
          const iso = isoWeek(y, m, d);
          key = `${iso.year}-W${pad(iso.week)}`;
        } else key = `${y}-${pad(m)}-${pad(d)}`;
        next = addDays(y, m, d, 7);
        break;
      }
      case 'month':
        d = 1;
        key = `${y}-${pad(m)}`;
        next = m === 12 ? [y + 1, 1, 1] : [y, m + 1, 1];
        break;
      case 'quarter': {
        const q = Math.floor((m - 1) / 3);
        m = q * 3 + 1;
        d = 1;
        key = `${y}-Q${q + 1}`;
        next = m + 3 > 12 ? [y + 1, 1, 1] : [y, m + 3, 1];
        break;
      }
      case 'year':
        m = 1;
        d = 1;
        key = String(y);
        next = [y + 1, 1, 1];
        break;
    }
    const period: Period = {
      key,
      start: localToEpoch(y, m, d, 0, 0, 0, 0, this.zone),
      end: localToEpoch(next[0], next[1], next[2], 0, 0, 0, 0, this.zone),
    };
    this.last = period;
    return period;
  }

  /** Every period from the one holding `start` to the one holding `end - 1`, empty ones included. */
  periodsBetween(start: number, end: number): Period[] {
    const out: Period[] = [];
    if (!(end > start)) return out;
    let cursor = start;
    while (cursor < end && out.length < 100_000) {
      const period = this.periodOf(cursor);
      out.push(period);
      cursor = period.end;
    }
    return out;
  }
}

/** A local calendar date (and optional time) in the zone, as epoch ms. */
function parseAbsolute(text: string, zone: Zone): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => (v === undefined ? 0 : Number(v))) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 59) return null;
  const check = new Date(Date.UTC(y!, mo! - 1, d!));
  if (check.getUTCDate() !== d) return null;
  if (m[7]) {
    const offset = m[7] === 'Z' ? 0 : (m[7][0] === '-' ? -1 : 1) * (Number(m[7].slice(1, 3)) * 60 + Number(m[7].slice(-2))) * 60_000;
    return Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - offset;
  }
  return localToEpoch(y!, mo!, d!, h!, mi!, s!, 0, zone);
}

export interface RangeBound {
  /** The instant. */
  at: number;
  /** For a named period (`last-week`), its end: `--since last-week` alone means that whole week. */
  periodEnd: number | null;
}

/**
 * Resolves a `--since`/`--until` value: `2025-03-01`, `2025-03-01T09:00`, or `today`,
 * `yesterday`, `this-week|month|quarter|year`, `last-week|month|quarter|year`, `last-30d`,
 * `last-4w`, `last-6m`, `ytd`, `mtd`.
 */
export function parseRangeValue(text: string, now: number, zone: string, weekStart: WeekStart = 'monday', option = '--since'): RangeBound {
  const z = getZone(zone);
  const value = text.trim().toLowerCase();
  const absolute = parseAbsolute(text.trim(), z);
  if (absolute !== null) return { at: absolute, periodEnd: null };
  const named = /^(this|last|previous|prev)-(day|week|month|quarter|year)$/.exec(value);
  if (named || value === 'today' || value === 'yesterday') {
    const unit: PeriodUnit = named ? (named[2] as PeriodUnit) : 'day';
    const back = named ? named[1] !== 'this' : value === 'yesterday';
    const calendar = new PeriodCalendar(unit, zone, weekStart);
    const current = calendar.periodOf(now);
    const period = back ? calendar.periodOf(current.start - 1) : current;
    return { at: period.start, periodEnd: period.end };
  }
  const lastN = /^last-(\d{1,4})(d|w|m|y)$/.exec(value);
  if (lastN) {
    const n = Number(lastN[1]);
    const p = epochToLocalParts(now, z);
    const today = localToEpoch(p.year, p.month, p.day, 0, 0, 0, 0, z);
    const unit = lastN[2];
    let at: number;
    if (unit === 'd' || unit === 'w') {
      // Day arithmetic is linear in the civil-day count, so an out-of-range day is fine here.
      at = localToEpoch(p.year, p.month, p.day - (unit === 'd' ? n : 7 * n) + 1, 0, 0, 0, 0, z);
    }
    else {
      // n months (or years) back, then the day after: last-1m on 15 March starts 16 February.
      const months = unit === 'm' ? n : 12 * n;
      const index = p.year * 12 + (p.month - 1) - months;
      const backYear = Math.floor(index / 12);
      const backMonth = (index % 12) + 1;
      // Clamp to the month's length: one month before 31 March is 28 February, not 3 March.
      const backDay = Math.min(p.day, new Date(Date.UTC(backYear, backMonth, 0)).getUTCDate());
      const [y, m, d] = addDays(backYear, backMonth, backDay, 1);
      at = localToEpoch(y, m, d, 0, 0, 0, 0, z);
    }
    return { at: Math.min(at, today), periodEnd: null };
  }
  if (value === 'ytd' || value === 'mtd') {
    const p = epochToLocalParts(now, z);
    return { at: localToEpoch(p.year, value === 'ytd' ? 1 : p.month, 1, 0, 0, 0, 0, z), periodEnd: null };
  }
  throw new CxmError('INVALID_OPTION', `invalid option ${option}: must be a date (2025-03-01) or a relative range (last-week, last-month, last-30d, ytd…), got ${JSON.stringify(text)}`, {
    hint: 'relative ranges are resolved against --now (default: the clock) in --tz',
  });
}

/** Formats an instant as a local ISO date-time with offset, for period boundaries in output. */
export function formatLocal(ms: number, zone: string): string {
  const p = epochToLocalParts(ms, zone);
  const offsetMin = Math.round(p.offsetMs / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = offsetMin === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${offset}`;
}

/** A local calendar date `YYYY-MM-DD` of an instant. */
export function formatLocalDate(ms: number, zone: string): string {
  const p = epochToLocalParts(ms, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}
