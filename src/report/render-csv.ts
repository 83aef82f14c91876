/**
 * CSV written for people and spreadsheets: RFC 4180 quoting, formula injection neutralised.
 */
import type { Reject } from '../schema/normalize.js';
import { neutralizeFormula } from './text.js';

export function csvCell(value: string | number | null | undefined, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  const text = neutralizeFormula(typeof value === 'number' ? String(value) : value);
  return /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: (string | number | null | undefined)[], delimiter = ','): string {
  return cells.map((cell) => csvCell(cell, delimiter)).join(delimiter);
}

/** Every rejected row, for `--rejects FILE`. */
export function renderRejectsCsv(rejects: readonly Reject[]): string {
  const lines = [csvLine(['file', 'line', 'column', 'value', 'reason'])];
  for (const r of rejects) lines.push(csvLine([r.file, r.line, r.column, r.value, r.reason]));
  return `${lines.join('\n')}\n`;
}

/** The stable column order of the long CSV (documented in the README; never reorder). */
export const LONG_COLUMNS = ['period_start', 'period_end', 'period', 'metric', 'value', 'n', 'ci_low', 'ci_high', 'unit'] as const;

/**
 * `cxm report --format csv` / `cxm export`: one row per period x segment x metric, raw units.
 * Segment columns (one per --by field) sit between `period` and `metric`.
 */
export function renderReportCsv(model: import('./model.js').ReportModel, options: { delimiter?: string; decimalComma?: boolean } = {}): string {
  const delimiter = options.delimiter ?? ',';
  const by = model.settings.by;
  const header = ['period_start', 'period_end', 'period', ...by, 'metric', 'value', 'n', 'ci_low', 'ci_high', 'unit'];
  const num = (v: number | null | undefined) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return '';
    const text = String(Number(v.toPrecision(12)));
    return options.decimalComma ? text.replace('.', ',') : text;
  };
  const lines = [csvLine(header, delimiter)];
  for (const m of model.metrics) {
    lines.push(
      csvLine(
        [m.period_start ?? '', m.period_end ?? '', m.period ?? '', ...by.map((f) => m.segment?.[f] ?? ''), m.id, num(m.value), String(m.n), num(m.ci95?.[0]), num(m.ci95?.[1]), m.unit],
        delimiter,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
