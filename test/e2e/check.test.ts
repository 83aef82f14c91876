/**
 * `cxm check` end to end: exit codes (pass, breach, warn-only, bad expression with its caret,
 * missing metric and optional, small samples under each --on-small-sample), point against
 * confident mode, drops against the previous week, the config form, and the JUnit, GitHub, JSON
 * and Markdown outputs, on tiny survey files written to a temp folder (the numbers are worked out
 * in the comments) and one realistic run over fixtures/demo.
 *
 * The runs start together in `beforeAll`, a few at a time, and the tests read their results.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/analysis/checks.js';
import type { ReportModel } from '../../src/report/model.js';
import { DEMO, cxmRun, tempDir, type RunResult } from './run.js';

const tmp = tempDir('cxm-check-');

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Answers {
  /** Day of the month (June 2025 unless `month` says otherwise). */
  day: number;
  month?: number;
  channel: string;
  scores: number[];
}

let id = 0;
function surveyCsv(groups: Answers[]): string {
  const rows = ['response_id,submitted_at,channel,nps'];
  for (const g of groups) {
    g.scores.forEach((score, k) => {
      id++;
      const hh = String(9 + (k % 8)).padStart(2, '0');
      const mm = String(k % 60).padStart(2, '0');
      rows.push(`R${id},2025-${String(g.month ?? 6).padStart(2, '0')}-${String(g.day).padStart(2, '0')}T${hh}:${mm}:00Z,${g.channel},${score}`);
    });
  }
  return `${rows.join('\n')}\n`;
}

const repeat = (score: number, times: number) => new Array<number>(times).fill(score);

/**
 * One week (Monday 2 June 2025 on), 60 NPS answers:
 *   email 40: 24 promoters, 10 passives, 6 detractors -> NPS 100 × (24 − 6) / 40 = 45
 *   sms   20:  8 promoters,  6 passives, 6 detractors -> NPS 100 × (8 − 6) / 20 = 10 (n 20 < 30: a small sample)
 *   all   60: 32 promoters, 16 passives, 12 detractors -> NPS 100 × (32 − 12) / 60 = 33.33
 */
const WEEK23: Answers[] = [
  { day: 2, channel: 'email', scores: [...repeat(10, 12), ...repeat(9, 12), ...repeat(8, 5), ...repeat(7, 5), ...repeat(6, 3), ...repeat(2, 3)] },
  { day: 3, channel: 'sms', scores: [...repeat(9, 8), ...repeat(7, 6), ...repeat(5, 6)] },
];
/** The week before (26 May): 60 answers, 36 promoters, 18 passives, 6 detractors -> NPS 100 × 30 / 60 = 50. */
const WEEK22: Answers[] = [{ day: 27, month: 5, channel: 'email', scores: [...repeat(10, 36), ...repeat(8, 18), ...repeat(3, 6)] }];
/** Two weeks before (19 May): 55 promoters, 4 passives, 1 detractor -> NPS 100 × 54 / 60 = 90. */
const WEEK21: Answers[] = [{ day: 20, month: 5, channel: 'email', scores: [...repeat(9, 55), ...repeat(7, 4), ...repeat(0, 1)] }];

const SHOP = path.join(tmp, 'shop');
const WEEKS = path.join(tmp, 'weeks');
const CONFIGURED = path.join(tmp, 'configured');
const BADCONFIG = path.join(tmp, 'badconfig');

function setup(): void {
  mkdirSync(SHOP);
  writeFileSync(path.join(SHOP, 'surveys.csv'), surveyCsv(WEEK23));
  mkdirSync(WEEKS);
  writeFileSync(path.join(WEEKS, 'surveys.csv'), surveyCsv([...WEEK21, ...WEEK22, ...WEEK23]));
  mkdirSync(CONFIGURED);
  writeFileSync(path.join(CONFIGURED, 'surveys.csv'), surveyCsv(WEEK23));
  writeFileSync(
    path.join(CONFIGURED, 'cxm.config.json'),
    JSON.stringify({
      checks: [
        { metric: 'nps', min: 30, level: 'error' },
        { metric: 'nps', by: 'channel', min: 40, level: 'warn' },
        { metric: 'nps.n', min: 50 },
        { metric: 'csat', min: '80%', optional: true },
      ],
    }),
  );
  mkdirSync(BADCONFIG);
  writeFileSync(path.join(BADCONFIG, 'surveys.csv'), surveyCsv(WEEK23));
  writeFileSync(path.join(BADCONFIG, 'cxm.config.json'), JSON.stringify({ checks: [{ metric: 'nps' }, { metric: 'csat', min: 80 }] }));
}

// ---------------------------------------------------------------------------------------------
// Running cxm, a few at a time

/** `cxmRun` in the shop folder unless told otherwise. */
function run(args: string[], cwd = SHOP): Promise<RunResult> {
  return cxmRun(args, { cwd });
}

const RUNS = {
  pass: ['check', '.', '--require', 'nps >= 30'],
  breach: ['check', '.', '--require', 'nps >= 30', '--require', 'nps >= 40'],
  warnOnly: ['check', '.', '--require', 'nps >= 30', '--warn', 'nps >= 40'],
  badExpression: ['check', '.', '--require', 'nps >= 30', '--require', 'first_response_time.p90 <= 4 hours'],
  unknownMetric: ['check', '.', '--require', 'npz >= 30'],
  noChecks: ['check', '.'],
  missing: ['check', '.', '--require', 'nps >= 30', '--require', 'aht <= 5m'],
  missingOptional: ['check', '.', '--require', 'nps >= 30', '--require', 'aht <= 5m optional'],
  smallWarn: ['check', '.', '--require', 'nps >= 0 by channel'],
  smallFail: ['check', '.', '--require', 'nps >= 0 by channel', '--on-small-sample', 'fail'],
  smallPass: ['check', '.', '--require', 'nps >= 0 by channel', '--on-small-sample', 'pass'],
  smallPassBreach: ['check', '.', '--require', 'nps >= 20 by channel', '--on-small-sample', 'pass'],
  noisyPoint: ['check', '.', '--require', 'nps >= 30 by channel', '--on-small-sample', 'pass', '--format', 'json'],
  noisyConfident: ['check', '.', '--require', 'nps >= 30 by channel', '--on-small-sample', 'pass', '--mode', 'confident', '--format', 'json'],
  junit: ['check', '.', '--require', 'nps >= 30', '--require', 'nps >= 30 by channel', '--warn', 'nps.n >= 100', '--require', 'aht <= 5m optional', '--format', 'junit'],
  github: ['check', '.', '--require', 'nps >= 40', '--warn', 'nps >= 30 by channel', '--format', 'github'],
  md: ['check', '.', '--require', 'nps >= 40', '--require', 'nps >= 40 by channel', '--format', 'md'],
  dropPoint: ['check', '.', '--require', 'nps drop <= 5 over last-week', '--now', '2025-06-11T12:00', '--format', 'json'],
  dropConfident: ['check', '.', '--require', 'nps drop <= 5 over last-week', '--now', '2025-06-11T12:00', '--mode', 'confident', '--format', 'json'],
  dropBig: ['check', '.', '--require', 'nps drop <= 5 over 2025-05-19..2025-06-02', '--mode', 'confident', '--format', 'json'],
  overWeek: ['check', '.', '--require', 'nps >= 95 over last-week', '--now', '2025-05-28T12:00', '--format', 'json'],
  config: ['check', '.', '--format', 'json'],
  badConfig: ['check', '.'],
} as const satisfies Record<string, readonly string[]>;
type RunName = keyof typeof RUNS;
const CWD: Partial<Record<RunName, string>> = { dropPoint: WEEKS, dropConfident: WEEKS, dropBig: WEEKS, overWeek: WEEKS, config: CONFIGURED, badConfig: BADCONFIG };

const results = {} as Record<RunName | 'demo', RunResult>;
let demoReport: ReportModel;

beforeAll(async () => {
  setup();
  const jobs: [RunName | 'demo', () => Promise<RunResult>][] = [
    ['demo', () => run(['check', DEMO, '--require', 'nps >= 10', '--require', 'csat >= 70%', '--warn', 'first_response_time.p90 <= 4h', '--require', 'aht <= 10m', '--format', 'json'])],
    ...(Object.keys(RUNS) as RunName[]).map((name) => [name, () => run([...RUNS[name]], CWD[name] ?? SHOP)] as [RunName, () => Promise<RunResult>]),
  ];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const [name, job] = jobs[next++]!;
      results[name] = await job();
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  const report = await run(['report', DEMO, '--format', 'json']);
  demoReport = JSON.parse(report.stdout) as ReportModel;
}, 240_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const json = (name: RunName | 'demo') => JSON.parse(results[name].stdout) as CheckReport;

// ---------------------------------------------------------------------------------------------

describe('exit codes', () => {
  it('0 when every check passes: 33.3 >= 30', () => {
    const r = results.pass;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/│ nps >= 30\s+│\s+│\s+\+33\.3 \([\d.]+ – [\d.]+\) │\s+60 │\s+>= 30 │ pass\s+│ point\s+│/);
    expect(r.stdout).toContain('1 check result: 1 passed, 0 failed, 0 warned, 0 skipped (mode point; small samples (n < 30): warn; time zone UTC)');
  });

  it('1 on an error-level breach: 33.3 < 40, with a one-line message on stderr', () => {
    const r = results.breach;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('  FAIL nps >= 40: below the minimum');
    expect(r.stderr.split('\n')[0]).toBe('cxm: 1 of 2 check results failed');
  });

  it('0 when only a warn-level check breaches', () => {
    const r = results.warnOnly;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('  warn nps >= 40: below the minimum');
    expect(r.stdout).toContain('2 check results: 1 passed, 0 failed, 1 warned, 0 skipped');
  });

  it('2 on a malformed expression, printed with a caret under the offending column', () => {
    const r = results.badExpression;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    // "first_response_time.p90 <= " is 27 characters: the threshold "4" starts at column 28, and a duration needs its unit
    expect(lines[0]).toBe('cxm: invalid --require expression at column 28: first_response_time.p90 is a duration: expected a duration like 90s, 4h, 2d or 1h30m, got "4"');
    expect(lines.slice(1, 3)).toEqual(['  first_response_time.p90 <= 4 hours', `  ${' '.repeat(27)}^`]);
    expect(lines[3]).toMatch(/^hint: write metric\[\.field\]/);
  });

  it('2 on an unknown metric, with a suggestion', () => {
    const r = results.unknownMetric;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.split('\n').slice(0, 3)).toEqual(['cxm: invalid --require expression at column 1: unknown metric "npz" (did you mean nps?); `cxm metrics` lists every id', '  npz >= 30', '  ^']);
  });

  it('2 when there is nothing to check', () => {
    expect(results.noChecks.code, results.noChecks.stderr).toBe(2);
    expect(results.noChecks.stderr.split('\n')[0]).toBe('cxm: no checks to run');
  });

  it('a metric the data cannot compute fails the run with its reason…', () => {
    const r = results.missing;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/ {2}FAIL aht <= 5m: no call records/);
    expect(r.stdout).toMatch(/│ aht <= 5m\s+│\s+│\s+— │\s+│\s+<= 5m │ FAIL\s+│ no data\s+│/);
  });

  it('…unless optional: skipped, exit 0', () => {
    const r = results.missingOptional;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ {2}skip aht <= 5m: no call records.*\(optional: skipped\)/);
    expect(r.stdout).toContain('2 check results: 1 passed, 0 failed, 0 warned, 1 skipped');
  });
});

describe('small samples (sms: 20 answers, fewer than 30)', () => {
  it('--on-small-sample warn (default): reported, exit 0', () => {
    const r = results.smallWarn;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/│ nps >= 0 by channel\s+│ channel=sms\s+│\s+\+10\.0 \(-?[\d.]+ – [\d.]+\) │\s+20 │\s+>= 0 │ warn\s+│ small sample │/);
    expect(r.stdout).toContain('  warn nps >= 0 by channel [channel=sms]: small sample: n = 20 (fewer than 30); on its value it would pass (--on-small-sample warn)');
    expect(r.stdout).toMatch(/│ channel=email\s+│\s+\+45\.0 .*│ pass\s+│ point/);
  });

  it('--on-small-sample fail: the small segment fails the run', () => {
    const r = results.smallFail;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('  FAIL nps >= 0 by channel [channel=sms]: small sample: n = 20 (fewer than 30); on its value it would pass (--on-small-sample fail)');
  });

  it('--on-small-sample pass: judged on its value like any other (10 >= 0 passes, 10 < 20 fails)', () => {
    expect(results.smallPass.code, results.smallPass.stderr).toBe(0);
    expect(results.smallPass.stdout).toContain('2 check results: 2 passed, 0 failed, 0 warned, 0 skipped');
    expect(results.smallPassBreach.code, results.smallPassBreach.stderr).toBe(1);
    expect(results.smallPassBreach.stdout).toContain('  FAIL nps >= 20 by channel [channel=sms]: below the minimum');
  });
});

describe('point against confident mode', () => {
  it('a noisy small sample: point fails sms (NPS 10 < 30), confident passes it (its 95% CI reaches 30)', () => {
    expect(results.noisyPoint.code, results.noisyPoint.stderr).toBe(1);
    const point = json('noisyPoint').results.find((r) => r.segment?.channel === 'sms')!;
    expect(point).toMatchObject({ status: 'failed', decided_by: 'point', n: 20, small_sample: true });
    expect(point.value).toBeCloseTo(10, 9);

    expect(results.noisyConfident.code, results.noisyConfident.stderr).toBe(0);
    const confident = json('noisyConfident').results.find((r) => r.segment?.channel === 'sms')!;
    expect(confident).toMatchObject({ status: 'passed', decided_by: 'confident', mode: 'confident', reason: 'below the minimum, but the 95% CI reaches the threshold: not conclusive' });
    expect(confident.ci95![0]).toBeLessThan(30);
    expect(confident.ci95![1]).toBeGreaterThan(30);
    // email (NPS 45 >= 30) passes either way
    expect(json('noisyConfident').results.find((r) => r.segment?.channel === 'email')!.status).toBe('passed');
  });
});

describe('drops against the previous week', () => {
  it('over last-week with --now Wednesday 11 June: week 23 (NPS 33.3) against week 22 (NPS 50), a drop of 16.7', () => {
    expect(results.dropPoint.code, results.dropPoint.stderr).toBe(1);
    const [r] = json('dropPoint').results;
    expect(r).toMatchObject({ check: 'nps drop <= 5 over last-week', kind: 'drop', period: '2025-W23', previous_period: '2025-W22', status: 'failed', decided_by: 'point', n: 60 });
    // 50 − 33.333… = 16.666…
    expect(r!.value).toBeCloseTo(50 - 100 / 3, 9);
  });

  it('confident: that drop is not significant on 60 answers a week, so it passes, and says which test decided', () => {
    expect(results.dropConfident.code, results.dropConfident.stderr).toBe(0);
    const [r] = json('dropConfident').results;
    expect(r).toMatchObject({ status: 'passed', decided_by: 'significance', test: 'adjusted-wald' });
    expect(r!.p).toBeGreaterThan(0.05);
    expect(r!.reason).toMatch(/^fell from 2025-W22 to 2025-W23 by more than allowed, but not significantly \(p = 0\.\d+, adjusted-wald test\): noise cannot be ruled out$/);
  });

  it('confident: a fall from 90 to 50 (the window ends with week 22) is significant and fails', () => {
    expect(results.dropBig.code, results.dropBig.stderr).toBe(1);
    const [r] = json('dropBig').results;
    expect(r).toMatchObject({ period: '2025-W22', previous_period: '2025-W21', status: 'failed', decided_by: 'significance', test: 'adjusted-wald' });
    // 90 − 50 = 40 points
    expect(r!.value).toBeCloseTo(40, 9);
    expect(r!.p).toBeLessThan(0.001);
    // the window was widened by one week so week 21 has a week before it: it starts Monday 12 May
    expect(r!.window![0]).toBe('2025-05-12T00:00:00Z');
  });

  it('over last-week alone: only that week (--now Wednesday 28 May: week 21, NPS 90 < 95)', () => {
    expect(results.overWeek.code, results.overWeek.stderr).toBe(1);
    const [r] = json('overWeek').results;
    expect(r).toMatchObject({ check: 'nps >= 95 over last-week', status: 'failed', n: 60, window: ['2025-05-19T00:00:00Z', '2025-05-26T00:00:00Z'] });
    expect(r!.value).toBeCloseTo(90, 9);
  });
});

describe('the config form', () => {
  it('runs the checks of cxm.config.json: error and warn levels, fields, optional', () => {
    const r = results.config;
    expect(r.code, r.stderr).toBe(0);
    const report = json('config');
    expect(report.results.map((x) => [x.check, x.segment?.channel ?? null, x.status, x.origin])).toEqual([
      ['nps >= 30', null, 'passed', 'cxm.config.json checks[0]'],
      ['nps >= 40 by channel', 'email', 'passed', 'cxm.config.json checks[1]'],
      // sms: a small sample, warned under the default policy (and at warn level anyway)
      ['nps >= 40 by channel', 'sms', 'warned', 'cxm.config.json checks[1]'],
      ['nps.n >= 50', null, 'passed', 'cxm.config.json checks[2]'],
      ['csat >= 80%', null, 'skipped', 'cxm.config.json checks[3]'],
    ]);
    expect(report.statistics).toEqual({ evaluated: 5, passed: 3, failed: 0, warned: 1, skipped: 1 });
    expect(report.success).toBe(true);
  });

  it('a bad check in the config exits 2 naming the key', () => {
    const r = results.badConfig;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('checks[0]: a check needs min, max or maxDrop');
  });
});

describe('output formats', () => {
  it('junit: valid XML, one testcase per check and segment, failures and skips counted', () => {
    const r = results.junit;
    // nps >= 30 passes; by channel: email 45 passes, sms is a small sample (warned); nps.n >= 100
    // is a warn-level breach (60); aht is optional and skipped.
    expect(r.code, r.stderr).toBe(0);
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(r.stdout) as {
      testsuites: { tests: string; failures: string; skipped: string; testsuite: { testcase: Record<string, unknown>[] } };
    };
    expect(doc.testsuites).toMatchObject({ tests: '5', failures: '0', skipped: '1' });
    const cases = doc.testsuites.testsuite.testcase;
    // config checks first, then --require, then --warn, each in the order given
    expect(cases.map((c) => c.name)).toEqual(['nps >= 30', 'nps >= 30 by channel [channel=email]', 'nps >= 30 by channel [channel=sms]', 'aht <= 5m', 'nps.n >= 100']);
    expect(cases[2]!['system-out']).toMatch(/^warning: check: nps >= 30 by channel/);
    expect(cases[3]!.skipped).toMatchObject({ message: expect.stringContaining('(optional: skipped)') });
    expect(cases[4]!['system-out']).toMatch(/^warning: check: nps.n >= 100 \(--warn #1, level warn\)/);
  });

  it('github: ::error and ::warning annotations, escaped, then a summary', () => {
    const r = results.github;
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::error title=cxm check%3A nps >= 40::\+33\.3 \([\d.]+ – [\d.]+\) vs >= 40 \(point\): below the minimum$/);
    expect(lines[1]).toMatch(/^::warning title=cxm check%3A nps >= 30 by channel \[channel=sms\]::\+10\.0 .* vs >= 30 \(small sample\): small sample: n = 20/);
    expect(lines.at(-1)).toBe('cxm check: 3 check results: 1 passed, 1 failed, 1 warned, 0 skipped (mode point; small samples (n < 30): warn; time zone UTC)');
  });

  it('md: a PR comment with the verdict first', () => {
    const r = results.md;
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('### cxm check: ❌ 1 failed');
    // overall 33.3 < 40 fails; email 45 passes; sms is a small sample, warned
    expect(lines[2]).toBe('3 check results: 1 passed, 1 failed, 1 warned, 0 skipped.');
    expect(lines).toContain('| ✅ | `nps >= 40 by channel` | channel=email | +45.0 (19.5 – 64.2) | &gt;= 40 | point | meets the minimum |');
    expect(lines.filter((l) => l.startsWith('| ❌ | `nps >= 40` |'))).toHaveLength(1);
  });
});

describe('a realistic run over fixtures/demo', () => {
  it('judges the same numbers `cxm report` prints', () => {
    const r = results.demo;
    // nps 12.58 >= 10 and csat 74.1% >= 70% pass; aht 7m 05s <= 10m passes; the p90 of the first
    // response (about 24h) breaks 4h at warn level only: exit 0.
    expect(r.code, r.stderr).toBe(0);
    const report = json('demo');
    expect(report.results.map((x) => [x.check, x.status])).toEqual([
      ['nps >= 10', 'passed'],
      ['csat >= 70%', 'passed'],
      ['aht <= 10m', 'passed'],
      ['first_response_time.p90 <= 4h', 'warned'],
    ]);
    const of = (metric: string) => demoReport.metrics.find((m) => m.id === metric && m.period === null && m.segment === null)!;
    expect(report.results[0]!.value).toBe(of('nps').value);
    expect(report.results[0]!.ci95).toEqual(of('nps').ci95);
    expect(report.results[1]!.value).toBe(of('csat').value);
    expect(report.results[2]!.value).toBe(of('aht').value);
    expect(report.results[3]!.value).toBe(of('first_response_time').detail.p90);
  });
});
