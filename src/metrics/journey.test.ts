import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import { parseConfig } from '../schema/config.js';
import type { CxRecord, DealRecord } from '../schema/records.js';
import { SCALES } from '../schema/test-support.js';
import { JOURNEY_METRICS, contactTopic, dealOutcome, defaultFrustrationFrom } from './journey.js';
import { METRICS, resolveSettings } from './registry.js';
import { accumulate as feed, datasetOf as oneInputDataset, expectMergeable, maybe, metricOf, recordFactory, TEST_SETTINGS } from './test-support.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from './types.js';

// No journey settings: the metrics must fall back to the documented defaults (30 days, 7 days, 4 on 1-5, UTC).
const SETTINGS: MetricSettings = TEST_SETTINGS;

const DAY = 86_400;
/** 2025-01-dd hh:mm UTC (days past 31 roll into February). */
const jan = (day: number, hour = 0, minute = 0) => Date.UTC(2025, 0, day, hour, minute);
const WHOLE: PeriodBounds = { start: Date.UTC(2000, 0, 1), end: Date.UTC(2030, 0, 1), whole: true };

const feedback = recordFactory('employee_feedback');
const deal = recordFactory('deal');
const onboarding = recordFactory('onboarding');
const customer = recordFactory('customer');
const ticket = recordFactory('ticket');
const call = recordFactory('call');

const datasetOf = (records: readonly CxRecord[]): Dataset => oneInputDataset(records, 'deal', 'exports.csv');

const metric = (id: string): MetricDefinition => metricOf(JOURNEY_METRICS, id);

/** Feeds `records` as the engine would: only the metric's kinds, only what it accepts. */
const accumulate = (def: MetricDefinition, records: readonly CxRecord[], dataset: Dataset, settings = SETTINGS, period = WHOLE): Accumulator => feed(def, records, dataset, period, settings);

/** The metric over `records`, with the dataset (and so the links) built from the same records. */
function compute(id: string, records: readonly CxRecord[], settings = SETTINGS): MetricResult {
  return accumulate(metric(id), records, datasetOf(records), settings).result();
}

describe('catalogue', () => {
  it('lists the journey ids (the five of DESIGN.md plus win_rate and the two employee-feedback ones), all in domain journey', () => {
    expect(JOURNEY_METRICS.map((m) => m.id)).toEqual([
      'employee_feedback_volume',
      'employee_frustration',
      'time_to_revenue',
      'win_rate',
      'installation_success_rate',
      'time_to_first_value',
      'early_life_contact_rate',
      'repeat_contact_rate',
    ]);
    expect(JOURNEY_METRICS.every((m) => m.domain === 'journey')).toBe(true);
  });

  it('is part of the registry', () => {
    for (const m of JOURNEY_METRICS) expect(METRICS).toContain(m);
  });

  it('gives every metric with no records null and n = 0 (the volume a real 0), with no interval', () => {
    const dataset = datasetOf([feedback({ rating: 3 }), deal({ id: 'd', won: true, createdAt: jan(1), closedAt: jan(2) })]);
    for (const m of JOURNEY_METRICS) {
      const r = accumulate(m, [], dataset).result();
      expect(r, m.id).toMatchObject({ value: m.id === 'employee_feedback_volume' ? 0 : null, n: 0, ci95: null });
    }
  });
});

describe('settings', () => {
  it('resolveSettings: 30 days, 7 days, 4 on a 1-5 frustration scale and UTC by default; the config journey section overrides', () => {
    expect(resolveSettings(parseConfig({}, 'test'), SCALES)).toMatchObject({ earlyLifeDays: 30, repeatContactDays: 7, frustrationFrom: 4, timezone: 'UTC' });
    const config = parseConfig({ timezone: 'Europe/Madrid', journey: { earlyLifeDays: 60, repeatContactDays: 3, frustrationFrom: 5 } }, 'test');
    expect(resolveSettings(config, SCALES)).toMatchObject({ earlyLifeDays: 60, repeatContactDays: 3, frustrationFrom: 5, timezone: 'Europe/Madrid' });
  });

  it('rejects a window of 0 days and unknown keys in the journey section', () => {
    expect(() => parseConfig({ journey: { earlyLifeDays: 0 } }, 'cxm.config.json')).toThrow(/journey\.earlyLifeDays/);
    expect(() => parseConfig({ journey: { repeatContactDays: -1 } }, 'cxm.config.json')).toThrow(/journey\.repeatContactDays/);
    expect(() => parseConfig({ journey: { earlyLife: 30 } }, 'cxm.config.json')).toThrow(/journey/);
  });

  it('defaultFrustrationFrom: the top two points of a 5-point scale, else the top 20% rounded up', () => {
    expect(defaultFrustrationFrom({ min: 1, max: 5 })).toBe(4); // span 4: 5 − 1
    expect(defaultFrustrationFrom({ min: 0, max: 4 })).toBe(3);
    expect(defaultFrustrationFrom({ min: 1, max: 10 })).toBe(9); // ceil(10 − 9·0.2 = 8.2)
    expect(defaultFrustrationFrom({ min: 0, max: 10 })).toBe(8); // ceil(10 − 10·0.2 = 8)
    expect(defaultFrustrationFrom({ min: 1, max: 7 })).toBe(6); // ceil(7 − 6·0.2 = 5.8)
  });
});

// ---------------------------------------------------------------------------------------

describe('employee_feedback_volume', () => {
  const RECORDS = [
    feedback({ area: 'billing system', team: 'Store Madrid', rating: 5, text: 'Invoices cannot be corrected at the till.' }),
    feedback({ area: 'billing system', rating: 4 }),
    feedback({ area: 'checkout tills', team: 'Store Madrid', rating: 2, text: '   ' }),
    feedback({ team: 'Warehouse', text: 'No label printer.' }),
    feedback({ area: 'checkout tills', rating: 1, text: 'Slow.' }),
  ];

  it('counts answers, by area (blank: unknown) and by team where known, with a rating and with text', () => {
    expect(compute('employee_feedback_volume', RECORDS)).toEqual({
      value: 5,
      n: 5,
      ci95: null,
      detail: {
        with_rating: 4,
        with_text: 3, // answers 1, 4 and 5; the whitespace-only text of answer 3 is no text
        by_area: { 'billing system': 2, 'checkout tills': 2, unknown: 1 },
        by_team: { 'Store Madrid': 2, Warehouse: 1 }, // the three answers without a team are not a team
      },
    });
  });

  it('is unavailable without employee feedback records', () => {
    expect(metric('employee_feedback_volume').unavailable(datasetOf([deal({ id: 'd' })]))).toBe('no employee feedback records among the inputs');
  });
});

describe('employee_frustration', () => {
  const RECORDS = [
    feedback({ area: 'billing system', rating: 5 }),
    feedback({ area: 'billing system', rating: 4 }),
    feedback({ area: 'checkout tills', rating: 2 }),
    feedback({ area: 'checkout tills', rating: 1 }),
    feedback({ rating: 3 }),
    feedback({ area: 'scheduling', text: 'rota changes come too late' }),
  ];

  it('mean rating with a t interval; share at or above 4 with a Wilson interval; by area', () => {
    const r = compute('employee_frustration', RECORDS);
    // ratings 5, 4, 2, 1, 3: mean 15 / 5 = 3; squares of deviations 4 + 1 + 1 + 4 + 0 = 10, s² = 10 / 4 = 2.5,
    // se = √(2.5 / 5) = 0.707107; t(0.975, 4) = 2.776445; half width 1.963243 -> [1.036757, 4.963243]
    expect(r.value).toBe(3);
    expect(r.n).toBe(5);
    expect(r.ci95![0]).toBeCloseTo(1.036757, 5);
    expect(r.ci95![1]).toBeCloseTo(4.963243, 5);
    // frustrating (>= 4): 5 and 4, 2 of 5 = 0.4. Wilson, z = 1.959964, z² = 3.841459: denominator 1 + z²/5 = 1.768292,
    // centre (0.4 + z²/10) / 1.768292 = 0.443448, half z·√(0.4·0.6/5 + z²/100) / 1.768292 = 0.325827 -> [0.117621, 0.769276]
    const share = r.detail.frustrating_share as { value: number; ci95: [number, number]; frustrating: number; n: number };
    expect(share).toMatchObject({ value: 0.4, frustrating: 2, n: 5 });
    expect(share.ci95[0]).toBeCloseTo(0.117621, 5);
    expect(share.ci95[1]).toBeCloseTo(0.769276, 5);
    expect(r.detail).toMatchObject({ frustrating_from: 4, scale: { min: 1, max: 5 }, without_rating: 1 });
    // by area: billing (5 + 4) / 2 = 4.5, both frustrating; tills (2 + 1) / 2 = 1.5, none; the area-less 3 is "unknown"
    expect(r.detail.by_area).toEqual({
      'billing system': { n: 2, mean: 4.5, frustrating: 2, frustrating_share: 1 },
      'checkout tills': { n: 2, mean: 1.5, frustrating: 0, frustrating_share: 0 },
      unknown: { n: 1, mean: 3, frustrating: 0, frustrating_share: 0 },
    });
    expect(Object.keys(r.detail.by_area as object)).toEqual(['billing system', 'checkout tills', 'unknown']);
  });

  it('frustrationFrom moves the threshold: at 3, ratings 5, 4 and 3 are frustrating (3 of 5)', () => {
    const r = compute('employee_frustration', RECORDS, { ...SETTINGS, frustrationFrom: 3 });
    expect(r.detail.frustrating_share).toMatchObject({ value: 0.6, frustrating: 3, n: 5 });
  });

  it('defaults to the top of a 1-10 scale (9 and 10) when the scale is 1-10 and nothing is set', () => {
    const scales = { ...SCALES, frustration: { min: 1, max: 10 } };
    const r = compute('employee_frustration', [feedback({ rating: 10 }), feedback({ rating: 9 }), feedback({ rating: 8 }), feedback({ rating: 2 })], { ...SETTINGS, scales });
    // 10 and 9 of 4 answers = 0.5; mean (10 + 9 + 8 + 2) / 4 = 7.25
    expect(r.value).toBe(7.25);
    expect(r.detail.frustrating_share).toMatchObject({ value: 0.5, frustrating: 2, n: 4 });
    expect(r.detail.frustrating_from).toBe(9);
  });

  it('is unavailable when the feedback carries only text', () => {
    expect(metric('employee_frustration').unavailable(datasetOf([feedback({ text: 'x' })]))).toMatch(/no frustration rating/);
    expect(metric('employee_frustration').unavailable(datasetOf([]))).toBe('no employee feedback records among the inputs');
    expect(metric('employee_frustration').unavailable(datasetOf(RECORDS))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------

describe('dealOutcome', () => {
  it.each<[string, Partial<DealRecord>, 'won' | 'lost' | undefined]>([
    ['won flag', { won: true }, 'won'],
    ['the won flag wins over a lost stage', { won: true, stage: 'lost' }, 'won'],
    ['stage Closed Won', { stage: 'Closed Won' }, 'won'],
    ['stage ClosedWon', { stage: 'ClosedWon' }, 'won'],
    ['stage Cerrada - Ganada', { stage: 'Cerrada - Ganada' }, 'won'],
    ['stage GANADO', { stage: 'GANADO' }, 'won'],
    ['stage Closed Lost', { stage: 'Closed Lost' }, 'lost'],
    ['stage Perdida', { stage: 'Perdida' }, 'lost'],
    ['stage lost with a false flag', { stage: 'lost', won: false }, 'lost'],
    ['flag false with a close date', { won: false, closedAt: jan(3) }, 'lost'],
    ['flag false without a close date (may be open)', { won: false }, undefined],
    ['stage open', { stage: 'open' }, undefined],
    ['stage negotiation, closed', { stage: 'Negotiation', closedAt: jan(3) }, undefined],
    ['nothing', {}, undefined],
  ])('%s', (_name, fields, expected) => {
    expect(dealOutcome(deal(fields))).toBe(expected);
  });
});

describe('time_to_revenue', () => {
  const DEALS = [
    deal({ id: 'd1', stage: 'won', createdAt: jan(1), closedAt: jan(11), amount: 100 }), // 10 days = 864,000 s
    deal({ id: 'd2', won: true, createdAt: jan(1), closedAt: jan(21), amount: 200 }), // 20 days = 1,728,000 s
    deal({ id: 'd3', stage: 'Closed Won', createdAt: jan(5), closedAt: jan(5, 12) }), // 12 h = 43,200 s, no amount
    deal({ id: 'd4', stage: 'lost', createdAt: jan(1), closedAt: jan(3), amount: 80 }), // a deal lost: not revenue
    deal({ id: 'd5', stage: 'won', closedAt: jan(9), amount: 50 }), // no created date
    deal({ id: 'd6', stage: 'won', createdAt: jan(9), closedAt: jan(8) }), // closed before created
    deal({ id: 'd7', stage: 'open', createdAt: jan(2) }),
    deal({ id: 'd8', won: false, createdAt: jan(2), closedAt: jan(4), amount: 20 }), // lost by flag
  ];

  it('median and p90 of created -> closed over won deals; lost and open deals left out', () => {
    const r = compute('time_to_revenue', DEALS);
    // sorted 43,200, 864,000, 1,728,000: median 864,000; mean 2,635,200 / 3 = 878,400;
    // p90 (type 7): h = 2·0.9 = 1.8 -> 864,000 + 0.8·(1,728,000 − 864,000) = 1,555,200
    expect(r.value).toBe(864_000);
    expect(r.n).toBe(3);
    expect(r.ci95).toBeNull(); // fewer than 6 values
    expect(r.detail).toEqual({
      mean: 878_400,
      p90: 1_555_200,
      min: 43_200,
      max: 1_728_000,
      won: 5, // d1, d2, d3, d5, d6
      revenue_won: 350, // 100 + 200 + 50 (d3 and d6 have no amount)
      without_amount: 2,
      without_dates: 1, // d5
      negative_excluded: 1, // d6
    });
  });

  it('places a deal by its close date and accepts won deals only', () => {
    const def = metric('time_to_revenue');
    expect(def.timeOf!(DEALS[0]!)).toBe(jan(11));
    expect(def.timeOf!(DEALS[6]!)).toBeUndefined(); // open: no close date
    expect(DEALS.filter((d) => def.accepts!(d)).map((d) => d.id)).toEqual(['d1', 'd2', 'd3', 'd5', 'd6']);
  });

  it('revenue_won is null when no won deal carries an amount', () => {
    expect(compute('time_to_revenue', [deal({ won: true, createdAt: jan(1), closedAt: jan(2) })]).detail.revenue_won).toBeNull();
  });

  it('says why it cannot be computed', () => {
    const def = metric('time_to_revenue');
    expect(def.unavailable(datasetOf([]))).toBe('no deal records among the inputs');
    expect(def.unavailable(datasetOf([deal({ id: 'a', amount: 5 })]))).toMatch(/no won flag or stage/);
    expect(def.unavailable(datasetOf([deal({ id: 'a', stage: 'lost' })]))).toBe('no deal was won, so no time to revenue');
    expect(def.unavailable(datasetOf([deal({ id: 'a', stage: 'won', closedAt: jan(2) })]))).toMatch(/won deals lack a created or closed date/);
    expect(def.unavailable(datasetOf(DEALS))).toBeNull();
  });
});

describe('win_rate', () => {
  const DEALS = [
    deal({ id: 'd1', stage: 'won', closedAt: jan(11), amount: 100 }),
    deal({ id: 'd2', won: true, closedAt: jan(21), amount: 200 }),
    deal({ id: 'd3', stage: 'Closed Won', closedAt: jan(5) }),
    deal({ id: 'd4', stage: 'ganada', closedAt: jan(9), amount: 50 }),
    deal({ id: 'd5', stage: 'won' }),
    deal({ id: 'd6', stage: 'Perdida', closedAt: jan(3), amount: 80 }),
    deal({ id: 'd7', won: false, closedAt: jan(4), amount: 20 }),
    deal({ id: 'd8', stage: 'open', amount: 999 }),
  ];

  it('won / (won + lost), open deals left out; Wilson interval', () => {
    const r = compute('win_rate', DEALS);
    // 5 won (d1-d5), 2 lost (d6, d7): 5 / 7 = 0.714286. Wilson: denominator 1 + z²/7 = 1.548780,
    // centre (5/7 + z²/14) / 1.548780 = 0.638358, half 0.279423 -> [0.358934, 0.917781]
    expect(r.value).toBeCloseTo(5 / 7, 12);
    expect(r.n).toBe(7);
    expect(r.ci95![0]).toBeCloseTo(0.358934, 5);
    expect(r.ci95![1]).toBeCloseTo(0.917781, 5);
    // amounts: won 100 + 200 + 50 = 350 (d3, d5 none); lost 80 + 20 = 100; the open 999 nowhere
    expect(r.detail).toEqual({ won: 5, lost: 2, amount_won: 350, amount_lost: 100 });
  });

  it('only lost deals: 0, not null', () => {
    const r = compute('win_rate', [deal({ stage: 'lost', closedAt: jan(2) })]);
    expect(r).toMatchObject({ value: 0, n: 1 });
  });

  it('accepts closed deals only and places them by close date', () => {
    const def = metric('win_rate');
    expect(DEALS.filter((d) => def.accepts!(d)).map((d) => d.id)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7']);
    expect(def.timeOf!(DEALS[5]!)).toBe(jan(3));
  });

  it('is unavailable when no deal says won or lost', () => {
    expect(metric('win_rate').unavailable(datasetOf([deal({ id: 'a', stage: 'negotiation' })]))).toMatch(/no won flag or stage that reads as won or lost/);
    expect(metric('win_rate').unavailable(datasetOf(DEALS))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------

describe('installation_success_rate', () => {
  const RECORDS = [
    onboarding({ customerId: 'C1', success: true, attempts: 1 }),
    onboarding({ customerId: 'C2', success: true, attempts: 2 }),
    onboarding({ customerId: 'C3', success: false, attempts: 3 }),
    onboarding({ customerId: 'C4' }), // no flag: unknown, not a failure
    onboarding({ customerId: 'C5', success: true }),
  ];

  it('successes / onboardings with a flag; Wilson interval; first-attempt successes and mean attempts', () => {
    const r = compute('installation_success_rate', RECORDS);
    // 3 of 4 with a flag = 0.75. Wilson: denominator 1 + z²/4 = 1.960365, centre (0.75 + z²/8) / 1.960365 = 0.627527,
    // half 0.326885 -> [0.300642, 0.954413]
    expect(r).toMatchObject({ value: 0.75, n: 4 });
    expect(r.ci95![0]).toBeCloseTo(0.300642, 5);
    expect(r.ci95![1]).toBeCloseTo(0.954413, 5);
    // attempts known on 3 records: (1 + 2 + 3) / 3 = 2; success at the first attempt: C1 only
    expect(r.detail).toEqual({ succeeded: 3, failed: 1, unknown_outcome: 1, first_attempt_successes: 1, mean_attempts: 2 });
  });

  it('is unavailable without a success flag', () => {
    expect(metric('installation_success_rate').unavailable(datasetOf([onboarding({ customerId: 'C1', startedAt: jan(1) })]))).toMatch(/no success flag/);
    expect(metric('installation_success_rate').unavailable(datasetOf(RECORDS))).toBeNull();
  });
});

describe('time_to_first_value', () => {
  const RECORDS = [
    onboarding({ customerId: 'a', startedAt: jan(10), firstValueAt: jan(12), success: true }), // 2 days = 172,800 s
    onboarding({ customerId: 'b', startedAt: jan(20), firstValueAt: jan(21) }), // 1 day = 86,400 s, no flag
    onboarding({ customerId: 'c', startedAt: jan(31, 23, 30), firstValueAt: jan(32, 0, 30), success: true }), // 3,600 s; 1 Feb 00:30 in Madrid
    onboarding({ customerId: 'd', startedAt: jan(34), firstValueAt: jan(38), success: true }), // 3 Feb, 4 days = 345,600 s
    onboarding({ customerId: 'e', startedAt: jan(2), firstValueAt: jan(5), success: false }), // failed: its date is no first value
    onboarding({ customerId: 'f', startedAt: jan(3), success: true }), // an installation with no first value
    onboarding({ customerId: 'g', firstValueAt: jan(5) }), // no start
    onboarding({ customerId: 'h', startedAt: jan(6), firstValueAt: jan(4) }), // before the start
  ];

  it('median and p90 of start -> first value; failed installations and missing dates counted apart; cohorts by UTC month', () => {
    const r = compute('time_to_first_value', RECORDS);
    // sorted 3,600, 86,400, 172,800, 345,600: median (86,400 + 172,800) / 2 = 129,600; mean 608,400 / 4 = 152,100;
    // p90 (type 7): h = 3·0.9 = 2.7 -> 172,800 + 0.7·(345,600 − 172,800) = 293,760
    expect(r).toMatchObject({ value: 129_600, n: 4, ci95: null });
    expect(r.detail.mean).toBe(152_100);
    expect(r.detail.p90).toBeCloseTo(293_760, 6);
    expect(r.detail).toMatchObject({ min: 3_600, max: 345_600, failed: 1, without_first_value: 1, without_start: 1, negative_excluded: 1, cohort_zone: 'UTC' });
    // January (UTC): 172,800, 86,400, 3,600 -> median 86,400; February: 345,600
    expect(r.detail.by_cohort).toEqual({ '2025-01': { median: 86_400, n: 3 }, '2025-02': { median: 345_600, n: 1 } });
  });

  it('cohort months follow the configured time zone: 31 Jan 23:30 UTC is February in Madrid', () => {
    const r = compute('time_to_first_value', RECORDS, { ...SETTINGS, timezone: 'Europe/Madrid' });
    // January: 172,800, 86,400 -> 129,600; February: 3,600, 345,600 -> (3,600 + 345,600) / 2 = 174,600
    expect(r.detail.by_cohort).toEqual({ '2025-01': { median: 129_600, n: 2 }, '2025-02': { median: 174_600, n: 2 } });
    expect(r.detail.cohort_zone).toBe('Europe/Madrid');
    expect(r.value).toBe(129_600);
  });

  it('is unavailable when no installation has both dates', () => {
    const only = [onboarding({ customerId: 'f', startedAt: jan(3), success: true }), onboarding({ customerId: 'e', startedAt: jan(2), firstValueAt: jan(5), success: false })];
    expect(metric('time_to_first_value').unavailable(datasetOf(only))).toMatch(/no onboarding has both a start and a first-value date/);
    expect(metric('time_to_first_value').unavailable(datasetOf(RECORDS))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------

describe('early_life_contact_rate', () => {
  const RECORDS: CxRecord[] = [
    customer({ id: 'C1', since: jan(1) }), // has an onboarding: starts at it (5 Jan), counted once
    customer({ id: 'C2', since: jan(2) }),
    customer({ id: 'C3', since: jan(3) }),
    customer({ id: 'C4' }), // no since
    customer({ id: 'C5', since: jan(79) }), // 20 Mar: 30 days reach past the last contact (1 Apr)
    onboarding({ customerId: 'C1', startedAt: jan(5) }),
    onboarding({ customerId: 'C1', startedAt: jan(32) }), // a later onboarding of the same customer
    onboarding({ customerId: 'C6', startedAt: jan(10) }), // not in the customer list
    onboarding({ startedAt: jan(10) }), // no customer id
    ticket({ id: 't1', customerId: 'C1', createdAt: jan(20) }), // C1: day 15 of [5 Jan, 4 Feb)
    call({ id: 'c1', customerId: 'C2', startedAt: jan(1) }), // C2: before its start
    call({ id: 'c2', customerId: 'C2', startedAt: jan(36) }), // C2: 5 Feb, after [2 Jan, 1 Feb)
    ticket({ id: 't2', customerId: 'C3', createdAt: jan(3) }), // C3: at the very start
    call({ id: 'c3', customerId: 'C3', startedAt: jan(10) }),
    ticket({ id: 't3', customerId: 'C6', createdAt: jan(40) }), // C6: 9 Feb = start + 30 days exactly, outside
    ticket({ id: 't4', createdAt: jan(91) }), // 1 Apr, no customer: only sets the end of what is observed
  ];
  const feed = (settings = SETTINGS) => compute('early_life_contact_rate', RECORDS, settings);

  it('new customers with a ticket or call in [start, start + 30 days), each once, windows the data cannot cover left out', () => {
    const r = feed();
    // counted: C1 (onboarding 5 Jan), C2 (since 2 Jan), C3 (since 3 Jan), C6 (onboarding 10 Jan) = 4;
    // contacted: C1 (ticket), C3 (ticket and call) = 2 -> 0.5. Wilson: denominator 1 + z²/4 = 1.960365,
    // half z·√(0.25/4 + z²/64) / 1.960365 = 0.349961 -> [0.150039, 0.849961]
    expect(r).toMatchObject({ value: 0.5, n: 4 });
    expect(r.ci95![0]).toBeCloseTo(0.150039, 5);
    expect(r.ci95![1]).toBeCloseTo(0.849961, 5);
    expect(r.detail).toEqual({
      contacted: 2,
      new_customers: 4,
      contacted_by_ticket: 2,
      contacted_by_call: 1,
      window_days: 30,
      by_start: { 'customer since': 2, 'onboarding start': 2 },
      incomplete_window: 1, // C5
      without_customer_id: 1,
      without_start: 1, // C4
      later_onboardings: 1,
    });
  });

  it('earlyLifeDays 40 takes in the 5 Feb call of C2 and the 9 Feb ticket of C6: 4 of 4', () => {
    const r = feed({ ...SETTINGS, earlyLifeDays: 40 });
    expect(r).toMatchObject({ value: 1, n: 4 });
    expect(r.detail).toMatchObject({ window_days: 40, contacted_by_call: 2, incomplete_window: 1 }); // C5: 20 Mar + 40 days > 1 Apr
  });

  it('joins contacts from every period: a customer fed alone still sees its contacts', () => {
    const dataset = datasetOf(RECORDS);
    const acc = accumulate(metric('early_life_contact_rate'), [RECORDS[2]!], dataset, SETTINGS, { start: jan(3), end: jan(4) });
    expect(acc.result()).toMatchObject({ value: 1, n: 1 }); // C3
  });

  it('says why it cannot be computed', () => {
    const def = metric('early_life_contact_rate');
    expect(def.unavailable(datasetOf([ticket({ id: 't', customerId: 'C1', createdAt: jan(1) })]))).toBe('no onboarding or customer records among the inputs');
    expect(def.unavailable(datasetOf([customer({ id: 'C1' }), ticket({ id: 't', customerId: 'C1', createdAt: jan(1) })]))).toMatch(/new customers cannot be told/);
    expect(def.unavailable(datasetOf([customer({ id: 'C1', since: jan(1) })]))).toBe('no ticket or call records among the inputs, so contacts cannot be seen');
    expect(def.unavailable(datasetOf([customer({ id: 'C1', since: jan(1) }), ticket({ id: 't', createdAt: jan(1) })]))).toMatch(/carry no customer id/);
    expect(def.unavailable(datasetOf(RECORDS))).toBeNull();
  });
});

describe('contactTopic', () => {
  it('folds a category and makes English and Spanish synonyms one topic', () => {
    expect(contactTopic('Facturación')).toBe('billing');
    expect(contactTopic('billing')).toBe('billing');
    expect(contactTopic('Pedidos')).toBe('delivery');
    expect(contactTopic('Devoluciones')).toBe('returns');
    expect(contactTopic('Instalaciones')).toBe('installation');
    expect(contactTopic('Atención general')).toBe('atencion general');
    expect(contactTopic(' - ')).toBeUndefined();
    expect(contactTopic(undefined)).toBeUndefined();
  });
});

describe('repeat_contact_rate', () => {
  const RECORDS: CxRecord[] = [
    ticket({ id: 'a1', customerId: 'A', channel: 'email', category: 'Billing', createdAt: jan(1) }),
    call({ id: 'a2', customerId: 'A', queue: 'Facturación', startedAt: jan(3) }), // phone, billing, 2 days after a1
    ticket({ id: 'a3', customerId: 'A', channel: 'phone', category: 'billing', createdAt: jan(4) }), // phone again: no repeat of a2
    ticket({ id: 'a4', customerId: 'A', channel: 'chat', category: 'delivery', createdAt: jan(5) }), // another topic
    ticket({ id: 'a5', customerId: 'A', channel: 'web', category: 'billing', createdAt: jan(11) }), // 7 days after a3 exactly; 8 after a2
    ticket({ id: 'b1', customerId: 'B', channel: 'email', category: 'returns', createdAt: jan(1) }),
    ticket({ id: 'b2', customerId: 'B', channel: 'email', category: 'Returns', createdAt: jan(2) }), // same channel
    call({ id: 'b3', customerId: 'B', channel: 'phone', category: 'Devoluciones', startedAt: jan(20) }), // 18 days later
    ticket({ id: 'x1', channel: 'email', category: 'billing', createdAt: jan(2) }), // no customer
    ticket({ id: 'x2', customerId: 'C', category: 'billing', createdAt: jan(2) }), // no channel
    ticket({ id: 'x3', customerId: 'C', channel: 'email', createdAt: jan(2) }), // no category
    call({ id: 'x4', customerId: 'C', queue: 'Pedidos' }), // no time
  ];

  it('contacts followed by the same customer about the same topic through another channel within 7 days', () => {
    const r = compute('repeat_contact_rate', RECORDS);
    // judged: a1-a5, b1-b3 = 8; repeated: a1 (by the a2 call: email->phone), a3 (by a5 on day 7: phone->web) = 2 -> 0.25.
    // Wilson: denominator 1 + z²/8 = 1.480182, centre (0.25 + z²/16) / 1.480182 = 0.331102, half 0.259623 -> [0.071479, 0.590725]
    expect(r).toMatchObject({ value: 0.25, n: 8 });
    expect(r.ci95![0]).toBeCloseTo(0.071479, 5);
    expect(r.ci95![1]).toBeCloseTo(0.590725, 5);
    expect(r.detail).toEqual({
      repeated: 2,
      contacts: 8,
      by_channel_pair: { 'email->phone': 1, 'phone->web': 1 },
      window_days: 7,
      without_customer_id: 1,
      undated: 1,
      without_channel: 1,
      without_category: 1,
    });
  });

  it('repeatContactDays 10 also counts a2 (the call) followed by a5 on the web 8 days later: 3 of 8', () => {
    const r = compute('repeat_contact_rate', RECORDS, { ...SETTINGS, repeatContactDays: 10 });
    expect(r).toMatchObject({ value: 3 / 8, n: 8 });
    expect(r.detail.by_channel_pair).toEqual({ 'email->phone': 1, 'phone->web': 2 });
  });

  it('finds the repeat outside the period fed (the follow-up belongs to the customer, not the bucket)', () => {
    const acc = accumulate(metric('repeat_contact_rate'), [RECORDS[0]!], datasetOf(RECORDS), SETTINGS, { start: jan(1), end: jan(2) });
    expect(acc.result()).toMatchObject({ value: 1, n: 1 });
  });

  it('says why it cannot be computed', () => {
    const def = metric('repeat_contact_rate');
    expect(def.unavailable(datasetOf([]))).toBe('no ticket or call records among the inputs, so contacts cannot be seen');
    expect(def.unavailable(datasetOf([ticket({ id: 't', channel: 'email', category: 'x' })]))).toMatch(/no customer id/);
    expect(def.unavailable(datasetOf([ticket({ id: 't', customerId: 'A', channel: 'email' }), call({ id: 'c', customerId: 'A' })]))).toMatch(/no category or queue/);
    expect(def.unavailable(datasetOf([call({ id: 'c', customerId: 'A', queue: 'Pedidos' })]))).toBe(
      'every contact comes through one channel (phone), so no repeat can cross channels',
    );
    expect(def.unavailable(datasetOf([ticket({ id: 't', customerId: 'A', category: 'billing' })]))).toMatch(/tickets carry no channel/);
    expect(def.unavailable(datasetOf(RECORDS))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// merge property

const customerId = fc.constantFrom('C0', 'C1', 'C2');
const instant = fc.integer({ min: 0, max: 60 * 24 }).map((hours) => jan(1) + hours * 3_600_000);
const clean = <T extends object>(fields: T): T => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;

const recordArb: fc.Arbitrary<CxRecord> = fc.oneof(
  fc
    .record({ rating: maybe(fc.integer({ min: 1, max: 5 })), area: maybe(fc.constantFrom('billing', 'tills', 'stock')), team: maybe(fc.constantFrom('a', 'b')), text: maybe(fc.constantFrom('x', ' ')) })
    .map((f) => feedback(clean(f))),
  fc
    .record({ won: maybe(fc.boolean()), stage: maybe(fc.constantFrom('won', 'lost', 'open', 'Ganada')), createdAt: maybe(instant), closedAt: maybe(instant), amount: maybe(fc.integer({ min: 0, max: 1000 })) })
    .map((f) => deal(clean(f))),
  fc
    .record({ customerId: maybe(customerId), startedAt: maybe(instant), firstValueAt: maybe(instant), success: maybe(fc.boolean()), attempts: maybe(fc.integer({ min: 1, max: 3 })) })
    .map((f) => onboarding(clean(f))),
  fc.record({ id: customerId, since: maybe(instant) }).map((f) => customer(clean(f))),
  fc
    .record({ customerId: maybe(customerId), createdAt: maybe(instant), channel: maybe(fc.constantFrom('email', 'web', 'chat', 'phone')), category: maybe(fc.constantFrom('billing', 'Facturación', 'delivery', 'returns')) })
    .map((f) => ticket(clean(f))),
  fc
    .record({ customerId: maybe(customerId), startedAt: maybe(instant), queue: maybe(fc.constantFrom('Pedidos', 'Facturación', 'general')), channel: maybe(fc.constantFrom('phone', 'chat')) })
    .map((f) => call(clean(f))),
);

describe('merge', () => {
  it('two accumulators over a split of the records, merged, equal one over all of them (every journey metric)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(recordArb, fc.boolean()), { maxLength: 120 }), (pairs) => {
        // The dataset drops duplicate customer ids: split what it holds, as the engine would.
        const dataset = datasetOf(pairs.map(([r]) => r));
        const side = new Map(pairs.map(([r, s]) => [r, s]));
        const held = dataset.kinds().flatMap((kind) => [...dataset.records(kind)] as CxRecord[]);
        expectMergeable(JOURNEY_METRICS, held, (r) => side.get(r) === true, dataset, { period: WHOLE });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an accumulator of another metric', () => {
    const dataset = datasetOf([]);
    const a = accumulate(metric('win_rate'), [], dataset);
    expect(() => a.merge(accumulate(metric('time_to_revenue'), [], dataset))).toThrow(TypeError);
  });
});
