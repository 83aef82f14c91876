import { describe, expect, it } from 'vitest';
import { CxmError } from '../errors.js';
import {
  caretLines,
  checksFromConfig,
  dropPeriod,
  evaluateCheck,
  parseCheckExpression,
  parseThreshold,
  planCheckRuns,
  rangeUnit,
  readField,
  runWindow,
  summarizeChecks,
  type Check,
  type CheckData,
  type CheckEntry,
  type EvaluateOptions,
} from './checks.js';
import { compareResults } from './compare.js';
import { checkEntry as entry } from './test-support.js';

const parse = (text: string) => parseCheckExpression(text, { level: 'error', origin: '--require #1' });

function parseError(text: string): CxmError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof CxmError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseCheckExpression: valid expressions', () => {
  it('a bare metric reads its value, a number in its unit', () => {
    const c = parse('nps >= 30');
    expect(c).toMatchObject({ metric: 'nps', field: 'value', drop: false, op: '>=', threshold: 30, thresholdText: '30', unit: 'points', by: [], over: null, level: 'error', optional: false });
    expect(c.name).toBe('nps >= 30');
    expect(c.origin).toBe('--require #1');
  });

  it('a duration field takes a duration: 4h = 4 × 3600 = 14400 s', () => {
    const c = parse('first_response_time.p90 <= 4h');
    expect(c).toMatchObject({ metric: 'first_response_time', field: 'p90', op: '<=', threshold: 14_400, unit: 'seconds' });
    expect(parse('resolution_time <= 2d').threshold).toBe(172_800); // 2 × 86400
    expect(parse('aht < 90s').threshold).toBe(90);
    expect(parse('aht < 1h30m').threshold).toBe(5_400);
  });

  it('a rate takes 0.8 or 80%', () => {
    expect(parse('csat >= 0.8').threshold).toBe(0.8);
    expect(parse('csat >= 80%').threshold).toBe(0.8);
    expect(parse('abandonment_rate <= 5%').threshold).toBe(0.05);
  });

  it('by and over clauses, in any order, with extra spaces', () => {
    const c = parse('  csat >= 80%   by channel ');
    expect(c.by).toEqual(['channel']);
    expect(c.name).toBe('csat >= 80% by channel');
    const d = parse('abandonment_rate <= 5% over last-week');
    expect(d.over).toBe('last-week');
    expect(d.name).toBe('abandonment_rate <= 5% over last-week');
    const e = parse('csat > 70% over 2025-03-01..2025-04-01 by channel, priority');
    expect(e).toMatchObject({ op: '>', by: ['channel', 'priority'], over: '2025-03-01..2025-04-01' });
    expect(e.name).toBe('csat > 70% by channel,priority over 2025-03-01..2025-04-01');
  });

  it('a quoted by field may hold spaces and accents', () => {
    const c = parse('nps >= 0 by "Canal de venta"');
    expect(c.by).toEqual(['Canal de venta']);
    expect(c.name).toBe('nps >= 0 by "Canal de venta"');
  });

  it('drop, vs previous and optional', () => {
    const c = parse('nps drop <= 5 vs previous optional');
    expect(c).toMatchObject({ metric: 'nps', drop: true, op: '<=', threshold: 5, optional: true });
    expect(c.name).toBe('nps drop <= 5');
    expect(parse('csat drop < 3%').threshold).toBe(0.03);
  });

  it('fields: .n counts, csat.mean is a score (a plain number), ci bounds keep the unit', () => {
    expect(parse('nps.n >= 100')).toMatchObject({ field: 'n', unit: 'count', threshold: 100 });
    expect(parse('csat.mean >= 4.2')).toMatchObject({ field: 'mean', unit: 'score', threshold: 4.2 });
    expect(parse('csat.ci_low >= 75%')).toMatchObject({ field: 'ci_low', unit: 'share', threshold: 0.75 });
  });

  it('the level comes from the caller (--require: error, --warn: warn)', () => {
    expect(parseCheckExpression('nps >= 30', { level: 'warn', origin: '--warn #1', flag: '--warn' }).level).toBe('warn');
  });
});

describe('parseCheckExpression: errors point at the column', () => {
  // [expression, 0-based column of the caret, part of the message]
  it.each([
    ['', 0, 'expected a metric id'],
    ['>= 30', 0, 'expected a metric id such as nps or csat, got ">"'],
    ['npss >= 30', 0, 'unknown metric "npss" (did you mean nps?)'],
    ['first_respons_time <= 4h', 0, 'did you mean first_response_time?'],
    ['nps. >= 30', 4, 'expected a field after "."'],
    ['first_response_time.p99 <= 4h', 20, 'unknown field "p99"'],
    ['nps 30', 4, 'expected a comparison (>=, >, <= or <), got "30"'],
    ['nps', 3, 'expected a comparison (>=, >, <= or <), got nothing'],
    ['nps = 30', 4, '"=" is not a comparison'],
    ['nps => 30', 4, '"=>" is not a comparison'],
    ['nps >=', 6, 'expected a threshold such as 30, 80% or 4h, got nothing'],
    ['nps >= @30', 7, 'expected a threshold such as 30, 80% or 4h, got "@"'],
    ['nps >= 30%', 7, 'nps is in NPS points (-100 to 100), not a percentage: write 30, without %'],
    ['nps >= thirty', 7, 'expected a number such as 30 or -5, got "thirty"'],
    ['csat >= 80', 8, 'csat is a rate: expected a fraction 0-1 (0.8) or a percentage (80%), got "80"'],
    ['first_response_time.p90 <= 4', 27, 'first_response_time.p90 is a duration: expected a duration like 90s, 4h, 2d or 1h30m, got "4"'],
    ['first_response_time <= 4x', 23, 'is a duration'],
    ['nps >= 30 and csat >= 80%', 10, 'unexpected "and": expected by, over, vs previous or optional'],
    ['nps >= 30 buy channel', 10, 'unexpected "buy": expected by, over, vs previous or optional (did you mean by?)'],
    ['nps >= 30; rm -rf /', 9, 'unexpected ";"'],
    ['nps >= 30 by', 12, 'expected a field name after "by"'],
    ['nps >= 30 by channel by segment', 21, '"by" given twice'],
    ['nps >= 30 by "channel', 13, 'unclosed quote'],
    ['nps >= 30 over', 14, 'expected a range after "over"'],
    ['nps >= 30 over last-fortnight', 15, 'got "last-fortnight"'],
    ['nps >= 30 over 2025-03-01..someday', 27, 'got "someday"'],
    ['nps >= 30 vs previous', 10, '"vs previous" goes with a drop'],
    ['nps drop <= 5 vs next', 17, 'expected "previous" after "vs", got "next"'],
    ['nps drop >= 5', 9, 'a drop takes <= or <'],
    ['first_response_time.p90 drop <= 1h', 24, "a drop is checked on the metric's value, not on .p90"],
  ])('%j: caret at column %i', (text, column, message) => {
    const error = parseError(text);
    expect(error.code).toBe('INVALID_EXPRESSION');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(message);
    expect(error.message).toContain(`at column ${column + 1}:`);
    const lines = error.message.split('\n');
    expect(lines.at(-2)).toBe(`  ${text}`);
    expect(lines.at(-1)).toBe(`  ${' '.repeat(column)}^`);
    expect(error.hint).toContain('metric[.field]');
  });

  it('control characters in the expression are shown as spaces, keeping the caret aligned', () => {
    expect(caretLines('nps\t>= x\u001b[2J', 7)).toBe('  nps >= x [2J\n         ^');
  });

  it('never evaluates the text as code', () => {
    const error = parseError('process.exit(0) >= 1');
    expect(error.message).toContain('unknown metric "process"');
  });
});

describe('parseThreshold', () => {
  it('parses by unit', () => {
    expect(parseThreshold('80%', 'share', 'csat')).toBe(0.8);
    expect(parseThreshold('-5', 'points', 'nps')).toBe(-5);
    expect(parseThreshold('1.5e2', 'count', 'ticket_volume')).toBe(150);
    expect(parseThreshold('90s', 'seconds', 'aht')).toBe(90);
    expect(parseThreshold('5%', 'count', 'ticket_volume')).toEqual({ reason: 'ticket_volume is in a count, not a percentage: write 5, without %' });
  });
});

describe('checksFromConfig', () => {
  const source = 'cxm.config.json';

  it('the examples of the issue', () => {
    const checks = checksFromConfig(
      [
        { metric: 'nps', min: 30, level: 'error' },
        { metric: 'csat', by: 'channel', min: 0.8, level: 'warn' },
        { metric: 'nps', maxDrop: 5, vs: 'previous' },
      ],
      source,
    );
    expect(checks.map((c) => c.name)).toEqual(['nps >= 30', 'csat >= 80% by channel', 'nps drop <= 5']);
    expect(checks.map((c) => c.level)).toEqual(['error', 'warn', 'error']);
    expect(checks.map((c) => c.origin)).toEqual(['cxm.config.json checks[0]', 'cxm.config.json checks[1]', 'cxm.config.json checks[2]']);
    expect(checks[1]).toMatchObject({ threshold: 0.8, by: ['channel'], unit: 'share' });
    expect(checks[2]).toMatchObject({ drop: true, op: '<=', threshold: 5 });
  });

  it('min and max give two checks; strings carry units; numbers are raw (seconds)', () => {
    const checks = checksFromConfig([{ metric: 'first_response_time.p90', min: 60, max: '4h', over: 'last-week', optional: true, mode: 'confident' }], source);
    expect(checks.map((c) => c.name)).toEqual(['first_response_time.p90 >= 60s over last-week', 'first_response_time.p90 <= 4h over last-week']);
    expect(checks.map((c) => c.threshold)).toEqual([60, 14_400]);
    expect(checks.every((c) => c.optional && c.mode === 'confident' && c.over === 'last-week')).toBe(true);
  });

  it('a drop period and several by fields', () => {
    const [c] = checksFromConfig([{ metric: 'csat', maxDrop: '3%', period: 'month', by: ['channel', 'segment'] }], source);
    expect(c).toMatchObject({ threshold: 0.03, period: 'month', by: ['channel', 'segment'] });
  });

  it.each([
    [{ metric: 'npz', min: 30 }, 'checks[0].metric: unknown metric "npz" (did you mean nps?)'],
    [{ metric: 'nps.p99', min: 30 }, 'checks[0].metric: unknown field "p99"'],
    [{ metric: 'nps.value.x', min: 30 }, 'checks[0].metric: expected "metric" or "metric.field"'],
    [{ metric: 'csat', min: 80 }, 'checks[0].min: csat is a rate: expected a fraction 0-1 (0.8) or a percentage string ("80%"), got 80'],
    [{ metric: 'csat', min: '80' }, 'checks[0].min: csat is a rate'],
    [{ metric: 'aht', max: '4' }, 'checks[0].max: aht is a duration'],
    [{ metric: 'nps', min: '30%' }, 'checks[0].min: nps is in NPS points'],
    [{ metric: 'nps', min: 30, vs: 'previous' as const }, 'checks[0].vs: "vs" goes with maxDrop'],
    [{ metric: 'nps', min: 30, period: 'week' as const }, 'checks[0].period: "period" goes with maxDrop'],
    [{ metric: 'aht.p90', maxDrop: '1h' }, "checks[0].maxDrop: a drop is checked on the metric's value"],
    [{ metric: 'nps', min: 30, over: 'last-fortnight' }, 'checks[0].over: expected a date'],
  ])('%j is refused: %s', (entry, message) => {
    try {
      checksFromConfig([entry], source);
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(CxmError);
      expect((error as CxmError).code).toBe('INVALID_CONFIG');
      expect((error as CxmError).message).toContain(message);
      expect((error as CxmError).message.startsWith('cxm.config.json: invalid configuration:')).toBe(true);
    }
  });
});

describe('planning', () => {
  it('rangeUnit names the unit of a relative range', () => {
    expect(rangeUnit('last-week')).toBe('week');
    expect(rangeUnit('this-month')).toBe('month');
    expect(rangeUnit('yesterday')).toBe('day');
    expect(rangeUnit('last-30d')).toBe('day');
    expect(rangeUnit('last-6m')).toBe('month');
    expect(rangeUnit('2025-03-01..2025-04-01')).toBe(null);
  });

  it('dropPeriod: own period, else the range unit, else --period, else week', () => {
    const [own] = checksFromConfig([{ metric: 'nps', maxDrop: 5, period: 'quarter', over: 'last-week' }], 'c');
    expect(dropPeriod(own!, 'day')).toBe('quarter');
    expect(dropPeriod(parse('nps drop <= 5 over last-month'), 'day')).toBe('month');
    expect(dropPeriod(parse('nps drop <= 5'), 'day')).toBe('day');
    expect(dropPeriod(parse('nps drop <= 5'), null)).toBe('week');
  });

  it('checks with the same by, window and period share a run', () => {
    const checks = ['nps >= 30', 'csat >= 80% by channel', 'ces >= 5', 'nps drop <= 5', 'csat drop <= 3%', 'fcr >= 70% by channel', 'nps >= 0 over last-week'].map(parse);
    expect(planCheckRuns(checks, null)).toEqual([
      { by: [], over: null, period: null, checks: [0, 2] },
      { by: ['channel'], over: null, period: null, checks: [1, 5] },
      { by: [], over: null, period: 'week', checks: [3, 4] },
      { by: [], over: 'last-week', period: null, checks: [6] },
    ]);
  });

  it('runWindow: over replaces --since/--until; a drop starts one period earlier', () => {
    // --now Wednesday 2025-06-11 12:00 UTC: last week is Monday 2 June to Monday 9 June (ISO week 23).
    const clock = { now: Date.UTC(2025, 5, 11, 12), zone: 'UTC', weekStart: 'monday' as const };
    const base = { since: Date.UTC(2025, 0, 1), until: null };
    expect(runWindow({ over: null, period: null }, base, clock)).toEqual(base);
    expect(runWindow({ over: 'last-week', period: null }, base, clock)).toEqual({ since: Date.UTC(2025, 5, 2), until: Date.UTC(2025, 5, 9) });
    // The drop run reaches back to Monday 26 May, so week 23 has week 22 before it.
    expect(runWindow({ over: 'last-week', period: 'week' }, base, clock)).toEqual({ since: Date.UTC(2025, 4, 26), until: Date.UTC(2025, 5, 9) });
    expect(runWindow({ over: '2025-03-01..2025-04-01', period: null }, base, clock)).toEqual({ since: Date.UTC(2025, 2, 1), until: Date.UTC(2025, 3, 1) });
    expect(runWindow({ over: null, period: 'week' }, { since: null, until: null }, clock)).toEqual({ since: null, until: null });
  });

  it('runWindow resolves weeks in the zone: Madrid is UTC+2 in June', () => {
    const clock = { now: Date.UTC(2025, 5, 11, 12), zone: 'Europe/Madrid', weekStart: 'monday' as const };
    expect(runWindow({ over: 'last-week', period: null }, { since: null, until: null }, clock)).toEqual({ since: Date.UTC(2025, 5, 1, 22), until: Date.UTC(2025, 5, 8, 22) });
  });
});

// ---------------------------------------------------------------------------------------------
// Evaluation

const data = (entries: CheckEntry[], unavailable: CheckData['unavailable'] = []): CheckData => ({ entries, unavailable, minSample: 30, window: ['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'] });
const point: EvaluateOptions = { mode: 'point', onSmallSample: 'warn' };
const confident: EvaluateOptions = { mode: 'confident', onSmallSample: 'warn' };

describe('evaluateCheck: thresholds', () => {
  const nps = (value: number, ci: [number, number] | null = null, extra: Partial<CheckEntry> = {}) => data([entry({ value, ci95: ci, ...extra })]);

  it('point mode compares the value, inclusive for >= and <=, strict for > and <', () => {
    expect(evaluateCheck(parse('nps >= 30'), nps(30), point)[0]).toMatchObject({ status: 'passed', value: 30, decided_by: 'point', reason: 'meets the minimum' });
    expect(evaluateCheck(parse('nps > 30'), nps(30), point)[0]).toMatchObject({ status: 'failed', reason: 'below the minimum' });
    expect(evaluateCheck(parse('nps >= 30'), nps(29.9), point)[0]!.status).toBe('failed');
    expect(evaluateCheck(parse('nps <= 30'), nps(30), point)[0]!.status).toBe('passed');
    expect(evaluateCheck(parse('nps < 30'), nps(30), point)[0]).toMatchObject({ status: 'failed', reason: 'above the maximum' });
  });

  it('a warn-level breach is warned, not failed', () => {
    const check = parseCheckExpression('nps >= 30', { level: 'warn', origin: '--warn #1' });
    expect(evaluateCheck(check, nps(10), point)[0]!.status).toBe('warned');
  });

  it('confident mode fails only when the whole 95% CI is on the wrong side', () => {
    // value 20 < 30, but the CI 5..35 reaches 30: not conclusive, passes
    expect(evaluateCheck(parse('nps >= 30'), nps(20, [5, 35]), confident)[0]).toMatchObject({
      status: 'passed',
      decided_by: 'confident',
      ci95: [5, 35],
      reason: 'below the minimum, but the 95% CI reaches the threshold: not conclusive',
    });
    // CI 5..29.9 lies wholly below 30: fails
    expect(evaluateCheck(parse('nps >= 30'), nps(20, [5, 29.9]), confident)[0]).toMatchObject({ status: 'failed', reason: 'the whole 95% CI is below the minimum' });
    // strict > with the CI top exactly on the threshold: every value in the CI is <= 30, fails
    expect(evaluateCheck(parse('nps > 30'), nps(20, [5, 30]), confident)[0]!.status).toBe('failed');
    // maxima: the CI bottom must be above the threshold
    expect(evaluateCheck(parse('nps <= 0'), nps(10, [-2, 22]), confident)[0]!.status).toBe('passed');
    expect(evaluateCheck(parse('nps <= 0'), nps(10, [0.5, 22]), confident)[0]!.status).toBe('failed');
    expect(evaluateCheck(parse('nps < 0'), nps(10, [0, 22]), confident)[0]!.status).toBe('failed');
  });

  it('confident mode without a CI falls back to the value, and says so', () => {
    const r = evaluateCheck(parse('nps.n >= 200'), nps(40, [30, 50]), confident)[0]!;
    expect(r).toMatchObject({ status: 'failed', value: 100, decided_by: 'point', mode: 'confident' });
    expect(r.reason).toBe('below the minimum (no confidence interval for nps.n: judged on the value)');
  });

  it('missing metric fails with its reason, optional skips', () => {
    const d = data([], [{ id: 'aht', reason: 'no call records among the inputs' }]);
    expect(evaluateCheck(parse('aht <= 5m'), d, point)).toEqual([expect.objectContaining({ status: 'failed', decided_by: 'unavailable', reason: 'no call records among the inputs' })]);
    expect(evaluateCheck(parse('aht <= 5m optional'), d, point)[0]).toMatchObject({ status: 'skipped', reason: 'no call records among the inputs (optional: skipped)' });
    const warn = parseCheckExpression('aht <= 5m', { level: 'warn', origin: 'x' });
    expect(evaluateCheck(warn, d, point)[0]!.status).toBe('warned');
    expect(evaluateCheck(parse('nps >= 0'), data([]), point)[0]).toMatchObject({ status: 'failed', reason: 'nps was not computed' });
    expect(evaluateCheck(parse('nps >= 0'), data([entry({ value: null, n: 0 })]), point)[0]).toMatchObject({ status: 'failed', reason: 'no nps data in the window' });
  });

  it('a field the metric does not have fails and lists the fields it has', () => {
    const d = data([entry({ id: 'first_response_time', unit: 'seconds', direction: 'lower', value: 600, detail: { mean: 900, p90: 3000, min: 1 } })]);
    expect(evaluateCheck(parse('nps.p90 <= 5'), data([entry({ value: 10 })]), point)[0]).toMatchObject({ status: 'failed', reason: 'nps has no p90' });
    expect(evaluateCheck(parse('first_response_time.p90 <= 1h'), d, point)[0]).toMatchObject({ status: 'passed', value: 3000 });
    expect(evaluateCheck(parse('first_response_time.p90 <= 30m'), d, point)[0]).toMatchObject({ status: 'failed', value: 3000 });
  });

  it('small samples follow --on-small-sample', () => {
    const d = nps(50, [10, 80], { n: 12, small_sample: true });
    const check = parse('nps >= 30');
    expect(evaluateCheck(check, d, { mode: 'point', onSmallSample: 'warn' })[0]).toMatchObject({
      status: 'warned',
      decided_by: 'small-sample',
      small_sample: true,
      reason: 'small sample: n = 12 (fewer than 30); on its value it would pass (--on-small-sample warn)',
    });
    expect(evaluateCheck(check, d, { mode: 'point', onSmallSample: 'fail' })[0]).toMatchObject({ status: 'failed', decided_by: 'small-sample' });
    expect(evaluateCheck(check, d, { mode: 'point', onSmallSample: 'pass' })[0]).toMatchObject({ status: 'passed', decided_by: 'point', small_sample: true });
    // pass judges it like any other: a breach still fails
    expect(evaluateCheck(parse('nps >= 60'), d, { mode: 'point', onSmallSample: 'pass' })[0]!.status).toBe('failed');
    // a check on n itself is not "small"
    expect(evaluateCheck(parse('nps.n >= 10'), d, { mode: 'point', onSmallSample: 'fail' })[0]!.status).toBe('passed');
  });

  it('by: one result per segment, never the overall row', () => {
    const d = data([
      entry({ id: 'csat', unit: 'share', value: 0.9 }),
      entry({ id: 'csat', unit: 'share', value: 0.85, segment: { channel: 'email' } }),
      entry({ id: 'csat', unit: 'share', value: 0.7, segment: { channel: 'phone' } }),
    ]);
    const results = evaluateCheck(parse('csat >= 80% by channel'), d, point);
    expect(results.map((r) => [r.segment, r.status])).toEqual([
      [{ channel: 'email' }, 'passed'],
      [{ channel: 'phone' }, 'failed'],
    ]);
    expect(evaluateCheck(parse('csat >= 80%'), d, point).map((r) => r.value)).toEqual([0.9]);
    // a segment with records but no answers for the metric is skipped, not failed
    const empty = data([entry({ id: 'csat', unit: 'share', value: null, n: 0, segment: { channel: 'store' } })]);
    expect(evaluateCheck(parse('csat >= 80% by channel'), empty, point)[0]).toMatchObject({ status: 'skipped', reason: 'no csat data in this segment' });
  });
});

describe('readField', () => {
  it('durations: value is the median, detail has mean and p90', () => {
    const frt = entry({ id: 'first_response_time', unit: 'seconds', value: 600, ci95: [500, 700], detail: { mean: 900, p90: 3000 } });
    expect(readField(frt, 'median')).toEqual({ value: 600, ci: [500, 700] });
    expect(readField(frt, 'mean')).toEqual({ value: 900, ci: null });
    expect(readField(frt, 'p90')).toEqual({ value: 3000, ci: null });
    expect(readField(frt, 'ci_high')).toEqual({ value: 700, ci: null });
  });
  it('mean-valued metrics (aht, scores, ratios): value is the mean', () => {
    const aht = entry({ id: 'aht', unit: 'seconds', value: 425, ci95: [416, 434], detail: { median: 380, p90: 692 } });
    expect(readField(aht, 'mean')).toEqual({ value: 425, ci: [416, 434] });
    expect(readField(aht, 'median')).toEqual({ value: 380, ci: null });
    expect(readField(entry({ id: 'ces', unit: 'score', value: 5.3 }), 'mean')).toEqual({ value: 5.3, ci: null });
    expect(readField(entry({ id: 'csat', unit: 'share', value: 0.74, detail: { mean: 3.93 } }), 'mean')).toEqual({ value: 3.93, ci: null });
    expect(readField(entry({ value: 3 }), 'ci_low')).toEqual({ missing: 'nps has no confidence interval' });
  });
});

describe('evaluateCheck: drops against the previous period', () => {
  // Week 22: 60 promoters, 20 passives, 20 detractors (NPS 40, n 100); week 23: 30/20/50 (NPS -20).
  // A fall of 60 points on 100 answers each is far beyond noise.
  const w22 = { value: 40, n: 100, ci95: null, detail: { promoters: 60, passives: 20, detractors: 20 } };
  const w23 = { value: -20, n: 100, ci95: null, detail: { promoters: 30, passives: 20, detractors: 50 } };
  // Small weeks: 5/3/2 (NPS 30, n 10) then 3/3/4 (NPS -10, n 10): a 40-point fall, not significant.
  const s22 = { value: 30, n: 10, ci95: null, detail: { promoters: 5, passives: 3, detractors: 2 } };
  const s23 = { value: -10, n: 10, ci95: null, detail: { promoters: 3, passives: 3, detractors: 4 } };

  const weeks = (prev: typeof w22, cur: typeof w22, extra: Partial<CheckEntry> = {}) =>
    data([
      entry({ value: 10, n: prev.n + cur.n }),
      entry({ ...prev, period: '2025-W22', period_start: '2025-05-26T00:00:00Z', period_end: '2025-06-02T00:00:00Z', ...extra }),
      entry({ ...cur, period: '2025-W23', period_start: '2025-06-02T00:00:00Z', period_end: '2025-06-09T00:00:00Z', change: compareResults('points', cur, prev), ...extra }),
    ]);

  it('the significance test says the big fall is real and the small one is noise', () => {
    expect(compareResults('points', w23, w22)!.significant).toBe(true);
    expect(compareResults('points', s23, s22)!.significant).toBe(false);
  });

  it('point mode: the drop (previous - current for higher-is-better) against maxDrop', () => {
    const [r] = evaluateCheck(parse('nps drop <= 5'), weeks(w22, w23), point);
    expect(r).toMatchObject({ status: 'failed', kind: 'drop', value: 60, period: '2025-W23', previous_period: '2025-W22', decided_by: 'point', test: 'adjusted-wald' });
    expect(r!.reason).toBe('fell from 2025-W22 to 2025-W23 by more than allowed');
    expect(evaluateCheck(parse('nps drop <= 60'), weeks(w22, w23), point)[0]!.status).toBe('passed');
    expect(evaluateCheck(parse('nps drop < 60'), weeks(w22, w23), point)[0]!.status).toBe('failed');
  });

  it('confident mode fails a significant drop and passes a noisy one, saying which test decided', () => {
    const big = evaluateCheck(parse('nps drop <= 5'), weeks(w22, w23), confident)[0]!;
    expect(big).toMatchObject({ status: 'failed', decided_by: 'significance', test: 'adjusted-wald' });
    expect(big.p).toBeLessThan(0.001);
    expect(big.reason).toBe('fell from 2025-W22 to 2025-W23 by more than allowed, significantly (p < 0.001, adjusted-wald test)');
    const noisy = evaluateCheck(parse('nps drop <= 5'), weeks(s22, s23), { mode: 'confident', onSmallSample: 'pass' })[0]!;
    expect(noisy).toMatchObject({ status: 'passed', value: 40, decided_by: 'significance' });
    expect(noisy.reason).toMatch(/^fell from 2025-W22 to 2025-W23 by more than allowed, but not significantly \(p = 0\.\d+, adjusted-wald test\): noise cannot be ruled out$/);
    // the same noisy drop fails in point mode
    expect(evaluateCheck(parse('nps drop <= 5'), weeks(s22, s23), { mode: 'point', onSmallSample: 'pass' })[0]!.status).toBe('failed');
  });

  it('for lower-is-better metrics a drop is a rise', () => {
    const prev = { value: 600, n: 50, ci95: null, detail: {} };
    const cur = { value: 900, n: 50, ci95: null, detail: {} };
    const d = data([
      entry({ id: 'first_response_time', unit: 'seconds', direction: 'lower', ...prev, period: 'W1', period_start: 'a', period_end: 'b' }),
      entry({ id: 'first_response_time', unit: 'seconds', direction: 'lower', ...cur, period: 'W2', period_start: 'b', period_end: 'c', change: compareResults('seconds', cur, prev) }),
    ]);
    // 900 - 600 = 300 s worse; allowed 4 min = 240 s
    const [r] = evaluateCheck(parse('first_response_time drop <= 4m'), d, confident);
    expect(r).toMatchObject({ status: 'failed', value: 300, decided_by: 'point', test: null });
    expect(r!.reason).toBe('rose from W1 to W2 by more than allowed (no significance test for seconds metrics: judged on the value)');
  });

  it('no previous data fails (or skips when optional); small periods follow the policy', () => {
    const lone = data([entry({ ...w23, period: '2025-W23', period_start: 'b', period_end: 'c' })]);
    expect(evaluateCheck(parse('nps drop <= 5'), lone, point)[0]).toMatchObject({ status: 'failed', decided_by: 'unavailable', reason: 'no previous period data to compare 2025-W23 with' });
    expect(evaluateCheck(parse('nps drop <= 5 optional'), lone, point)[0]!.status).toBe('skipped');
    const small = evaluateCheck(parse('nps drop <= 5'), weeks(s22, s23, { small_sample: true }), point)[0]!;
    expect(small).toMatchObject({ status: 'warned', decided_by: 'small-sample' });
    expect(small.reason).toBe('small sample: n = 10 in 2025-W23 (fewer than 30); on its value it would breach (--on-small-sample warn)');
  });
});

describe('summarizeChecks', () => {
  it('counts statuses; success means nothing failed', () => {
    const checks: Check[] = ['nps >= 0', 'nps >= 50'].map(parse);
    const d = data([entry({ value: 20 })]);
    const results = checks.flatMap((c) => evaluateCheck(c, d, point));
    const report = summarizeChecks(results, { mode: 'point', on_small_sample: 'warn', timezone: 'UTC', min_sample: 30 });
    expect(report.success).toBe(false);
    expect(report.statistics).toEqual({ evaluated: 2, passed: 1, failed: 1, warned: 0, skipped: 0 });
    expect(summarizeChecks(results.slice(0, 1), report.settings).success).toBe(true);
  });
});
