/**
 * Excel workbooks (.xlsx) -> raw tables, one per sheet, streamed with exceljs's WorkbookReader
 * (never loaded whole): each sheet is its own table named `book.xlsx#Sheet name`, and a row's
 * `line` is its row number in the sheet.
 *
 * How cells become `Cell`s:
 * - numbers stay numbers and booleans booleans; cells with a date or time number format become a
 *   `Date` whose UTC fields are the wall clock shown in Excel (what `schema/dates.ts` expects);
 * - text is passed on as written (the usual parsers read it), rich text joined, a hyperlink by its
 *   text, `_x000D_`-style escapes decoded;
 * - a formula gives its cached result (typed as above);
 * - error cells (`#N/A`, `#DIV/0!`, `#VALUE!`…) are blanks, counted in the sheet's notes with the
 *   first cell and its code. A formula whose cached result is an error is read as blank too, and so
 *   is one saved without a result (written by a library that does not calculate): exceljs's
 *   streaming reader drops both alike, so they are counted together. One rule for all: an error is
 *   "no value", like `#N/A` in a CSV export; a required field left blank by it still rejects its
 *   row downstream, and the notes say where the first one is.
 *
 * The header is the first row of the sheet's top `HEADER_SCAN_ROWS` non-empty rows that the sink's
 * `headerRow` picks (the dataset layer asks kind detection: a title block above the header is
 * skipped); without that method, the first row about as wide as the table. Columns run from A to
 * the header's last non-empty cell, so a reject's column index maps to its letter
 * (`columnLetter`); empty header cells, including the cells a merged header cell covers beyond its
 * first (the streaming reader sees merges only after the rows), are named `column_N` (N = the
 * column number); empty columns right of the header are dropped; a value found right of the header
 * adds `column_N` columns through `addColumns` (kept as attributes, never lost). Rows of only blank
 * cells are skipped and counted.
 */

import { createReadStream } from 'node:fs';
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

/**
 * Whether an Excel number format shows a date or a time (`dd/mm/yyyy`, `h:mm`, `[$-es-ES]d-mmm`),
 * by the same rule as exceljs: date letters outside quotes and brackets.
 *
 * @example
 * isDateFormat('dd/mm/yyyy hh:mm'); // true
 * isDateFormat('#,##0.00 "€"');     // false
 */
export function isDateFormat(numFmt: string | undefined): boolean {
  if (!numFmt) return false;
  return /[ymdhsb]/i.test(numFmt.replace(/\[[^\]]*\]/g, '').replace(/"[^"]*"/g, ''));
}

/**
 * An Excel serial day as a Date whose UTC fields are the wall clock (1900 system: day 25569 is
 * 1970-01-01; 1904 system: 1462 days later), rounded to the millisecond like exceljs.
 *
 * @example excelSerialToDate(45688.4375, false).toISOString(); // '2025-01-31T10:30:00.000Z'
 */
export function excelSerialToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
}

/** OOXML escapes control characters as `_xHHHH_` (`_x000D_` for CR); `_x005F_` escapes the underscore. */
function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** `cellValue` for an error value (`#DIV/0!`): read as blank, counted. */
export const ERROR_CELL: unique symbol = Symbol('error cell');
/** `cellValue` for a formula without a usable cached result: read as blank, counted. */
export const FORMULA_WITHOUT_RESULT: unique symbol = Symbol('formula without result');
type Problem = typeof ERROR_CELL | typeof FORMULA_WITHOUT_RESULT;

function richText(value: unknown): string | null {
  if (value !== null && typeof value === 'object' && Array.isArray((value as { richText?: unknown }).richText)) {
    return decodeEscapes((value as { richText: { text?: unknown }[] }).richText.map((run) => (typeof run.text === 'string' ? run.text : '')).join(''));
  }
  return null;
}

/**
 * One exceljs cell value as a `Cell`, or a problem (an error value, a formula without a usable
 * cached result) that the caller counts and reads as blank. `numFmt` only matters for a formula's numeric
 * result (exceljs already types plain date cells as Date).
 *
 * @example
 * cellValue({ richText: [{ text: 'Muy ' }, { text: 'bien' }] }, undefined, false); // 'Muy bien'
 * cellValue({ formula: 'B2+1', result: 45689 }, 'dd/mm/yyyy', false);              // Date 2025-02-01T00:00Z
 * cellValue({ error: '#DIV/0!' }, undefined, false);                               // ERROR_CELL
 */
export function cellValue(value: unknown, numFmt: string | undefined, date1904: boolean): Cell | Problem {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return decodeEscapes(value);
    case 'number':
      return Number.isFinite(value) ? value : ERROR_CELL;
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return null;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? ERROR_CELL : value;
  const rich = richText(value);
  if (rich !== null) return rich;
  const v = value as Record<string, unknown>;
  if ('error' in v) return ERROR_CELL;
  if ('formula' in v || 'sharedFormula' in v) {
    const result = v.result;
    if (result === undefined || result === null) return FORMULA_WITHOUT_RESULT;
    if (typeof result === 'number') {
      if (!Number.isFinite(result)) return FORMULA_WITHOUT_RESULT;
      return isDateFormat(numFmt) ? excelSerialToDate(result, date1904) : result;
    }
    const typed = cellValue(result, undefined, date1904);
    return typed === ERROR_CELL ? FORMULA_WITHOUT_RESULT : typed;
  }
  if ('hyperlink' in v || 'text' in v) {
    const text = v.text;
    return typeof text === 'string' ? decodeEscapes(text) : (richText(text) ?? null);
  }
  return null;
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
// exceljs's streaming reader, and two workarounds around it.

interface SheetCell {
  value: unknown;
  numFmt?: string;
}
interface SheetRow {
  number: number;
  eachCell(options: { includeEmpty: boolean }, callback: (cell: SheetCell, column: number) => void): void;
}
interface SheetReader extends AsyncIterable<SheetRow> {
  name: string;
  state?: string;
}

/** The parts of exceljs's WorkbookReader (lib/stream/xlsx/workbook-reader.js, 4.4) used here. */
interface ReaderInternals extends AsyncIterable<SheetReader> {
  properties?: { model?: { date1904?: boolean } };
  _parseSharedStrings(entry: NodeJS.ReadableStream & { setEncoding(encoding: string): unknown }): AsyncGenerator<unknown>;
  _parseStyles(entry: unknown): Promise<void>;
  _parseWorkbook(entry: unknown): Promise<void>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<{ eventType: string; value: unknown }>;
}
type ReaderClass = new (input: NodeJS.ReadableStream, options: object) => ReaderInternals;

/** The source of each sheet's XML, so a sheet that is not read can be closed. */
const SHEET_SOURCE = Symbol('sheetSource');

/** Characters of sheet XML handed to the parser at a time (see `utf8Text`). */
const XML_PIECE = Number(process.env.CXM_XML_PIECE ?? 16 * 1024);

/**
 * Decodes UTF-8 across chunk boundaries (one decoder for the whole stream), in pieces of at most
 * `XML_PIECE` characters: exceljs turns a whole piece into row objects before handing over the
 * first, so smaller pieces keep fewer of them alive at once.
 */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (let i = 0; i < text.length; i += XML_PIECE) yield text.slice(i, i + XML_PIECE);
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}

let readerClass: ReaderClass | null = null;

/**
 * exceljs's WorkbookReader with two fixes, both in the protected methods of its 4.x source:
 *
 * 1. It decodes each chunk of XML to text on its own, so a multi-byte character cut by a chunk
 *    boundary becomes two U+FFFD (exceljs issues #2063, #2084, #2316; fixes unmerged): an `ó`
 *    every few thousand cells in a Spanish workbook. Shared strings get a stream encoding, sheets a
 *    streaming decoder.
 * 2. It parses a sheet as soon as the shared strings and the relationships are read, before the
 *    styles or the sheet names may have been (zip order is the writer's choice): dates would come
 *    out as plain numbers and sheets named `Sheet1`. Sheets met early are parked in temporary files
 *    until the styles and the workbook part are read.
 */
async function workbookReaderClass(): Promise<ReaderClass> {
  if (readerClass) return readerClass;
  // Only the streaming reader, not the whole library (its writers, CSV and zip packers): a third
  // of the load time and ~10 MB less. exceljs 4 has no `exports` map, so the path is reachable.
  const Base = createRequire(import.meta.url)('exceljs/lib/stream/xlsx/workbook-reader.js') as ReaderClass;
  class SafeWorkbookReader extends Base {
    private relsValue: unknown = undefined;
    private seenStyles = false;
    private seenWorkbook = false;
    private parsingSheets = false;

    constructor(input: NodeJS.ReadableStream, options: object) {
      super(input, options);
      // Date cells read before (or without) the workbook part must not crash on `properties.model`.
      this.properties ??= { model: {} };
    }

    // The base class gates sheet parsing on `this.sharedStrings && this.workbookRels`.
    get workbookRels(): unknown {
      return this.parsingSheets || (this.seenStyles && this.seenWorkbook) ? this.relsValue : undefined;
    }

    set workbookRels(value: unknown) {
      this.relsValue = value;
    }

    override async *_parseSharedStrings(entry: NodeJS.ReadableStream & { setEncoding(encoding: string): unknown }): AsyncGenerator<unknown> {
      entry.setEncoding('utf8');
      yield* super._parseSharedStrings(entry);
    }

    override async _parseStyles(entry: unknown): Promise<void> {
      await super._parseStyles(entry);
      this.seenStyles = true;
    }

    override async _parseWorkbook(entry: unknown): Promise<void> {
      await super._parseWorkbook(entry);
      this.seenWorkbook = true;
    }

    override *_parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<{ eventType: string; value: unknown }> {
      this.parsingSheets = true;
      for (const event of super._parseWorksheet(utf8Text(iterator), sheetNo)) {
        if (event.eventType === 'worksheet') (event.value as Record<symbol, unknown>)[SHEET_SOURCE] = iterator;
        yield event;
      }
    }
  }
  readerClass = SafeWorkbookReader;
  return readerClass;
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
  // unzipper and the XML parser: FILE_ENDED, invalid signature, unclosed tags…
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
async function readSheet(sheet: SheetReader, file: string, sink: WorkbookSink, date1904: () => boolean): Promise<void> {
  const info: SourceInfo = { file: `${file}#${sheet.name}`, format: 'xlsx', encoding: null, delimiter: null, compressed: false, notes: [] };
  if (sheet.state === 'hidden' || sheet.state === 'veryHidden') info.notes.push('hidden sheet');
  const tally = { errors: 0, firstError: '', formulas: 0, firstFormula: '' };
  const top: { cells: Cell[]; line: number }[] = [];
  // Set inside `start` too: the cast keeps TypeScript from narrowing it to 'scan' in the loop.
  let state = 'scan' as 'scan' | 'rows' | 'skip';
  let header: string[] = [];
  let width = 0;
  let blankRows = 0;
  const added: string[] = [];

  const cellsOf = (row: SheetRow): Cell[] => {
    const cells: Cell[] = [];
    const wide = date1904();
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const raw = cell.value;
      const isFormula = raw !== null && typeof raw === 'object' && ('formula' in raw || 'sharedFormula' in raw);
      const value = cellValue(raw, isFormula ? cell.numFmt : undefined, wide);
      if (value === ERROR_CELL || value === FORMULA_WITHOUT_RESULT) {
        const ref = `${columnLetter(column - 1)}${row.number}`;
        if (value === FORMULA_WITHOUT_RESULT) {
          if (tally.formulas++ === 0) tally.firstFormula = ref;
        } else if (tally.errors++ === 0) {
          const code = (raw as { error?: unknown }).error;
          tally.firstError = typeof code === 'string' ? `${ref} (${code})` : ref;
        }
        return;
      }
      while (cells.length < column - 1) cells.push(null);
      cells[column - 1] = value;
    });
    return cells;
  };

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
      return;
    }
    state = 'rows';
    for (const r of top.slice(at + 1)) push(r.cells, r.line);
  };

  for await (const row of sheet) {
    // A skipped sheet is still read to its end: leaving exceljs's row iterator early keeps the zip
    // entry flowing into a buffer nobody reads (the whole rest of the sheet in memory).
    if (state === 'skip') continue;
    const cells = cellsOf(row);
    if (cells.every(isBlankCell)) {
      if (state === 'rows') blankRows++;
      continue;
    }
    if (state === 'scan') {
      top.push({ cells, line: row.number });
      if (top.length >= HEADER_SCAN_ROWS) start();
      continue;
    }
    push(cells, row.number);
  }
  if (state === 'scan') start();

  if (added.length > 0) info.notes.push(`values right of the header kept as ${added.join(', ')}`);
  if (blankRows > 0) info.notes.push(`skipped ${plural(blankRows, 'row')} with only empty cells`);
  if (tally.errors > 0) info.notes.push(`${plural(tally.errors, 'error cell')} (#N/A, #DIV/0!…) read as blank, first ${tally.firstError}`);
  if (tally.formulas > 0) {
    info.notes.push(
      `${plural(tally.formulas, 'formula cell')} without a usable result (an error such as #DIV/0!, or never calculated) read as blank, first ${tally.firstFormula}`,
    );
  }
}

/**
 * Reads an `.xlsx` workbook (or an `.xls` that is really one) into `sink`, one table per sheet:
 * `header` is called once per sheet, each time with that sheet's `SourceInfo` (`file` is
 * `book.xlsx#Sheet name`); the rows that follow belong to it. An empty sheet calls
 * `header([], info)` with the note `"empty sheet"`. `options.sheet` reads only the sheet of that
 * name (compared without case, as Excel does). Returns the workbook's `SourceInfo`, or `null` for
 * an `.xls` file that is text (a CSV or TSV saved with an .xls name, as many web tools export):
 * the caller reads it as text.
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

  const Reader = await workbookReaderClass();
  let stream;
  try {
    stream = createReadStream(absolute, { highWaterMark: 256 * 1024 });
  } catch (error) {
    throw unreadable(error, file);
  }
  let streamError: unknown = null;
  stream.on('error', (error) => {
    streamError = error;
  });
  const reader = new Reader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  const date1904 = (): boolean => reader.properties?.model?.date1904 === true;
  const names: string[] = [];
  let picked: string | null = null;
  try {
    for await (const sheet of reader) {
      names.push(sheet.name);
      if (options.sheet !== undefined && (picked !== null || !sameSheet(sheet.name, options.sheet))) {
        // Not read: close a sheet parked in a temporary file (one still in the zip is skipped by exceljs).
        const source = (sheet as unknown as Record<symbol, unknown>)[SHEET_SOURCE] as { destroy?: () => void } | undefined;
        source?.destroy?.();
        continue;
      }
      picked = sheet.name;
      await readSheet(sheet, file, sink, date1904);
    }
  } catch (error) {
    if (isCxmError(error)) throw error;
    throw unreadable(streamError ?? error, file);
  } finally {
    stream.destroy();
  }
  if (streamError !== null) throw unreadable(streamError, file);

  if (names.length === 0) {
    throw new CxmError('INPUT_UNREADABLE', `${file}: a ZIP archive without worksheets, not an Excel workbook`, {
      hint: 'check that this is the right file; open it in Excel or LibreOffice and save it as .xlsx',
    });
  }
  if (options.sheet !== undefined && picked === null) {
    throw new CxmError('INPUT_NOT_FOUND', `${file}: no sheet named "${options.sheet}" (sheets: ${names.map((n) => `"${n}"`).join(', ')})`, {
      where: { file },
      hint: 'check --sheet against the sheet tabs; names are compared without case',
    });
  }
  info.notes.push(`Excel workbook, ${plural(names.length, 'sheet')}: ${names.join(', ')}`);
  if (picked !== null && options.sheet !== undefined) info.notes.push(`only sheet "${picked}" read (--sheet)`);
  return info;
}
