/**
 * Date and time cells -> epoch milliseconds.
 *
 * A column's format is decided once from a sample (`inferDateFormat`), then every cell is parsed
 * by a char-code scanner for that one format: no regular expression, no `Date` parsing (whose
 * rules vary by engine and silently accept `2024-02-31`), real calendar validation, and a reason
 * naming the expected shape when a value does not fit.
 *
 * Day-first and month-first dates are never guessed: a value such as `31/01/2024` proves the order,
 * and a column where every value fits both orders is reported as ambiguous unless the caller passes
 * an explicit order. A locale alone never decides it.
 *
 * Times without an offset are wall-clock times in the zone the caller passes (default UTC); dates
 * without a time are local midnight. Two-digit years pivot like POSIX `strptime %y`: 00-68 are
 * 2000-2068 and 69-99 are 1969-1999.
 */
import type { Cell } from '../sources/types.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, daysFromCivil, getZone, type Zone } from './timezone.js';
import { invalid, isBlank, quoteValue, wordKey, type Invalid, type Parsed } from './values.js';

/** The shapes a date column can have. */
export const DATE_KINDS = ['ymd', 'dmy', 'mdy', 'month-name', 'yymmdd', 'yyyymmdd', 'excel', 'epoch-s', 'epoch-ms'] as const;
export type DateKind = (typeof DATE_KINDS)[number];
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

/**
 * A column's date format: plain data, safe to print in `inspect --format json`.
 *
 * - `ymd`: ISO 8601 and friends: `2025-12-31`, `2025/12/31`, `2025.12.31`, with an optional time
 *   after `T` or a space (`HH:mm`, `HH:mm:ss`, fractions to nanoseconds, truncated to ms), an
 *   optional 12-hour marker and an optional offset (`Z`, `+02:00`, `+0200`, `+02`, `UTC`, `GMT`).
 * - `dmy` / `mdy`: `31/12/2025`, `31-12-25`, `31.12.2025`, with the same optional time, including
 *   `3:53:50 PM` and Spanish `3:53:50 p. m.`.
 * - `month-name`: `31-Dec-25`, `31 dic 2025`, `5 de marzo de 2024`, `Mar 5, 2024`,
 *   `Tue, 05 Mar 2024 10:00:00 GMT`, `05MAR2024`; English and Spanish names and abbreviations.
 * - `yymmdd` (`990201`), `yyyymmdd` (`19990201`): digits only.
 * - `excel`: spreadsheet serial days (`45657`, `45657.5`), base 1899-12-30 with Excel's fake
 *   29 February 1900 (serial 60) rejected.
 * - `epoch-s`, `epoch-ms`: Unix time; always an instant, the zone does not apply.
 *
 * `serials`: the text column also holds Excel serials (a spreadsheet that typed some cells as
 * numbers). Typed number cells are read as serials in every text format regardless.
 */
export interface DateFormat {
  readonly kind: DateKind;
  /** For the numeric day-month-year kinds, the order of the parts. */
  readonly order?: DateOrder;
  /** The shape as a person reads it: `dd/mm/yyyy`, `yyyy-mm-dd`, `Excel serial`… */
  readonly label: string;
  readonly serials?: boolean;
  /** `ymd` only: two-digit years first (`25-12-31`), chosen by an explicit `ymd` order hint. */
  readonly shortYear?: boolean;
}

const LABELS: Record<DateKind, string> = {
  ymd: 'yyyy-mm-dd',
  dmy: 'dd/mm/yyyy',
  mdy: 'mm/dd/yyyy',
  'month-name': 'dd Mon yyyy',
  yymmdd: 'yymmdd',
  yyyymmdd: 'yyyymmdd',
  excel: 'Excel serial',
  'epoch-s': 'epoch seconds',
  'epoch-ms': 'epoch milliseconds',
};

/**
 * Builds a `DateFormat` (fills in `label` and `order`).
 *
 * @example
 * dateFormat('dmy');                    // { kind: 'dmy', order: 'dmy', label: 'dd/mm/yyyy' }
 * dateFormat('ymd', { serials: true }); // label 'yyyy-mm-dd or Excel serial'
 */
export function dateFormat(kind: DateKind, options: { serials?: boolean; shortYear?: boolean } = {}): DateFormat {
  const shortYear = kind === 'ymd' && options.shortYear === true;
  const serials = options.serials === true && (kind === 'ymd' || kind === 'dmy' || kind === 'mdy' || kind === 'month-name');
  let label = shortYear ? 'yy-mm-dd' : LABELS[kind];
  if (serials) label += ' or Excel serial';
  const format: { -readonly [K in keyof DateFormat]: DateFormat[K] } = { kind, label };
  if (kind === 'ymd' || kind === 'dmy' || kind === 'mdy') format.order = kind;
  if (serials) format.serials = true;
  if (shortYear) format.shortYear = true;
  return format;
}

/** Two-digit years below this are 20xx, the rest 19xx (POSIX `strptime %y`). */
export const TWO_DIGIT_YEAR_PIVOT = 69;

/**
 * A two-digit year as a full year: 00-68 -> 2000-2068, 69-99 -> 1969-1999.
 *
 * @example
 * expandTwoDigitYear(99); // 1999
 * expandTwoDigitYear(24); // 2024
 */
export function expandTwoDigitYear(yy: number): number {
  return yy < TWO_DIGIT_YEAR_PIVOT ? 2000 + yy : 1900 + yy;
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Days in a month of the proleptic Gregorian calendar.
 *
 * @example
 * daysInMonth(2024, 2); // 29
 */
export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// ---------------------------------------------------------------------------------------------
// Scanner state. The scanners write the fields they read here instead of returning objects, so a
// successful parse allocates nothing; everything is synchronous, so the state never leaks across
// calls. `var`, not `let`: V8 checks a module-level `let` for its temporal dead zone on every
// access from a function, which measurably slows the per-cell path (~15%).

var Y = 0;
var MO = 0;
var D = 0;
var H = 0;
var MI = 0;
var S = 0;
var MS = 0;
/** Offset written in the value, minutes east of UTC; NaN when the value has none. */
var OFF = NaN;
/** 0 none, 1 AM, 2 PM. */
var MERIDIEM = 0;
var ERR = 0;

const E_SHAPE = 1;
const E_MONTH = 2;
const E_DAY = 3;
const E_YEAR0 = 4;
const E_HOUR = 5;
const E_MINUTE = 6;
const E_SECOND = 7;
const E_MERIDIEM = 8;
const E_OFFSET = 9;
const E_SERIAL60 = 10;
const E_SERIAL_RANGE = 11;

function bad(code: number): number {
  ERR = code;
  return NaN;
}

function shape(): false {
  ERR = E_SHAPE;
  return false;
}

const DOT = 46;
const COMMA = 44;
const COLON = 58;
const DASH = 45;
const SLASH = 47;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x202f || c === 10 || c === 13 || c === 0xfeff;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f);
}

/** Value of the digits read by the last `digitEnd`. */
var NUM = 0;

/** The index after the run of digits at `i`; sets NUM to their value (one pass, no substring). */
function digitEnd(s: string, i: number, end: number): number {
  let v = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  NUM = v;
  return i;
}

function intOf(s: string, i: number, j: number): number {
  let v = 0;
  for (let k = i; k < j; k++) v = v * 10 + (s.charCodeAt(k) - 48);
  return v;
}

var START = 0;
var END = 0;

/** Sets START/END to the bounds of `s` without surrounding whitespace. */
function trim(s: string): void {
  let i = 0;
  let end = s.length;
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  START = i;
  END = end;
}

/** `am`, `pm`, `a.m.`, `p. m.` (any case) at `k`; returns the index after it, or -1. Sets MERIDIEM. */
function meridiemAt(s: string, k: number, end: number): number {
  const c = s.charCodeAt(k) | 0x20;
  if (c !== 97 && c !== 112) return -1;
  let j = k + 1;
  if (j < end && s.charCodeAt(j) === DOT) {
    j++;
    while (j < end && isSpace(s.charCodeAt(j))) j++;
  }
  if (j >= end || (s.charCodeAt(j) | 0x20) !== 109) return -1;
  j++;
  if (j < end && s.charCodeAt(j) === DOT) j++;
  if (j < end && isLetter(s.charCodeAt(j))) return -1;
  MERIDIEM = c === 97 ? 1 : 2;
  return j;
}

/** `Z`, `+02:00`, `+0200`, `+02`, `-5`, `UTC`, `GMT`, `GMT+0200`, from `k` to `end`. Sets OFF. */
function scanOffset(s: string, k: number, end: number): boolean {
  let c = s.charCodeAt(k);
  if (c === 90 || c === 122) {
    OFF = 0;
    return k + 1 === end || shape();
  }
  const c0 = c | 0x20;
  if ((c0 === 117 || c0 === 103) && k + 3 <= end) {
    const word = ((s.charCodeAt(k) | 0x20) << 16) | ((s.charCodeAt(k + 1) | 0x20) << 8) | (s.charCodeAt(k + 2) | 0x20);
    if (word !== 0x757463 && word !== 0x676d74) return shape(); // utc, gmt
    OFF = 0;
    k += 3;
    if (k === end) return true;
    c = s.charCodeAt(k);
  }
  if (c !== 43 && c !== DASH && c !== 0x2212) return shape();
  const sign = c === 43 ? 1 : -1;
  k++;
  const j = digitEnd(s, k, end);
  let hh: number;
  let mm = 0;
  if (j - k === 4 && j === end) {
    hh = intOf(s, k, k + 2);
    mm = intOf(s, k + 2, j);
  } else if (j - k === 1 || j - k === 2) {
    hh = intOf(s, k, j);
    if (j < end) {
      if (s.charCodeAt(j) !== COLON || digitEnd(s, j + 1, end) !== end || end - j - 1 !== 2) return shape();
      mm = intOf(s, j + 1, end);
    }
  } else {
    return shape();
  }
  if (hh > 18 || mm > 59) {
    ERR = E_OFFSET;
    return false;
  }
  OFF = sign * (hh * 60 + mm);
  return true;
}

/**
 * `H:mm`, `HH:mm:ss`, `HH:mm:ss.fffffffff`, then an optional 12-hour marker and (when
 * `allowOffset`) an offset, up to `end`. Sets H, MI, S, MS, MERIDIEM, OFF.
 */
function scanClock(s: string, i: number, end: number, allowOffset: boolean): boolean {
  let j = digitEnd(s, i, end);
  if (j - i < 1 || j - i > 2 || j >= end || s.charCodeAt(j) !== COLON) return shape();
  H = NUM;
  i = j + 1;
  j = digitEnd(s, i, end);
  if (j - i !== 2) return shape();
  MI = NUM;
  if (j < end && s.charCodeAt(j) === COLON) {
    i = j + 1;
    j = digitEnd(s, i, end);
    if (j - i !== 2) return shape();
    S = NUM;
    if (j < end && (s.charCodeAt(j) === DOT || s.charCodeAt(j) === COMMA)) {
      i = j + 1;
      j = digitEnd(s, i, end);
      const n = j - i;
      if (n < 1 || n > 9) return shape();
      // Milliseconds are the first three digits, truncated like `Date` does with microseconds.
      MS = n >= 3 ? intOf(s, i, i + 3) : intOf(s, i, j) * (n === 1 ? 100 : 10);
    }
  }
  let k = j;
  while (k < end && isSpace(s.charCodeAt(k))) k++;
  if (k < end) {
    const m = meridiemAt(s, k, end);
    if (m > 0) {
      k = m;
      while (k < end && isSpace(s.charCodeAt(k))) k++;
    }
  }
  if (k === end) return true;
  if (!allowOffset) return shape();
  return scanOffset(s, k, end);
}

function resetTime(): void {
  H = 0;
  MI = 0;
  S = 0;
  MS = 0;
  OFF = NaN;
  MERIDIEM = 0;
}

/** What may follow a date: nothing, or `T`/space(s)/`, ` and a time. */
function timeTail(s: string, i: number, end: number): boolean {
  resetTime();
  if (i === end) return true;
  const c = s.charCodeAt(i);
  if (c === 84 || c === 116) {
    i++;
  } else {
    if (c === COMMA) i++;
    const spaces = i;
    while (i < end && isSpace(s.charCodeAt(i))) i++;
    if (i === spaces) return shape();
  }
  return scanClock(s, i, end, true);
}

/** Turns 12-hour H into 24-hour H (false + ERR when H does not fit the marker). */
function applyMeridiem(): boolean {
  if (MERIDIEM === 0) return true;
  if (H > 12 || (H === 0 && MERIDIEM === 2)) {
    ERR = E_MERIDIEM;
    return false;
  }
  H = (H % 12) + (MERIDIEM === 2 ? 12 : 0);
  MERIDIEM = 0;
  return true;
}

function validTime(): boolean {
  if (!applyMeridiem()) return false;
  if (H > 23) ERR = E_HOUR;
  else if (MI > 59) ERR = E_MINUTE;
  else if (S > 59) ERR = E_SECOND;
  else return true;
  return false;
}

/** Records the fields of a value that is not a real date, for `dateReason`. */
function notReal(code: number, y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  Y = y;
  MO = mo;
  D = d;
  H = h;
  MI = mi;
  S = s;
  return bad(code);
}

/**
 * Validates fields and converts them to an instant: `off` is the offset written in the value
 * (minutes east), NaN to read the wall time in `zone`. NaN + ERR when not a real date and time.
 */
function toEpoch(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, off: number, zone: Zone): number {
  if (mo < 1 || mo > 12) return notReal(E_MONTH, y, mo, d, h, mi, s);
  if (y === 0) return notReal(E_YEAR0, y, mo, d, h, mi, s);
  if (d < 1 || d > daysInMonth(y, mo)) return notReal(E_DAY, y, mo, d, h, mi, s);
  if (h > 23) return notReal(E_HOUR, y, mo, d, h, mi, s);
  if (mi > 59) return notReal(E_MINUTE, y, mo, d, h, mi, s);
  if (s > 59) return notReal(E_SECOND, y, mo, d, h, mi, s);
  const wall = daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + s * 1000 + ms;
  return off === off ? wall - off * MS_PER_MINUTE : zone.wallToEpoch(wall);
}

/** `toEpoch` of the scanned fields. */
function finish(zone: Zone): number {
  if (!applyMeridiem()) return NaN;
  return toEpoch(Y, MO, D, H, MI, S, MS, OFF, zone);
}

// Fixed-layout fast paths: most columns are zero-padded machine output (`2025-12-31 23:59:59`,
// `31/12/2025 23:59`), read at fixed offsets without scanning for digit runs. Anything else
// returns FALLBACK and goes through the general scanner.
const FALLBACK = Infinity;

/** Two digits at `i` (the caller has checked the length), or -1. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** The time part at offset 10 of a fixed layout: `[ T]HH:mm[:ss[.fff]][Z]`, then the instant. */
function fixedTime(s: string, n: number, y: number, mo: number, d: number, zone: Zone): number {
  if (n === 10) return toEpoch(y, mo, d, 0, 0, 0, 0, NaN, zone);
  const t = s.charCodeAt(10);
  if ((t !== 32 && t !== 84) || n < 16 || s.charCodeAt(13) !== COLON) return FALLBACK;
  const h = d2(s, 11);
  const mi = d2(s, 14);
  if (h < 0 || mi < 0) return FALLBACK;
  if (n === 16) return toEpoch(y, mo, d, h, mi, 0, 0, NaN, zone);
  if (n < 19 || s.charCodeAt(16) !== COLON) return FALLBACK;
  const sec = d2(s, 17);
  if (sec < 0) return FALLBACK;
  if (n === 19) return toEpoch(y, mo, d, h, mi, sec, 0, NaN, zone);
  if (n === 20 && s.charCodeAt(19) === 90) return toEpoch(y, mo, d, h, mi, sec, 0, 0, zone);
  if (n === 24 && s.charCodeAt(19) === DOT && s.charCodeAt(23) === 90) {
    const ms1 = d2(s, 20);
    const ms2 = s.charCodeAt(22) - 48;
    if (ms1 < 0 || ms2 < 0 || ms2 > 9) return FALLBACK;
    return toEpoch(y, mo, d, h, mi, sec, ms1 * 10 + ms2, 0, zone);
  }
  return FALLBACK;
}

function ymdFixed(s: string, zone: Zone): number {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return FALLBACK;
  const y1 = d2(s, 0);
  const y2 = d2(s, 2);
  const mo = d2(s, 5);
  const d = d2(s, 8);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0) return FALLBACK;
  return fixedTime(s, n, y1 * 100 + y2, mo, d, zone);
}

function dmFixed(s: string, monthFirst: boolean, zone: Zone): number {
  const n = s.length;
  if (n < 10) return FALLBACK;
  const sep = s.charCodeAt(2);
  if ((sep !== SLASH && sep !== DASH && sep !== DOT) || s.charCodeAt(5) !== sep) return FALLBACK;
  const p1 = d2(s, 0);
  const p2 = d2(s, 3);
  const y1 = d2(s, 6);
  const y2 = d2(s, 8);
  if (p1 < 0 || p2 < 0 || y1 < 0 || y2 < 0) return FALLBACK;
  return monthFirst ? fixedTime(s, n, y1 * 100 + y2, p1, p2, zone) : fixedTime(s, n, y1 * 100 + y2, p2, p1, zone);
}

// ---------------------------------------------------------------------------------------------
// One scanner per format

function ymdText(s: string, shortYear: boolean, zone: Zone): number {
  const fast = ymdFixed(s, zone);
  if (fast !== FALLBACK) return fast;
  trim(s);
  const end = END;
  let i = START;
  let j = digitEnd(s, i, end);
  if (j - i === 4) Y = NUM;
  else if (j - i === 2 && shortYear) Y = expandTwoDigitYear(NUM);
  else return bad(E_SHAPE);
  if (j >= end) return bad(E_SHAPE);
  const sep = s.charCodeAt(j);
  if (sep !== DASH && sep !== SLASH && sep !== DOT) return bad(E_SHAPE);
  i = j + 1;
  j = digitEnd(s, i, end);
  if (j - i < 1 || j - i > 2 || j >= end || s.charCodeAt(j) !== sep) return bad(E_SHAPE);
  MO = NUM;
  i = j + 1;
  j = digitEnd(s, i, end);
  if (j - i < 1 || j - i > 2) return bad(E_SHAPE);
  D = NUM;
  if (!timeTail(s, j, end)) return NaN;
  return finish(zone);
}

// Raw parts of a numeric d/m/y value, shared by dmText and dmOrders.
var P1 = 0;
var P2 = 0;
var P1_DIGITS = 0;
var P3_DIGITS = 0;

/** `p1 sep p2 sep year` with sep one of `/ - .`; returns the index after the year, or -1. */
function scanDayMonth(s: string, i: number, end: number): number {
  let j = digitEnd(s, i, end);
  P1_DIGITS = j - i;
  if (P1_DIGITS < 1 || P1_DIGITS > 2 || j >= end) return -1;
  P1 = NUM;
  const sep = s.charCodeAt(j);
  if (sep !== SLASH && sep !== DASH && sep !== DOT) return -1;
  i = j + 1;
  j = digitEnd(s, i, end);
  if (j - i < 1 || j - i > 2 || j >= end || s.charCodeAt(j) !== sep) return -1;
  P2 = NUM;
  i = j + 1;
  j = digitEnd(s, i, end);
  P3_DIGITS = j - i;
  if (P3_DIGITS !== 4 && P3_DIGITS !== 2) return -1;
  Y = P3_DIGITS === 2 ? expandTwoDigitYear(NUM) : NUM;
  return j;
}

function dmText(s: string, monthFirst: boolean, zone: Zone): number {
  const fast = dmFixed(s, monthFirst, zone);
  if (fast !== FALLBACK) return fast;
  trim(s);
  const j = scanDayMonth(s, START, END);
  if (j < 0) return bad(E_SHAPE);
  if (monthFirst) {
    MO = P1;
    D = P2;
  } else {
    D = P1;
    MO = P2;
  }
  if (!timeTail(s, j, END)) return NaN;
  return finish(zone);
}

const MONTHS = new Map<number, number>();
for (const [month, names] of [
  [1, 'jan january ene enero'],
  [2, 'feb february febrero'],
  [3, 'mar march marzo'],
  [4, 'apr april abr abril'],
  [5, 'may mayo'],
  [6, 'jun june junio'],
  [7, 'jul july julio'],
  [8, 'aug august ago agosto'],
  [9, 'sep sept september set septiembre setiembre'],
  [10, 'oct october octubre'],
  [11, 'nov november noviembre'],
  [12, 'dec december dic diciembre'],
] as const) {
  for (const name of names.split(' ')) MONTHS.set(wordKey(name, 0, name.length), month);
}
const WEEKDAYS = new Set<number>(
  'mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday lun lunes mar martes mie miercoles jue jueves vie viernes sab sabado dom domingo'
    .split(' ')
    .map((name) => wordKey(name, 0, name.length)),
);

function letterEnd(s: string, i: number, end: number): number {
  while (i < end && isLetter(s.charCodeAt(i))) i++;
  return i;
}

/** Skips `-`, `/`, `.`, `,`, spaces and the Spanish `de`/`del` between date parts. */
function skipDateSeparators(s: string, i: number, end: number): number {
  for (;;) {
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c !== DASH && c !== SLASH && c !== DOT && c !== COMMA && !isSpace(c)) break;
      i++;
    }
    if (i + 2 < end && (s.charCodeAt(i) | 0x20) === 100 && (s.charCodeAt(i + 1) | 0x20) === 101) {
      let j = i + 2;
      if ((s.charCodeAt(j) | 0x20) === 108) j++;
      if (j < end && !isLetter(s.charCodeAt(j)) && !isDigit(s.charCodeAt(j))) {
        i = j;
        continue;
      }
    }
    return i;
  }
}

/** A month name at `i` (optionally followed by `.`); sets MO and returns the index after, or -1. */
function monthNameAt(s: string, i: number, end: number): number {
  const j = letterEnd(s, i, end);
  const month = MONTHS.get(wordKey(s, i, j));
  if (month === undefined) return -1;
  MO = month;
  return j < end && s.charCodeAt(j) === DOT ? j + 1 : j;
}

/** A 1-2 digit day at `i`, with an optional English ordinal suffix; sets D. */
function dayAt(s: string, i: number, end: number): number {
  const j = digitEnd(s, i, end);
  if (j - i < 1 || j - i > 2) return -1;
  D = intOf(s, i, j);
  const k = letterEnd(s, j, end);
  if (k - j === 2) {
    const suffix = ((s.charCodeAt(j) | 0x20) << 8) | (s.charCodeAt(j + 1) | 0x20);
    if (suffix === 0x7374 || suffix === 0x6e64 || suffix === 0x7264 || suffix === 0x7468) return k; // st nd rd th
  }
  return j;
}

function yearAt(s: string, i: number, end: number): number {
  const j = digitEnd(s, i, end);
  if (j - i === 4) Y = intOf(s, i, j);
  else if (j - i === 2) Y = expandTwoDigitYear(intOf(s, i, j));
  else return -1;
  return j;
}

function nameText(s: string, zone: Zone): number {
  trim(s);
  const end = END;
  let i = START;
  if (i < end && isLetter(s.charCodeAt(i))) {
    // A leading weekday (`Tue, 05 Mar 2024`, `martes, 5 de marzo`); `mar` alone is March.
    const j = letterEnd(s, i, end);
    const key = wordKey(s, i, j);
    let k = j < end && s.charCodeAt(j) === DOT ? j + 1 : j;
    const comma = k < end && s.charCodeAt(k) === COMMA;
    if (WEEKDAYS.has(key) && (comma || !MONTHS.has(key))) {
      if (comma) k++;
      while (k < end && isSpace(s.charCodeAt(k))) k++;
      i = k;
    }
  }
  if (i >= end) return bad(E_SHAPE);
  if (isDigit(s.charCodeAt(i))) {
    i = dayAt(s, i, end);
    if (i < 0) return bad(E_SHAPE);
    i = monthNameAt(s, skipDateSeparators(s, i, end), end);
  } else {
    i = monthNameAt(s, i, end);
    if (i < 0) return bad(E_SHAPE);
    i = dayAt(s, skipDateSeparators(s, i, end), end);
  }
  if (i < 0) return bad(E_SHAPE);
  i = yearAt(s, skipDateSeparators(s, i, end), end);
  if (i < 0) return bad(E_SHAPE);
  if (!timeTail(s, i, end)) return NaN;
  return finish(zone);
}

function compactText(s: string, digits: 6 | 8, zone: Zone): number {
  trim(s);
  const i = START;
  if (END - i !== digits || digitEnd(s, i, END) !== END) return bad(E_SHAPE);
  if (digits === 6) {
    Y = expandTwoDigitYear(intOf(s, i, i + 2));
    MO = intOf(s, i + 2, i + 4);
    D = intOf(s, i + 4, i + 6);
  } else {
    Y = intOf(s, i, i + 4);
    MO = intOf(s, i + 4, i + 6);
    D = intOf(s, i + 6, i + 8);
  }
  resetTime();
  return finish(zone);
}

function compactNumber(x: number, digits: 6 | 8, zone: Zone): number {
  if (!Number.isInteger(x) || x < 0 || x >= (digits === 6 ? 1e6 : 1e8)) return bad(E_SHAPE);
  D = x % 100;
  MO = Math.floor(x / 100) % 100;
  Y = Math.floor(x / 10_000);
  if (digits === 6) Y = expandTwoDigitYear(Y);
  resetTime();
  return finish(zone);
}

// Shape of the last plain number read by numericText.
var INT_DIGITS = 0;
var HAS_FRACTION = false;

/** A plain unsigned decimal (`45657`, `45657.5`, `1700000000,25`); NaN otherwise. */
function numericText(s: string): number {
  trim(s);
  const i = START;
  const end = END;
  const j = digitEnd(s, i, end);
  INT_DIGITS = j - i;
  HAS_FRACTION = false;
  if (INT_DIGITS === 0 || INT_DIGITS > 15) return NaN;
  let v = intOf(s, i, j);
  if (j === end) return v;
  const c = s.charCodeAt(j);
  if ((c !== DOT && c !== COMMA) || digitEnd(s, j + 1, end) !== end || end - j - 1 > 15) return NaN;
  HAS_FRACTION = end > j + 1;
  if (HAS_FRACTION) v += intOf(s, j + 1, end) / 10 ** (end - j - 1);
  return v;
}

const EXCEL_MAX_SERIAL = 2958465; // 9999-12-31
/** Below this, a column made only of numbers is not read as Excel dates (they would be before 1927). */
const MIN_PLAUSIBLE_SERIAL = 10_000;

/**
 * An Excel serial day as an instant: the integer part counts days from 1899-12-30 (from
 * 1899-12-31 below 60, where Lotus 1-2-3's fake 29 February 1900 shifts the count), the fraction is
 * the wall-clock time of day in the zone.
 */
function serialToEpoch(x: number, zone: Zone): number {
  if (!(x >= 1 && x < EXCEL_MAX_SERIAL + 1)) return bad(E_SERIAL_RANGE);
  const day = Math.floor(x);
  if (day === 60) return bad(E_SERIAL60);
  const days = day < 60 ? day - 25568 : day - 25569;
  return zone.wallToEpoch(days * MS_PER_DAY + Math.round((x - day) * MS_PER_DAY));
}

function textDate(s: string, format: DateFormat, zone: Zone): number {
  switch (format.kind) {
    case 'ymd':
      return ymdText(s, format.shortYear === true, zone);
    case 'dmy':
      return dmText(s, false, zone);
    case 'mdy':
      return dmText(s, true, zone);
    case 'month-name':
      return nameText(s, zone);
    case 'yymmdd':
      return compactText(s, 6, zone);
    case 'yyyymmdd':
      return compactText(s, 8, zone);
    case 'excel': {
      const x = numericText(s);
      return x === x ? serialToEpoch(x, zone) : bad(E_SHAPE);
    }
    case 'epoch-s': {
      const x = numericText(s);
      return x === x ? Math.round(x * 1000) : bad(E_SHAPE);
    }
    case 'epoch-ms': {
      const x = numericText(s);
      return x === x ? Math.round(x) : bad(E_SHAPE);
    }
  }
}

function numberDate(x: number, format: DateFormat, zone: Zone): number {
  if (!Number.isFinite(x)) return bad(E_SHAPE);
  switch (format.kind) {
    case 'epoch-s':
      return Math.round(x * 1000);
    case 'epoch-ms':
      return Math.round(x);
    case 'yymmdd':
      return compactNumber(x, 6, zone);
    case 'yyyymmdd':
      return compactNumber(x, 8, zone);
    default:
      // Spreadsheets hand date cells over as serial numbers when the reader does not convert them.
      return serialToEpoch(x, zone);
  }
}

const MONTH_NAMES = ['', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const SHAPES: Record<DateKind, string> = {
  ymd: 'a date like 2025-12-31 or 2025-12-31T23:59:59Z',
  dmy: 'a date like 31/12/2025',
  mdy: 'a date like 12/31/2025',
  'month-name': 'a date like 31-Dec-2025 or 31 dic 2025',
  yymmdd: 'a date like 251231 (yymmdd)',
  yyyymmdd: 'a date like 20251231',
  excel: 'an Excel date serial like 46022',
  'epoch-s': 'epoch seconds like 1767225599',
  'epoch-ms': 'epoch milliseconds like 1767225599000',
};

function dateReason(value: Cell, format: DateFormat): Invalid {
  const got = `got ${quoteValue(value)}`;
  switch (ERR) {
    case E_MONTH:
      if (format.kind === 'dmy' || format.kind === 'mdy') {
        const order = format.kind === 'dmy' ? 'day/month/year' : 'month/day/year';
        return invalid(`not a real date in ${order} order (month ${MO}), ${got}`);
      }
      return invalid(`not a real date (month ${MO}), ${got}`);
    case E_DAY:
      return invalid(
        D === 0 ? `not a real date (day 0), ${got}` : `not a real date (${MONTH_NAMES[MO]} ${Y} has ${daysInMonth(Y, MO)} days), ${got}`,
      );
    case E_YEAR0:
      return invalid(`not a real date (year 0), ${got}`);
    case E_HOUR:
      return invalid(`not a real time (hour ${H}), ${got}`);
    case E_MINUTE:
      return invalid(`not a real time (minute ${MI}), ${got}`);
    case E_SECOND:
      return invalid(`not a real time (second ${S}), ${got}`);
    case E_MERIDIEM:
      return invalid(`not a real time (hour ${H} with ${MERIDIEM === 1 ? 'AM' : 'PM'}), ${got}`);
    case E_OFFSET:
      return invalid(`not a real UTC offset, ${got}`);
    case E_SERIAL60:
      return invalid(`Excel serial 60 is 29 February 1900, a day that never existed, ${got}`);
    case E_SERIAL_RANGE:
      return invalid(`expected an Excel date serial 1-${EXCEL_MAX_SERIAL}, ${got}`);
    default: {
      const expected = format.kind === 'ymd' && format.shortYear ? 'a date like 25-12-31' : SHAPES[format.kind];
      return invalid(`expected ${expected}, ${got}`);
    }
  }
}

function parseDateIn(value: Cell, format: DateFormat, zone: Zone): Parsed<number> {
  if (typeof value === 'string') {
    const r = textDate(value, format, zone);
    if (r === r) return r;
    if (ERR === E_SHAPE) {
      if (isBlank(value)) return null;
      if (format.serials === true) {
        const x = numericText(value);
        if (x === x) {
          const t = serialToEpoch(x, zone);
          if (t === t) return t;
        }
      }
    }
    return dateReason(value, format);
  }
  if (value === null) return null;
  if (typeof value === 'number') {
    const r = numberDate(value, format, zone);
    return r === r ? r : dateReason(value, format);
  }
  if (value instanceof Date) {
    // A spreadsheet date cell has no zone: its UTC fields are the wall clock.
    const t = value.getTime();
    return t === t ? zone.wallToEpoch(t) : invalid('not a real date, got an invalid date');
  }
  ERR = E_SHAPE;
  return dateReason(value, format);
}

/**
 * A date cell in the column's format, as epoch milliseconds. Values without an offset are wall
 * clock in `zone` (an IANA name or a `Zone`; default UTC); dates without a time are local midnight.
 * A spreadsheet `Date` cell is read by its UTC fields as wall clock; a typed number is an Excel
 * serial (or epoch / compact digits in those formats).
 *
 * @example
 * parseDate('31/12/2025 23:59', dateFormat('dmy'), 'Europe/Madrid'); // Date.UTC(2025, 11, 31, 22, 59)
 * parseDate('2017-08-30 11:55:08.970352', dateFormat('ymd'));        // Date.UTC(2017, 7, 30, 11, 55, 8, 970)
 * parseDate('31/02/2024', dateFormat('dmy'));  // Invalid: not a real date (February 2024 has 29 days), got "31/02/2024"
 * parseDate('2025-12-31', dateFormat('dmy'));  // Invalid: expected a date like 31/12/2025, got "2025-12-31"
 */
export function parseDate(value: Cell, format: DateFormat, zone: string | Zone = 'UTC'): Parsed<number> {
  return parseDateIn(value, format, getZone(zone));
}

/**
 * `parseDate` bound to one column's format and zone (the zone is resolved once).
 *
 * @example
 * const createdAt = dateParser(inferred.format, 'Europe/Madrid');
 * createdAt('30/03/2025 02:30'); // 01:30Z: inside the DST gap, moved forward to 03:30 CEST
 */
export function dateParser(format: DateFormat, zone: string | Zone = 'UTC'): (value: Cell) => Parsed<number> {
  const z = getZone(zone);
  return (value) => parseDateIn(value, format, z);
}

/**
 * A time of day as seconds since midnight: `7:02:47`, `15:04`, `15:04:05.250`, `3:53:50 PM`,
 * `3:53 p. m.`. A typed number is a spreadsheet day fraction (0.5 = 12:00); a `Date` cell gives its
 * UTC time. Offsets are refused: a time of day without a date has none.
 *
 * @example
 * parseTimeOfDay('3:53:50 PM'); // 57230
 * parseTimeOfDay('25:00');      // Invalid: not a real time (hour 25), got "25:00"
 */
export function parseTimeOfDay(value: Cell): Parsed<number> {
  if (typeof value === 'string') {
    trim(value);
    resetTime();
    if (START < END && scanClock(value, START, END, false)) {
      if (validTime()) return H * 3600 + MI * 60 + S + MS / 1000;
      return dateReason(value, dateFormat('ymd'));
    }
    if (isBlank(value)) return null;
  } else if (value === null) {
    return null;
  } else if (typeof value === 'number') {
    if (value >= 0 && value < 1) return Math.round(value * MS_PER_DAY) / 1000;
  } else if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return value.getUTCHours() * 3600 + value.getUTCMinutes() * 60 + value.getUTCSeconds() + value.getUTCMilliseconds() / 1000;
  }
  return invalid(`expected a time like 15:04 or 3:53:50 PM, got ${quoteValue(value)}`);
}

/**
 * Joins a date column and a time-of-day column: the local calendar date of `dateMs` in `zone`, at
 * `seconds` after its local midnight, as an instant (DST gaps move forward, as everywhere here).
 *
 * @example
 * const day = parseDate('30/10/2025', dateFormat('dmy'), 'Europe/Madrid') as number;
 * combineDateAndTime(day, 7 * 3600 + 2 * 60 + 47, 'Europe/Madrid'); // 2025-10-30T06:02:47Z
 */
export function combineDateAndTime(dateMs: number, seconds: number, zone: string | Zone = 'UTC'): number {
  const z = getZone(zone);
  const localDay = Math.floor((dateMs + z.offsetAt(dateMs)) / MS_PER_DAY);
  return z.wallToEpoch(localDay * MS_PER_DAY + Math.round(seconds * 1000));
}

// ---------------------------------------------------------------------------------------------
// Column inference

/**
 * For a numeric day-month-year value: -1 when it does not have that shape; otherwise bit 1 set when
 * it is a real date read day-first, bit 2 when read month-first (3: both, 0: neither).
 */
function dmOrders(s: string): number {
  trim(s);
  const j = scanDayMonth(s, START, END);
  if (j < 0) return -1;
  if (j < END) {
    const c = s.charCodeAt(j);
    if (!isSpace(c) && c !== 84 && c !== 116 && c !== COMMA) return -1;
  }
  let mask = 0;
  if (P2 >= 1 && P2 <= 12 && P1 >= 1 && P1 <= daysInMonth(Y, P2)) mask |= 1;
  if (P1 >= 1 && P1 <= 12 && P2 >= 1 && P2 <= daysInMonth(Y, P1)) mask |= 2;
  return mask;
}

export type DateOrderState = 'undecided' | 'dmy' | 'mdy' | 'conflict';

/**
 * Decides day-first vs month-first one value at a time, so a reader can buffer rows only until
 * the order is proven. A value is proof when it is a real date in one order only (`31/01/2024`,
 * `01/31/2024`); values that fit both, and values of other shapes, change nothing. Both proofs in
 * one column is a `'conflict'` and stays so.
 *
 * @example
 * const decider = new DateOrderDecider();
 * decider.feed('05/03/2024'); // 'undecided'
 * decider.feed('13/03/2024'); // 'dmy'
 * decider.feed('03/14/2024'); // 'conflict'
 */
export class DateOrderDecider {
  state: DateOrderState = 'undecided';
  /** The first value that can only be day-first. */
  dayFirst: string | undefined;
  /** The first value that can only be month-first. */
  monthFirst: string | undefined;
  /** The first value that fits both orders. */
  either: string | undefined;
  /** How many d/m/y-shaped values were fed. */
  seen = 0;
  /** True while every d/m/y value fed had a two-digit first part and two-digit year (`24/03/05`). */
  twoDigitEnds = true;

  /** Feeds one cell; returns the state after it. */
  feed(value: Cell): DateOrderState {
    if (typeof value !== 'string' || this.state === 'conflict') return this.state;
    const mask = dmOrders(value);
    if (mask < 0) return this.state;
    this.seen++;
    if (P3_DIGITS !== 2 || P1_DIGITS !== 2) this.twoDigitEnds = false;
    if (mask === 1) {
      this.dayFirst ??= value;
      if (this.state === 'mdy') this.state = 'conflict';
      else this.state = 'dmy';
    } else if (mask === 2) {
      this.monthFirst ??= value;
      if (this.state === 'dmy') this.state = 'conflict';
      else this.state = 'mdy';
    } else if (mask === 3) {
      this.either ??= value;
    }
    return this.state;
  }

  /** The value that proved the current order (`undefined` while undecided or in conflict). */
  get proof(): string | undefined {
    return this.state === 'dmy' ? this.dayFirst : this.state === 'mdy' ? this.monthFirst : undefined;
  }

  /** What the values showed, for messages: `"31/01/2024" can only be day-first, …`. */
  evidence(): string {
    const parts: string[] = [];
    if (this.dayFirst !== undefined) parts.push(`${quoteValue(this.dayFirst)} can only be day-first`);
    if (this.monthFirst !== undefined) parts.push(`${quoteValue(this.monthFirst)} can only be month-first`);
    if (parts.length === 0) {
      return this.either !== undefined
        ? `every value fits both orders, e.g. ${quoteValue(this.either)}`
        : 'no day/month/year values seen';
    }
    return parts.join(', ');
  }

  /** Why the column is unusable, when in conflict. */
  get reason(): string | undefined {
    if (this.state !== 'conflict') return undefined;
    return `both day-first (${quoteValue(this.dayFirst)}) and month-first (${quoteValue(this.monthFirst)}) dates in one column`;
  }
}

/** What the caller knows beyond the values. Only an explicit `order` settles day-first vs month-first. */
export interface DateHint {
  order?: DateOrder;
  /** Accepted for symmetry with numbers; never decides the date order. */
  locale?: 'es' | 'en';
}

export type DateInference =
  | { format: DateFormat; note: string }
  | { ambiguous: true; reason: string; candidates: DateFormat[] }
  | Invalid;

// Sample classes, indexes into the counts.
const C_YMD = 0;
const C_DM = 1;
const C_NAME = 2;
const C_YYMMDD = 3;
const C_YYYYMMDD = 4;
const C_EPOCH_S = 5;
const C_EPOCH_MS = 6;
const C_EXCEL = 7;
const C_UNKNOWN = -1;
const C_CELL = -2;
const CLASS_KINDS: readonly DateKind[] = ['ymd', 'dmy', 'month-name', 'yymmdd', 'yyyymmdd', 'epoch-s', 'epoch-ms', 'excel'];

function classifyNumeric(x: number, intDigits: number, fraction: boolean): number {
  if (!fraction) {
    if (intDigits === 6) return C_YYMMDD;
    if (intDigits === 8) return C_YYYYMMDD;
    if (intDigits === 10) return C_EPOCH_S;
    if (intDigits === 13) return C_EPOCH_MS;
  } else if (intDigits === 10) {
    return C_EPOCH_S;
  }
  return intDigits <= 7 && x >= 1 && x <= EXCEL_MAX_SERIAL ? C_EXCEL : C_UNKNOWN;
}

const UTC: Zone = getZone('UTC');

function classify(value: Cell): number {
  if (value instanceof Date) return C_CELL;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return C_UNKNOWN;
    const intDigits = Math.floor(value) === 0 ? 1 : Math.floor(Math.log10(Math.floor(value))) + 1;
    return classifyNumeric(value, intDigits, !Number.isInteger(value));
  }
  if (typeof value !== 'string') return C_UNKNOWN;
  const x = numericText(value);
  if (x === x) return classifyNumeric(x, INT_DIGITS, HAS_FRACTION);
  // Shape, not validity, decides the class: `2024-02-31` is a bad ymd value, not another format.
  const ymd = ymdText(value, false, UTC);
  if (ymd === ymd || ERR !== E_SHAPE) return C_YMD;
  if (dmOrders(value) >= 0) return C_DM;
  const named = nameText(value, UTC);
  if (named === named || ERR !== E_SHAPE) return C_NAME;
  return C_UNKNOWN;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Decides a date column's format from a sample of its cells. Day-first vs month-first comes from
 * all the values (`31/01/2024` proves dmy, `01/31/2024` proves mdy, both is an error naming one of
 * each); when every value fits both orders, only an explicit `hint.order` decides, else the result
 * is `{ ambiguous }` (never a guess). An explicit order wins over the values: values that contradict
 * it are rejected row by row. Excel serials mixed into a text column set `serials`. When the values
 * have several shapes, the most common wins if the others are at most a tenth of the sample (they
 * will be rejected row by row), else the column is invalid. All-6-digit columns are `yymmdd`; a
 * column of numbers alone is Excel serials only when they are 5-digit (1927 onwards), so years and
 * counts are not read as dates.
 *
 * @example
 * inferDateFormat(['05/03/2024', '31/03/2024']);             // { format: dd/mm/yyyy, note: '… "31/03/2024" can only be day-first' }
 * inferDateFormat(['05/03/2024']);                           // { ambiguous: true, reason: 'every sampled date fits both …' }
 * inferDateFormat(['05/03/2024'], { order: 'mdy' }).format;  // mm/dd/yyyy
 * inferDateFormat(['31/01/2024', '01/31/2024']);             // Invalid: both day-first (…) and month-first (…) dates
 */
export function inferDateFormat(samples: readonly Cell[], hint: DateHint = {}): DateInference {
  const counts = [0, 0, 0, 0, 0, 0, 0, 0];
  const examples: (Cell | undefined)[] = [];
  let cells = 0;
  let unknown = 0;
  let unknownExample: Cell | undefined;
  let blanks = 0;
  let smallSerial: Cell | undefined;
  const decider = new DateOrderDecider();
  for (const value of samples) {
    if (typeof value === 'string' ? isBlank(value) : value === null) {
      blanks++;
      continue;
    }
    const c = classify(value);
    if (c === C_CELL) {
      cells++;
    } else if (c === C_UNKNOWN) {
      if (unknown++ === 0) unknownExample = value;
    } else {
      if (counts[c]!++ === 0) examples[c] = value;
      if (c === C_DM) decider.feed(value);
      else if (c === C_EXCEL && smallSerial === undefined && Number(typeof value === 'string' ? value.replace(',', '.') : value) < MIN_PLAUSIBLE_SERIAL) {
        smallSerial = value;
      }
    }
  }
  const recognised = counts.reduce((a, b) => a + b, 0);
  if (recognised === 0) {
    if (cells > 0) return { format: dateFormat('ymd'), note: 'spreadsheet date cells' };
    if (unknown > 0) return invalid(`no value looks like a date, e.g. ${quoteValue(unknownExample)}`);
    return { ambiguous: true, reason: `no dates among the ${plural(blanks, 'sampled value')}`, candidates: [] };
  }
  // The most common class; Excel serials only win when nothing else is there.
  let main = C_EXCEL;
  for (let c = C_YMD; c < C_EXCEL; c++) if (counts[c]! > 0 && (main === C_EXCEL || counts[c]! > counts[main]!)) main = c;
  const text = main === C_YMD || main === C_DM || main === C_NAME;
  const serials = text && counts[C_EXCEL]! > 0;
  let others = 0;
  let other = -1;
  for (let c = C_YMD; c <= C_EXCEL; c++) {
    if (c === main || (c === C_EXCEL && serials) || counts[c] === 0) continue;
    others += counts[c]!;
    if (other < 0) other = c;
  }
  if (main === C_EXCEL && smallSerial !== undefined) {
    // A column of small numbers (years, counts, ids) is not a column of Excel dates.
    return invalid(`numbers such as ${quoteValue(smallSerial)} are too small to be Excel date serials (${MIN_PLAUSIBLE_SERIAL} is 1927-05-18)`);
  }
  if (others * 10 > recognised) {
    return invalid(
      `mixed date formats: ${quoteValue(examples[main])} (${LABELS[CLASS_KINDS[main]!]}) and ${quoteValue(examples[other])} (${LABELS[CLASS_KINDS[other]!]})`,
    );
  }
  const rest: string[] = [];
  if (others > 0) rest.push(`${plural(others, 'sampled value')} in other shapes such as ${quoteValue(examples[other])} will be rejected`);
  if (serials) rest.push(`${plural(counts[C_EXCEL]!, 'Excel serial')} read as dates`);
  const tail = rest.length > 0 ? `; ${rest.join('; ')}` : '';

  if (main !== C_DM) {
    const kind = CLASS_KINDS[main]!;
    const why: Partial<Record<DateKind, string>> = {
      ymd: 'year first (ISO 8601)',
      'month-name': 'month names',
      yymmdd: `every sampled value has 6 digits, read as yymmdd (years 00-${TWO_DIGIT_YEAR_PIVOT - 1} are 20xx)`,
      yyyymmdd: 'every sampled value has 8 digits',
      'epoch-s': '10-digit Unix timestamps',
      'epoch-ms': '13-digit Unix timestamps',
      excel: 'spreadsheet serial numbers',
    };
    return { format: dateFormat(kind, { serials }), note: `${LABELS[kind]}: ${why[kind]}${tail}` };
  }

  if (hint.order === 'ymd' && decider.twoDigitEnds) {
    return {
      format: dateFormat('ymd', { shortYear: true, serials }),
      note: `yy-mm-dd from the date-order hint${tail}`,
    };
  }
  if (hint.order === 'dmy' || hint.order === 'mdy') {
    const against = hint.order === 'dmy' ? decider.monthFirst : decider.dayFirst;
    const conflict =
      against === undefined ? '' : `; values such as ${quoteValue(against)} do not fit that order and will be rejected`;
    return {
      format: dateFormat(hint.order, { serials }),
      note: `${LABELS[hint.order]} from the date-order hint${conflict}${tail}`,
    };
  }
  if (decider.state === 'conflict') return invalid(decider.reason as string);
  if (decider.state === 'dmy' || decider.state === 'mdy') {
    return { format: dateFormat(decider.state, { serials }), note: `${LABELS[decider.state]}: ${decider.evidence()}${tail}` };
  }
  if (decider.either === undefined) {
    return invalid(`no value is a real date in either day/month order, e.g. ${quoteValue(examples[C_DM])}`);
  }
  return {
    ambiguous: true,
    reason: `every sampled date fits both dd/mm/yyyy and mm/dd/yyyy, e.g. ${quoteValue(decider.either)}`,
    candidates: [dateFormat('dmy', { serials }), dateFormat('mdy', { serials })],
  };
}
