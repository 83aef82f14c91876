/**
 * Business hours: the schedule model and business-time arithmetic. Pure (no clock, no I/O).
 *
 * A schedule is a time zone, weekly intervals in local wall time (several per day: 09:00-14:00
 * and 15:00-18:00 leaves a lunch break out), closed days (holidays: single dates or inclusive
 * ranges, dated or every year), changes over time (a new week from a local date on) and per-group
 * schedules (ticket group or call queue) that inherit what they leave out.
 *
 * Every-year holidays ("12-25", {"from": "12-24", "to": "12-26"}, {"from": "12-31", "to": "01-01"}
 * across new year) close the same local month and day in every year. "02-29" closes Feb 29 of leap
 * years and nothing in other years (it is not moved to Feb 28 or Mar 1: a holiday that falls on a
 * date a year lacks is not observed that year; list the observed date as a dated holiday if a
 * centre closes anyway). A range "02-28".."03-01" covers Feb 29 whenever the year has one.
 *
 * Business time between two instants is the part of [start, end) that falls inside the intervals.
 * The walk goes day by day over the local calendar (never minute by minute): for each local day
 * it takes that day's intervals, turns their wall-clock ends into instants through the zone, and
 * adds the overlap, so the cost is O(days spanned × intervals per day). The zone does the DST work:
 * on Europe/Madrid's 2025-03-30 a 00:00-24:00 day lasts 23 hours, on 2025-10-26 25 hours, and
 * 09:00 on the Monday after a change is 07:00Z instead of 08:00Z. A wall time inside a DST gap
 * moves forward with the gap (timezone.ts), so an interval lying wholly in the gap is empty.
 *
 * A ticket created outside hours starts its clock at the next business minute: that is what the
 * overlap gives (nothing counts before the next interval opens), and `nextBusinessInstant` names
 * that instant.
 *
 * Schedule changes while a ticket is open follow one of two rules:
 * - `at-event`: the schedule in force when the measured event happened (the first reply, the
 *   solve) applies to the whole duration. This is how Zendesk computes its single-event business
 *   metrics, so results reconcile with its exports. Holidays are not versioned: they apply to
 *   their dates under either rule.
 * - `cumulative`: each stretch of time counts under the schedule in force during it (the schedule
 *   of each local day).
 *
 * Status histories (`statusDurations`): the stretch from one status event to the next counts
 * under the status it started with. Requester wait = new + open + on-hold (the customer waits on
 * the company), agent wait = pending (the company waits on the customer), on-hold = on-hold
 * (waiting on a third party); solved and closed stretches count nowhere. This is Zendesk's
 * definition of requester wait and agent wait.
 *
 * @module
 */
import { CxmError } from '../errors.js';
import { WEEKDAY_KEYS, parseClockInterval, parseIsoDate, parseMonthDay, type Config } from '../schema/config.js';
import { normalizeHeader } from '../schema/fields.js';
import { MS_PER_DAY, MS_PER_MINUTE, daysFromCivil, getZone, wallToParts, type Zone } from '../schema/timezone.js';

export type ScheduleRule = 'at-event' | 'cumulative';
export type TimeBasis = 'business' | 'calendar';

export { SCHEDULE_RULES, TIME_BASES } from './clock-options.js';

/** [start, end) in minutes since local midnight; end may be 1440 (24:00). */
export type Interval = readonly [start: number, end: number];

/** Seven days of sorted, non-overlapping intervals, Monday first (index = ISO weekday - 1). */
export type Week = readonly (readonly Interval[])[];

export interface ScheduleVersion {
  /** First local day (days since 1970-01-01 in the schedule's zone) it applies to; -Infinity for the base week. */
  readonly fromDay: number;
  /** The configured date, or null for the base week. */
  readonly from: string | null;
  readonly week: Week;
  /** Business minutes in a week without holidays (for documentation and quick checks). */
  readonly weeklyMinutes: number;
}

/** A compiled schedule. Build one with {@link compileSchedule}; pick a group's with {@link scheduleFor}. */
export interface Schedule {
  /** null for the default schedule, else the group name as configured. */
  readonly group: string | null;
  readonly zone: Zone;
  /** Sorted by `fromDay`; the first is the base week. */
  readonly versions: readonly ScheduleVersion[];
  /** Closed local days as sorted, merged, inclusive [first, last] day numbers. */
  readonly holidays: readonly (readonly [number, number])[];
  /**
   * Every-year closed days as inclusive [first, last] month-day keys (month × 100 + day: 1225 is
   * Dec 25); first > last crosses new year. Empty when none (the walk then never reads the date).
   */
  readonly recurringHolidays: readonly (readonly [number, number])[];
  /** Per-group schedules by folded group name (only on the default schedule). */
  readonly groups: ReadonlyMap<string, Schedule>;
}

/** The `businessHours` section of the config, as validated by src/schema/config.ts. */
export type BusinessHoursConfig = NonNullable<Config['businessHours']>;
type WeekConfig = BusinessHoursConfig['week'];
type HolidayConfig = NonNullable<BusinessHoursConfig['holidays']>[number];
type ChangeConfig = NonNullable<BusinessHoursConfig['changes']>[number];

// ---------------------------------------------------------------------------------------
// compiling

function invalid(key: string, message: string): CxmError {
  return new CxmError('INVALID_CONFIG', `${key}: ${message}`, { hint: 'fix the businessHours section; `cxm config check` validates the file' });
}

function compileWeek(week: WeekConfig, key: string): Week {
  return WEEKDAY_KEYS.map((day) => {
    const intervals: Interval[] = [];
    for (const text of week[day] ?? []) {
      const r = parseClockInterval(text);
      if ('error' in r) throw invalid(`${key}.${day}`, r.error);
      intervals.push([r.start, r.end]);
    }
    intervals.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < intervals.length; i++) {
      if (intervals[i]![0] < intervals[i - 1]![1]) throw invalid(`${key}.${day}`, 'intervals overlap');
    }
    return intervals;
  });
}

function dayOf(text: string, key: string): number {
  const d = parseIsoDate(text);
  if (!d) throw invalid(key, `expected a date "YYYY-MM-DD", got "${text}"`);
  return daysFromCivil(d.year, d.month, d.day);
}

const weekMinutes = (week: Week) => week.reduce((sum, day) => sum + day.reduce((s, [a, b]) => s + b - a, 0), 0);

function compileVersions(week: WeekConfig, changes: readonly ChangeConfig[] | undefined, key: string): ScheduleVersion[] {
  const base = compileWeek(week, `${key}.week`);
  const versions: ScheduleVersion[] = [{ fromDay: -Infinity, from: null, week: base, weeklyMinutes: weekMinutes(base) }];
  const sorted = [...(changes ?? [])].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (const change of sorted) {
    const w = compileWeek(change.week, `${key}.changes(${change.from}).week`);
    versions.push({ fromDay: dayOf(change.from, `${key}.changes`), from: change.from, week: w, weeklyMinutes: weekMinutes(w) });
  }
  return versions;
}

/** The month-day key (month × 100 + day) of an every-year date "MM-DD", or null for a dated one. */
function monthDayKey(text: string): number | null {
  const md = parseMonthDay(text);
  return md ? md.month * 100 + md.day : null;
}

interface Holidays {
  dated: [number, number][];
  recurring: [number, number][];
}

function compileHolidays(list: readonly HolidayConfig[] | undefined, key: string): Holidays {
  const ranges: [number, number][] = [];
  const recurring: [number, number][] = [];
  for (const h of list ?? []) {
    const [from, to] = typeof h === 'string' ? [h, h] : [h.from, h.to];
    const a = monthDayKey(from);
    const b = monthDayKey(to);
    if (a !== null && b !== null) recurring.push([a, b]);
    else if (a !== null || b !== null) throw invalid(`${key}.holidays`, `"${from}".."${to}": both dated or both every-year`);
    else ranges.push([dayOf(from, `${key}.holidays`), dayOf(to, `${key}.holidays`)]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  recurring.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { dated: merged, recurring };
}

/** Is the local day inside an every-year holiday? */
function isRecurringHoliday(recurring: Schedule['recurringHolidays'], day: number): boolean {
  if (recurring.length === 0) return false;
  const { month, day: dom } = wallToParts(day * MS_PER_DAY);
  const md = month * 100 + dom;
  for (const [a, b] of recurring) {
    if (a <= b ? md >= a && md <= b : md >= a || md <= b) return true;
  }
  return false;
}

/** Folds a group or queue name for lookup (case, accents, punctuation): "Soporte Técnico" = "soporte tecnico". */
export const foldGroup = (name: string): string => normalizeHeader(name);

/**
 * Compiles the validated `businessHours` config. `defaultZone` is the config's `timezone` (the
 * schedule's own wins). A group inherits the time zone and holidays it leaves out; a group
 * without `week` inherits the week and its changes, one with `week` uses only its own changes.
 *
 * @example
 * const s = compileSchedule({ week: { mon: ['09:00-14:00', '15:00-18:00'] }, holidays: ['2025-12-25'] }, 'Europe/Madrid');
 * s.versions[0].weeklyMinutes; // 480
 */
export function compileSchedule(config: BusinessHoursConfig, defaultZone = 'UTC'): Schedule {
  const zoneName = config.timezone ?? defaultZone;
  const versions = compileVersions(config.week, config.changes, 'businessHours');
  const holidays = compileHolidays(config.holidays, 'businessHours');
  const groups = new Map<string, Schedule>();
  for (const [name, g] of Object.entries(config.byGroup ?? {})) {
    const key = `businessHours.byGroup.${name}`;
    const own = g.holidays ? compileHolidays(g.holidays, key) : holidays;
    groups.set(foldGroup(name), {
      group: name,
      zone: getZone(g.timezone ?? zoneName),
      versions: g.week ? compileVersions(g.week, g.changes, key) : versions,
      holidays: own.dated,
      recurringHolidays: own.recurring,
      groups: new Map(),
    });
  }
  return { group: null, zone: getZone(zoneName), versions, holidays: holidays.dated, recurringHolidays: holidays.recurring, groups };
}

/** Group names as written -> their schedule: folding a name costs more than the lookup it serves. */
const groupCache = new WeakMap<Schedule, Map<string, Schedule>>();

/** The schedule of a group or queue: its own when configured (compared folded), else the default. */
export function scheduleFor(schedule: Schedule, group: string | undefined | null): Schedule {
  if (group === undefined || group === null || schedule.groups.size === 0) return schedule;
  let cache = groupCache.get(schedule);
  if (!cache) groupCache.set(schedule, (cache = new Map()));
  let found = cache.get(group);
  if (!found) {
    found = schedule.groups.get(foldGroup(group)) ?? schedule;
    if (cache.size >= 10_000) cache.clear();
    cache.set(group, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// arithmetic

/** The local day number (days since 1970-01-01 in the zone) of an instant. */
export function localDay(zone: Zone, epochMs: number): number {
  return Math.floor((epochMs + zone.offsetAt(epochMs)) / MS_PER_DAY);
}

/** ISO weekday index 0 (Monday) … 6 (Sunday) of a day number; 1970-01-01 was a Thursday. */
const weekdayIndex = (day: number) => (((day + 3) % 7) + 7) % 7;

/** The version in force on a local day. */
export function versionOn(schedule: Schedule, day: number): ScheduleVersion {
  const versions = schedule.versions;
  let i = versions.length - 1;
  while (i > 0 && versions[i]!.fromDay > day) i--;
  return versions[i]!;
}

/** Index of the first holiday range whose last day is >= day (binary search). */
function holidayIndex(holidays: Schedule['holidays'], day: number): number {
  let lo = 0;
  let hi = holidays.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (holidays[mid]![1] < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Is the local day a holiday (dated or every year)? */
export function isHoliday(schedule: Schedule, day: number): boolean {
  const h = schedule.holidays[holidayIndex(schedule.holidays, day)];
  return (h !== undefined && h[0] <= day) || isRecurringHoliday(schedule.recurringHolidays, day);
}

/**
 * Is the schedule open at instant `t`: does `t` fall in [start, end) of an interval of its local
 * day, under the week in force that day, the day not being a holiday? An interval's close is
 * outside (a call at 18:00:00 of a 09:00-18:00 day is after hours). O(intervals of one day).
 *
 * @example
 * isOpenAt(s, Date.UTC(2025, 0, 6, 8, 30)); // Madrid Mon 09:30 CET -> true
 */
export function isOpenAt(schedule: Schedule, t: number): boolean {
  const open = openOn(schedule, localDay(schedule.zone, t));
  for (let i = 0; i < open.length; i += 2) {
    if (t >= open[i]! && t < open[i + 1]!) return true;
  }
  return false;
}

/** The last local day asked of each schedule, with its open intervals as instants (start, end, start, end…). */
const openCache = new WeakMap<Schedule, { day: number; open: number[] }>();

/** The open intervals of a local day as instants; calls come roughly in time order, so the day's are kept. */
function openOn(schedule: Schedule, day: number): readonly number[] {
  const cached = openCache.get(schedule);
  if (cached && cached.day === day) return cached.open;
  const open: number[] = [];
  if (!isHoliday(schedule, day)) {
    const { zone } = schedule;
    const midnight = day * MS_PER_DAY;
    for (const [a, b] of versionOn(schedule, day).week[weekdayIndex(day)]!) {
      open.push(zone.wallToEpoch(midnight + a * MS_PER_MINUTE), zone.wallToEpoch(midnight + b * MS_PER_MINUTE));
    }
  }
  if (cached) {
    cached.day = day;
    cached.open = open;
  } else openCache.set(schedule, { day, open });
  return open;
}

export interface BusinessOptions {
  /** Default `cumulative`. */
  rule?: ScheduleRule;
  /** The measured event, whose schedule applies to the whole span under `at-event`. Default: `end`. */
  eventAt?: number;
}

/**
 * Calls `visit(start, end)` with the instants of each business interval that overlaps
 * [fromDay, toDay], in order; returns early when `visit` returns true.
 */
function eachInterval(schedule: Schedule, fromDay: number, toDay: number, fixed: ScheduleVersion | null, visit: (s: number, e: number) => boolean): void {
  const { zone, holidays, versions, recurringHolidays } = schedule;
  let h = holidayIndex(holidays, fromDay);
  let v = 0;
  if (!fixed) while (v + 1 < versions.length && versions[v + 1]!.fromDay <= fromDay) v++;
  for (let day = fromDay; day <= toDay; day++) {
    while (h < holidays.length && holidays[h]![1] < day) h++;
    if (h < holidays.length && holidays[h]![0] <= day) continue;
    if (isRecurringHoliday(recurringHolidays, day)) continue;
    let version = fixed;
    if (!version) {
      while (v + 1 < versions.length && versions[v + 1]!.fromDay <= day) v++;
      version = versions[v]!;
    }
    const intervals = version.week[weekdayIndex(day)]!;
    if (intervals.length === 0) continue;
    const midnight = day * MS_PER_DAY;
    for (const [a, b] of intervals) {
      if (visit(zone.wallToEpoch(midnight + a * MS_PER_MINUTE), zone.wallToEpoch(midnight + b * MS_PER_MINUTE))) return;
    }
  }
}

/**
 * Business milliseconds in [start, end) (0 when end <= start). O(days spanned).
 *
 * @example
 * // Mon-Fri 09:00-18:00 UTC; Friday 2025-01-03 16:00 to Monday 2025-01-06 11:00
 * businessMs(s, Date.UTC(2025, 0, 3, 16), Date.UTC(2025, 0, 6, 11)); // 4 h = 14_400_000
 */
export function businessMs(schedule: Schedule, start: number, end: number, options: BusinessOptions = {}): number {
  if (!(end > start)) return 0;
  const zone = schedule.zone;
  const fixed = options.rule === 'at-event' ? versionOn(schedule, localDay(zone, options.eventAt ?? end)) : null;
  let total = 0;
  eachInterval(schedule, localDay(zone, start), localDay(zone, end), fixed, (s, e) => {
    const lo = s > start ? s : start;
    const hi = e < end ? e : end;
    if (hi > lo) total += hi - lo;
    return false;
  });
  return total;
}

/** Business seconds in [start, end); see {@link businessMs}. */
export function businessSeconds(schedule: Schedule, start: number, end: number, options: BusinessOptions = {}): number {
  return businessMs(schedule, start, end, options) / 1000;
}

/** Business days looked ahead before giving up (a schedule closed for ten years is no schedule). */
const HORIZON_DAYS = 3660;

/**
 * The first business instant at or after `t` (where a clock started at `t` starts counting), or
 * null when nothing opens within ten years. Follows the schedule in force on each day.
 *
 * @example
 * nextBusinessInstant(s, Date.UTC(2025, 0, 4, 10)); // Saturday -> Monday 2025-01-06 09:00
 */
export function nextBusinessInstant(schedule: Schedule, t: number): number | null {
  const first = localDay(schedule.zone, t);
  let found: number | null = null;
  eachInterval(schedule, first, first + HORIZON_DAYS, null, (s, e) => {
    if (e <= t || e <= s) return false;
    found = s > t ? s : t;
    return true;
  });
  return found;
}

/**
 * The instant at which `ms` of business time have elapsed since `start` (an SLA due time), under
 * the schedule in force on each day; null beyond ten years.
 *
 * @example
 * addBusinessMs(s, Date.UTC(2025, 0, 3, 17), 2 * 3_600_000); // Friday 17:00 + 2 h -> Monday 10:00
 */
export function addBusinessMs(schedule: Schedule, start: number, ms: number): number | null {
  let left = ms;
  if (left <= 0) return nextBusinessInstant(schedule, start) === null ? null : start;
  let found: number | null = null;
  const first = localDay(schedule.zone, start);
  eachInterval(schedule, first, first + HORIZON_DAYS, null, (s, e) => {
    const lo = s > start ? s : start;
    if (e <= lo) return false;
    if (e - lo >= left) {
      found = lo + left;
      return true;
    }
    left -= e - lo;
    return false;
  });
  return found;
}

// ---------------------------------------------------------------------------------------
// status histories

/** What a ticket status means for the clocks. */
export type StatusClass = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'unknown';

const STATUS_WORDS: Readonly<Record<Exclude<StatusClass, 'unknown'>, readonly string[]>> = {
  new: ['new', 'nuevo', 'nueva'],
  open: ['open', 'opened', 'reopened', 'in progress', 'assigned', 'abierto', 'abierta', 'reabierto', 'reabierta', 'en curso', 'en progreso', 'en proceso', 'asignado', 'asignada'],
  pending: [
    'pending', 'pending customer', 'pending customer response', 'awaiting customer', 'waiting on customer', 'waiting for customer',
    'waiting on requester', 'pendiente', 'pendiente cliente', 'pendiente del cliente', 'esperando cliente', 'esperando al cliente', 'esperando respuesta',
  ],
  hold: ['hold', 'on hold', 'onhold', 'waiting on third party', 'awaiting third party', 'en espera', 'en pausa', 'pausado', 'pausada', 'retenido', 'retenida'],
  solved: ['solved', 'closed', 'resolved', 'resuelto', 'resuelta', 'cerrado', 'cerrada'],
};

const STATUS_CLASS: ReadonlyMap<string, StatusClass> = new Map(
  Object.entries(STATUS_WORDS).flatMap(([cls, words]) => words.map((w) => [w, cls as StatusClass] as const)),
);

/**
 * Classifies a status as help desks name them, in English and Spanish (case, accents and
 * punctuation ignored: "On-hold" = "on hold"). Unknown words are `unknown`.
 *
 * @example classifyStatus('Pendiente'); // 'pending'
 */
export function classifyStatus(status: string): StatusClass {
  return STATUS_CLASS.get(normalizeHeader(status)) ?? 'unknown';
}

export interface StatusEvent {
  /** Epoch ms when the ticket entered `status`. */
  at: number;
  status: string;
}

/** Seconds per clock. */
export interface StatusTimes {
  /** new + open + on-hold. */
  requesterWait: number;
  /** pending. */
  agentWait: number;
  /** on-hold. */
  onHold: number;
}

export interface StatusDurations {
  calendar: StatusTimes;
  /** null without a schedule. */
  business: StatusTimes | null;
  /** When the ticket was last solved or closed, or null when its last status is not a solved one. */
  solvedAt: number | null;
  /** Status words the classification does not know; their stretches count nowhere. */
  unknown: string[];
}

export interface StatusOptions {
  /** Default `cumulative`. Under `at-event` the event is the last solve, else `until`, else the last event. */
  rule?: ScheduleRule;
  /** A ticket still unsolved keeps its last status until this instant (e.g. the end of the report); default: its last event. */
  until?: number;
}

/**
 * Requester wait, agent wait and on-hold time of one ticket from its status events (any order;
 * ties keep their given order). Each stretch from one event to the next counts under the status
 * it began with, in calendar time and, with a schedule, in business time.
 *
 * @example
 * statusDurations([{ at: t0, status: 'new' }, { at: t0 + 3_600_000, status: 'pending' }, { at: t0 + 5_400_000, status: 'solved' }], null);
 * // { calendar: { requesterWait: 3600, agentWait: 1800, onHold: 0 }, business: null, solvedAt: t0 + 5_400_000, unknown: [] }
 */
export function statusDurations(events: readonly StatusEvent[], schedule: Schedule | null, options: StatusOptions = {}): StatusDurations {
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
  const calendar: StatusTimes = { requesterWait: 0, agentWait: 0, onHold: 0 };
  const business: StatusTimes | null = schedule ? { requesterWait: 0, agentWait: 0, onHold: 0 } : null;
  const unknown = new Set<string>();
  const last = sorted[sorted.length - 1];
  const solvedAt = last !== undefined && classifyStatus(last.status) === 'solved' ? last.at : null;
  const eventAt = solvedAt ?? options.until ?? last?.at;
  const bOptions: BusinessOptions = { rule: options.rule ?? 'cumulative', ...(eventAt === undefined ? {} : { eventAt }) };
  for (let i = 0; i < sorted.length; i++) {
    const from = sorted[i]!;
    const next = sorted[i + 1];
    const to = next ? next.at : solvedAt === null && options.until !== undefined ? options.until : from.at;
    const cls = classifyStatus(from.status);
    if (cls === 'unknown') unknown.add(from.status);
    if (!(to > from.at) || cls === 'solved' || cls === 'unknown') continue;
    const seconds = (to - from.at) / 1000;
    const bSeconds = schedule ? businessMs(schedule, from.at, to, bOptions) / 1000 : 0;
    if (cls === 'pending') {
      calendar.agentWait += seconds;
      if (business) business.agentWait += bSeconds;
    } else {
      calendar.requesterWait += seconds;
      if (business) business.requesterWait += bSeconds;
      if (cls === 'hold') {
        calendar.onHold += seconds;
        if (business) business.onHold += bSeconds;
      }
    }
  }
  return { calendar, business, solvedAt, unknown: [...unknown].sort() };
}
