/**
 * Dialect sniffing: encoding, binary content, CSV delimiter and line ending, file format.
 * Pure functions over a sample (bytes or text); the I/O lives in `read.ts`.
 */

import { isUtf8 } from 'node:buffer';
import { recordFieldCounts } from './csv.js';
import type { Delimiter, Encoding, SourceFormat } from './types.js';

/** How much of a stream (stdin, a gunzipped file) the sniffers look at: 1 MiB. */
export const SAMPLE_BYTES = 1024 * 1024;

/** Records the delimiter sniffer compares. */
const DELIMITER_SAMPLE_RECORDS = 50;

/**
 * Bytes at the end of `buf` that begin a UTF-8 sequence the buffer cuts short (0 to 3). A sample or
 * a read chunk usually ends in the middle of a character; those bytes are not an encoding error.
 */
export function utf8IncompleteTail(buf: Uint8Array): number {
  const len = buf.length;
  for (let back = 1; back <= 3 && back <= len; back++) {
    const byte = buf[len - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = (byte & 0xe0) === 0xc0 ? 2 : (byte & 0xf0) === 0xe0 ? 3 : (byte & 0xf8) === 0xf0 ? 4 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Offset of the first byte that is not part of a valid UTF-8 sequence, or -1. Only called once a
 * fast `isUtf8` check has failed, to tell the user where; a sequence cut by the end of `buf` counts
 * as valid (the next chunk may complete it).
 */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const len = buf.length;
  let i = 0;
  while (i < len) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= len) return -1;
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** UTF-16 without a byte-order mark shows as a NUL in every other byte (for mostly-ASCII text). */
function utf16WithoutBom(sample: Uint8Array): Encoding | null {
  const pairs = Math.min(sample.length, 4096) >> 1;
  if (pairs < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) evenZeros++;
    if (sample[2 * i + 1] === 0) oddZeros++;
  }
  if (oddZeros > pairs * 0.7 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.7 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Guesses the encoding of a byte sample: a byte-order mark decides (UTF-8, UTF-16LE/BE); then
 * UTF-16 without a mark (NULs in every other byte); then valid UTF-8 -> `'utf-8'`, anything else ->
 * `'windows-1252'` (the usual encoding of spreadsheet exports on Windows in Western Europe and the
 * Americas). `wholeFile` says whether `sample` is the whole input: if not, a multi-byte character
 * cut by the end of the sample is not held against UTF-8.
 *
 * @example sniffEncoding(Buffer.from('Tel\xe9fono', 'latin1'), true) // 'windows-1252'
 */
export function sniffEncoding(sample: Buffer, wholeFile: boolean): Encoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf-8-bom';
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return 'utf-16le';
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return 'utf-16be';
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return utf16;
  const body = wholeFile ? sample : sample.subarray(0, sample.length - utf8IncompleteTail(sample));
  return isUtf8(body) ? 'utf-8' : 'windows-1252';
}

/**
 * Says why a byte sample is not text (a ZIP or Excel workbook, gzip data, NUL bytes, mostly control
 * bytes), or returns null when it looks like text. UTF-16 samples are not checked: NULs are normal
 * there.
 */
export function sniffBinary(sample: Uint8Array, encoding: Encoding): string | null {
  if (encoding === 'utf-16le' || encoding === 'utf-16be' || sample.length === 0) return null;
  if (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) {
    return 'looks like a ZIP archive (an Excel .xlsx workbook?), not CSV/JSON';
  }
  if (sample[0] === 0x1f && sample[1] === 0x8b) return 'looks like gzip data compressed a second time, not CSV/JSON';
  const n = Math.min(sample.length, 65536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = sample[i]!;
    if (b === 0) return 'looks like a binary file, not CSV/JSON (it contains NUL bytes)';
    // tab, LF, VT, FF, CR, and the DOS end-of-file mark (0x1A) occur in real text exports
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1a) control++;
  }
  if (control > n * 0.1) return 'looks like a binary file, not CSV/JSON (mostly control bytes)';
  return null;
}

/** Line ending papaparse should split on. CRLF is read as `\n` with the CR dropped (see csv.ts). */
export type Newline = '\n' | '\r';

/**
 * The line ending of a CSV sample, counted outside quoted fields (the olist reviews file is LF with
 * CRLF inside quoted comments). Returns `'\r'` only for old-Mac files whose lines end in a lone CR;
 * LF and CRLF both give `'\n'`, and `crlf` tells which was seen, for the notes.
 */
export function sniffNewline(text: string): { newline: Newline; crlf: boolean } {
  // Drop quoted sections first, as papaparse's own guess does; a doubled quote "" inside a quoted
  // field splits it into two adjacent quoted sections, which are dropped just the same.
  const outside = text.replace(/"[^"]*"/g, '');
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  for (let i = outside.indexOf('\r'); i !== -1; i = outside.indexOf('\r', i + 1)) {
    if (outside.charCodeAt(i + 1) === 10) crlf++;
    else cr++;
  }
  for (let i = outside.indexOf('\n'); i !== -1; i = outside.indexOf('\n', i + 1)) lf++;
  lf -= crlf;
  if (cr > lf && cr > crlf) return { newline: '\r', crlf: false };
  return { newline: '\n', crlf: crlf > 0 && crlf >= lf };
}

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/**
 * The delimiter Excel's first line `sep=;` declares (Excel writes it, and honours it when opening
 * the file), or null. The CSV reader skips that line.
 */
export function excelSepLine(text: string): Delimiter | null {
  const match = /^sep=([,;\t|])(?:\r\n|\r|\n|$)/i.exec(text);
  return match ? (match[1] as Delimiter) : null;
}

/** How a delimiter reads for people: `','`, `tab`. */
export function delimiterName(d: Delimiter): string {
  return d === '\t' ? 'tab' : `'${d}'`;
}

interface DelimiterScore {
  delimiter: Delimiter;
  fields: number;
  matching: number;
  records: number;
}

/**
 * Chooses the CSV delimiter among `,` `;` tab `|`: each is tried with the real (quote-aware) CSV
 * tokenizer over the first ~50 records, and the one whose field count is the most consistent
 * (and above 1) wins; on a tie, the one giving more fields, then `preferred`, then the order above.
 * A comma that only ever sits between two digits is a decimal comma (`1,5;2,3`), not a delimiter,
 * whenever another delimiter also splits the records. Excel's `sep=;` first line decides outright.
 *
 * `partial` says the text was cut from a longer input, so its last record may be cut short.
 * The note explains the choice for `cxm inspect`.
 *
 * @example sniffDelimiter('a;b\n1,5;2,3\n').delimiter // ';'
 */
export function sniffDelimiter(
  text: string,
  options: { partial?: boolean; preferred?: Delimiter } = {},
): { delimiter: Delimiter; note: string } {
  const sep = excelSepLine(text);
  if (sep) return { delimiter: sep, note: `delimiter ${delimiterName(sep)} (from Excel's sep= line)` };
  const preferred = options.preferred ?? ',';
  const order = [preferred, ...DELIMITERS.filter((d) => d !== preferred)];
  const { newline } = sniffNewline(text);
  const scores: DelimiterScore[] = [];
  for (const delimiter of order) {
    if (!text.includes(delimiter)) continue;
    const counts = recordFieldCounts(text, delimiter, DELIMITER_SAMPLE_RECORDS, options.partial ?? false, newline);
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let fields = 0;
    let matching = 0;
    for (const [c, n] of freq) {
      if (n > matching || (n === matching && c > fields)) {
        fields = c;
        matching = n;
      }
    }
    if (fields > 1) scores.push({ delimiter, fields, matching, records: counts.length });
  }
  if (scores.length === 0) {
    return { delimiter: preferred, note: `no delimiter found: read as one column (${delimiterName(preferred)} assumed)` };
  }

  let decimalComma = false;
  if (scores.length > 1 && scores.some((s) => s.delimiter === ',')) {
    const commas = text.split(',').length - 1;
    const between = (text.match(/\d,(?=\d)/g) ?? []).length;
    if (commas > 0 && between === commas) {
      decimalComma = true;
      scores.splice(
        scores.findIndex((s) => s.delimiter === ','),
        1,
      );
    }
  }

  // Stable sort keeps the preference order on full ties.
  scores.sort((a, b) => b.matching / b.records - a.matching / a.records || b.fields - a.fields);
  const best = scores[0]!;
  let note = `delimiter ${delimiterName(best.delimiter)} (${best.fields} fields in ${best.matching} of ${best.records} records`;
  const runnerUp = scores[1];
  if (runnerUp) {
    note += `; ${delimiterName(runnerUp.delimiter)} gave ${runnerUp.fields} fields in ${runnerUp.matching} of ${runnerUp.records}`;
  }
  if (decimalComma) note += "; ',' only appears between digits (decimal commas)";
  return { delimiter: best.delimiter, note: note + ')' };
}

/** The lower-cased data extension of a path with any `.gz` removed: `Data.CSV.gz` -> `.csv`, gzip. */
export function splitExtension(path: string): { ext: string; gzip: boolean } {
  let name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  const gzip = name.endsWith('.gz');
  if (gzip) name = name.slice(0, -3);
  const dot = name.lastIndexOf('.');
  return { ext: dot > 0 ? name.slice(dot) : '', gzip };
}

/** What a text input holds. `shape` tells a JSON array from an object (a wrapper, or one record). */
export interface FormatGuess {
  format: SourceFormat;
  shape: 'array' | 'object' | null;
  note: string;
}

/**
 * CSV, JSON (array or object) or NDJSON, from the extension and the first non-blank character of
 * the decoded text. `.csv` and `.tsv` are always CSV, `.ndjson` and `.jsonl` always NDJSON, `.json`
 * is JSON or, when its first line is a whole object and the next line starts another, NDJSON.
 * Anything else (`.txt`, stdin) is JSON only if it clearly starts like JSON (`{"`, `[{`, `[]`),
 * so that a CSV header such as `[id],[name]` stays CSV.
 */
export function sniffFormat(path: string, text: string): FormatGuess {
  const { ext } = splitExtension(path);
  if (ext === '.xlsx') return { format: 'xlsx', shape: null, note: 'Excel workbook' };
  if (ext === '.csv' || ext === '.tsv') return { format: 'csv', shape: null, note: `CSV (by the ${ext} extension)` };
  const start = text.search(/\S/);
  const first = start === -1 ? '' : text[start];
  if (ext === '.ndjson' || ext === '.jsonl') {
    return { format: 'ndjson', shape: null, note: `NDJSON (by the ${ext} extension)` };
  }
  const looksJson =
    ext === '.json' ? first === '[' || first === '{' : /^(?:\{\s*["}]|\[\s*[[{\]])/.test(text.slice(start, start + 64));
  if (!looksJson) {
    if (ext === '.json') return { format: 'json', shape: null, note: 'JSON (by the .json extension)' };
    return { format: 'csv', shape: null, note: 'CSV (the content does not start like JSON)' };
  }
  if (first === '[') return { format: 'json', shape: 'array', note: 'JSON array' };
  if (isNdjsonStart(text, start)) return { format: 'ndjson', shape: null, note: 'NDJSON (one object per line)' };
  return { format: 'json', shape: 'object', note: 'JSON object' };
}

function isNdjsonStart(text: string, start: number): boolean {
  const end = text.indexOf('\n', start);
  if (end === -1) return false;
  const rest = text.slice(end + 1).trimStart();
  if (!rest.startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(text.slice(start, end));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
