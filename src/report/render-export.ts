/**
 * `cxm export`: the long CSV of `cxm report --format csv` (the same renderer, `renderReportCsv`),
 * optionally pivoted wide, sorted by period, merged into an existing file by period (`--append`),
 * and written in a spreadsheet dialect (`--excel`: `;`, UTF-8 BOM, CRLF, decimal commas).
 *
 * Everything here works on string cells: the rows are rendered once by `renderReportCsv` (which
 * formats numbers and neutralises formula injection) and read back with papaparse, the same way
 * an existing file is read, so appended and fresh rows are the same text and a re-run with the
 * same data gives the same bytes.
 *
 * Columns (stable; documented in `cxm export --help` and the README):
 *   long: period_start, period_end, period, <one column per --by field>, metric, value, n, ci_low, ci_high, unit
 *   wide: period_start, period_end, period, <--by fields>, then per metric <id>, <id>_n, <id>_ci_low, <id>_ci_high
 */
import Papa from 'papaparse';
import { METRICS } from '../metrics/registry.js';
import type { ReportModel } from './model.js';
import { csvLine, renderReportCsv } from './render-csv.js';

export interface CsvTable {
  header: string[];
  rows: string[][];
}

export interface CsvDialect {
  delimiter: ',' | ';';
  /** A UTF-8 byte-order mark, so Excel reads the file as UTF-8. */
  bom: boolean;
  eol: '\n' | '\r\n';
  decimalComma: boolean;
}

export const PLAIN_CSV: CsvDialect = { delimiter: ',', bom: false, eol: '\n', decimalComma: false };
/** What Excel in a decimal-comma locale (Spain) opens with a double click. */
export const EXCEL_CSV: CsvDialect = { delimiter: ';', bom: true, eol: '\r\n', decimalComma: true };

/** Columns before the segment columns, and the long format's columns after them. */
export const PERIOD_COLUMNS = ['period_start', 'period_end', 'period'] as const;
export const LONG_VALUE_COLUMNS = ['metric', 'value', 'n', 'ci_low', 'ci_high', 'unit'] as const;
export const WIDE_SUFFIXES = ['', '_n', '_ci_low', '_ci_high'] as const;

/** Reads CSV text (a BOM is skipped) into a header and rows of strings. */
export function parseCsvTable(text: string, delimiter: string): CsvTable | { error: string } {
  const body = text.replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(body, { delimiter, skipEmptyLines: 'greedy' });
  const first = parsed.errors[0];
  if (first) return { error: `${first.message}${first.row !== undefined ? ` (row ${first.row + 1})` : ''}` };
  const [header, ...rows] = parsed.data;
  if (!header) return { header: [], rows: [] };
  return { header, rows };
}

/**
 * The long table of a model: with `--period`, only the period rows; without, only the overall rows
 * (a file of periods never mixes in an "overall" row whose range changes with every run).
 */
export function longTable(model: ReportModel, dialect: CsvDialect = PLAIN_CSV): CsvTable {
  const periodic = model.settings.period !== null;
  const rows = { ...model, metrics: model.metrics.filter((m) => (m.period !== null) === periodic) };
  const table = parseCsvTable(renderReportCsv(rows, { delimiter: dialect.delimiter, decimalComma: dialect.decimalComma }), dialect.delimiter);
  // Our own output always parses; anything else is a bug, not a user error.
  if ('error' in table) throw new Error(`the long CSV did not parse back: ${table.error}`);
  return table;
}

/** How many leading columns identify a row's period and segment. */
export function keyColumnCount(by: readonly string[]): number {
  return PERIOD_COLUMNS.length + by.length;
}

/**
 * One row per period x segment, one group of columns per metric (`nps`, `nps_n`, `nps_ci_low`,
 * `nps_ci_high`), metrics in the given order; a metric with no row for a key leaves its cells empty.
 */
export function pivotWide(long: CsvTable, keyCount: number, metricIds: readonly string[]): CsvTable {
  const col = (name: string) => long.header.indexOf(name);
  const [metricCol, valueCol, nCol, loCol, hiCol] = ['metric', 'value', 'n', 'ci_low', 'ci_high'].map(col) as [number, number, number, number, number];
  const header = [...long.header.slice(0, keyCount), ...metricIds.flatMap((id) => WIDE_SUFFIXES.map((s) => `${id}${s}`))];
  const position = new Map(metricIds.map((id, i) => [id, keyCount + i * WIDE_SUFFIXES.length]));
  const byKey = new Map<string, string[]>();
  for (const row of long.rows) {
    const keyCells = row.slice(0, keyCount);
    const key = keyCells.join('\u0000');
    let wide = byKey.get(key);
    if (!wide) byKey.set(key, (wide = [...keyCells, ...new Array<string>(header.length - keyCount).fill('')]));
    const at = position.get(row[metricCol]!);
    if (at === undefined) continue;
    wide[at] = row[valueCol] ?? '';
    wide[at + 1] = row[nCol] ?? '';
    wide[at + 2] = row[loCol] ?? '';
    wide[at + 3] = row[hiCol] ?? '';
  }
  return { header, rows: [...byKey.values()] };
}

const CATALOGUE_ORDER = new Map(METRICS.map((m, i) => [m.id, i]));

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareInstant(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '' || b === '') return a === '' ? -1 : 1;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  return Number.isNaN(ta) || Number.isNaN(tb) || ta === tb ? compareText(a, b) : ta - tb;
}

/**
 * The file order: by period_start (as an instant), period_end, period, the segment columns, then
 * (long format) the metric in catalogue order; any remaining tie by the other cells, so the order
 * is total and a merged file equals a fresh one.
 */
export function sortExportRows(table: CsvTable, keyCount: number): CsvTable {
  const metricCol = table.header.indexOf('metric');
  const rank = (id: string) => CATALOGUE_ORDER.get(id) ?? Number.MAX_SAFE_INTEGER;
  const rows = [...table.rows].sort((a, b) => {
    let d = compareInstant(a[0] ?? '', b[0] ?? '') || compareInstant(a[1] ?? '', b[1] ?? '');
    for (let i = 2; !d && i < keyCount; i++) d = compareText(a[i] ?? '', b[i] ?? '');
    if (!d && metricCol >= 0) d = rank(a[metricCol] ?? '') - rank(b[metricCol] ?? '') || compareText(a[metricCol] ?? '', b[metricCol] ?? '');
    for (let i = keyCount; !d && i < Math.max(a.length, b.length); i++) d = compareText(a[i] ?? '', b[i] ?? '');
    return d;
  });
  return { header: table.header, rows };
}

/** The period a row belongs to: its period_start, period_end and period cells. */
function periodKey(row: readonly string[]): string {
  return row.slice(0, PERIOD_COLUMNS.length).join('\u0000');
}

/**
 * `--append`: the rows of every period in `incoming` replace that period's rows in `existing`;
 * periods only in `existing` are kept. The headers must be equal (the caller says so to the user).
 */
export function mergeByPeriod(existing: CsvTable, incoming: CsvTable, keyCount: number): { table: CsvTable; added: number; replaced: number; kept: number } {
  const fresh = new Set(incoming.rows.map(periodKey));
  const old = new Set(existing.rows.map(periodKey));
  const keptRows = existing.rows.filter((row) => !fresh.has(periodKey(row)));
  const kept = new Set(keptRows.map(periodKey)).size;
  const replaced = [...fresh].filter((k) => old.has(k)).length;
  const table = sortExportRows({ header: incoming.header, rows: [...keptRows, ...incoming.rows] }, keyCount);
  return { table, added: fresh.size - replaced, replaced, kept };
}

/** Serialises a table: cells quoted and neutralised by `csvLine`, the dialect's delimiter, line ends and BOM. */
export function renderCsvTable(table: CsvTable, dialect: CsvDialect = PLAIN_CSV): string {
  const lines = [csvLine(table.header, dialect.delimiter), ...table.rows.map((row) => csvLine(row, dialect.delimiter))];
  return `${dialect.bom ? '\uFEFF' : ''}${lines.join(dialect.eol)}${dialect.eol}`;
}

export interface ExportOptions {
  wide: boolean;
  dialect: CsvDialect;
  /** `--metrics`: the wide columns, even for metrics the data could not compute. Default: the computed ones. */
  metrics: readonly string[] | null;
}

/** The export of one run, sorted: the long table, or its wide pivot. */
export function exportTable(model: ReportModel, options: ExportOptions): CsvTable {
  const keyCount = keyColumnCount(model.settings.by);
  const long = longTable(model, options.dialect);
  if (!options.wide) return sortExportRows(long, keyCount);
  const wanted = options.metrics ?? [...new Set(model.metrics.map((m) => m.id))];
  const ids = [...wanted].sort((a, b) => (CATALOGUE_ORDER.get(a) ?? Infinity) - (CATALOGUE_ORDER.get(b) ?? Infinity));
  return sortExportRows(pivotWide(long, keyCount, ids), keyCount);
}
