/**
 * Excel workbooks (.xlsx) -> raw tables, one per sheet, streamed (never loaded whole): each sheet is
 * its own table named `book.xlsx#Sheet name`, and a row's `line` is its row number in the sheet.
 *
 * exceljs does the reading: its zip library (unzipper) opens the workbook by the zip's central
 * directory, its part parsers read the sheet names, the styles and the shared strings, and its SAX
 * parser reads each sheet's XML as a stream. The rows are built here from the SAX events, not by
 * exceljs's row objects, which cost about twice the time and memory and lose what cxm needs (the
 * code of a formula's cached error, booleans computed by formulas, ISO `t="d"` cells). Why not
 * exceljs's own streaming driver: see `loadLibrary`.
 *
 * How cells become `Cell`s:
 * - numbers stay numbers and booleans booleans;
 * - a number with a date format (`dd/mm/yyyy`, `d-mmm-yy h:mm`) becomes a `Date` whose UTC fields
 *   are the wall clock shown in Excel (what `schema/dates.ts` expects); 1900 and 1904 date systems;
 * - a number with a time-only format (`h:mm:ss`, `[h]:mm:ss`) below one day, or any with an elapsed
 *   format (`[h]`), becomes text like `1:23:45`, which the duration and time-of-day parsers read (a
 *   handle time is not a timestamp); a full date-time shown as time only stays a `Date`;
 * - text is passed on as written (the usual parsers read it), rich text joined, a hyperlink by its
 *   text (the cell holds it), `_x000D_`-style escapes decoded, ISO `t="d"` cells as their text;
 * - a formula gives its cached result, typed as above; one saved without a result (written by a
 *   library that does not calculate) is blank and counted in the sheet's notes;
 * - error values (`#N/A`, `#DIV/0!`, `#VALUE!`…, typed or a formula's result) are blank, counted in
 *   the sheet's notes with the first cell and code: an error is "no value", as `#N/A` is in a CSV
 *   export; a required field left blank by it still rejects its row downstream.
 *
 * The header is the row the sink's `headerRow` picks among the sheet's top `HEADER_SCAN_ROWS`
 * non-empty rows (the dataset layer asks kind detection, so a title block above the header is
 * skipped); without that method, the first row about as wide as the table. Columns run from A to
 * the header's last non-empty cell, so a column's index gives its letter (`columnLetter`); empty
 * header cells, including those a merged header cell covers beyond its first (a streaming reader
 * meets the merges after the rows), are named `column_N` (N = the column number); empty columns
 * right of the header are dropped; a value right of the header adds `column_N` columns through
 * `addColumns` (kept as attributes, never lost). Rows of only blank cells are skipped and counted.
 */

import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { CxmError, isCxmError } from '../errors.js';
import { normalizeHeader } from './csv.js';
import { splitExtension } from './sniff.js';
import type { Cell, RawRowSink, ReadOptions, SourceInfo } from './types.js';

/** Non-empty rows at the top of a sheet among which the header row is looked for. */
export const HEADER_SCAN_ROWS = 20;

/** A sink that can also say which of a sheet's top rows is its header. */
export interface WorkbookSink extends RawRowSink {
  /**
   * `rows` are the texts of a sheet's first non-empty rows (at most `HEADER_SCAN_ROWS`), `''` for
   * an empty cell; returns the index of the header row, or -1 to let the reader choose.
   * `info.file` names the sheet (`book.xlsx#Respuestas`).
   */
  headerRow?(rows: string[][], info: SourceInfo): number;
}

export interface ReadWorkbookOptions extends ReadOptions {
  cwd?: string;
}

/**
 * The spreadsheet letter of a 0-based column index.
 *
 * @example
 * columnLetter(0);  // 'A'
 * columnLetter(27); // 'AB'
 */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** The 1-based column of a cell reference (`AB12` -> 28), 0 when it has no letters. */
function columnOfRef(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + c - 64;
    else if (c >= 97 && c <= 122) col = col * 26 + c - 96;
    else break;
  }
  return col;
}

export type NumberFormatKind = 'date' | 'time' | 'elapsed' | 'number';

/**
 * What an Excel number format shows: a date (with or without a time), a time of day, an elapsed
 * time (`[h]:mm:ss`), or a plain number. Quoted text, `[$-409]`-style locale and colour codes,
 * escapes, `AM/PM` and `General` are ignored; `y`, `d` or a month without `h`/`s` mean a date.
 *
 * @example
 * numberFormatKind('dd/mm/yyyy hh:mm'); // 'date'
 * numberFormatKind('h:mm:ss AM/PM');    // 'time'
 * numberFormatKind('[h]:mm:ss');        // 'elapsed'
 * numberFormatKind('#,##0.00 "€"');     // 'number'
 */
export function numberFormatKind(numFmt: string | undefined): NumberFormatKind {
  if (!numFmt) return 'number';
  const elapsed = /\[(h+|m+|s+)\]/i.test(numFmt);
  const f = numFmt
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\.|[_*]./g, '')
    .toLowerCase()
    .replace(/general|am\/pm|a\/p/g, '');
  if (/[ydb]/.test(f)) return 'date';
  if (elapsed) return 'elapsed';
  if (/[hs]/.test(f)) return 'time';
  return f.includes('m') ? 'date' : 'number';
}

/**
 * An Excel serial day as a Date whose UTC fields are the wall clock (1900 system: day 25569 is
 * 1970-01-01; 1904 system: 1462 days later), rounded to the millisecond.
 *
 * @example excelSerialToDate(45688.4375, false).toISOString(); // '2025-01-31T10:30:00.000Z'
 */
export function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/**
 * A day fraction (or elapsed days) as `H:MM:SS`, with milliseconds when there are any.
 *
 * @example
 * excelTimeText(0.4375);  // '10:30:00'
 * excelTimeText(1.5);     // '36:00:00'
 */
export function excelTimeText(serial: number): string {
  const ms = Math.round(serial * 86_400_000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const rest = ms % 1000;
  const text = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return rest === 0 ? text : `${text}.${String(rest).padStart(3, '0')}`;
}

/** OOXML escapes control characters as `_xHHHH_` (`_x000D_` for CR); `_x005F_` escapes the underscore. */
function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A shared string as exceljs caches it: text, or rich text runs. */
function sharedText(entry: unknown): string | null {
  if (typeof entry === 'string') return decodeEscapes(entry);
  if (entry !== null && typeof entry === 'object' && Array.isArray((entry as { richText?: unknown }).richText)) {
    const runs = (entry as { richText: { text?: unknown }[] }).richText;
    return decodeEscapes(runs.map((run) => (typeof run.text === 'string' ? run.text : '')).join(''));
  }
  return null;
}

/** One `<c>` element as written: its type (`t`), style index (`s`), `<v>` text, inline text, formula. */
export interface RawCell {
  type: string;
  style: number;
  value: string | null;
  inline: string | null;
  formula: boolean;
}

/** What decoding a cell needs from the workbook. */
export interface CellContext {
  sharedStrings: readonly unknown[] | undefined;
  date1904: boolean;
  formatOf(style: number): NumberFormatKind;
}

/** `decodeCell` for an error value (`#DIV/0!`, typed or a formula's result): read as blank, counted. */
export const ERROR_CELL: unique symbol = Symbol('error cell');
/** `decodeCell` for a formula saved without a cached result: read as blank, counted. */
export const FORMULA_WITHOUT_RESULT: unique symbol = Symbol('formula without result');
type Problem = typeof ERROR_CELL | typeof FORMULA_WITHOUT_RESULT;

/**
 * One cell as a `Cell`, or a problem the caller counts and reads as blank.
 *
 * @example
 * decodeCell({ type: 'n', style: 1, value: '45688.4375', inline: null, formula: false }, ctx); // Date 2025-01-31T10:30Z when style 1 is a date format
 * decodeCell({ type: 'e', style: 0, value: '#DIV/0!', inline: null, formula: true }, ctx);     // ERROR_CELL
 */
export function decodeCell(cell: RawCell, ctx: CellContext): Cell | Problem {
  const v = cell.value;
  switch (cell.type) {
    case 's': {
      if (v === null) return null;
      const entry = ctx.sharedStrings?.[Number(v)];
      return entry === undefined ? null : sharedText(entry);
    }
    case 'inlineStr': {
      // `<is><t>…</t></is>`; a few writers put the text in `<v>` instead.
      const text = cell.inline ?? v;
      return text === null ? null : decodeEscapes(text);
    }
    case 'str':
      return v === null ? (cell.formula ? FORMULA_WITHOUT_RESULT : null) : decodeEscapes(v);
    case 'b':
      return v === null ? (cell.formula ? FORMULA_WITHOUT_RESULT : null) : v.trim() === '1' || v.trim().toLowerCase() === 'true';
    case 'e':
      return ERROR_CELL;
    case 'd':
      // ISO 8601 text; the date parsers read it (wall clock in --tz unless it carries an offset).
      return v === null || v === '' ? null : v;
    default: {
      if (v === null || v.trim() === '') return cell.formula ? FORMULA_WITHOUT_RESULT : null;
      const x = Number(v);
      if (!Number.isFinite(x)) return cell.formula ? ERROR_CELL : v;
      switch (ctx.formatOf(cell.style)) {
        case 'date':
          return excelSerialToDate(x, ctx.date1904);
        case 'time':
          return x >= 0 && x < 1 ? excelTimeText(x) : excelSerialToDate(x, ctx.date1904);
        case 'elapsed':
          return x >= 0 ? excelTimeText(x) : x;
        default:
          return x;
      }
    }
  }
}

function isBlankCell(cell: Cell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** A header cell as text: trimmed; dates as `yyyy-mm-dd` (with the time when there is one). */
export function headerText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) {
    const iso = cell.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return String(cell).trim();
}

/**
 * The reader's own choice of header among a sheet's top rows, when the sink has none: the first row
 * of only text cells that is at least half as wide (in non-empty cells, and at least 2) as the
 * widest row; else the first row. Title rows (`Encuesta Q1`, `Generado: 2025-03-01`) are narrow.
 *
 * @example defaultHeaderRow([['Informe'], ['ID', 'Fecha', 'Canal'], [1, new Date(0), 'web']]); // 1
 */
export function defaultHeaderRow(rows: readonly (readonly Cell[])[]): number {
  const counts = rows.map((cells) => cells.filter((c) => !isBlankCell(c)).length);
  const widest = Math.max(0, ...counts);
  const need = Math.max(2, Math.ceil(widest / 2));
  for (let i = 0; i < rows.length; i++) {
    if (counts[i]! >= need && rows[i]!.every((c) => isBlankCell(c) || typeof c === 'string')) return i;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Sheet XML -> rows

interface SaxNode {
  name: string;
  attributes: Record<string, string>;
}
type SaxEvent = { eventType: 'opentag' | 'closetag'; value: SaxNode } | { eventType: 'text'; value: string };
type ParseSax = (text: AsyncIterable<string>) => AsyncIterable<SaxEvent[]>;

interface SheetRow {
  number: number;
  /** Up to the last non-empty cell; a cell absent from the XML is null. */
  cells: Cell[];
}

/** Problems met in a sheet, for its notes. */
interface Tally {
  errors: number;
  firstError: string;
  formulas: number;
  firstFormula: string;
}

/** Characters of sheet XML handed to the SAX parser at a time: its events for a piece are all alive at once. */
const XML_PIECE = 16 * 1024;

/** Set when the sink skips a sheet: the rest of its XML is drained without parsing. */
interface Control {
  skip: boolean;
}

/** Text chunks in pieces of at most `XML_PIECE` characters; after `control.skip`, none (drained). */
async function* pieces(text: AsyncIterable<string>, control: Control): AsyncGenerator<string> {
  for await (const chunk of text) {
    if (control.skip) continue;
    for (let i = 0; i < chunk.length; i += XML_PIECE) yield chunk.slice(i, i + XML_PIECE);
  }
}

function localName(name: string): string {
  // `x:row` from writers that prefix the SpreadsheetML namespace (the .NET Open XML SDK).
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * The rows of a sheet's XML, in batches (one per parsed piece). Rows and cells without an `r`
 * attribute (allowed by the format) follow the previous one.
 */
async function* sheetRows(text: AsyncIterable<string>, parseSax: ParseSax, ctx: CellContext, tally: Tally): AsyncGenerator<SheetRow[]> {
  let inData = false;
  let row: SheetRow | null = null;
  let rowNumber = 0;
  let column = 0;
  let cell: RawCell | null = null;
  let collect: 'v' | 't' | null = null;
  let inline = false;
  let phonetic = 0;
  for await (const events of parseSax(text)) {
    const out: SheetRow[] = [];
    for (const event of events) {
      if (event.eventType === 'text') {
        if (collect === 'v') cell!.value += event.value;
        else if (collect === 't') cell!.inline += event.value;
        continue;
      }
      const name = localName(event.value.name);
      if (event.eventType === 'opentag') {
        const attributes = event.value.attributes;
        switch (name) {
          case 'sheetData':
            inData = true;
            break;
          case 'row':
            if (inData) {
              const r = Number(attributes.r);
              rowNumber = r > 0 ? r : rowNumber + 1;
              row = { number: rowNumber, cells: [] };
              column = 0;
            }
            break;
          case 'c':
            if (row) {
              const at = attributes.r ? columnOfRef(attributes.r) : 0;
              column = at > 0 ? at : column + 1;
              cell = { type: attributes.t ?? 'n', style: attributes.s ? Number(attributes.s) : 0, value: null, inline: null, formula: false };
            }
            break;
          case 'f':
            if (cell) cell.formula = true;
            break;
          case 'v':
            if (cell) {
              cell.value = '';
              collect = 'v';
            }
            break;
          case 'is':
            if (cell) {
              cell.inline = '';
              inline = true;
            }
            break;
          case 'rPh':
            phonetic++; // phonetic guide runs (furigana) are not part of the text
            break;
          case 't':
            if (cell && inline && phonetic === 0) collect = 't';
            break;
        }
      } else {
        switch (name) {
          case 'v':
          case 't':
            collect = null;
            break;
          case 'is':
            inline = false;
            break;
          case 'rPh':
            phonetic--;
            break;
          case 'c':
            if (row && cell) {
              const value = decodeCell(cell, ctx);
              if (value === ERROR_CELL) {
                if (tally.errors++ === 0) tally.firstError = `${columnLetter(column - 1)}${row.number}${cell.value ? ` (${cell.value})` : ''}`;
              } else if (value === FORMULA_WITHOUT_RESULT) {
                if (tally.formulas++ === 0) tally.firstFormula = `${columnLetter(column - 1)}${row.number}`;
              } else if (value !== null) {
                const cells = row.cells;
                while (cells.length < column - 1) cells.push(null);
                cells[column - 1] = value;
              }
            }
            cell = null;
            collect = null;
            break;
          case 'row':
            if (row) out.push(row);
            row = null;
            break;
          case 'sheetData':
            inData = false;
            break;
        }
      }
    }
    if (out.length > 0) yield out;
  }
}

// ---------------------------------------------------------------------------------------------
// The workbook: exceljs's part parsers over entries read from the zip's central directory

/** The parts of exceljs's WorkbookReader (lib/stream/xlsx/workbook-reader.js, 4.4) used here. */
interface PartParsers {
  workbookRels?: { Id: string; Type?: string; Target: string }[];
  model?: { sheets?: { rId: string; name: string; state?: string }[] };
  properties?: { model?: { date1904?: boolean } };
  sharedStrings?: unknown[];
  styles: { getStyleModel(id: number): { numFmt?: string } | null | undefined };
  _parseRels(entry: NodeJS.ReadableStream): Promise<void>;
  _parseWorkbook(entry: NodeJS.ReadableStream): Promise<void>;
  _parseStyles(entry: NodeJS.ReadableStream): Promise<void>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
}

/** An entry of the zip's central directory (unzipper's `Open`). */
interface ZipEntry {
  path: string;
  type: 'File' | 'Directory';
  stream(): NodeJS.ReadableStream & { setEncoding(encoding: string): unknown };
}

interface Library {
  openZip(path: string): Promise<{ files: ZipEntry[] }>;
  newParsers(): PartParsers;
  parseSax: ParseSax;
}

let library: Library | null = null;

/**
 * exceljs's pieces, loaded on first use (a workbook among the inputs). Only the streaming reader,
 * its SAX helper and its zip library, not the whole package (writers, CSV, zip packers): a third
 * of the load time. exceljs 4 has no `exports` map, so these paths are reachable; unzipper is
 * resolved as exceljs resolves it (its own dependency, the same copy).
 *
 * exceljs's own streaming driver (`WorkbookReader.parse`) is not used, for three faults met in
 * testing: unzipper's `Parse` emits 'end' as soon as its input is written, before it has handed
 * out the last entries, and exceljs's stream iterator stops there, so the shared strings, styles
 * or sheet names at the end of the zip are sometimes silently skipped (timing-dependent, seen
 * under load); it parses a sheet before the styles and names when the zip stores them after it;
 * and it decodes each chunk of XML on its own, turning a multi-byte character cut by a chunk
 * boundary into two U+FFFD (exceljs issues #2063, #2084, #2316). Here the zip is opened by its
 * central directory, the parts are read in the order they are needed, each as a UTF-8 stream, and
 * sheets in tab order.
 */
function loadLibrary(): Library {
  if (library) return library;
  const require = createRequire(import.meta.url);
  const WorkbookReader = require('exceljs/lib/stream/xlsx/workbook-reader.js') as new (input: null, options: object) => PartParsers;
  const parseSax = require('exceljs/lib/utils/parse-sax.js') as ParseSax;
  const unzipper = createRequire(require.resolve('exceljs/package.json'))('unzipper') as { Open: { file(path: string): Promise<{ files: ZipEntry[] }> } };
  library = {
    openZip: (path) => unzipper.Open.file(path),
    newParsers: () => new WorkbookReader(null, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }),
    parseSax,
  };
  return library;
}

/** A zip entry as UTF-8 text chunks (decoded across chunk boundaries). */
function textOf(entry: ZipEntry): NodeJS.ReadableStream {
  const stream = entry.stream();
  stream.setEncoding('utf8');
  return stream;
}

/** A part's path from a relationship target, relative to `xl/` unless absolute. */
function partPath(target: string): string {
  const parts: string[] = [];
  for (const piece of (target.startsWith('/') ? target.slice(1) : `xl/${target}`).split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}

interface Sheet {
  name: string;
  state: string | undefined;
  /** null: the sheet's part is missing from the zip (read as an empty sheet). */
  entry: ZipEntry | null;
  ctx: CellContext;
}

// ---------------------------------------------------------------------------------------------

const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CONVERT_HINT = 'open it in Excel or LibreOffice and save as .xlsx or CSV (`libreoffice --headless --convert-to xlsx file.xls`)';

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

async function readMagic(absolute: string, file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(absolute, 'r');
  } catch (error) {
    throw unreadable(error, file);
  }
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await handle.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead);
  } catch (error) {
    throw unreadable(error, file);
  } finally {
    await handle.close();
  }
}

function unreadable(error: unknown, file: string): CxmError {
  if (isCxmError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'ENOENT') {
    return new CxmError('INPUT_UNREADABLE', `${file}: the file does not exist (any more)`, { hint: 'check the path', cause: error });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new CxmError('INPUT_UNREADABLE', `${file}: permission denied`, { hint: 'check the file permissions (`ls -l`)', cause: error });
  }
  if (code === 'EISDIR') {
    return new CxmError('INPUT_UNREADABLE', `${file}: is a directory, not a file`, { hint: 'pass the directory as an input on its own', cause: error });
  }
  if (code) {
    return new CxmError('INPUT_UNREADABLE', `${file}: cannot be read (${code}: ${detail})`, { hint: 'check that the file is readable', cause: error });
  }
  // From unzipper and the XML parser: FILE_ENDED, invalid signature, unclosed tags…
  const what = /FILE_ENDED|unexpected end/i.test(detail) ? 'the workbook ends early (truncated or damaged)' : `the workbook is damaged (${detail})`;
  return new CxmError('INPUT_UNREADABLE', `${file}: ${what}`, {
    hint: 'fetch the file again; if Excel or LibreOffice opens it, save it again as .xlsx (or export the sheet as CSV)',
    cause: error,
  });
}

function sameSheet(a: string, b: string): boolean {
  // Excel sheet names are unique regardless of case.
  return a.trim().toLocaleLowerCase('en-US') === b.trim().toLocaleLowerCase('en-US');
}

/** Reads one sheet into the sink as one table. */
async function readSheet(sheet: Sheet, file: string, sink: WorkbookSink, parseSax: ParseSax): Promise<void> {
  const info: SourceInfo = { file: `${file}#${sheet.name}`, format: 'xlsx', encoding: null, delimiter: null, compressed: false, notes: [] };
  if (sheet.state === 'hidden' || sheet.state === 'veryHidden') info.notes.push('hidden sheet');
  const tally: Tally = { errors: 0, firstError: '', formulas: 0, firstFormula: '' };
  const top: { cells: Cell[]; line: number }[] = [];
  // Set inside `start` too: the cast keeps TypeScript from narrowing it to 'scan' in the loop.
  let state = 'scan' as 'scan' | 'rows' | 'skip';
  let header: string[] = [];
  let width = 0;
  let blankRows = 0;
  /** Rows of blank cells met while looking for the header: counted if below it. */
  const topBlank: number[] = [];
  const added: string[] = [];
  const control: Control = { skip: false };

  const push = (cells: Cell[], line: number): void => {
    if (cells.length > width) {
      let last = -1;
      for (let i = cells.length - 1; i >= width; i--) {
        if (!isBlankCell(cells[i])) {
          last = i;
          break;
        }
      }
      if (last >= 0) {
        // A value right of the header: its column (and any empty ones before it) join the table.
        const names = normalizeHeader([...header, ...Array.from({ length: last + 1 - width }, () => '')]).slice(width);
        header = [...header, ...names];
        added.push(...names);
        width = last + 1;
        sink.addColumns?.(names);
      }
    }
    if (cells.length > width) cells.length = width;
    while (cells.length < width) cells.push(null);
    sink.row(cells, line);
  };

  const start = (): void => {
    if (top.length === 0) {
      state = 'skip';
      info.notes.push('empty sheet');
      sink.header([], info);
      control.skip = true;
      return;
    }
    const texts = top.map((r) => r.cells.map(headerText));
    let at = sink.headerRow?.(texts, info) ?? -1;
    if (!(at >= 0 && at < top.length)) at = defaultHeaderRow(top.map((r) => r.cells));
    const headerCells = texts[at]!;
    width = headerCells.length;
    while (width > 0 && headerCells[width - 1] === '') width--;
    header = normalizeHeader(headerCells.slice(0, width));
    const line = top[at]!.line;
    info.notes.push(at === 0 ? `header on row ${line}` : `header on row ${line}; the ${plural(at, 'row')} above it (a title block) not read as records`);
    if (sink.header([...header], info) === 'skip') {
      state = 'skip';
      control.skip = true;
      return;
    }
    state = 'rows';
    blankRows += topBlank.filter((blank) => blank > line).length;
    for (const r of top.slice(at + 1)) push(r.cells, r.line);
  };

  if (sheet.entry) {
    const text = textOf(sheet.entry) as AsyncIterable<string>;
    for await (const batch of sheetRows(pieces(text, control), parseSax, sheet.ctx, tally)) {
      for (const row of batch) {
        if (state === 'skip') break;
        if (row.cells.every(isBlankCell)) {
          if (state === 'rows') blankRows++;
          else topBlank.push(row.number);
          continue;
        }
        if (state === 'scan') {
          top.push({ cells: row.cells, line: row.number });
          if (top.length >= HEADER_SCAN_ROWS) start();
        } else {
          push(row.cells, row.number);
        }
      }
    }
  }
  if (state === 'scan') start();

  if (added.length > 0) info.notes.push(`values right of the header kept as ${added.join(', ')}`);
  if (blankRows > 0) info.notes.push(`skipped ${plural(blankRows, 'row')} with only empty cells`);
  if (tally.errors > 0) info.notes.push(`${plural(tally.errors, 'error value')} (#N/A, #DIV/0!…) read as blank, first ${tally.firstError}`);
  if (tally.formulas > 0) {
    info.notes.push(`${plural(tally.formulas, 'formula')} saved without a result read as blank, first ${tally.firstFormula} (open and save the workbook in Excel or LibreOffice to store results)`);
  }
}

/**
 * Reads an `.xlsx` workbook (or an `.xls` that is really one) into `sink`, one table per sheet, in
 * tab order: `header` is called once per sheet, each time with that sheet's `SourceInfo` (`file` is
 * `book.xlsx#Sheet name`); the rows that follow belong to it. An empty sheet calls
 * `header([], info)` with the note `"empty sheet"`; chart sheets are skipped (noted on the
 * workbook). `options.sheet` reads only the sheet of that name (compared without case, as Excel
 * does). Returns the workbook's `SourceInfo`, or `null` for an `.xls` file that is text (a CSV or
 * TSV saved with an .xls name, as many web tools export): the caller reads it as text.
 *
 * Throws `CxmError`: `INPUT_UNREADABLE` for an Excel 97-2003 `.xls` (with how to convert it), an
 * encrypted workbook, a file that is not a workbook, a truncated or damaged one; `INPUT_NOT_FOUND`
 * when `options.sheet` names no sheet of the workbook. Errors the sink throws pass through.
 *
 * @example
 * const info = await readWorkbook('exports/encuestas.xlsx', sink, { sheet: 'Respuestas' });
 */
export async function readWorkbook(path: string, sink: WorkbookSink, options: ReadWorkbookOptions = {}): Promise<SourceInfo | null> {
  const file = path;
  const absolute = resolve(options.cwd ?? '', path);
  const { ext } = splitExtension(path);
  const magic = await readMagic(absolute, file);
  const info: SourceInfo = { file, format: 'xlsx', encoding: null, delimiter: null, compressed: false, notes: [] };

  if (magic.length === 0) {
    info.notes.push('empty file');
    return info;
  }
  if (magic.length >= 8 && magic.equals(OLE2_MAGIC)) {
    if (ext === '.xls') {
      throw new CxmError('INPUT_UNREADABLE', `${file}: an Excel 97-2003 workbook (.xls), which cxm does not read`, { hint: CONVERT_HINT });
    }
    throw new CxmError('INPUT_UNREADABLE', `${file}: a password-protected workbook, or an old .xls workbook renamed .xlsx; cxm cannot read it`, {
      hint: `remove the password (Excel: File > Info > Protect Workbook), or ${CONVERT_HINT}`,
    });
  }
  if (!(magic.length >= 4 && magic.subarray(0, 4).equals(ZIP_MAGIC))) {
    if (ext === '.xls') return null;
    throw new CxmError('INPUT_UNREADABLE', `${file}: not an Excel workbook (an .xlsx file is a ZIP archive, and this one does not start like one)`, {
      hint: 'if it is a CSV or JSON export, rename it to .csv or .json; otherwise open it in Excel or LibreOffice and save it as .xlsx',
    });
  }
  if (ext === '.xls') info.notes.push('named .xls, but an .xlsx workbook inside: read as one');

  const lib = loadLibrary();
  const parsers = lib.newParsers();
  const sheets: Sheet[] = [];
  const skipped: string[] = [];
  try {
    const zip = await lib.openZip(absolute);
    const entries = new Map(zip.files.filter((f) => f.type === 'File').map((f) => [f.path.replace(/^\//, ''), f]));
    const workbook = entries.get('xl/workbook.xml');
    if (!workbook) {
      throw new CxmError('INPUT_UNREADABLE', `${file}: a ZIP archive without a workbook part (xl/workbook.xml), not an Excel workbook`, {
        hint: 'check that this is the right file; if Excel or LibreOffice opens it, save it again as .xlsx',
      });
    }
    const rels = entries.get('xl/_rels/workbook.xml.rels');
    if (rels) await parsers._parseRels(textOf(rels));
    await parsers._parseWorkbook(textOf(workbook));
    // The parts a relationship names, else where Excel puts them.
    const part = (type: string, fallback: string): ZipEntry | undefined => {
      const rel = parsers.workbookRels?.find((r) => r.Type?.endsWith(`/${type}`));
      return entries.get(rel ? partPath(rel.Target) : fallback) ?? entries.get(fallback);
    };
    const styles = part('styles', 'xl/styles.xml');
    if (styles) await parsers._parseStyles(textOf(styles));
    const strings = part('sharedStrings', 'xl/sharedStrings.xml');
    if (strings) for await (const _ of parsers._parseSharedStrings(textOf(strings)));

    const formats = new Map<number, NumberFormatKind>();
    const ctx: CellContext = {
      sharedStrings: parsers.sharedStrings,
      date1904: parsers.properties?.model?.date1904 === true,
      formatOf: (style) => {
        let kind = formats.get(style);
        if (kind === undefined) {
          kind = numberFormatKind(parsers.styles.getStyleModel(style)?.numFmt);
          formats.set(style, kind);
        }
        return kind;
      },
    };
    for (const meta of parsers.model?.sheets ?? []) {
      const rel = parsers.workbookRels?.find((r) => r.Id === meta.rId);
      if (rel && !/\/worksheet$/.test(rel.Type ?? '/worksheet')) {
        skipped.push(meta.name); // a chart sheet or a dialog sheet: no cells
        continue;
      }
      sheets.push({ name: meta.name, state: meta.state, entry: rel ? (entries.get(partPath(rel.Target)) ?? null) : null, ctx });
    }
    if (sheets.length === 0 && skipped.length === 0) {
      throw new CxmError('INPUT_UNREADABLE', `${file}: a workbook without sheets`, { hint: 'open it in Excel or LibreOffice to check it' });
    }

    for (const sheet of sheets) {
      if (options.sheet !== undefined && !sameSheet(sheet.name, options.sheet)) continue;
      await readSheet(sheet, file, sink, lib.parseSax);
      if (options.sheet !== undefined) break;
    }
  } catch (error) {
    throw unreadable(error, file);
  }

  const names = sheets.map((sheet) => sheet.name);
  const picked = options.sheet === undefined ? null : (names.find((name) => sameSheet(name, options.sheet!)) ?? null);
  if (options.sheet !== undefined && picked === null) {
    throw new CxmError('INPUT_NOT_FOUND', `${file}: no sheet named "${options.sheet}" (sheets: ${names.map((n) => `"${n}"`).join(', ')})`, {
      where: { file },
      hint: 'check --sheet against the sheet tabs; names are compared without case',
    });
  }
  info.notes.push(`Excel workbook, ${plural(names.length, 'sheet')}: ${names.join(', ')}`);
  if (skipped.length > 0) info.notes.push(`chart sheets skipped (no cells): ${skipped.join(', ')}`);
  if (picked !== null) info.notes.push(`only sheet "${picked}" read (--sheet)`);
  return info;
}
