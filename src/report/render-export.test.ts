import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { MetricEntry, ReportModel } from './model.js';
import { renderReportCsv } from './render-csv.js';
import { EXCEL_CSV, PLAIN_CSV, exportTable, longTable, mergeByPeriod, parseCsvTable, pivotWide, renderCsvTable, sortExportRows } from './render-export.js';

const W1 = ['2025-06-02T00:00:00+02:00', '2025-06-09T00:00:00+02:00', '2025-W23'] as const;
const W2 = ['2025-06-09T00:00:00+02:00', '2025-06-16T00:00:00+02:00', '2025-W24'] as const;

function m(id: 'nps' | 'csat', period: readonly [string, string, string] | null, segment: Record<string, string> | null, value: number | null, n: number, ci: [number, number] | null): MetricEntry {
  // Only the fields the CSV reads; the model's other annotations (anomaly bands…) are not exported.
  const entry: Omit<MetricEntry, 'anomaly'> = {
    id,
    label: id,
    unit: id === 'nps' ? 'points' : 'share',
    direction: 'higher',
    domain: 'surveys',
    value,
    n,
    ci95: ci,
    period: period?.[2] ?? null,
    period_start: period?.[0] ?? null,
    period_end: period?.[1] ?? null,
    segment,
    small_sample: false,
    change: null,
    detail: {},
  };
  return entry as MetricEntry;
}

function model(metrics: MetricEntry[], period: string | null, by: string[] = ['channel']): ReportModel {
  return {
    inputs: [],
    settings: { period, by, since: null, until: null, timezone: 'Europe/Madrid', min_sample: 30, range: null },
    metrics,
    unavailable: [],
    warnings: [],
    totals: { read: 0, accepted: 0, duplicate: 0, rejected: 0 },
  };
}

// Engine order: metric by metric, each by period then segment. A segment value tries formula injection.
const entries = [
  m('nps', null, null, 12.5, 200, [5, 20]),
  m('nps', W1, null, 10, 100, [0, 20]),
  m('nps', W1, { channel: 'email' }, 20, 60, [8.25, 31.75]),
  m('nps', W1, { channel: '=HYPERLINK("x")' }, -5, 40, [-20, 10]),
  m('nps', W2, null, 15, 100, [5, 25]),
  m('nps', W2, { channel: 'email' }, 15, 100, [5, 25]),
  m('csat', null, null, 0.8, 150, [0.73, 0.86]),
  m('csat', W1, null, 0.75, 50, [0.61, 0.85]),
  m('csat', W1, { channel: 'email' }, 0.75, 50, [0.61, 0.85]),
  m('csat', W2, null, null, 0, null),
];
const weekly = model(entries, 'week');

const H = ['period_start', 'period_end', 'period', 'channel', 'metric', 'value', 'n', 'ci_low', 'ci_high', 'unit'];
const w1 = (...rest: string[]) => [...W1, ...rest];
const w2 = (...rest: string[]) => [...W2, ...rest];

// The long rows, sorted: period, then channel (empty = all channels first; `'` sorts before
// letters), then metric in catalogue order (nps before csat). The injected formula comes back
// neutralised with a leading quote; numbers stay numbers.
const LONG_SORTED = [
  w1('', 'nps', '10', '100', '0', '20', 'points'),
  w1('', 'csat', '0.75', '50', '0.61', '0.85', 'share'),
  w1(`'=HYPERLINK("x")`, 'nps', '-5', '40', '-20', '10', 'points'),
  w1('email', 'nps', '20', '60', '8.25', '31.75', 'points'),
  w1('email', 'csat', '0.75', '50', '0.61', '0.85', 'share'),
  w2('', 'nps', '15', '100', '5', '25', 'points'),
  w2('', 'csat', '', '0', '', '', 'share'),
  w2('email', 'nps', '15', '100', '5', '25', 'points'),
];

describe('longTable', () => {
  it('is renderReportCsv read back: same header and cells, the period rows only (in engine order)', () => {
    const table = longTable(weekly);
    expect(table.header).toEqual(H);
    // 10 entries minus the 2 overall rows
    expect(table.rows).toHaveLength(8);
    const reportRows = Papa.parse<string[]>(renderReportCsv(weekly), { skipEmptyLines: true }).data.slice(1);
    expect(table.rows).toEqual(reportRows.filter((r) => r[2] !== ''));
  });

  it('without a period: the overall rows only', () => {
    const table = longTable(model(entries, null));
    expect(table.rows).toEqual([
      ['', '', '', '', 'nps', '12.5', '200', '5', '20', 'points'],
      ['', '', '', '', 'csat', '0.8', '150', '0.73', '0.86', 'share'],
    ]);
  });
});

describe('exportTable and renderCsvTable', () => {
  it('long: sorted by period, segment, catalogue order', () => {
    expect(exportTable(weekly, { wide: false, dialect: PLAIN_CSV, metrics: null })).toEqual({ header: H, rows: LONG_SORTED });
  });

  it('plain CSV: commas, LF, no BOM, the formula quoted and neutralised', () => {
    const text = renderCsvTable(exportTable(weekly, { wide: false, dialect: PLAIN_CSV, metrics: null }));
    const lines = text.split('\n');
    expect(lines[0]).toBe('period_start,period_end,period,channel,metric,value,n,ci_low,ci_high,unit');
    expect(lines[3]).toBe(`2025-06-02T00:00:00+02:00,2025-06-09T00:00:00+02:00,2025-W23,"'=HYPERLINK(""x"")",nps,-5,40,-20,10,points`);
    expect(lines[7]).toBe('2025-06-09T00:00:00+02:00,2025-06-16T00:00:00+02:00,2025-W24,,csat,,0,,,share');
    expect(lines).toHaveLength(1 + 8 + 1); // header, rows, the empty string after the final newline
  });

  it('Excel: semicolons, a UTF-8 BOM, CRLF and decimal commas; negative numbers stay numbers', () => {
    const text = renderCsvTable(exportTable(weekly, { wide: false, dialect: EXCEL_CSV, metrics: null }), EXCEL_CSV);
    expect(text.startsWith('\uFEFFperiod_start;period_end;period;channel;metric;value;n;ci_low;ci_high;unit\r\n')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[2]).toBe('2025-06-02T00:00:00+02:00;2025-06-09T00:00:00+02:00;2025-W23;;csat;0,75;50;0,61;0,85;share');
    expect(lines[3]).toBe(`2025-06-02T00:00:00+02:00;2025-06-09T00:00:00+02:00;2025-W23;"'=HYPERLINK(""x"")";nps;-5;40;-20;10;points`);
    expect(lines[4]).toBe('2025-06-02T00:00:00+02:00;2025-06-09T00:00:00+02:00;2025-W23;email;nps;20;60;8,25;31,75;points');
    expect(text.includes('\n') && !/[^\r]\n/.test(text)).toBe(true);
  });

  it('wide: one row per period x segment, four columns per metric in catalogue order', () => {
    const wide = exportTable(weekly, { wide: true, dialect: PLAIN_CSV, metrics: null });
    expect(wide.header).toEqual(['period_start', 'period_end', 'period', 'channel', 'nps', 'nps_n', 'nps_ci_low', 'nps_ci_high', 'csat', 'csat_n', 'csat_ci_low', 'csat_ci_high']);
    expect(wide.rows).toEqual([
      w1('', '10', '100', '0', '20', '0.75', '50', '0.61', '0.85'),
      w1(`'=HYPERLINK("x")`, '-5', '40', '-20', '10', '', '', '', ''),
      w1('email', '20', '60', '8.25', '31.75', '0.75', '50', '0.61', '0.85'),
      w2('', '15', '100', '5', '25', '', '0', '', ''),
      w2('email', '15', '100', '5', '25', '', '', '', ''),
    ]);
  });

  it('wide with --metrics: exactly those columns, in catalogue order, even one with no rows', () => {
    const wide = exportTable(weekly, { wide: true, dialect: PLAIN_CSV, metrics: ['csat', 'aht', 'nps'] });
    expect(wide.header.slice(4)).toEqual(['nps', 'nps_n', 'nps_ci_low', 'nps_ci_high', 'csat', 'csat_n', 'csat_ci_low', 'csat_ci_high', 'aht', 'aht_n', 'aht_ci_low', 'aht_ci_high']);
    expect(wide.rows[0]!.slice(-4)).toEqual(['', '', '', '']);
  });

  it('pivotWide ignores metrics it was not asked for', () => {
    const wide = pivotWide({ header: H, rows: LONG_SORTED }, 4, ['csat']);
    expect(wide.header).toEqual(['period_start', 'period_end', 'period', 'channel', 'csat', 'csat_n', 'csat_ci_low', 'csat_ci_high']);
    expect(wide.rows).toHaveLength(5);
  });
});

describe('parseCsvTable', () => {
  it('skips a BOM, reads CRLF, keeps quoted cells', () => {
    expect(parseCsvTable('\uFEFFa;b\r\n"x;1";2\r\n', ';')).toEqual({ header: ['a', 'b'], rows: [['x;1', '2']] });
    expect(parseCsvTable('', ',')).toEqual({ header: [], rows: [] });
  });
  it('reports malformed quoting', () => {
    expect(parseCsvTable('a,b\n"x,1\n', ',')).toMatchObject({ error: expect.stringContaining('Quote') });
  });
  it('a rendered table reads back to the same table, in both dialects', () => {
    const table = exportTable(weekly, { wide: false, dialect: EXCEL_CSV, metrics: null });
    expect(parseCsvTable(renderCsvTable(table, EXCEL_CSV), ';')).toEqual(table);
    const plain = exportTable(weekly, { wide: false, dialect: PLAIN_CSV, metrics: null });
    expect(parseCsvTable(renderCsvTable(plain), ',')).toEqual(plain);
  });
});

describe('mergeByPeriod (--append)', () => {
  const existing = { header: H, rows: LONG_SORTED };

  it('merging the same rows changes nothing', () => {
    const merged = mergeByPeriod(existing, existing, 4);
    expect(merged.table).toEqual(existing);
    expect(merged).toMatchObject({ added: 0, replaced: 2, kept: 0 });
    expect(renderCsvTable(merged.table)).toBe(renderCsvTable(existing));
  });

  it('a corrected period replaces all its old rows, other periods are kept, a new one is added, all sorted', () => {
    const w3 = ['2025-06-16T00:00:00+02:00', '2025-06-23T00:00:00+02:00', '2025-W25'];
    // The corrected W24 has no email row any more; W25 is new. Given out of order on purpose.
    const incoming = { header: H, rows: [[...w3, '', 'nps', '30', '80', '20', '40', 'points'], w2('', 'nps', '16', '101', '6', '26', 'points')] };
    const merged = mergeByPeriod(existing, incoming, 4);
    expect(merged).toMatchObject({ added: 1, replaced: 1, kept: 1 });
    expect(merged.table.rows).toEqual([...LONG_SORTED.slice(0, 5), w2('', 'nps', '16', '101', '6', '26', 'points'), [...w3, '', 'nps', '30', '80', '20', '40', 'points']]);
  });

  it('sorts periods as instants, so offsets (DST) cannot misorder them', () => {
    // 2025-03-30T23:00:00-01:00 is 2025-03-31T00:00Z, after 2025-03-30T23:30:00Z.
    const rows = [
      ['2025-03-30T23:00:00-01:00', 'x', 'b', '', 'nps', '1', '1', '', '', 'points'],
      ['2025-03-30T23:30:00Z', 'x', 'a', '', 'nps', '1', '1', '', '', 'points'],
    ];
    expect(sortExportRows({ header: H, rows }, 4).rows.map((r) => r[2])).toEqual(['a', 'b']);
  });
});
