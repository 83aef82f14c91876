import { describe, expect, it } from 'vitest';
import type { DriverRow } from '../analysis/drivers.js';
import type { MetricEntry, ReportModel } from './model.js';
import {
  DRIVERS_CSV_COLUMNS,
  buildAnomaliesModel,
  ciBar,
  formatDifference,
  formatDifferenceInterval,
  formatP,
  renderAnomaliesTable,
  renderDriversCsv,
  renderDriversMarkdown,
  renderDriversTable,
  type DriversModel,
} from './render-drivers.js';

function driver(overrides: Partial<DriverRow>): DriverRow {
  return {
    exposure: 'return',
    label: 'a return',
    family: 'return',
    source: ['return'],
    linked: 800,
    exposed: { n: 300, value: -3.6 },
    unexposed: { n: 1500, value: 15.9 },
    difference: -19.5,
    ci95: [-29.2, -9.7],
    p: 0.00004,
    q: 0.001,
    impact: -3.25,
    ranked: true,
    relative_risk: null,
    adjusted: null,
    ...overrides,
  };
}

function model(overrides: Partial<DriversModel> = {}): DriversModel {
  return {
    outcome: 'nps',
    label: 'Net Promoter Score',
    unit: 'points',
    direction: 'higher',
    window_days: 30,
    min_group: 30,
    by: [],
    control: null,
    outcome_definition: 'each NPS answer',
    method: 'adjusted-Wald',
    impact_formula: 'impact = n_exposed / n × (exposed − unexposed)',
    note: 'Association, not proof of causation.',
    overall: { n: 1800, value: 12.6 },
    excluded: { 'no customer id': 1 },
    first_response_threshold: { seconds: 4 * 3600, source: 'p75' },
    drivers: [
      driver({}),
      driver({ exposure: 'complaint:category=\u001b[31mevil', difference: 5, ci95: [-2, 12], q: 0.4, impact: 0.5 }),
      driver({ exposure: '=cmd|calc', exposed: { n: 12, value: 0 }, difference: -12.6, ci95: [-40, 15], p: 0.3, q: null, impact: -0.1, ranked: false }),
    ],
    theme_groups: ['detractors', 'promoters'],
    themes: [{ term: 'tarde', group: 'detractors', z: 4.8, log_odds: 2.1, count: 79, other_count: 0, example: 'Llegó tarde\u001b]0;pwned\u0007 | otra vez\nsegunda línea' }],
    theme_dictionary: [{ theme: 'entrega', keywords: ['tarde', 'late'], count: 79, value: -100, impact: -5.07 }],
    warnings: ['ticket_not_fcr: marks exactly the same outcomes as reopened_ticket'],
    inputs: [],
    totals: { read: 10, accepted: 9, duplicate: 0, rejected: 1 },
    ...overrides,
  };
}

describe('ciBar', () => {
  it('draws the interval as ─, the point as ● and zero as │ on a symmetric axis', () => {
    // width 9, scale 40: column = round((x + 40)/80 × 8); −30 -> 1, −20 -> 2, −10 -> 3, 0 -> 4
    expect(ciBar(-20, [-30, -10], 40, 9)).toBe(' ─●─│    ');
    // an interval across zero shows ┼ there: −10 -> 3, 10 -> 5, 30 -> 7
    expect(ciBar(10, [-10, 30], 40, 9)).toBe('   ─┼●── ');
    // out of range values stay on the axis ends
    expect(ciBar(-100, [-200, 0], 40, 9)).toBe('●───┼    ');
    expect(ciBar(null, null, 0, 5)).toBe('  │  ');
  });
});

describe('number display', () => {
  it('writes differences in the outcome’s unit', () => {
    expect(formatDifference(-19.46, 'points')).toBe('-19.5');
    expect(formatDifference(-0.168, 'share')).toBe('-16.8 pp');
    expect(formatDifference(0.5, 'score')).toBe('+0.50');
    expect(formatDifference(0, 'points')).toBe('±0.0');
    expect(formatDifference(null, 'points')).toBe('—');
    expect(formatDifferenceInterval([-0.265, -0.079], 'share')).toBe('-26.5 … -7.9 pp');
    expect(formatDifferenceInterval([-29.18, -9.66], 'points')).toBe('-29.2 … -9.7');
    expect(formatP(0.00004)).toBe('<0.001');
    expect(formatP(0.0123)).toBe('0.012');
    expect(formatP(null)).toBe('—');
  });
});

describe('renderDriversTable', () => {
  const text = renderDriversTable(model(), { color: false });

  it('ranks, draws bars, marks unranked rows and states the formula and the caveat', () => {
    expect(text).toContain('Drivers of Net Promoter Score');
    expect(text).toContain('1,800 outcomes, overall +12.6; exposures within 30 days before each outcome');
    expect(text).toMatch(/│\s+1 │ return\s+│\s+-3\.6 \(n=300\) │\s+\+15\.9 \(n=1,500\) │\s+-19\.5 │ -29\.2 … -9\.7 │/);
    expect(text).toContain('0.001 *');
    expect(text).toContain('n<30');
    expect(text).toContain('CI bar, ±40.0');
    expect(text).toContain('●');
    expect(text).toContain('impact = n_exposed / n × (exposed − unexposed)');
    expect(text).toContain('Association, not proof of causation.');
    expect(text).toContain('slow first response: slower than 4h 00m (the 75th percentile of the data)');
    expect(text).toContain('left out: 1 no customer id');
    expect(text).toContain('tarde');
    expect(text).toContain('entrega');
    expect(text).toContain('10 rows read = 9 accepted + 0 duplicate + 1 rejected');
  });

  it('strips control sequences and line breaks of untrusted text', () => {
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('complaint:category=evil');
    expect(text).toContain('Llegó tarde | otra vez segunda línea');
  });

  it('colours significant harm red when asked', () => {
    expect(renderDriversTable(model(), { color: true })).toContain('\u001b[31m-19.5');
  });

  it('adds the risk ratio for churn and the adjusted difference with a control', () => {
    const churn = renderDriversTable(
      model({
        outcome: 'churn',
        unit: 'share',
        direction: 'lower',
        control: 'segment',
        drivers: [
          driver({
            exposed: { n: 100, value: 0.28 },
            unexposed: { n: 1800, value: 0.147 },
            difference: 0.133,
            ci95: [0.052, 0.229],
            relative_risk: { ratio: 1.9, ci95: [1.36, 2.65], p: 0.0002 },
            adjusted: { by: 'segment', difference: 0.12, ci95: [0.04, 0.2], p: 0.003, strata: 2 },
          }),
        ],
      }),
      { color: false },
    );
    expect(churn).toContain('1.90 (1.36–2.65)');
    expect(churn).toContain('+12.0 pp (4.0 … 20.0 pp)');
    expect(churn).toContain('28.0% (n=100)');
    expect(churn).toContain('+13.3 pp');
  });

  it('says so when nothing could be linked', () => {
    expect(renderDriversTable(model({ drivers: [] }), { color: false })).toContain('No exposure could be linked to these outcomes.');
  });
});

describe('renderDriversMarkdown', () => {
  it('escapes cells and keeps the bar in a code span', () => {
    const md = renderDriversMarkdown(model());
    expect(md).toContain('# Drivers of Net Promoter Score');
    expect(md).toContain('| 1 | return | -3.6 (n=300) | +15.9 (n=1,500) | -19.5 | -29.2 … -9.7 | `');
    expect(md).toContain('=cmd\\|calc');
    expect(md).toContain('Llegó tarde \\| otra vez segunda línea');
    expect(md).not.toContain('\u001b');
    expect(md).toContain('> Association, not proof of causation.');
  });
});

describe('renderDriversCsv', () => {
  it('writes one row per exposure in raw units, formulas neutralised', () => {
    const lines = renderDriversCsv(model()).trimEnd().split('\n');
    expect(lines[0]).toBe(DRIVERS_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('nps,30,points,return,return,return,800,true,300,-3.6,1500,15.9,-19.5,-29.2,-9.7,0.00004,0.001,-3.25,,,,,,,,');
    expect(lines[3]!.split(',')[3]).toBe("'=cmd|calc");
  });
});

describe('anomalies', () => {
  const entry = (period: string, value: number, flagged: boolean, overrides: Partial<MetricEntry> = {}): MetricEntry => ({
    id: 'ticket_volume',
    label: 'Tickets',
    unit: 'count',
    direction: 'neutral',
    domain: 'tickets',
    value,
    n: value,
    ci95: null,
    period,
    period_start: `${period}-01T00:00:00Z`,
    period_end: `${period}-28T00:00:00Z`,
    segment: null,
    small_sample: false,
    change: null,
    anomaly: { median: 100, mad: 5, low: 85, high: 115, flagged },
    detail: {},
    ...overrides,
  });
  const report = {
    settings: { period: 'month', by: [], since: null, until: null, timezone: 'UTC', min_sample: 30, range: ['2025-01-01T00:00:00Z', '2025-06-15T00:00:00Z'] },
    metrics: [
      entry('2025-04', 110, false),
      entry('2025-05', 200, true),
      entry('2025-06', 40, true, { id: 'csat', label: 'CSAT', unit: 'share', direction: 'higher', value: 0.4, anomaly: { median: 0.8, mad: 0.05, low: 0.65, high: 0.95, flagged: true } }),
    ],
    unavailable: [],
    warnings: [],
    inputs: [],
    totals: { read: 1, accepted: 1, duplicate: 0, rejected: 0 },
  } as unknown as ReportModel;

  it('lists flagged periods with side, better/worse and partial periods', () => {
    const m = buildAnomaliesModel(report, { k: 3, trailing: 8, minHistory: 4, all: false });
    expect(m.checked).toBe(3);
    expect(m.anomalies.map((a) => [a.metric, a.period, a.side, a.better, a.partial])).toEqual([
      ['ticket_volume', '2025-05', 'above', null, false],
      ['csat', '2025-06', 'below', false, true],
    ]);
    expect(buildAnomaliesModel(report, { k: 3, trailing: 8, minHistory: 4, all: true }).anomalies).toHaveLength(3);
    const table = renderAnomaliesTable(m, { color: false });
    expect(table).toContain('2 flagged of 3 periods with enough history (k = 3, 8 trailing periods)');
    expect(table).toContain('▲ above');
    expect(table).toContain('▼ below (partial period)');
    expect(table).toContain('65.0% … 95.0%');
  });
});
