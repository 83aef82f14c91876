/**
 * What the sources layer hands on: raw tables, one per file (or per sheet), pushed row by row
 * into a sink. Nothing here knows about customer experience.
 *
 * The push model (callbacks, not async iterators) is deliberate: papaparse's `step` callback is
 * about 4x faster than iterating its Node stream (BENCHMARKS.md).
 */

export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';
export type Delimiter = ',' | ';' | '\t' | '|';
export type SourceFormat = 'csv' | 'json' | 'ndjson' | 'xlsx';

/**
 * One cell as the file typed it. CSV cells are always strings (or null for a missing trailing
 * cell); JSON keeps numbers, booleans and null; spreadsheets add Date for real date cells.
 */
export type Cell = string | number | boolean | Date | null;

export interface SourceInfo {
  /** The path as the user should read it (relative to the cwd when possible), `-` for stdin, `book.xlsx#Sheet` for a sheet. */
  file: string;
  format: SourceFormat;
  encoding: Encoding | null;
  delimiter: Delimiter | null;
  compressed: boolean;
  /** Why the dialect was chosen, e.g. "delimiter ';' (consistent 7 fields over 200 lines)". */
  notes: string[];
}

/** Where a row came from. `line` is the 1-based physical line of the row's first character (JSON: see `RawRowSink.row`). */
export interface Provenance {
  source: SourceInfo;
  line: number;
}

export interface RawRowSink {
  /**
   * Called once per table before any row, with the header cells (empty headers named `column_N`,
   * duplicates suffixed `_2`, `_3`). Returning `'skip'` stops reading this table (an unrecognised
   * file): no rows are pushed, and that is not an error.
   */
  header(columns: string[], info: SourceInfo): 'skip' | void;
  /**
   * One record. `cells[i]` belongs to `columns[i]`; a CSV row with fewer cells than the header has
   * `null` for the missing ones, and a row with more is reported through `malformed` instead.
   * For JSON, `line` is the physical line where the object starts when known, else its 1-based
   * position in the array; columns first seen after the header call are appended through
   * `addColumns` before the row that uses them.
   */
  row(cells: Cell[], line: number): void;
  /** Columns discovered after `header` (JSON objects with new keys). */
  addColumns?(columns: string[]): void;
  /**
   * A record that could not be tokenized (unbalanced quote, too many fields, invalid JSON value).
   * It counts as read and rejected.
   */
  malformed(line: number, column: number | null, reason: string, raw: string): void;
}

export interface ReadOptions {
  /** Forces the encoding instead of sniffing it. */
  encoding?: Encoding;
  /** Forces the CSV delimiter instead of sniffing it. */
  delimiter?: Delimiter;
  /** Spreadsheet sheet to read (xlsx only). */
  sheet?: string;
}
