/**
 * `cxm export` end to end: the long and wide schemas on fixtures/demo (the same rows as
 * `cxm report --format csv`), relative weeks in two time zones, `--append` (idempotent, replacing a
 * corrected week, refusing a different header), atomic writes under a simulated crash and a failed
 * rename, the Excel dialect and formula neutralisation, on tiny survey files in a temp folder.
 */
import Papa from 'papaparse';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, cxm, cxmRun, tempDir, type RunResult } from './run.js';

const tmp = tempDir('cxm-export-');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const LONG = ['period_start', 'period_end', 'period', 'metric', 'value', 'n', 'ci_low', 'ci_high', 'unit'];

// ---------------------------------------------------------------------------------------------
// Fixtures

let id = 0;
/** NPS answers: [ISO instant, channel, score]. */
function surveyCsv(rows: [string, string, number][]): string {
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return `response_id,submitted_at,channel,nps\n${rows.map(([at, channel, score]) => `R${++id},${at},${cell(channel)},${score}`).join('\n')}\n`;
}

/** `times` answers of `score` on one day at 09:00, 09:01, … UTC. */
function day(date: string, channel: string, score: number, times: number): [string, string, number][] {
  return Array.from({ length: times }, (_, k) => [`${date}T09:${String(k).padStart(2, '0')}:00Z`, channel, score] as [string, string, number]);
}

/**
 * Three ISO weeks of answers:
 *   W21 (Tue 20 May): 4 promoters, 1 detractor -> NPS 100 × 3 / 5 = 60
 *   W22 (Tue 27 May): 3 promoters, 2 detractors -> NPS 100 × 1 / 5 = 20
 *   W23 (Wed 4 June): 2 promoters, 2 detractors -> NPS 0
 */
const THREE_WEEKS = [...day('2025-05-20', 'email', 10, 4), ...day('2025-05-20', 'email', 2, 1), ...day('2025-05-27', 'email', 9, 3), ...day('2025-05-27', 'sms', 0, 2), ...day('2025-06-04', 'email', 10, 2), ...day('2025-06-04', 'email', 5, 2)];

function folder(name: string, csv: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'surveys.csv'), csv);
  return dir;
}

/** Runs cxm and asserts it exited 0 (with its stderr in the message when not). */
function must(args: string[], cwd: string): RunResult {
  const r = cxm(args, { cwd });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

const parse = (text: string, delimiter = ',') => Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter, skipEmptyLines: true }).data;

// ---------------------------------------------------------------------------------------------
// The demo runs start together

let reportCsv: RunResult;
let exportLong: RunResult;
let exportWide: RunResult;
let exportOverall: RunResult;
const DEMO_OUT = path.join(tmp, 'demo');

beforeAll(async () => {
  mkdirSync(DEMO_OUT);
  [reportCsv, exportLong, exportWide, exportOverall] = await Promise.all([
    cxmRun(['report', DEMO, '--period', 'month', '--format', 'csv']),
    cxmRun(['export', DEMO, '--period', 'month', '--out', path.join(DEMO_OUT, 'monthly.csv')]),
    cxmRun(['export', DEMO, '--period', 'month', '--wide', '--metrics', 'csat,nps,aht', '--out', path.join(DEMO_OUT, 'wide.csv')]),
    cxmRun(['export', DEMO, '--metrics', 'nps,csat']),
  ]);
}, 240_000);

describe('cxm export fixtures/demo', () => {
  it('long: the period rows of `cxm report --format csv`, sorted by period, then metric in catalogue order', () => {
    expect(exportLong.code, exportLong.stderr).toBe(0);
    expect(exportLong.stdout).toBe('');
    // 14 months: the demo runs from 30 November 2024 to 31 December 2025
    expect(exportLong.stderr).toMatch(/^cxm: wrote \d+ rows \(14 months\) to .*monthly\.csv\n$/);
    const exported = parse(readFileSync(path.join(DEMO_OUT, 'monthly.csv'), 'utf8'));
    const reported = parse(reportCsv.stdout);
    expect(exported[0]).toEqual(LONG);
    expect(reported[0]).toEqual(LONG);
    const periodRows = reported.slice(1).filter((r) => r[2] !== '');
    expect(exported.length - 1).toBe(periodRows.length);
    expect(new Set(exported.slice(1).map((r) => r.join('|')))).toEqual(new Set(periodRows.map((r) => r.join('|'))));
    // sorted: months in order, and within a month nps (the catalogue's first metric) first
    const starts = exported.slice(1).map((r) => r[0]!);
    expect([...starts].sort()).toEqual(starts);
    expect(exported[1]!.slice(2, 4)).toEqual(['2024-11', 'nps']);
    expect(exported.at(-1)![2]).toBe('2025-12');
  });

  it('wide: one row per month, four columns per metric in catalogue order, the same numbers as long', () => {
    expect(exportWide.code, exportWide.stderr).toBe(0);
    const wide = parse(readFileSync(path.join(DEMO_OUT, 'wide.csv'), 'utf8'));
    expect(wide[0]).toEqual(['period_start', 'period_end', 'period', 'nps', 'nps_n', 'nps_ci_low', 'nps_ci_high', 'csat', 'csat_n', 'csat_ci_low', 'csat_ci_high', 'aht', 'aht_n', 'aht_ci_low', 'aht_ci_high']);
    // 13 months: with --metrics the window is that of their records (surveys and calls start in
    // December 2024; the orders of 30 November do not count here)
    expect(wide).toHaveLength(1 + 13);
    expect(wide[1]![2]).toBe('2024-12');
    const long = parse(readFileSync(path.join(DEMO_OUT, 'monthly.csv'), 'utf8'));
    const june = wide.find((r) => r[2] === '2025-06')!;
    const longJune = (metric: string) => long.find((r) => r[2] === '2025-06' && r[3] === metric)!.slice(4, 8);
    expect(june.slice(3, 7)).toEqual(longJune('nps'));
    expect(june.slice(7, 11)).toEqual(longJune('csat'));
    expect(june.slice(11, 15)).toEqual(longJune('aht'));
  });

  it('without --period: the overall rows only, period cells empty, to stdout', () => {
    expect(exportOverall.stderr).toBe('');
    expect(exportOverall.code, exportOverall.stderr).toBe(0);
    const rows = parse(exportOverall.stdout);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([LONG.slice(0, 4), ['', '', '', 'nps'], ['', '', '', 'csat']]);
    // the demo's NPS: 100 × (697 − 466) / 1836 = 12.5817 (see report.test.ts)
    expect(Number(rows[1]![4])).toBeCloseTo(12.5817, 4);
    expect(rows[1]![5]).toBe('1836');
  });
});

describe('relative periods in a time zone', () => {
  // 2025-06-01T22:30Z is Monday 00:30 in Madrid (UTC+2, ISO week 23) but Sunday 18:30 in New
  // York (UTC-4, week 22). --now Wednesday 11 June 12:00: last week is week 23 in both zones.
  const dir = folder('zones', surveyCsv([['2025-06-01T22:30:00Z', 'email', 10], ['2025-06-04T12:00:00Z', 'email', 0], ['2025-05-27T12:00:00Z', 'email', 9]]));
  const args = ['export', '.', '--period', 'week', '--since', 'last-week', '--now', '2025-06-11T12:00', '--metrics', 'nps'];

  it('Europe/Madrid: the Monday-00:30 promoter is in week 23 with the detractor: NPS 0 on 2 answers', () => {
    const r = cxm([...args, '--tz', 'Europe/Madrid'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout)[1]!.slice(0, 6)).toEqual(['2025-06-02T00:00:00+02:00', '2025-06-09T00:00:00+02:00', '2025-W23', 'nps', '0', '2']);
  });

  it('America/New_York: the same answer is Sunday of week 22, so week 23 holds the detractor alone: NPS -100', () => {
    const r = cxm([...args, '--tz', 'America/New_York'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(parse(r.stdout)[1]!.slice(0, 6)).toEqual(['2025-06-02T00:00:00-04:00', '2025-06-09T00:00:00-04:00', '2025-W23', 'nps', '-100', '1']);
  });
});

describe('--append', () => {
  it('twice with the same data gives the same file byte for byte; a re-run of last week changes nothing', () => {
    const dir = folder('twice', surveyCsv(THREE_WEEKS));
    const first = cxm(['export', '.', '--period', 'week', '--out', 'weekly.csv', '--append'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/^cxm: wrote \d+ rows \(3 weeks\) to weekly\.csv\n$/);
    const before = readFileSync(path.join(dir, 'weekly.csv'));
    const second = cxm(['export', '.', '--period', 'week', '--out', 'weekly.csv', '--append'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/^cxm: weekly\.csv: 0 weeks added, 3 replaced, 0 kept \(\d+ rows\)\n$/);
    expect(readFileSync(path.join(dir, 'weekly.csv')).equals(before)).toBe(true);
    const cron = cxm(['export', '.', '--period', 'week', '--since', 'last-week', '--now', '2025-06-11T12:00', '--out', 'weekly.csv', '--append'], { cwd: dir });
    expect(cron.code, cron.stderr).toBe(0);
    expect(cron.stderr).toMatch(/: 0 weeks added, 1 replaced, 2 kept/);
    expect(readFileSync(path.join(dir, 'weekly.csv')).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.cxm-tmp-'))).toEqual([]);
  });

  it('a re-run after the data was corrected replaces that week only; the file stays sorted', () => {
    const dir = folder('corrected', surveyCsv(THREE_WEEKS));
    const args = ['export', '.', '--period', 'week', '--since', 'last-week', '--now', '2025-06-11T12:00', '--metrics', 'nps', '--out', 'weekly.csv', '--append'];
    // Weeks 21 and 22 first (an earlier cron run), then week 23 as of 11 June.
    must(['export', '.', '--period', 'week', '--until', '2025-06-02', '--metrics', 'nps', '--out', 'weekly.csv', '--append'], dir);
    must(args, dir);
    const before = parse(readFileSync(path.join(dir, 'weekly.csv'), 'utf8'));
    // W21 60, W22 20, W23 0 (see THREE_WEEKS)
    expect(before.slice(1).map((r) => [r[2], r[3], r[4], r[5]])).toEqual([
      ['2025-W21', 'nps', '60', '5'],
      ['2025-W22', 'nps', '20', '5'],
      ['2025-W23', 'nps', '0', '4'],
    ]);
    // The export is corrected: two more promoters in week 23 -> 4 promoters, 2 detractors: 100 × 2 / 6 = 33.3333333333
    writeFileSync(path.join(dir, 'surveys.csv'), surveyCsv([...THREE_WEEKS, ...day('2025-06-05', 'email', 10, 2)]));
    const rerun = cxm(args, { cwd: dir });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toBe('cxm: weekly.csv: 0 weeks added, 1 replaced, 2 kept (3 rows)\n');
    const after = parse(readFileSync(path.join(dir, 'weekly.csv'), 'utf8'));
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
    expect(after[3]!.slice(2, 6)).toEqual(['2025-W23', 'nps', '33.3333333333', '6']);
  });

  it('a file with another header is refused (exit 2) and left as it was', () => {
    const dir = folder('mismatch', surveyCsv(THREE_WEEKS));
    must(['export', '.', '--period', 'week', '--out', 'weekly.csv'], dir);
    const before = readFileSync(path.join(dir, 'weekly.csv'));
    const r = cxm(['export', '.', '--period', 'week', '--by', 'channel', '--out', 'weekly.csv', '--append'], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n').slice(0, 4)).toEqual([
      "cxm: weekly.csv: cannot append: the file's header differs from this export's",
      '  file:   period_start,period_end,period,metric,value,n,ci_low,ci_high,unit',
      '  export: period_start,period_end,period,channel,metric,value,n,ci_low,ci_high,unit',
      'hint: the file was left as it was; append with the options that wrote it (--by, --wide, --metrics, --excel), or write to a new file',
    ]);
    expect(readFileSync(path.join(dir, 'weekly.csv')).equals(before)).toBe(true);
    // an Excel file appended to without --excel: the hint says so
    must(['export', '.', '--period', 'week', '--excel', '--out', 'excel.csv'], dir);
    const excel = cxm(['export', '.', '--period', 'week', '--out', 'excel.csv', '--append'], { cwd: dir });
    expect(excel.code, excel.stderr).toBe(2);
    expect(excel.stderr).toContain('hint: the file looks written with --excel: add --excel.');
  });

  it('a file that is not CSV cxm can read exits 3, untouched', () => {
    const dir = folder('garbage', surveyCsv(THREE_WEEKS));
    writeFileSync(path.join(dir, 'weekly.csv'), 'period_start,"unclosed\n');
    const r = cxm(['export', '.', '--period', 'week', '--out', 'weekly.csv', '--append'], { cwd: dir });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/^cxm: weekly\.csv: cannot append: the file is not CSV cxm can read/);
    expect(readFileSync(path.join(dir, 'weekly.csv'), 'utf8')).toBe('period_start,"unclosed\n');
  });

  it('needs --period and --out (exit 2)', () => {
    const dir = folder('usage', surveyCsv(THREE_WEEKS));
    const noPeriod = cxm(['export', '.', '--out', 'x.csv', '--append'], { cwd: dir });
    expect(noPeriod.code, noPeriod.stderr).toBe(2);
    expect(noPeriod.stderr.split('\n')[0]).toBe('cxm: --append needs --period');
    const noOut = cxm(['export', '.', '--period', 'week', '--append'], { cwd: dir });
    expect(noOut.code, noOut.stderr).toBe(2);
    expect(noOut.stderr.split('\n')[0]).toBe('cxm: --append needs --out FILE');
    expect(existsSync(path.join(dir, 'x.csv'))).toBe(false);
  });
});

describe('atomic writes', () => {
  // A preloaded module breaks the write the way a crash or a full disk would: CXM_TEST_FAULT=kill
  // writes half of the temporary file and kills the process with SIGKILL (no cleanup can run);
  // CXM_TEST_FAULT=rename makes the final rename fail with EACCES.
  const fault = path.join(tmp, 'fault.mjs');
  writeFileSync(
    fault,
    `import fs from 'node:fs';
const write = fs.promises.writeFile;
const rename = fs.promises.rename;
fs.promises.writeFile = async function (file, data, ...rest) {
  if (process.env.CXM_TEST_FAULT === 'kill' && String(file).includes('.cxm-tmp-')) {
    const text = String(data);
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => {});
  }
  return write.call(this, file, data, ...rest);
};
fs.promises.rename = async function (from, to) {
  if (process.env.CXM_TEST_FAULT === 'rename') {
    const error = new Error("EACCES: permission denied, rename '" + from + "' -> '" + to + "'");
    error.code = 'EACCES';
    throw error;
  }
  return rename.call(this, from, to);
};
`,
  );
  const env = (mode: string) => ({ NODE_OPTIONS: `--import ${pathToFileURL(fault).href}`, CXM_TEST_FAULT: mode });

  it('a run killed in the middle of writing leaves the previous file intact', async () => {
    const dir = folder('killed', surveyCsv(THREE_WEEKS));
    must(['export', '.', '--period', 'week', '--out', 'weekly.csv'], dir);
    const before = readFileSync(path.join(dir, 'weekly.csv'));
    const r = await cxmRun(['export', '.', '--period', 'week', '--by', 'channel', '--out', 'weekly.csv'], { cwd: dir, env: env('kill') });
    expect(r.signal).toBe('SIGKILL');
    expect(readFileSync(path.join(dir, 'weekly.csv')).equals(before)).toBe(true);
    // the half-written temporary file is what the crash left behind, beside the intact target
    const temps = readdirSync(dir).filter((f) => f.startsWith('.cxm-tmp-'));
    expect(temps).toHaveLength(1);
    expect(readFileSync(path.join(dir, temps[0]!), 'utf8').startsWith('period_start,period_end,period,channel,')).toBe(true);
  });

  it('a failed write exits 3 with a clear message, keeps the previous file and leaves no temporary file', async () => {
    const dir = folder('readonly', surveyCsv(THREE_WEEKS));
    must(['export', '.', '--period', 'week', '--out', 'weekly.csv'], dir);
    const before = readFileSync(path.join(dir, 'weekly.csv'));
    const same = await cxmRun(['export', '.', '--period', 'week', '--out', 'weekly.csv', '--append'], { cwd: dir, env: env('rename') });
    expect(same.code, same.stderr).toBe(3);
    expect(same.stderr).toBe('cxm: cannot write weekly.csv: permission denied (read-only folder?)\nhint: choose another --out path; the previous file, if any, was left as it was\n');
    expect(readFileSync(path.join(dir, 'weekly.csv')).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.cxm-tmp-'))).toEqual([]);
  });
});

describe('spreadsheet safety', () => {
  it('--excel: semicolons, a UTF-8 BOM, CRLF and decimal commas', () => {
    const dir = folder('excel', surveyCsv(THREE_WEEKS));
    const r = cxm(['export', '.', '--period', 'week', '--metrics', 'nps', '--excel', '--out', 'semanal.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(path.join(dir, 'semanal.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toBe('period_start;period_end;period;metric;value;n;ci_low;ci_high;unit');
    // W21: NPS 60 on 5 answers; its CI bounds carry decimal commas
    expect(lines[1]).toMatch(/^2025-05-19T00:00:00Z;2025-05-26T00:00:00Z;2025-W21;nps;60;5;-?\d+,\d+;\d+,\d+;points$/);
    expect(lines.at(-1)).toBe('');
    expect(bytes.toString('utf8')).not.toMatch(/[^\r]\n/);
  });

  it('cells that could run as formulas are neutralised; negative numbers stay numbers', () => {
    // A free-text column (kept as written, unlike channel, which is normalised) holding formulas.
    const csv = [
      'response_id,submitted_at,region,nps',
      'F1,2025-06-04T09:00:00Z,"=HYPERLINK(""http://x"",""y"")",0',
      'F2,2025-06-04T09:01:00Z,"=HYPERLINK(""http://x"",""y"")",0',
      'F3,2025-06-04T09:02:00Z,@SUM(A1),10',
      'F4,2025-06-04T09:03:00Z,-2+3,10',
    ].join('\n');
    const dir = folder('formula', `${csv}\n`);
    const r = cxm(['export', '.', '--period', 'week', '--by', 'region', '--metrics', 'nps'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(r.stdout);
    expect(rows.map((row) => [row[3], row[5]])).toEqual([
      ['region', 'value'],
      ['', '0'], // all regions: 2 promoters, 2 detractors
      ["'-2+3", '100'],
      ['\'=HYPERLINK("http://x","y")', '-100'],
      ["'@SUM(A1)", '100'],
    ]);
    // the raw text: the formula cell quoted (it holds commas and quotes), the minus sign of -100 intact
    expect(r.stdout).toContain(`,2025-W23,"'=HYPERLINK(""http://x"",""y"")",nps,-100,2,`);
  });
});
