/**
 * Time helpers for the demo: everything is an epoch-millisecond UTC instant; the company lives in
 * Europe/Madrid (CET/CEST, EU daylight-saving rules), written here without a tz database so the
 * output never depends on the machine's ICU data.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface Civil {
  y: number;
  /** 1-12 */
  mo: number;
  d: number;
}

export interface LocalParts extends Civil {
  h: number;
  mi: number;
  s: number;
  /** 0 = Sunday … 6 = Saturday */
  dow: number;
}

/** 01:00 UTC on the last Sunday of a month (month 1-12): when EU clocks change. */
function lastSundayChangeUtc(y: number, mo: number): number {
  const lastDay = new Date(Date.UTC(y, mo, 0));
  const back = lastDay.getUTCDay();
  return Date.UTC(y, mo - 1, lastDay.getUTCDate() - back, 1, 0, 0);
}

const dstCache = new Map<number, readonly [number, number]>();
function dstRange(y: number): readonly [number, number] {
  let r = dstCache.get(y);
  if (!r) {
    r = [lastSundayChangeUtc(y, 3), lastSundayChangeUtc(y, 10)] as const;
    dstCache.set(y, r);
  }
  return r;
}

/** Madrid's UTC offset in minutes at an instant: 60 (CET) or 120 (CEST). */
export function madridOffsetMin(utcMs: number): number {
  const y = new Date(utcMs).getUTCFullYear();
  const [start, end] = dstRange(y);
  return utcMs >= start && utcMs < end ? 120 : 60;
}

/** The instant of a Madrid wall-clock time (a time in the spring gap moves one hour on). */
export function localToUtc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  const summer = naive - 120 * MINUTE_MS;
  if (madridOffsetMin(summer) === 120) return summer;
  return naive - 60 * MINUTE_MS;
}

export function localParts(utcMs: number): LocalParts {
  const dt = new Date(utcMs + madridOffsetMin(utcMs) * MINUTE_MS);
  return {
    y: dt.getUTCFullYear(),
    mo: dt.getUTCMonth() + 1,
    d: dt.getUTCDate(),
    h: dt.getUTCHours(),
    mi: dt.getUTCMinutes(),
    s: dt.getUTCSeconds(),
    dow: dt.getUTCDay(),
  };
}

export function civilAddDays(c: Civil, n: number): Civil {
  const dt = new Date(Date.UTC(c.y, c.mo - 1, c.d + n));
  return { y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

export function civilDow(c: Civil): number {
  return new Date(Date.UTC(c.y, c.mo - 1, c.d)).getUTCDay();
}

/** Whole days from a to b (b - a). */
export function civilDiff(a: Civil, b: Civil): number {
  return Math.round((Date.UTC(b.y, b.mo - 1, b.d) - Date.UTC(a.y, a.mo - 1, a.d)) / DAY_MS);
}

/** Madrid midnight starting the local day of an instant. */
export function localMidnight(utcMs: number): number {
  const p = localParts(utcMs);
  return localToUtc(p.y, p.mo, p.d);
}

const p2 = (n: number): string => String(n).padStart(2, '0');

export function civilKey(c: Civil): string {
  return `${c.y}-${p2(c.mo)}-${p2(c.d)}`;
}

/** `2025-03-04T10:12:00Z` */
export function isoZ(utcMs: number): string {
  return new Date(utcMs).toISOString().slice(0, 19) + 'Z';
}

/** `2025-03-04T10:12:00+01:00` (Madrid local time with its offset). */
export function isoMadrid(utcMs: number): string {
  const p = localParts(utcMs);
  const off = madridOffsetMin(utcMs);
  return `${civilKey(p)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}+${p2(off / 60)}:00`;
}

/** Local date `2025-03-04`. */
export function ymd(utcMs: number): string {
  return civilKey(localParts(utcMs));
}

/** Local date `04/03/2025`. */
export function dmy(utcMs: number): string {
  const p = localParts(utcMs);
  return `${p2(p.d)}/${p2(p.mo)}/${p.y}`;
}

/** Local `04/03/2025 10:12`. */
export function dmyHm(utcMs: number): string {
  const p = localParts(utcMs);
  return `${p2(p.d)}/${p2(p.mo)}/${p.y} ${p2(p.h)}:${p2(p.mi)}`;
}

/** Local `10:12:05`. */
export function hms(utcMs: number): string {
  const p = localParts(utcMs);
  return `${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}`;
}

/** Spanish national holidays in the demo period (plus Madrid's regional ones where the HQ is). */
export const HOLIDAYS: ReadonlySet<string> = new Set([
  '2024-12-06',
  '2024-12-25',
  '2025-01-01',
  '2025-01-06',
  '2025-04-17',
  '2025-04-18',
  '2025-05-01',
  '2025-08-15',
  '2025-11-01',
  '2025-12-06',
  '2025-12-08',
  '2025-12-25',
]);

/** Opening hours per weekday (0 = Sunday), minutes from local midnight, or null when closed. */
export type OpeningHours = readonly (readonly [number, number] | null)[];

/** The support desk: Mon-Fri 08:00-20:00, Sat 09:00-14:00. */
export const SUPPORT_HOURS: OpeningHours = [null, [480, 1200], [480, 1200], [480, 1200], [480, 1200], [480, 1200], [540, 840]];
/** The contact centre: Mon-Fri 09:00-21:00, Sat 10:00-14:00. */
export const CALL_HOURS: OpeningHours = [null, [540, 1260], [540, 1260], [540, 1260], [540, 1260], [540, 1260], [600, 840]];
/** Stores: Mon-Sat 10:00-21:30, closed on Sundays and holidays. */
export const STORE_HOURS: OpeningHours = [null, [600, 1290], [600, 1290], [600, 1290], [600, 1290], [600, 1290], [600, 1290]];

function openInterval(c: Civil, hours: OpeningHours): readonly [number, number] | null {
  if (HOLIDAYS.has(civilKey(c))) return null;
  const span = hours[civilDow(c)];
  if (!span) return null;
  const base = localToUtc(c.y, c.mo, c.d);
  return [base + span[0] * MINUTE_MS, base + span[1] * MINUTE_MS];
}

export function isOpenDay(c: Civil, hours: OpeningHours): boolean {
  return openInterval(c, hours) !== null;
}

/** Adds working minutes to an instant within the given opening hours (0 minutes = next opening). */
export function addBusinessMinutes(start: number, minutes: number, hours: OpeningHours): number {
  let t = start;
  let remaining = Math.max(0, minutes) * MINUTE_MS;
  let day: Civil = localParts(t);
  for (let guard = 0; guard < 2000; guard++) {
    const iv = openInterval(day, hours);
    if (iv && t < iv[1]) {
      const from = Math.max(t, iv[0]);
      const available = iv[1] - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
    }
    day = civilAddDays(day, 1);
    t = localToUtc(day.y, day.mo, day.d);
  }
  throw new Error('addBusinessMinutes did not converge');
}

/** Rounds an instant down to the whole minute. */
export function wholeMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** Rounds an instant down to the whole second. */
export function wholeSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
