/**
 * `cxm report fixtures/demo` end to end, in every format. The numbers are not snapshots: each is
 * recomputed by `independent.ts` from the raw demo files (papaparse, iconv-lite, JSON.parse) and
 * compared with cxm's JSON to 1e-9; the independent calculators are in turn pinned to the counts
 * read off the files (the arithmetic is in the comments). CSV, Markdown and table output must say
 * the same as the JSON. The runs start together in `beforeAll` (two cores) and the tests read them.
 */
import Papa from 'papaparse';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricEntry, ReportModel } from '../../src/report/model.js';
import {
  demo,
  demoAbandonment,
  demoAht,
  demoCes,
  demoCsat,
  demoFirstResponse,
  demoInvoiceChange,
  demoNps,
  demoOnTime,
  demoReopenRate,
  demoResolutionTime,
  demoResponseRate,
  demoReturnRate,
  demoTickets,
  type Row,
} from './independent.js';
import { DEMO, cxmRun, tempDir, type RunResult } from './run.js';

// ---------------------------------------------------------------------------------------------
// Running cxm: several runs at once, each a child process

const DEMO_REL = 'fixtures/demo';
const tmp = tempDir('cxm-report-');
const OUT = path.join(tmp, 'report.json');
/** The demo's data files, listed in reverse order (the README is not an input). */
const REVERSED = readdirSync(DEMO)
  .filter((f) => f !== 'README.md')
  .sort()
  .reverse()
  .map((f) => `${DEMO_REL}/${f}`);

let json: RunResult;
let csv: RunResult;
let md: RunResult;
let table: RunResult;
let reordered: RunResult;
let monthly: RunResult;
let june: RunResult;
let only: RunResult;
let model: ReportModel;

beforeAll(async () => {
  writeFileSync(OUT, 'the previous report\n');
  [json, csv, md, table, reordered, monthly, june, only] = await Promise.all([
    cxmRun(['report', DEMO_REL, '--format', 'json']),
    cxmRun(['report', DEMO_REL, '--format', 'csv']),
    cxmRun(['report', DEMO_REL, '--format', 'md']),
    cxmRun(['report', DEMO_REL]),
    cxmRun(['report', ...REVERSED, '--format', 'json', '--out', OUT]),
    cxmRun(['report', DEMO_REL, '--period', 'month', '--by', 'channel', '--format', 'json']),
    cxmRun(['report', DEMO_REL, '--since', '2025-06-01', '--until', '2025-07-01', '--format', 'json']),
    cxmRun(['report', DEMO_REL, '--metrics', 'nps,csat', '--format', 'json']),
  ]);
  model = JSON.parse(json.stdout) as ReportModel;
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The overall row of a metric (no period, no segment). */
function overall(m: ReportModel, id: string): MetricEntry {
  const row = m.metrics.find((x) => x.id === id && x.period === null && x.segment === null);
  if (!row) throw new Error(`no overall row for ${id}; unavailable: ${JSON.stringify(m.unavailable.find((u) => u.id === id))}`);
  return row;
}

function close(actual: number | null, expected: number, tolerance = 1e-9): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

function inside(row: MetricEntry): void {
  expect(row.ci95).not.toBeNull();
  expect(row.ci95![0]).toBeLessThanOrEqual(row.value!);
  expect(row.ci95![1]).toBeGreaterThanOrEqual(row.value!);
}

// ---------------------------------------------------------------------------------------------

describe('cxm report fixtures/demo --format json: every number recomputed from the raw files', () => {
  it('exits 0 with a JSON report and nothing on stderr', () => {
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(Object.keys(model)).toEqual(expect.arrayContaining(['inputs', 'metrics', 'unavailable', 'warnings']));
  });

  it('accounts for every row: 34,779 read = 34,774 accepted + 3 duplicate + 2 rejected', () => {
    // README row counts: 2000 + 7891 + 567 + 8846 + 853 + 2123 + 2331 + 7891 + 722 + 388 + 278 + 889 = 34,779;
    // the 3 re-exported tickets are duplicates, the 2 NPS scores 11 and -1 rejected.
    expect(model.inputs).toHaveLength(12);
    expect(model.totals).toEqual({ read: 34_779, accepted: 34_774, duplicate: 3, rejected: 2 });
    for (const input of model.inputs) expect(input.read).toBe(input.accepted + input.duplicate + input.rejected);
  });

  it('nps: promoters, passives and detractors of the valid answers (invited rows and the 2 rejected left out)', () => {
    const expected = demoNps();
    // 697 promoters, 673 passives, 466 detractors = 1,836 answers: 100 × (697 − 466) / 1836 = +12.5817
    expect(expected).toMatchObject({ promoters: 697, passives: 673, detractors: 466, n: 1836 });
    const row = overall(model, 'nps');
    expect(row.n).toBe(expected.n);
    expect(row.detail).toMatchObject({ promoters: expected.promoters, passives: expected.passives, detractors: expected.detractors });
    close(row.value, expected.value);
    inside(row);
  });

  it('csat: survey answers, call answers, and ticket scores no survey answer already holds', () => {
    const expected = demoCsat();
    // 853 survey + 612 call answers; the 853 ticket scores are copies of the survey answers:
    // 1,086 answers of 4-5 / 1,465 = 0.74130
    expect(expected).toMatchObject({ survey: 853, call: 612, ticket: 0, hits: 1086, n: 1465 });
    const row = overall(model, 'csat');
    expect(row.n).toBe(expected.n);
    expect(row.detail).toMatchObject({ positive: expected.hits, sources: { survey: 853, call: 612, ticket: 0 } });
    close(row.value, expected.value);
    close(row.detail.mean as number, expected.mean);
    inside(row);
  });

  it('ces: the mean effort score of the CSAT survey', () => {
    const expected = demoCes();
    expect(expected.n).toBe(853);
    const row = overall(model, 'ces');
    expect(row.n).toBe(853);
    close(row.value, expected.mean);
  });

  it('survey_response_rate: answered / invited rows of the NPS tool', () => {
    const expected = demoResponseRate();
    // 1,836 answers / (8,846 rows − 2 rejected) = 0.20760
    expect(expected).toMatchObject({ hits: 1836, n: 8844 });
    const row = overall(model, 'survey_response_rate');
    expect(row.n).toBe(expected.n);
    close(row.value, expected.value);
  });

  it('ticket_volume: distinct ticket ids (2,123 objects − 3 re-exported = 2,120)', () => {
    const ids = new Set(demo().ticketsRaw.map((t) => t.id));
    expect(demo().ticketsRaw).toHaveLength(2123);
    expect(ids.size).toBe(2120);
    expect(overall(model, 'ticket_volume').value).toBe(ids.size);
  });

  it('first_response_time and resolution_time: medians of the timestamp differences, in seconds', () => {
    const frt = demoFirstResponse();
    const res = demoResolutionTime();
    // every ticket has a first reply; 12 of the 2,120 have no solved_at yet
    expect(frt.n).toBe(2120);
    expect(res.n).toBe(2108);
    const f = overall(model, 'first_response_time');
    const r = overall(model, 'resolution_time');
    expect(f.n).toBe(frt.n);
    expect(r.n).toBe(res.n);
    close(f.value, frt.median);
    close(r.value, res.median);
  });

  it('reopen_rate: resolved tickets reopened at least once', () => {
    const expected = demoReopenRate();
    expect(expected.n).toBe(2108);
    const row = overall(model, 'reopen_rate');
    expect(row.n).toBe(expected.n);
    close(row.value, expected.value);
  });

  it('abandonment_rate: abandoned calls over offered, abandons under 5 s left out of both', () => {
    const expected = demoAbandonment();
    // 311 abandoned, 72 of them under 5 s: 239 / (2,020 answered + 239) = 0.10580
    expect(expected).toMatchObject({ hits: 239, n: 2259, short: 72, offered: 2331 });
    const row = overall(model, 'abandonment_rate');
    expect(row.n).toBe(expected.n);
    expect(row.detail).toMatchObject({ abandoned: 239, short_abandons: 72, offered: 2331 });
    close(row.value, expected.value);
  });

  it('aht: talk + hold + wrap-up of answered calls', () => {
    const expected = demoAht();
    expect(expected.n).toBe(2020);
    const row = overall(model, 'aht');
    expect(row.n).toBe(expected.n);
    close(row.value, expected.mean);
  });

  it('return_rate: orders with a return / orders', () => {
    const expected = demoReturnRate();
    // 567 returns, each on its own order: 567 / 7,891 = 0.07185
    expect(expected).toMatchObject({ hits: 567, n: 7891 });
    const row = overall(model, 'return_rate');
    expect(row.n).toBe(expected.n);
    close(row.value, expected.value);
  });

  it('on_time_delivery_rate: delivered by the promised (local) date / delivered orders with a promise', () => {
    const expected = demoOnTime();
    // 7,581 delivered, 761 late (README: 10.0%): 6,820 / 7,581 = 0.89962
    expect(expected).toMatchObject({ hits: 6820, n: 7581 });
    const row = overall(model, 'on_time_delivery_rate');
    expect(row.n).toBe(expected.n);
    close(row.value, expected.value);
  });

  it('invoice_change_rate: invoices changed (correction, credit note, cancellation) / invoices', () => {
    const expected = demoInvoiceChange();
    // 157 corrections + 117 credit notes + 194 cancellations = 468 / 7,891 = 0.05931 (README: 5.9%)
    expect(expected).toMatchObject({ hits: 468, n: 7891 });
    const row = overall(model, 'invoice_change_rate');
    expect(row.n).toBe(expected.n);
    close(row.value, expected.value);
  });

  it("computes every metric the demo's kinds allow, says why for the rest, and keeps raw units", () => {
    // The demo holds every record kind of DESIGN.md but ticket events, and no SLA targets are
    // configured: whatever is unavailable must be for one of those two reasons.
    expect(model.unavailable.length).toBeLessThan(model.metrics.length);
    for (const u of model.unavailable) expect(u.reason, u.id).toMatch(/ticket event records|SLA target/);
    for (const id of ['nps', 'csat', 'ces', 'ticket_volume', 'aht', 'return_rate', 'churn_rate', 'social_mentions']) {
      expect(model.unavailable.map((u) => u.id)).not.toContain(id);
    }
    for (const m of model.metrics) {
      if (m.value === null) continue;
      if (m.unit === 'share') expect(m.value).toBeGreaterThanOrEqual(0);
      if (m.unit === 'share') expect(m.value).toBeLessThanOrEqual(1);
      if (m.unit === 'points') expect(Math.abs(m.value)).toBeLessThanOrEqual(100);
    }
  });
});

describe('the other formats say what the JSON says', () => {
  it('csv: long format, one row per metric, values equal to the JSON', () => {
    expect(csv.code).toBe(0);
    const parsed = Papa.parse<Row>(csv.stdout, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['period_start', 'period_end', 'period', 'metric', 'value', 'n', 'ci_low', 'ci_high', 'unit']);
    expect(parsed.data).toHaveLength(model.metrics.length);
    const num = (text: string | undefined) => (text === undefined || text === '' ? null : Number(text));
    for (const [i, m] of model.metrics.entries()) {
      const row = parsed.data[i]!;
      expect(row['metric']).toBe(m.id);
      expect(row['unit']).toBe(m.unit);
      expect(Number(row['n'])).toBe(m.n);
      // CSV keeps 12 significant digits
      for (const [text, value] of [
        [row['value'], m.value],
        [row['ci_low'], m.ci95?.[0] ?? null],
        [row['ci_high'], m.ci95?.[1] ?? null],
      ] as const) {
        if (value === null) expect(num(text)).toBeNull();
        else expect(Math.abs(num(text)! - value)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(value)));
      }
    }
    const nps = parsed.data.find((r) => r['metric'] === 'nps')!;
    expect(Number(nps['n'])).toBe(1836);
  });

  it('md: a metric table with the humanised values', () => {
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Customer-experience report\n/);
    expect(md.stdout).toContain('| metric | segment | value | 95% CI | n |');
    // +12.6 = 100 × (697 − 466) / 1836 rounded; 74.1% = 1086 / 1465
    expect(md.stdout).toMatch(/\| Net Promoter Score \|  \| \+12\.6 \| [\d.]+ – [\d.]+ \| 1836 \|/);
    expect(md.stdout).toMatch(/\| Customer satisfaction \(CSAT\) \|  \| 74\.1% \|/);
    expect(md.stdout).toContain('| fixtures/demo/tickets.json | ticket | 2123 | 2120 | 3 | 0 |');
    expect(md.stdout).toContain('| fixtures/demo/encuestas_nps.csv | survey | 8846 | 8844 | 0 | 2 |');
  });

  it('table: the same values, humanised, and the row accounting', () => {
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const text = table.stdout;
    expect(text).toMatch(/Net Promoter Score\s+│\s+\+12\.6\s+│/);
    expect(text).toMatch(/Customer satisfaction \(CSAT\)\s+│\s+74\.1%\s+│/);
    // 239 / 2259 = 10.58% ; 567 / 7891 = 7.19% ; 6820 / 7581 = 89.96% ; 468 / 7891 = 5.93%
    expect(text).toMatch(/Abandonment rate\s+│\s+10\.6%\s+│/);
    expect(text).toMatch(/Return rate\s+│\s+7\.2%\s+│/);
    expect(text).toMatch(/On-time delivery rate\s+│\s+90\.0%\s+│/);
    expect(text).toMatch(/Invoice change rate\s+│\s+5\.9%\s+│/);
    expect(text).toMatch(/34,779 rows read = 34,774 accepted \+ 3 duplicate \+ 2 rejected/);
    expect(text).not.toMatch(/\u001b\[/); // NO_COLOR (the harness sets it) and not a TTY
  });
});

describe('periods, segments, ranges and metric selection', () => {
  it('--period month --by channel: a row for every month and channel, each compared with the month before', () => {
    expect(monthly.code).toBe(0);
    const m = JSON.parse(monthly.stdout) as ReportModel;
    expect(m.settings).toMatchObject({ period: 'month', by: ['channel'] });
    const CHANNEL: Record<string, string> = { 'Correo electrónico': 'email', Web: 'web', Teléfono: 'phone', Tienda: 'store', App: 'app' };
    // `Fecha` is dd/mm/yyyy HH:mm, read in UTC (the default time zone)
    const month = (r: Row) => `${r['Fecha']!.slice(6, 10)}-${r['Fecha']!.slice(3, 5)}`;
    const months = [...new Set(demo().nps.rows.map(month))].sort();
    // December 2024 to December 2025: 13 months
    expect(months).toHaveLength(13);
    const nps = m.metrics.filter((x) => x.id === 'nps' && x.period !== null);
    for (const [i, p] of months.entries()) {
      for (const [raw, channel] of [...Object.entries(CHANNEL), [null, null] as const]) {
        const row = nps.find((x) => x.period === p && (channel === null ? x.segment === null : x.segment?.channel === channel));
        expect(row, `nps ${p} ${channel}`).toBeDefined();
        const expected = demoNps((r) => month(r) === p && (raw === null || r['Canal'] === raw));
        expect(row!.n, `nps ${p} ${channel}`).toBe(expected.n);
        close(row!.value, expected.value);
        // every month after the first compares with its predecessor
        if (i > 0) expect(row!.change, `change of nps ${p} ${channel}`).not.toBeNull();
      }
    }
    // every metric has its whole series: the range starts with an order at 2024-11-30T23:16Z
    // (00:16 in Madrid), so 2024-11 to 2025-12 is 14 months
    const series = new Map<string, string[]>();
    for (const x of m.metrics) if (x.period !== null && x.segment === null) series.set(x.id, [...(series.get(x.id) ?? []), x.period]);
    expect(series.size).toBeGreaterThanOrEqual(29);
    for (const [id, periods] of series) expect(periods, id).toEqual(['2024-11', ...months]);
    // other metrics are broken down the same way: ticket volume per month sums to the tickets
    const volume = m.metrics.filter((x) => x.id === 'ticket_volume' && x.period !== null && x.segment === null);
    expect(volume.reduce((s, x) => s + (x.value ?? 0), 0)).toBe(2120);
  });

  it('--since 2025-06-01 --until 2025-07-01 restricts every metric to June 2025', () => {
    expect(june.code).toBe(0);
    const m = JSON.parse(june.stdout) as ReportModel;
    expect(m.settings).toMatchObject({ since: '2025-06-01T00:00:00Z', until: '2025-07-01T00:00:00Z' });
    const inJune = (r: Row) => r['Fecha']!.slice(3, 10) === '06/2025';
    const nps = demoNps(inJune);
    const row = overall(m, 'nps');
    expect(row.n).toBe(nps.n);
    close(row.value, nps.value);
    expect(row.n).toBeLessThan(1836);
    const tickets = demoTickets().filter((t) => t.created_at.startsWith('2025-06')).length;
    expect(overall(m, 'ticket_volume').value).toBe(tickets);
    const csat = overall(m, 'csat');
    // June survey answers (submitted_at, UTC) and June call answers (Fecha dd/mm/yyyy)
    const answers = [
      ...demo().csat.rows.filter((r) => r['submitted_at']!.startsWith('2025-06')).map((r) => Number(r['csat'])),
      ...demo()
        .calls.rows.filter((r) => r['Fecha']!.slice(3) === '06/2025' && r['Satisfacción'] !== '')
        .map((r) => Number(r['Satisfacción'])),
    ];
    expect(csat.n).toBe(answers.length);
    close(csat.value, answers.filter((s) => s >= 4).length / answers.length);
  });

  it('--metrics nps,csat computes only those two', () => {
    expect(only.code).toBe(0);
    const m = JSON.parse(only.stdout) as ReportModel;
    expect([...new Set(m.metrics.map((x) => x.id))]).toEqual(['nps', 'csat']);
    expect(m.unavailable).toEqual([]);
    close(overall(m, 'nps').value, demoNps().value);
  });

  it('an unknown metric id is a usage error (exit 2) naming it', async () => {
    const r = await cxmRun(['report', `${DEMO_REL}/deals.csv`, '--metrics', 'nps,bogus']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^cxm: unknown metric: bogus\nhint: .*cxm metrics/);
  });
});

describe('--out and determinism', () => {
  it('--out writes the report atomically and prints nothing', () => {
    expect(reordered.code).toBe(0);
    expect(reordered.stdout).toBe('');
    expect(reordered.stderr).toBe('');
    expect(existsSync(OUT)).toBe(true);
    // no temporary file left beside it
    expect(readdirSync(tmp)).toEqual(['report.json']);
  });

  it('the same inputs listed in another order give a byte-identical report', () => {
    const written = readFileSync(OUT, 'utf8');
    expect(written).not.toBe('the previous report\n');
    expect(written).toBe(json.stdout);
  });
});
