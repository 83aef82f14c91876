/**
 * Pure value parsers of the schema layer: one text (or typed) cell in, one typed value out.
 *
 * They run once per cell over millions of rows, so the work that depends only on the column (the
 * decimal separator, the score scale, the duration unit, the label map) is decided once, and each
 * parser is a single pass over char codes: no regular expression, no exception, and nothing
 * allocated on success beyond the result. Every parser returns the value, `null` for a blank, or an
 * `Invalid` whose `reason` reads after `column "X": `, e.g. `expected a score 0-10, got "11"`.
 */
import type { Cell } from '../sources/types.js';

/** A value that could not be parsed. Allocated only on failure. */
export interface Invalid {
  readonly invalid: true;
  /** A short phrase naming what was expected and the offending value (truncated to 40 characters). */
  readonly reason: string;
}

/** What every parser returns: the value, `null` for a blank cell, or why the cell is unusable. */
export type Parsed<T> = T | null | Invalid;

/**
 * Builds an `Invalid`.
 *
 * @example
 * invalid('expected a number, got "12abc"'); // { invalid: true, reason: 'expected a number, got "12abc"' }
 */
export function invalid(reason: string): Invalid {
  return { invalid: true, reason };
}

/**
 * Whether a parser's result is an `Invalid`.
 *
 * @example
 * const r = parseNumber('12abc');
 * if (isInvalid(r)) reject(r.reason);
 */
export function isInvalid(value: unknown): value is Invalid {
  return typeof value === 'object' && value !== null && (value as Partial<Invalid>).invalid === true;
}

const MAX_SHOWN = 40;

/**
 * A cell as it should appear in a reason: text quoted (escaped, cut to 40 characters), typed values bare.
 *
 * @example
 * quoteValue('31/02/2024'); // '"31/02/2024"'
 * quoteValue(9.5);          // '9.5'
 */
export function quoteValue(value: Cell | undefined): string {
  if (typeof value === 'string') {
    if (value.length <= MAX_SHOWN) return JSON.stringify(value);
    let cut = MAX_SHOWN;
    const last = value.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut--; // do not split a surrogate pair
    return JSON.stringify(`${value.slice(0, cut)}…`);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString();
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Blanks

/**
 * Cell texts that mean "no value" in exports (compared trimmed and case-insensitively). `NaN` is
 * deliberately absent: in a numeric column it is a computation error upstream, reported as invalid.
 * `#N/D` is Spanish Excel's `#N/A`.
 */
export const BLANK_TOKENS: readonly string[] = [
  '',
  'NA',
  'N/A',
  '#N/A',
  '#N/D',
  'null',
  'None',
  'nil',
  '-',
  '--',
  '—',
  '–',
];

const BLANK_SET: ReadonlySet<string> = new Set(BLANK_TOKENS.map((t) => t.toLowerCase()));
const LONGEST_BLANK = Math.max(...BLANK_TOKENS.map((t) => t.length));

function isSpace(c: number): boolean {
  // space, tab, LF, CR, NBSP, narrow NBSP (French thousands), BOM
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x202f || c === 0xfeff;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether a cell is empty: `null`, whitespace, or one of `BLANK_TOKENS` (`NA`, `N/A`, `#N/A`,
 * `null`, `None`, `nil`, `-`, `—`, …, any case). Typed numbers, booleans and dates are never blank.
 *
 * @example
 * isBlank(' n/a '); // true
 * isBlank('0');     // false
 */
export function isBlank(value: Cell | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string') return false;
  const n = value.length;
  if (n === 0) return true;
  const c = value.charCodeAt(0);
  if (isDigit(c)) return false; // the common case: a number or a date
  if (n > LONGEST_BLANK && !isSpace(c) && !isSpace(value.charCodeAt(n - 1))) return false;
  const t = value.trim();
  return t.length <= LONGEST_BLANK && BLANK_SET.has(t.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Which character separates the decimals in a column. The other of `.`/`,` is a thousands separator. */
export interface NumberStyle {
  decimal: '.' | ',';
  /** Why this separator (for `inspect`); parsers ignore it. */
  note?: string;
}

/** The result of `inferNumberStyle`: the style, what decided it, and a note for `inspect`. */
export interface NumberStyleInference extends NumberStyle {
  /** `values`: the sample proves it; `locale`: the sample fits both and the locale hint decided; `default`: neither. */
  basis: 'values' | 'locale' | 'default';
  note: string;
}

export const DECIMAL_POINT: NumberStyle = { decimal: '.' };
export const DECIMAL_COMMA: NumberStyle = { decimal: ',' };

const DOT = 46;
const COMMA = 44;

/** What a single sample says about the decimal separator. */
const EV_NONE = 0;
const EV_POINT = 1;
const EV_COMMA = 2;
const EV_AMBIGUOUS = 3;

function numberEvidence(s: string): number {
  let dots = 0;
  let commas = 0;
  let lastDot = -1;
  let lastComma = -1;
  let firstSep = -1;
  let digitsBefore = 0; // digits before the first separator
  let spaceGroups = false;
  let sawDigit = false;
  let leadingZero = false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (isDigit(c)) {
      if (firstSep < 0) {
        if (!sawDigit && c === 48) leadingZero = true;
        else if (c !== 48) leadingZero = false;
        digitsBefore++;
      }
      sawDigit = true;
    } else if (c === DOT || c === COMMA) {
      if (firstSep < 0) firstSep = k;
      if (c === DOT) {
        dots++;
        lastDot = k;
      } else {
        commas++;
        lastComma = k;
      }
    } else if ((c === 32 || c === 0xa0 || c === 0x202f || c === 39 || c === 0x2019) && sawDigit) {
      if (k + 1 < s.length && isDigit(s.charCodeAt(k + 1))) spaceGroups = true;
    } else if ((c === 101 || c === 69) && sawDigit) {
      break; // exponent: the mantissa has already spoken
    }
  }
  if (dots > 0 && commas > 0) return lastComma > lastDot ? EV_COMMA : EV_POINT;
  if (commas > 1) return EV_POINT;
  if (dots > 1) return EV_COMMA;
  if (commas === 0 && dots === 0) return EV_NONE;
  const sep = commas === 1 ? lastComma : lastDot;
  let after = 0;
  for (let k = sep + 1; k < s.length && isDigit(s.charCodeAt(k)); k++) after++;
  const thisIsDecimal = commas === 1 ? EV_COMMA : EV_POINT;
  // A thousands separator is followed by exactly three digits and preceded by 1-3 digits that do
  // not start with 0, and never follows a space group (`1 234,567`).
  if (after !== 3 || digitsBefore === 0 || digitsBefore > 3 || (leadingZero && digitsBefore === 1) || spaceGroups) {
    return thisIsDecimal;
  }
  return EV_AMBIGUOUS;
}

/**
 * Decides a column's decimal separator from a sample of its cells. `1.234,56`, `1 234,56` and
 * `12,5` prove a decimal comma; `1,234.56`, `12.5` and `1,234,567` prove a decimal point. Values
 * such as `1,234` fit both: they follow the rest of the sample, then the locale hint (`es` ->
 * comma, `en` -> point), then default to a point. When the sample has both proofs, the majority
 * wins and the minority will be rejected row by row (the note says so).
 *
 * @example
 * inferNumberStyle(['1.234,56', '12']).decimal; // ','
 * inferNumberStyle(['1,234'], 'es').decimal;    // ',' (basis: 'locale')
 */
export function inferNumberStyle(samples: readonly Cell[], locale?: 'es' | 'en'): NumberStyleInference {
  let point = 0;
  let comma = 0;
  let ambiguous = 0;
  let pointExample = '';
  let commaExample = '';
  let ambiguousExample = '';
  for (const value of samples) {
    if (typeof value !== 'string' || isBlank(value)) continue;
    const ev = numberEvidence(value);
    if (ev === EV_POINT) {
      if (point++ === 0) pointExample = value;
    } else if (ev === EV_COMMA) {
      if (comma++ === 0) commaExample = value;
    } else if (ev === EV_AMBIGUOUS) {
      if (ambiguous++ === 0) ambiguousExample = value;
    }
  }
  if (point > 0 || comma > 0) {
    const decimal = comma > point ? ',' : '.';
    const [n, example, m, other] =
      decimal === ',' ? [comma, commaExample, point, pointExample] : [point, pointExample, comma, commaExample];
    const name = decimal === ',' ? 'decimal comma' : 'decimal point';
    let note = `${name}: ${quoteValue(example)}${n > 1 ? ` and ${n - 1} more` : ''}`;
    if (m > 0) {
      const many = m > 1;
      note += `; ${m} sampled value${many ? 's' : ''} such as ${quoteValue(other)} use${many ? '' : 's'} the other separator and will be rejected`;
    }
    return { decimal, basis: 'values', note };
  }
  if (locale !== undefined) {
    const decimal = locale === 'es' ? ',' : '.';
    const why = ambiguous > 0 ? `${quoteValue(ambiguousExample)} fits both separators` : 'no separators in the sample';
    return { decimal, basis: 'locale', note: `decimal ${decimal === ',' ? 'comma' : 'point'} from locale ${locale} (${why})` };
  }
  const note =
    ambiguous > 0
      ? `${quoteValue(ambiguousExample)} fits both separators; assumed a decimal point (give a locale to decide)`
      : 'no separators in the sample; assumed a decimal point';
  return { decimal: '.', basis: 'default', note };
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

// Failure codes of the scanners, read right after a NaN return (single-threaded, synchronous).
const F_SHAPE = 1;
const F_GROUP = 2;
const F_RANGE = 3;
const F_BLANK = 4;
let failure = 0;
let sawPercent = false;

function fail(code: number): number {
  failure = code;
  return NaN;
}

function isGroupChar(c: number, dec: number): boolean {
  return (
    c === (dec === DOT ? COMMA : DOT) || c === 32 || c === 0xa0 || c === 0x202f || c === 39 || c === 0x2019
  );
}

/**
 * Scans `s[i, end)` as an unsigned decimal number: digits, optional thousands groups (first group
 * 1-3 digits, then exactly 3, one separator kind), one decimal separator `dec`, optional exponent.
 * Up to 15 significant digits and |exponent| <= 22 are converted exactly with one multiplication or
 * division (Clinger's fast path, "How to read floating point numbers accurately", PLDI 1990);
 * anything longer goes through `Number()`.
 */
function scanDecimal(s: string, i: number, end: number, dec: number, groups: boolean): number {
  let mant = 0;
  let sig = 0;
  let frac = 0;
  let digits = 0;
  let exact = true;
  let groupSep = -1;
  let run = 0;
  let seenDec = false;
  let exp = 0;
  let k = i;
  for (; k < end; k++) {
    const c = s.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      digits++;
      run++;
      if (mant === 0 && c === 48) {
        if (seenDec) frac++;
      } else if (sig < 15) {
        mant = mant * 10 + (c - 48);
        sig++;
        if (seenDec) frac++;
      } else {
        exact = false;
      }
      continue;
    }
    if (c === dec) {
      if (seenDec) return fail(F_SHAPE);
      if (groupSep !== -1 && run !== 3) return fail(F_GROUP);
      seenDec = true;
      run = 0;
      continue;
    }
    if (groups && !seenDec && isGroupChar(c, dec)) {
      if (digits === 0) return fail(F_SHAPE);
      if (groupSep === -1) {
        if (run > 3) return fail(F_GROUP);
        groupSep = c;
      } else if (c !== groupSep || run !== 3) {
        return fail(F_GROUP);
      }
      if (k + 1 >= end || !isDigit(s.charCodeAt(k + 1))) return fail(F_GROUP);
      run = 0;
      continue;
    }
    if ((c === 101 || c === 69) && digits > 0) {
      let m = k + 1;
      let expNeg = false;
      if (m < end && (s.charCodeAt(m) === 45 || s.charCodeAt(m) === 43)) {
        expNeg = s.charCodeAt(m) === 45;
        m++;
      }
      const expStart = m;
      for (; m < end && isDigit(s.charCodeAt(m)); m++) {
        if (exp < 100_000) exp = exp * 10 + (s.charCodeAt(m) - 48);
      }
      if (m === expStart || m !== end) return fail(F_SHAPE);
      if (expNeg) exp = -exp;
      break;
    }
    return fail(digits === 0 && (c === DOT || c === COMMA) ? F_GROUP : F_SHAPE);
  }
  if (digits === 0) return fail(F_SHAPE);
  if (groupSep !== -1 && !seenDec && run !== 3) return fail(F_GROUP);
  const e10 = exp - frac;
  let v: number;
  if (exact && e10 >= -22 && e10 <= 22) {
    v = e10 < 0 ? mant / (POW10[-e10] as number) : mant * (POW10[e10] as number);
  } else {
    v = slowDecimal(s, i, end, dec);
  }
  if (!Number.isFinite(v)) return fail(F_RANGE);
  return v;
}

/** The rare path: more than 15 significant digits or a large exponent. */
function slowDecimal(s: string, i: number, end: number, dec: number): number {
  let text = '';
  for (let k = i; k < end; k++) {
    const c = s.charCodeAt(k);
    if (isDigit(c) || c === 101 || c === 69 || c === 43 || c === 45) text += s[k];
    else if (c === dec) text += '.';
  }
  return Number(text);
}

// ISO 4217 codes accepted next to an amount, as 3 packed char codes (no substring allocation).
const CURRENCY_CODES: ReadonlySet<number> = new Set(
  ['EUR', 'USD', 'GBP', 'BRL', 'MXN', 'ARS', 'CLP', 'COP', 'PEN', 'UYU', 'CHF', 'JPY', 'CAD', 'AUD', 'CNY', 'INR'].map(
    (code) => (code.charCodeAt(0) << 16) | (code.charCodeAt(1) << 8) | code.charCodeAt(2),
  ),
);

function isCurrencySymbol(c: number): boolean {
  return c === 36 || c === 0x20ac || c === 0xa3 || c === 0xa5 || c === 0x20b9; // $ € £ ¥ ₹
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f);
}

/** Length of a currency marker starting at `i` (`$`, `€`, `R$`, `US$`, `EUR`), or 0. */
function currencyPrefix(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  if (isCurrencySymbol(c)) return 1;
  if (!isUpper(c)) return 0;
  const c1 = i + 1 < end ? s.charCodeAt(i + 1) : 0;
  if (c1 === 36) return 2; // R$ C$ A$
  const c2 = i + 2 < end ? s.charCodeAt(i + 2) : 0;
  if (isUpper(c1) && c2 === 36) return 3; // US$ MX$
  if (isUpper(c1) && isUpper(c2) && CURRENCY_CODES.has((c << 16) | (c1 << 8) | c2)) {
    return i + 3 < end && isLetter(s.charCodeAt(i + 3)) ? 0 : 3;
  }
  return 0;
}

/** Length of a currency marker ending at `end` (`12 €`, `12.50 EUR`), or 0. */
function currencySuffix(s: string, start: number, end: number): number {
  const c = s.charCodeAt(end - 1);
  if (isCurrencySymbol(c)) return 1;
  if (end - start >= 3 && isUpper(c)) {
    const code = (s.charCodeAt(end - 3) << 16) | (s.charCodeAt(end - 2) << 8) | c;
    if (CURRENCY_CODES.has(code) && (end - 4 < start || !isLetter(s.charCodeAt(end - 4)))) return 3;
  }
  return 0;
}

/**
 * A number written by a person or a spreadsheet: sign (`+`, `-`, `−`, trailing `-` as SAP writes
 * it, or parentheses), currency (`$`, `€`, `R$`, `EUR`…) before or after, thousands groups, decimal
 * per `dec`, exponent, trailing `%` (kept as written; `sawPercent` tells). NaN on failure.
 */
function numberFromText(s: string, dec: number): number {
  let i = 0;
  let end = s.length;
  sawPercent = false;
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  if (i === end) return fail(F_BLANK);
  let c = s.charCodeAt(i);
  if (isDigit(c) && isDigit(s.charCodeAt(end - 1))) return scanDecimal(s, i, end, dec, true);
  let neg = false;
  let signed = false;
  let currency = false;
  if (c === 40 && s.charCodeAt(end - 1) === 41) {
    neg = true;
    signed = true;
    i++;
    end--;
    while (i < end && isSpace(s.charCodeAt(i))) i++;
    while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  }
  while (i < end) {
    c = s.charCodeAt(i);
    if (!signed && (c === 45 || c === 43 || c === 0x2212)) {
      neg = c !== 43;
      signed = true;
      i++;
    } else {
      const n = currency ? 0 : currencyPrefix(s, i, end);
      if (n === 0) break;
      currency = true;
      i += n;
    }
    while (i < end && isSpace(s.charCodeAt(i))) i++;
  }
  while (end > i) {
    c = s.charCodeAt(end - 1);
    if (c === 37 && !sawPercent) {
      sawPercent = true;
      end--;
    } else if (c === 45 && !signed) {
      neg = true;
      signed = true;
      end--;
    } else {
      const n = currency ? 0 : currencySuffix(s, i, end);
      if (n === 0) break;
      currency = true;
      end -= n;
    }
    while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  }
  if (i >= end) return fail(F_SHAPE);
  const v = scanDecimal(s, i, end, dec, true);
  if (v !== v) return v;
  return neg && v !== 0 ? -v : v;
}

function numberExample(dec: number): string {
  return dec === COMMA ? '1.234,56' : '1,234.56';
}

function numberFailure(value: string, dec: number): Invalid | null {
  if (failure === F_BLANK || isBlank(value)) return null;
  const t = value.trim().toLowerCase();
  if (t === 'nan' || t === '-nan' || t === '+nan') return invalid(`not a number, got ${quoteValue(value)}`);
  if (t === 'infinity' || t === '-infinity' || t === '+infinity' || t === 'inf' || t === '-inf' || t === '∞') {
    return invalid(`expected a finite number, got ${quoteValue(value)}`);
  }
  if (failure === F_RANGE) return invalid(`number out of range, got ${quoteValue(value)}`);
  return invalid(`expected a number like ${numberExample(dec)}, got ${quoteValue(value)}`);
}

function typedNumber(value: number | boolean | Date): number | Invalid {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return invalid(value !== value ? 'not a number, got NaN' : `expected a finite number, got ${value}`);
  }
  return invalid(`expected a number, got ${quoteValue(value)}`);
}

/**
 * Parses a number with the column's decimal separator. Accepts thousands separators (`.` `,`
 * space, NBSP, `'`), currency symbols and codes (`$`, `€`, `£`, `R$`, `EUR`, `USD`…), a leading
 * `+`/`-`, parentheses or a trailing `-` for negatives, an exponent (`1.5e3`) and a trailing `%`
 * (the number is returned as written: `80%` -> 80; see `parsePercentOrFraction`). Rejects `NaN`,
 * `Infinity`, overflow (`1e309`), `1.2.3`, `12abc`, and groups that do not fit the style
 * (`12,5` with a decimal point), so a value is never silently read 10 or 1000 times too big.
 *
 * @example
 * parseNumber('1.234,56 €', DECIMAL_COMMA); // 1234.56
 * parseNumber('(12.50)');                   // -12.5
 * parseNumber('n/a');                       // null
 * parseNumber('12abc');                     // { invalid: true, reason: 'expected a number like 1,234.56, got "12abc"' }
 */
export function parseNumber(value: Cell, style: NumberStyle = DECIMAL_POINT): Parsed<number> {
  if (typeof value === 'string') {
    const dec = style.decimal === ',' ? COMMA : DOT;
    const v = numberFromText(value, dec);
    return v === v ? v : numberFailure(value, dec);
  }
  if (value === null) return null;
  return typedNumber(value);
}

/**
 * A parser bound to one column's style (the per-column precomputation the hot path wants).
 *
 * @example
 * const amount = numberParser(inferNumberStyle(samples));
 * for (const cell of column) amount(cell);
 */
export function numberParser(style: NumberStyle = DECIMAL_POINT): (value: Cell) => Parsed<number> {
  const dec = style.decimal === ',' ? COMMA : DOT;
  return (value) => {
    if (typeof value === 'string') {
      const v = numberFromText(value, dec);
      return v === v ? v : numberFailure(value, dec);
    }
    if (value === null) return null;
    return typedNumber(value);
  };
}

/**
 * A rate as a fraction: `80%` and `0.8` both give 0.8. Used by thresholds (`nps_response_rate >= 25%`).
 * A bare number must lie in -1..1 (`80` is rejected: write `80%` or `0.8`).
 *
 * @example
 * parsePercentOrFraction('80%'); // 0.8
 * parsePercentOrFraction('0.8'); // 0.8
 * parsePercentOrFraction('80');  // Invalid: expected a fraction 0-1 or a percentage like 80%, got "80"
 */
export function parsePercentOrFraction(value: Cell, style: NumberStyle = DECIMAL_POINT): Parsed<number> {
  const dec = style.decimal === ',' ? COMMA : DOT;
  let v: number;
  let percent = false;
  if (typeof value === 'string') {
    v = numberFromText(value, dec);
    if (v !== v) return numberFailure(value, dec);
    percent = sawPercent;
  } else if (value === null) {
    return null;
  } else {
    const t = typedNumber(value);
    if (typeof t !== 'number') return t;
    v = t;
  }
  if (percent) return v / 100;
  if (v >= -1 && v <= 1) return v;
  return invalid(`expected a fraction 0-1 or a percentage like 80%, got ${quoteValue(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Labels (scores and booleans)

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NON_ALPHANUMERIC = /[^a-z0-9]+/g;

/**
 * The key a label is looked up by: lower case, accents removed, punctuation and runs of spaces
 * collapsed to one space.
 *
 * @example
 * normalizeLabel(' Muy  Satisfecho. '); // 'muy satisfecho'
 * normalizeLabel('Good, with comment'); // 'good with comment'
 */
export function normalizeLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(NON_ALPHANUMERIC, ' ')
    .trim();
}

const RAW_CACHE_LIMIT = 1024;

/**
 * A case-, accent- and punctuation-insensitive map from answer labels to scores. Lookups of a text
 * already seen are one `Map.get` (label columns have few distinct values), so the normalisation
 * cost is paid once per distinct text.
 *
 * @example
 * const labels = new ScoreLabels({ 'Muy satisfecho': 5, 'Satisfecho': 4 });
 * labels.get('MUY SATISFECHO.'); // 5
 */
export class ScoreLabels {
  private readonly byKey: Map<string, number>;
  private readonly byRaw = new Map<string, number | undefined>();

  constructor(entries: Record<string, number> | Iterable<readonly [string, number]>) {
    this.byKey = new Map();
    const list = Symbol.iterator in entries ? entries : Object.entries(entries);
    for (const [label, score] of list as Iterable<readonly [string, number]>) {
      this.byKey.set(normalizeLabel(label), score);
    }
  }

  get size(): number {
    return this.byKey.size;
  }

  get(text: string): number | undefined {
    const hit = this.byRaw.get(text);
    if (hit !== undefined || this.byRaw.has(text)) return hit;
    const score = this.byKey.get(normalizeLabel(text));
    if (this.byRaw.size < RAW_CACHE_LIMIT) this.byRaw.set(text, score);
    return score;
  }

  /** The labels (normalised) and their scores, for notes and tests. */
  entries(): IterableIterator<[string, number]> {
    return this.byKey.entries();
  }
}

/**
 * English and Spanish five-point satisfaction labels on a 1-5 scale (1 = very dissatisfied,
 * 5 = very satisfied), including feminine forms. Only the symmetric "very / - / neutral / - / very"
 * wording is here: "poco", "bastante", "somewhat" belong to other scales and are left to config.
 */
export const SATISFACTION_LABELS = new ScoreLabels({
  'very dissatisfied': 1,
  'very unsatisfied': 1,
  dissatisfied: 2,
  unsatisfied: 2,
  neutral: 3,
  'neither satisfied nor dissatisfied': 3,
  satisfied: 4,
  'very satisfied': 5,
  'muy insatisfecho': 1,
  'muy insatisfecha': 1,
  insatisfecho: 2,
  insatisfecha: 2,
  neutro: 3,
  'ni satisfecho ni insatisfecho': 3,
  'ni satisfecha ni insatisfecha': 3,
  satisfecho: 4,
  satisfecha: 4,
  'muy satisfecho': 5,
  'muy satisfecha': 5,
});

/**
 * Zendesk-style binary satisfaction on a 0-1 scale: good = 1, bad = 0, so the mean is the share of
 * good ratings (Zendesk's own CSAT). Zendesk's `Offered` / `Unoffered` are statuses, not scores:
 * they are not here, and the caller reads them as "survey sent, not answered".
 */
export const GOOD_BAD_LABELS = new ScoreLabels({
  good: 1,
  'good with comment': 1,
  bad: 0,
  'bad with comment': 0,
  bueno: 1,
  buena: 1,
  malo: 0,
  mala: 0,
});

/** The label sets shipped by default, with the scale each implies. */
export const SCORE_LABEL_SETS: readonly { id: string; min: number; max: number; labels: ScoreLabels }[] = [
  { id: 'satisfaction-5', min: 1, max: 5, labels: SATISFACTION_LABELS },
  { id: 'good-bad', min: 0, max: 1, labels: GOOD_BAD_LABELS },
];

/**
 * The shipped label set that covers every non-numeric, non-blank sample, or `null` when none does
 * (or the sample is all numbers).
 *
 * @example
 * inferScoreLabels(['Good', 'Bad', '']);        // { id: 'good-bad', min: 0, max: 1, labels }
 * inferScoreLabels(['Muy satisfecho', 'Neutro'])?.id; // 'satisfaction-5'
 */
export function inferScoreLabels(samples: readonly Cell[]): (typeof SCORE_LABEL_SETS)[number] | null {
  const texts = samples.filter(
    (v): v is string => typeof v === 'string' && !isBlank(v) && Number.isNaN(scoreFromText(v, NaN)),
  );
  if (texts.length === 0) return null;
  return SCORE_LABEL_SETS.find((set) => texts.every((t) => set.labels.get(t) !== undefined)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Scores

/** A score scale. `label` is the noun used in reasons (`score`, `NPS score`, `rating`). */
export interface ScoreScale {
  min: number;
  max: number;
  /** Whole numbers only (NPS). `10.0` still passes: exports write floats. */
  integer: boolean;
  label?: string;
  /** Text answers and the score each means, on this scale. */
  labels?: ScoreLabels;
}

/** NPS: 0-10, whole numbers. */
export const NPS_SCALE: ScoreScale = { min: 0, max: 10, integer: true, label: 'score' };

/**
 * A score: optional sign, `.` or `,` decimals (scores have no thousands), an optional `/max`
 * (`4/5`). NaN on failure.
 */
function scoreFromText(s: string, max: number): number {
  let i = 0;
  let end = s.length;
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  if (i === end) return fail(F_BLANK);
  let neg = false;
  const c = s.charCodeAt(i);
  if (c === 45 || c === 43 || c === 0x2212) {
    neg = c !== 43;
    i++;
  }
  let stop = i;
  let comma = false;
  for (; stop < end; stop++) {
    const d = s.charCodeAt(stop);
    if (d === COMMA) comma = true;
    else if (!isDigit(d) && d !== DOT) break;
  }
  if (stop < end) {
    // `4/5`, `9 / 10`: the denominator must be the scale's maximum.
    let k = stop;
    while (k < end && isSpace(s.charCodeAt(k))) k++;
    if (k >= end || s.charCodeAt(k) !== 47) return fail(F_SHAPE);
    k++;
    while (k < end && isSpace(s.charCodeAt(k))) k++;
    const den = scanDecimal(s, k, end, DOT, false);
    if (den !== max && !(max !== max && den === den)) return fail(F_SHAPE); // NaN max: any denominator
    end = stop;
    while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  }
  const v = scanDecimal(s, i, end, comma ? COMMA : DOT, false);
  if (v !== v) return fail(F_SHAPE);
  return neg && v !== 0 ? -v : v;
}

function scoreReason(value: Cell, scale: ScoreScale): Invalid {
  const what = `${scale.integer ? 'a whole ' : 'a '}${scale.label ?? 'score'} ${scale.min}-${scale.max}`;
  return invalid(`expected ${what}${scale.labels ? ' or a known answer label' : ''}, got ${quoteValue(value)}`);
}

function checkScore(v: number, value: Cell, scale: ScoreScale): Parsed<number> {
  if (v >= scale.min && v <= scale.max && (!scale.integer || Number.isInteger(v))) return v;
  return scoreReason(value, scale);
}

/**
 * A survey score on a scale: NPS `{ min: 0, max: 10, integer: true }`, CSAT 1-5, 1-7, 1-10, 0-10…
 * Text labels are looked up in `scale.labels` (see `SATISFACTION_LABELS`, `GOOD_BAD_LABELS`).
 *
 * @example
 * parseScore('10.0', NPS_SCALE); // 10
 * parseScore('9.5', NPS_SCALE);  // Invalid: expected a whole score 0-10, got "9.5"
 * parseScore('Muy satisfecho', { min: 1, max: 5, integer: true, labels: SATISFACTION_LABELS }); // 5
 */
export function parseScore(value: Cell, scale: ScoreScale): Parsed<number> {
  if (typeof value === 'string') {
    const v = scoreFromText(value, scale.max);
    if (v === v) return checkScore(v, value, scale);
    if (failure === F_BLANK || isBlank(value)) return null;
    const labelled = scale.labels?.get(value);
    if (labelled !== undefined) return checkScore(labelled, value, scale);
    return scoreReason(value, scale);
  }
  if (value === null) return null;
  if (typeof value === 'number') return checkScore(value, value, scale);
  return scoreReason(value, scale);
}

/**
 * `parseScore` bound to one column's scale.
 *
 * @example
 * const nps = scoreParser(NPS_SCALE);
 * nps('7'); // 7
 */
export function scoreParser(scale: ScoreScale): (value: Cell) => Parsed<number> {
  return (value) => parseScore(value, scale);
}

// ---------------------------------------------------------------------------------------------
// Booleans

const BOOLEAN_WORDS = new Map<string, boolean>([
  ['true', true],
  ['yes', true],
  ['y', true],
  ['si', true],
  ['sí', true],
  ['s', true],
  ['1', true],
  ['1.0', true],
  ['t', true],
  ['verdadero', true],
  ['v', true],
  ['x', true],
  ['on', true],
  ['false', false],
  ['no', false],
  ['n', false],
  ['0', false],
  ['0.0', false],
  ['f', false],
  ['falso', false],
  ['off', false],
]);
const booleanRaw = new Map<string, boolean | undefined>();

function booleanFromText(text: string): boolean | undefined {
  const hit = booleanRaw.get(text);
  if (hit !== undefined || booleanRaw.has(text)) return hit;
  let key = text.trim().toLowerCase();
  if (key.endsWith('.') && key.length > 1) key = key.slice(0, -1).trimEnd();
  let result = BOOLEAN_WORDS.get(key);
  if (result === undefined) result = BOOLEAN_WORDS.get(key.normalize('NFD').replace(COMBINING_MARKS, ''));
  if (booleanRaw.size < RAW_CACHE_LIMIT) booleanRaw.set(text, result);
  return result;
}

/**
 * A yes/no answer: true/false, yes/no, y/n, sí/si/no, s/n, 1/0, t/f, verdadero/falso, v/f, on/off,
 * `x` (a ticked box) — any case, accents optional, a trailing period tolerated (`Yes.`).
 *
 * @example
 * parseBoolean('Sí');   // true
 * parseBoolean('No.');  // false
 * parseBoolean('maybe'); // Invalid: expected yes/no, true/false or 1/0, got "maybe"
 */
export function parseBoolean(value: Cell): Parsed<boolean> {
  if (typeof value === 'string') {
    const b = booleanFromText(value);
    if (b !== undefined) return b;
    if (isBlank(value)) return null;
  } else if (typeof value === 'boolean') {
    return value;
  } else if (value === null) {
    return null;
  } else if (value === 1 || value === 0) {
    return value === 1;
  }
  return invalid(`expected yes/no, true/false or 1/0, got ${quoteValue(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Durations

/** What a bare number means in a duration column. */
export type DurationUnit = 's' | 'min' | 'h' | 'd';

export const DURATION_UNIT_SECONDS: Readonly<Record<DurationUnit, number>> = { s: 1, min: 60, h: 3600, d: 86400 };

/**
 * Folds a word of up to 10 ASCII letters (Spanish accents folded: `días` = `dias`), case-insensitively,
 * into a number, so unit and month names are looked up without allocating a substring. -1 when the
 * range holds anything else.
 *
 * @example
 * wordKey('Días', 0, 4) === wordKey('dias', 0, 4); // true
 */
export function wordKey(s: string, i: number, end: number): number {
  if (end - i > 10) return -1;
  let key = 0;
  for (let k = i; k < end; k++) {
    let c = s.charCodeAt(k) | 0x20;
    switch (c) {
      case 0xe1: // á
        c = 97;
        break;
      case 0xe9: // é
        c = 101;
        break;
      case 0xed: // í
        c = 105;
        break;
      case 0xf3: // ó
        c = 111;
        break;
      case 0xfa: // ú
        c = 117;
        break;
      default:
        break;
    }
    if (c < 97 || c > 122) return -1;
    key = key * 32 + (c - 96);
  }
  return key;
}

function keyOf(word: string): number {
  return wordKey(word, 0, word.length);
}

/** Unit words (English and Spanish) -> [seconds, rank]; rank enforces largest-first order. */
const UNIT_WORDS = new Map<number, readonly [number, number]>();
for (const [words, seconds, rank] of [
  [['w', 'wk', 'wks', 'week', 'weeks', 'sem', 'semana', 'semanas'], 604800, 5],
  [['d', 'day', 'days', 'dia', 'dias'], 86400, 4],
  [['h', 'hr', 'hrs', 'hour', 'hours', 'hora', 'horas'], 3600, 3],
  [['m', 'min', 'mins', 'minute', 'minutes', 'minuto', 'minutos'], 60, 2],
  [['s', 'sec', 'secs', 'second', 'seconds', 'seg', 'segs', 'segundo', 'segundos'], 1, 1],
  [['ms', 'msec', 'millisecond', 'milisegundo'], 0.001, 0],
] as const) {
  for (const word of words) UNIT_WORDS.set(keyOf(word), [seconds, rank]);
}

/**
 * `1h 20m`, `1h20m30s`, `2d 3h`, `1.5h`, `2 hours 5 minutes`, `3 días`: numbers each followed by
 * a unit, largest first, each unit once. Seconds, or NaN.
 */
function unitsFromText(s: string, i: number, end: number, dec: number): number {
  let total = 0;
  let lastRank = 99;
  let parts = 0;
  while (i < end) {
    while (i < end && isSpace(s.charCodeAt(i))) i++;
    if (i >= end) break;
    let j = i;
    while (j < end && (isDigit(s.charCodeAt(j)) || s.charCodeAt(j) === dec)) j++;
    if (j === i) return fail(F_SHAPE);
    const v = scanDecimal(s, i, j, dec, false);
    if (v !== v) return fail(F_SHAPE);
    let k = j;
    while (k < end && isSpace(s.charCodeAt(k))) k++;
    const wordStart = k;
    while (k < end && isLetter(s.charCodeAt(k))) k++;
    const unit = UNIT_WORDS.get(wordKey(s, wordStart, k));
    if (unit === undefined || unit[1] >= lastRank) return fail(F_SHAPE);
    if (k < end && s.charCodeAt(k) === DOT) k++; // `min.`, `seg.`
    lastRank = unit[1];
    total += v * unit[0];
    parts++;
    i = k;
  }
  return parts === 0 ? fail(F_SHAPE) : total;
}

/** ISO 8601 durations without years or months (`PT1H30M`, `P2D`, `P1DT2H`, `PT0.5S`). Seconds, or NaN. */
function isoDurationFromText(s: string, i: number, end: number): number {
  if (i >= end || (s.charCodeAt(i) | 0x20) !== 112) return fail(F_SHAPE); // p
  i++;
  let total = 0;
  let inTime = false;
  let lastRank = 99;
  let parts = 0;
  while (i < end) {
    if (!inTime && (s.charCodeAt(i) | 0x20) === 116) {
      inTime = true;
      i++;
      continue;
    }
    let j = i;
    let dec = DOT;
    for (; j < end; j++) {
      const c = s.charCodeAt(j);
      if (c === COMMA) dec = COMMA; // ISO 8601 allows a decimal comma
      else if (!isDigit(c) && c !== DOT) break;
    }
    if (j === i || j >= end) return fail(F_SHAPE);
    const v = scanDecimal(s, i, j, dec, false);
    if (v !== v) return fail(F_SHAPE);
    const u = s.charCodeAt(j) | 0x20;
    let seconds: number;
    let rank: number;
    if (!inTime && u === 119) [seconds, rank] = [604800, 5];
    else if (!inTime && u === 100) [seconds, rank] = [86400, 4];
    else if (inTime && u === 104) [seconds, rank] = [3600, 3];
    else if (inTime && u === 109) [seconds, rank] = [60, 2];
    else if (inTime && u === 115) [seconds, rank] = [1, 1];
    else return fail(F_SHAPE);
    if (rank >= lastRank) return fail(F_SHAPE);
    lastRank = rank;
    total += v * seconds;
    parts++;
    i = j + 1;
  }
  return parts === 0 ? fail(F_SHAPE) : total;
}

// Set by clockFromText when a minute or second field is 60 or more.
let clockOverflow = false;

function twoDigits(s: string, i: number, end: number): number {
  if (i + 2 > end) return -1;
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  if (!isDigit(a) || !isDigit(b)) return -1;
  return (a - 48) * 10 + (b - 48);
}

/**
 * `H:MM:SS`, `HH:MM:SS.f`, `D.HH:MM:SS` (.NET TimeSpan) and two-part `A:B`, which is `M:SS` when
 * `minutesFirst` (a column of seconds) and `H:MM` otherwise. Hours are unbounded (`125:30:00`).
 */
function clockFromText(s: string, i: number, end: number, minutesFirst: boolean): number {
  clockOverflow = false;
  let j = i;
  while (j < end && isDigit(s.charCodeAt(j))) j++;
  if (j === i || j >= end) return fail(F_SHAPE);
  let days = 0;
  let first = scanDecimal(s, i, j, DOT, false);
  if (s.charCodeAt(j) === DOT) {
    // `1.02:03:04`: days before the dot.
    days = first;
    i = j + 1;
    j = i;
    while (j < end && isDigit(s.charCodeAt(j))) j++;
    if (j === i || j >= end) return fail(F_SHAPE);
    first = scanDecimal(s, i, j, DOT, false);
  }
  if (s.charCodeAt(j) !== 58) return fail(F_SHAPE);
  const second = twoDigits(s, j + 1, end);
  if (second < 0) return fail(F_SHAPE);
  j += 3;
  let third = -1;
  if (j < end && s.charCodeAt(j) === 58) {
    third = twoDigits(s, j + 1, end);
    if (third < 0) return fail(F_SHAPE);
    j += 3;
  }
  let fraction = 0;
  if (j < end) {
    const c = s.charCodeAt(j);
    if ((c !== DOT && c !== COMMA) || j + 1 >= end || end - j - 1 > 9) return fail(F_SHAPE);
    for (let k = j + 1; k < end; k++) {
      const d = s.charCodeAt(k);
      if (!isDigit(d)) return fail(F_SHAPE);
      fraction = fraction * 10 + (d - 48);
    }
    fraction /= POW10[end - j - 1] as number;
  }
  if (second >= 60 || third >= 60) {
    clockOverflow = true;
    return fail(F_SHAPE);
  }
  if (third >= 0) return days * 86400 + first * 3600 + second * 60 + third + fraction;
  if (days > 0) return fail(F_SHAPE);
  return minutesFirst ? first * 60 + second + fraction : first * 3600 + (second + fraction) * 60;
}

function durationFromText(s: string, unit: DurationUnit, dec: number): number {
  let i = 0;
  let end = s.length;
  clockOverflow = false;
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  while (end > i && isSpace(s.charCodeAt(end - 1))) end--;
  if (i === end) return fail(F_BLANK);
  let sign = 1;
  const c = s.charCodeAt(i);
  if (c === 45 || c === 0x2212 || c === 43) {
    if (c !== 43) sign = -1;
    i++;
    while (i < end && isSpace(s.charCodeAt(i))) i++;
  }
  if (i === end) return fail(F_SHAPE);
  const last = s.charCodeAt(end - 1);
  if (isDigit(last)) {
    let colon = false;
    for (let k = i; k < end; k++) {
      if (s.charCodeAt(k) === 58) {
        colon = true;
        break;
      }
    }
    const v = colon ? clockFromText(s, i, end, unit === 's') : scanDecimal(s, i, end, dec, true) * DURATION_UNIT_SECONDS[unit];
    return sign * v;
  }
  const first = s.charCodeAt(i) | 0x20;
  const v = first === 112 ? isoDurationFromText(s, i, end) : unitsFromText(s, i, end, dec);
  return sign * v;
}

const DURATION_SHAPES = 'expected a duration like 1:30:00, 90 or 1h 30m';

function durationFailure(value: string): Invalid | null {
  if (failure === F_BLANK || isBlank(value)) return null;
  if (clockOverflow) return invalid(`expected minutes and seconds below 60, got ${quoteValue(value)}`);
  if (failure === F_RANGE) return invalid(`number out of range, got ${quoteValue(value)}`);
  return invalid(`${DURATION_SHAPES}, got ${quoteValue(value)}`);
}

/**
 * A duration in seconds. A bare number is in `unit` (what the header says: see
 * `durationUnitFromHeader`), with the column's decimal separator. Also `H:MM:SS`, `HH:MM:SS.f`,
 * `D.HH:MM:SS`, unit expressions (`1h 20m`, `1h20m30s`, `2d 3h`, `90s`, `1.5h`, `2 horas 5 minutos`)
 * and ISO 8601 (`PT1H30M`). A two-part clock `A:B` is `M:SS` when `unit` is `'s'` (call durations
 * in a seconds column) and `H:MM` otherwise. Negative durations are returned as they are: real
 * exports have them, and the caller decides. A typed number is a bare number in `unit`.
 *
 * @example
 * parseDuration('1:02:03.5', 's'); // 3723.5
 * parseDuration('2:23', 's');      // 143 (M:SS)
 * parseDuration('2:23', 'min');    // 8580 (H:MM)
 * parseDuration('1,5', 'h', DECIMAL_COMMA); // 5400
 */
export function parseDuration(value: Cell, unit: DurationUnit = 's', style: NumberStyle = DECIMAL_POINT): Parsed<number> {
  if (typeof value === 'string') {
    const v = durationFromText(value, unit, style.decimal === ',' ? COMMA : DOT);
    return v === v ? v : durationFailure(value);
  }
  if (value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value * DURATION_UNIT_SECONDS[unit];
  return invalid(`${DURATION_SHAPES}, got ${quoteValue(value)}`);
}

/**
 * `parseDuration` bound to one column's unit and style.
 *
 * @example
 * const wait = durationParser(durationUnitFromHeader('Wait time (min)') ?? 's');
 */
export function durationParser(unit: DurationUnit = 's', style: NumberStyle = DECIMAL_POINT): (value: Cell) => Parsed<number> {
  return (value) => parseDuration(value, unit, style);
}

/**
 * A duration written in a threshold or an option: units required (`90s`, `4h`, `2d`, `1h30m`,
 * `1.5h`, `PT4H`), a decimal point, no sign, no bare numbers, no clocks. Seconds.
 *
 * @example
 * parseDurationExpression('1h30m'); // 5400
 * parseDurationExpression('90');    // Invalid: expected a duration like 90s, 4h, 2d or 1h30m, got "90"
 */
export function parseDurationExpression(text: string): number | Invalid {
  let i = 0;
  let end = text.length;
  while (i < end && isSpace(text.charCodeAt(i))) i++;
  while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
  let v = NaN;
  if (i < end) {
    v = (text.charCodeAt(i) | 0x20) === 112 ? isoDurationFromText(text, i, end) : unitsFromText(text, i, end, DOT);
  }
  if (v === v && Number.isFinite(v)) return v;
  return invalid(`expected a duration like 90s, 4h, 2d or 1h30m, got ${quoteValue(text)}`);
}

const HEADER_UNITS = new Map<string, DurationUnit>([
  ['seconds', 's'],
  ['secs', 's'],
  ['segundos', 's'],
  ['segs', 's'],
  ['minutes', 'min'],
  ['mins', 'min'],
  ['minutos', 'min'],
  ['hours', 'h'],
  ['hrs', 'h'],
  ['horas', 'h'],
  ['days', 'd'],
  ['dias', 'd'],
]);
// Abbreviations: only trusted right after "in"/"en" or as the last word ("Talk time (sec)"),
// because "Min wait" is a minimum. Singular words only after "in"/"en": "Hour of day" and
// "Día" are times, not units.
const HEADER_SHORT_UNITS = new Map<string, DurationUnit>([
  ['s', 's'],
  ['sec', 's'],
  ['seg', 's'],
  ['min', 'min'],
  ['h', 'h'],
  ['hr', 'h'],
  ['d', 'd'],
]);
const HEADER_SINGULAR_UNITS = new Map<string, DurationUnit>([
  ['second', 's'],
  ['segundo', 's'],
  ['minute', 'min'],
  ['minuto', 'min'],
  ['hour', 'h'],
  ['hora', 'h'],
  ['day', 'd'],
  ['dia', 'd'],
]);
const BUSINESS_WORDS = new Set(['business', 'working', 'office', 'calendar']);

/**
 * The unit a header gives its bare numbers, in English or Spanish, or `null` when it names none.
 * "in minutes" / "en horas" wins over other unit words, so Zendesk's `Agent wait time in minutes
 * within business hours` is minutes.
 *
 * @example
 * durationUnitFromHeader('First reply time in minutes'); // 'min'
 * durationUnitFromHeader('Talk Time (sec)');             // 's'
 * durationUnitFromHeader('Tiempo de resolución (días)'); // 'd'
 * durationUnitFromHeader('Hour of day');                 // null
 */
export function durationUnitFromHeader(header: string): DurationUnit | null {
  const words = header
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/['’]/g, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  for (let k = 0; k + 1 < words.length; k++) {
    if (words[k] === 'in' || words[k] === 'en') {
      const next = words[k + 1] as string;
      const unit = HEADER_UNITS.get(next) ?? HEADER_SHORT_UNITS.get(next) ?? HEADER_SINGULAR_UNITS.get(next);
      if (unit !== undefined) return unit;
    }
  }
  for (let k = 0; k < words.length; k++) {
    const unit = HEADER_UNITS.get(words[k] as string);
    if (unit !== undefined && !(k > 0 && BUSINESS_WORDS.has(words[k - 1] as string))) return unit;
  }
  if (words.length > 1) {
    const unit = HEADER_SHORT_UNITS.get(words[words.length - 1] as string);
    if (unit !== undefined) return unit;
  }
  return null;
}
