/**
 * `cxm drivers` and `cxm anomalies` as a user runs them, on the demo company (the planted
 * relationships of fixtures/demo/README.md) and on small files for the errors. The demo runs are
 * started together in `beforeAll` so the file stays well under 30 s.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DriversModel } from '../../src/report/render-drivers.js';
import { DRIVERS_CSV_COLUMNS, type AnomaliesModel } from '../../src/report/render-drivers.js';
import type { ReportModel } from '../../src/report/model.js';
import { DEMO, cxm, cxmAsync, tempDir } from './run.js';

interface Ran {
  stdout: string;
  stderr: string;
  code: number | null;
}

function run(args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = cxmAsync(args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

const TZ = ['--tz', 'Europe/Madrid'];
const files = (...names: string[]) => names.map((name) => path.join(DEMO, name));
const SUBSET = files('encuestas_nps.csv', 'devoluciones.csv', 'tickets.json');

describe('cxm drivers and cxm anomalies on the demo company', () => {
  let npsJson: Ran;
  let csatTable: Ran;
  let churnCsv: Ran;
  let subsetMd: Ran;
  let anomalies: Ran;
  let report: Ran;

  beforeAll(async () => {
    [npsJson, csatTable, churnCsv, subsetMd, anomalies, report] = await Promise.all([
      run(['drivers', DEMO, ...TZ, '--window', '30', '--format', 'json']),
      run(['drivers', ...files('csat_survey.csv', 'invoice_changes.csv', 'customers.csv'), ...TZ, '--outcome', 'csat', '--window', '60', '--by', 'segment', '--control', 'segment']),
      run(['drivers', ...files('customers.csv', 'tickets.json'), ...TZ, '--outcome', 'churn', '--themes', '0', '--format', 'csv']),
      run(['drivers', ...SUBSET, ...TZ, '--window', '30', '--format', 'md']),
      run(['anomalies', ...files('tickets.json', 'encuestas_nps.csv'), ...TZ, '--period', 'month', '--metrics', 'nps,ticket_volume', '--all', '--format', 'json']),
      run(['report', ...files('tickets.json'), ...TZ, '--period', 'month', '--metrics', 'ticket_volume', '--format', 'json']),
    ]);
  }, 120_000);

  it('finds the planted return → NPS effect, with the DESIGN.md JSON shape, ranked by impact', () => {
    expect(npsJson.code, npsJson.stderr).toBe(0);
    const model = JSON.parse(npsJson.stdout) as DriversModel;
    expect(model.outcome).toBe('nps');
    expect(model.window_days).toBe(30);
    const ret = model.drivers.find((d) => d.exposure === 'return')!;
    expect(Object.keys(ret)).toEqual(expect.arrayContaining(['exposure', 'exposed', 'unexposed', 'difference', 'ci95', 'p', 'q', 'impact']));
    // README: NPS −3.6 (n = 307) vs +15.9 (n = 1,528): −19.5 points
    expect(ret.exposed.n).toBe(307);
    expect(ret.unexposed.n).toBe(1528);
    expect(ret.ci95![0]).toBeLessThanOrEqual(-19.5);
    expect(ret.ci95![1]).toBeGreaterThanOrEqual(-19.5);
    expect(ret.ci95![1]).toBeLessThan(0);
    expect(ret.q).toBeLessThan(0.05);
    const ranked = model.drivers.filter((d) => d.ranked).map((d) => Math.abs(d.impact!));
    expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
    expect(model.drivers[0]!.exposure).toBe('return');
    expect(model.note).toMatch(/^Association, not proof of causation/);
    expect(model.themes.some((t) => t.term === 'tarde' && t.group === 'detractors')).toBe(true);
    expect(model.inputs).toHaveLength(12);
  });

  it('draws the CSAT table with CI bars, the stratified column and the caveat', () => {
    expect(csatTable.code, csatTable.stderr).toBe(0);
    const out = csatTable.stdout;
    expect(out).toContain('Drivers of CSAT (share satisfied)');
    expect(out).toContain('853 outcomes, overall 76.6%; exposures within 60 days before each outcome; stratified by segment');
    expect(out).toMatch(/│\s+\d+ │ invoice_change\s+│ 61\.9% \(n=113\) │ 78\.8% \(n=740\) │\s+-16\.8 pp │/);
    expect(out).toContain('●');
    expect(out).toContain('adjusted for segment');
    expect(out).toContain('Association, not proof of causation');
    expect(out).toContain('Comment themes: dissatisfied vs satisfied');
    expect(out).not.toContain('\u001b');
  });

  it('writes churn drivers as CSV with the risk ratio', () => {
    expect(churnCsv.code, churnCsv.stderr).toBe(0);
    const lines = churnCsv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(DRIVERS_CSV_COLUMNS.join(','));
    const reopened = lines.find((l) => l.startsWith('churn,90,share,reopened_ticket,'))!.split(',');
    const rr = Number(reopened[DRIVERS_CSV_COLUMNS.indexOf('risk_ratio_low')]);
    expect(rr).toBeGreaterThan(1);
  });

  it('writes Markdown from a subset of the files', () => {
    expect(subsetMd.code, subsetMd.stderr).toBe(0);
    expect(subsetMd.stdout).toContain('# Drivers of Net Promoter Score');
    expect(subsetMd.stdout).toMatch(/\| 1 \| return \| -3\.6 \(n=307\) \| \+15\.9 \(n=1,528\) \|/);
  });

  it('lists periods judged against their band', () => {
    expect(anomalies.code, anomalies.stderr).toBe(0);
    const model = JSON.parse(anomalies.stdout) as AnomaliesModel;
    expect([model.period, model.k, model.trailing, model.min_history]).toEqual(['month', 3, 8, 4]);
    // 14 months (Nov 2024 … Jan 2026 by the data's instants) minus the first 4 of each series
    expect(model.checked).toBeGreaterThan(10);
    for (const a of model.anomalies) expect(a.flagged).toBe(a.value < a.low || a.value > a.high);
  });

  it('puts the band on the period rows of cxm report', () => {
    expect(report.code, report.stderr).toBe(0);
    const model = JSON.parse(report.stdout) as ReportModel;
    const rows = model.metrics.filter((m) => m.id === 'ticket_volume' && m.period !== null);
    expect(rows.slice(0, 4).map((m) => m.anomaly)).toEqual([null, null, null, null]);
    expect(rows[4]!.anomaly).toMatchObject({ median: expect.any(Number), mad: expect.any(Number), low: expect.any(Number), high: expect.any(Number) });
    expect(model.metrics.find((m) => m.period === null)!.anomaly).toBeNull();
  });
});

describe('cxm drivers: usage errors', () => {
  it('rejects a bad --window before reading anything (exit 2)', () => {
    const r = cxm(['drivers', 'no-such-dir', '--window', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cxm: invalid option --window: must be a whole number of days >= 1, got "0"');
  });

  it('rejects --min-history above --trailing (exit 2)', () => {
    const r = cxm(['anomalies', 'no-such-dir', '--trailing', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid option --min-history: must be at most --trailing (3), got "4"');
  });

  it('says which outcomes the inputs allow (exit 3)', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'nps.csv'), 'response_id,submitted_at,customer_id,nps\nR1,2025-01-02,C1,9\nR2,2025-01-03,C2,3\n');
    const r = cxm(['drivers', 'nps.csv', '--outcome', 'ces'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cxm: no survey answers with a CES score among the inputs, so --outcome ces has nothing to explain');
    expect(r.stderr).toContain('hint: these inputs allow --outcome nps');
    const ok = cxm(['drivers', 'nps.csv'], { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('No exposure could be linked to these outcomes.');
    expect(ok.stdout).toContain('no exposures: none of the inputs are returns');
  });

  it('documents itself', () => {
    const r = cxm(['drivers', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--outcome <outcome>');
    expect(r.stdout).toContain('association');
    expect(r.stdout).toContain('cxm drivers fixtures/demo/ --tz Europe/Madrid');
  });
});
