import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CxRecord, SurveyRecord } from '../schema/records.js';
import { buildLinks } from './links.js';
import { RESPONSE_RATE_BENCHMARKS, SURVEY_METRICS, isBlankText } from './surveys.js';
import { accumulate as feed, expectMergeable, expectSameRounded, maybe, metricOf, recordFactory, TEST_SETTINGS as SETTINGS } from './test-support.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from './types.js';

const PERIOD: PeriodBounds = { start: 0, end: Date.UTC(2030, 0, 1) };

const survey = recordFactory('survey');
const ticket = recordFactory('ticket');
const call = recordFactory('call');
const scores = (list: number[], extra: Partial<SurveyRecord> = {}) => list.map((nps) => survey({ nps, ...extra }));

function datasetOf(records: readonly CxRecord[]): Dataset {
  const dataset = new Dataset();
  const inputs = Math.max(0, ...records.map((r) => r.input + 1));
  for (let i = 0; i < inputs; i++) {
    dataset.addInput({ file: `in${i}.csv`, kind: null, status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
  }
  for (const record of records) dataset.add(record);
  return dataset;
}

const metric = (id: string): MetricDefinition => metricOf(SURVEY_METRICS, id);

const accumulate = (def: MetricDefinition, records: readonly CxRecord[], dataset: Dataset, settings: MetricSettings): Accumulator => feed(def, records, dataset, PERIOD, settings);

function compute(id: string, records: readonly CxRecord[], settings: MetricSettings = SETTINGS): MetricResult {
  return accumulate(metric(id), records, datasetOf(records), settings).result();
}

describe('catalogue', () => {
  it('lists the survey ids of DESIGN.md with their declarations', () => {
    expect(SURVEY_METRICS.map((m) => m.id)).toEqual(['nps', 'csat', 'ces', 'survey_response_rate']);
    for (const m of SURVEY_METRICS) {
      expect(m.domain).toBe('surveys');
      expect(m.label.length).toBeGreaterThan(0);
      expect(m.formula.length).toBeGreaterThan(0);
    }
  });
});

describe('nps', () => {
  it('scores 0..10 give -45.45 (public vector)', () => {
    // promoters {9,10} = 2, passives {7,8} = 2, detractors {0..6} = 7; 100·(2 - 7)/11 = -45.4545
    const r = compute('nps', scores([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(r.value!.toFixed(2)).toBe('-45.45');
    expect(r.n).toBe(11);
    // adjusted Wald: n' = 14, p' = 2.75/14, d' = 7.75/14, NPS' = -0.357143,
    // Var = (0.75 - 0.127551)/14 = 0.044461, half = 1.96·0.210857 = 0.413275 -> [-77.04, 5.61]
    expect(r.ci95![0]).toBeCloseTo(-77.0415, 3);
    expect(r.ci95![1]).toBeCloseTo(5.6129, 3);
    expect(r.detail).toMatchObject({
      promoters: 2,
      passives: 2,
      detractors: 7,
      promoter_share: 2 / 11,
      passive_share: 2 / 11,
      detractor_share: 7 / 11,
      distribution: { 0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1 },
    });
  });

  it('[10, 9, 10, 4] gives 50 (public vector)', () => {
    // P = 3, D = 1, n = 4: 100·(3 - 1)/4 = 50
    const r = compute('nps', scores([10, 9, 10, 4]));
    expect(r.value).toBe(50);
    expect(r.n).toBe(4);
  });

  it('100 promoters, 30 passives, 80 detractors give 9.52 (public vector)', () => {
    // 100·(100 - 80)/210 = 9.5238
    const r = compute('nps', [...scores(Array(100).fill(10)), ...scores(Array(30).fill(7)), ...scores(Array(80).fill(0))]);
    expect(r.value!.toFixed(2)).toBe('9.52');
    expect(r.n).toBe(210);
    // adjusted Wald: n' = 213, p' = 100.75/213, d' = 80.75/213 -> [-2.94, 21.72]
    expect(r.ci95![0]).toBeCloseTo(-2.9427, 3);
    expect(r.ci95![1]).toBeCloseTo(21.7221, 3);
  });

  it('leaves blank answers out of n and counts comments over answers', () => {
    // answers: 10 (comment), 8, 3 (blank comment "  " does not count); two rows without a score
    const records = [survey({ nps: 10, comment: 'great' }), survey({ nps: 8 }), survey({ nps: 3, comment: '  ' }), survey({ comment: 'no score' }), survey({ csat: 5 })];
    const r = compute('nps', records);
    // P = 1, D = 1, n = 3: 100·0/3 = 0; comment rate 1/3
    expect(r.value).toBe(0);
    expect(r.n).toBe(3);
    expect(r.detail.comment_rate).toBeCloseTo(1 / 3, 12);
  });

  it('all promoters: 100 with the interval clamped at 100', () => {
    // n' = 8, p' = 5.75/8, d' = 0.75/8, NPS' = 0.625, Var = (0.8125 - 0.390625)/8, half = 0.450086
    // -> [17.49, 107.5 clamped to 100]
    const r = compute('nps', scores([10, 10, 9, 9, 10]));
    expect(r.value).toBe(100);
    expect(r.ci95![0]).toBeCloseTo(17.4915, 3);
    expect(r.ci95![1]).toBe(100);
    expect(r.detail.detractor_share).toBe(0);
  });

  it('a single answer', () => {
    // one promoter: value 100; n' = 4, p' = 1.75/4, d' = 0.75/4 -> [-48.50, 98.50]
    const r = compute('nps', scores([9]));
    expect(r.value).toBe(100);
    expect(r.n).toBe(1);
    expect(r.ci95![0]).toBeCloseTo(-48.4986, 3);
    expect(r.ci95![1]).toBeCloseTo(98.4986, 3);
  });

  it('no data: value null, n 0, no interval', () => {
    const r = compute('nps', []);
    expect(r).toMatchObject({ value: null, n: 0, ci95: null });
    expect(r.detail).toMatchObject({ promoter_share: null, comment_rate: null });
  });

  it('says why it cannot be computed', () => {
    expect(metric('nps').unavailable(datasetOf([]))).toBe('no survey records among the inputs');
    expect(metric('nps').unavailable(datasetOf([survey({ csat: 4 })]))).toBe('no survey answers with an NPS score (0-10) among the inputs');
    expect(metric('nps').unavailable(datasetOf([survey({ nps: 4 })]))).toBeNull();
  });
});

describe('csat', () => {
  // survey [5, 4, 3, 2, 1], ticket [5], call [1, 4] on 1-5, positive from 4
  const records = [...[5, 4, 3, 2, 1].map((csat) => survey({ csat })), ticket({ csat: 5 }), call({ csat: 1 }), call({ csat: 4 }), ticket({}), survey({ nps: 9 })];

  it('all answers: positive / every answer, from surveys, tickets and calls', () => {
    // positive {5, 4, 5, 4} = 4 of 8 answers = 0.5; Wilson(4, 8) = [0.21522, 0.78478]
    // mean (5+4+3+2+1+5+1+4)/8 = 25/8 = 3.125
    const r = compute('csat', records);
    expect(r.value).toBe(0.5);
    expect(r.n).toBe(8);
    expect(r.ci95![0]).toBeCloseTo(0.21522, 5);
    expect(r.ci95![1]).toBeCloseTo(0.78478, 5);
    expect(r.detail).toMatchObject({
      mean: 3.125,
      distribution: { 1: 2, 2: 1, 3: 1, 4: 2, 5: 2 },
      positive_from: 4,
      positive: 4,
      neutral: 1,
      negative: 3,
      sources: { survey: 5, ticket: 1, call: 2 },
    });
    expect(r.detail.rule).toBe('all-answers: answers >= 4 / all answers');
  });

  it('good over rated: the neutral midpoint is left out', () => {
    // midpoint (1+5)/2 = 3 is neutral; 4 positive / (4 positive + 3 negative {2, 1, 1}) = 4/7
    // Wilson(4, 7) = [0.25046, 0.84178]
    const r = compute('csat', records, { ...SETTINGS, csatRule: 'good-over-rated' });
    expect(r.value).toBeCloseTo(4 / 7, 12);
    expect(r.n).toBe(7);
    expect(r.ci95![0]).toBeCloseTo(0.25046, 5);
    expect(r.ci95![1]).toBeCloseTo(0.84178, 5);
    expect(r.detail.rule).toBe('good-over-rated: answers >= 4 / (those + answers below 4, leaving the neutral midpoint 3 out)');
  });

  it('good over rated on 1-7 with positive from 6: only the midpoint 4 is neutral', () => {
    // [7, 6, 5, 4, 1]: positive {7, 6}; 4 neutral; 5 and 1 negative: 2/4 = 0.5
    const settings: MetricSettings = { ...SETTINGS, csatRule: 'good-over-rated', csatPositiveFrom: 6, scales: { ...SETTINGS.scales, csat: { min: 1, max: 7 } } };
    const r = compute('csat', [7, 6, 5, 4, 1].map((csat) => survey({ csat })), settings);
    expect(r.value).toBe(0.5);
    expect(r.n).toBe(4);
    expect(r.detail).toMatchObject({ positive: 2, neutral: 1, negative: 2 });
  });

  it('a single answer, and no data', () => {
    expect(compute('csat', [survey({ csat: 5 })])).toMatchObject({ value: 1, n: 1 });
    expect(compute('csat', [survey({ nps: 3 })])).toMatchObject({ value: null, n: 0, ci95: null, detail: { mean: null } });
  });

  it('says why it cannot be computed', () => {
    const def = metric('csat');
    expect(def.unavailable(datasetOf([]))).toBe('no survey, ticket or call records among the inputs');
    expect(def.unavailable(datasetOf([survey({ nps: 9 }), ticket({})]))).toBe(
      'no CSAT answers among the inputs (no survey, ticket or call record carries a satisfaction score)',
    );
    expect(def.unavailable(datasetOf([call({ csat: 2 })]))).toBeNull();
  });
});

describe('ces', () => {
  it('is the mean score with a t interval and the low-effort share (higher is easier)', () => {
    // [7, 6, 5, 4, 1]: mean 23/5 = 4.6; deviations 2.4, 1.4, 0.4, -0.6, -3.6, Σd² = 21.2,
    // s² = 5.3, se = √(5.3/5) = 1.029563, t(0.975, 4) = 2.776445 -> half 2.858525 -> [1.741475, 7.458525]
    // low effort (>= 5): 3 of 5 = 0.6, Wilson(3, 5) = [0.23072, 0.88238]
    const r = compute('ces', [7, 6, 5, 4, 1].map((ces) => survey({ ces })));
    expect(r.value).toBeCloseTo(4.6, 12);
    expect(r.n).toBe(5);
    expect(r.ci95![0]).toBeCloseTo(1.741475, 5);
    expect(r.ci95![1]).toBeCloseTo(7.458525, 5);
    expect(r.detail).toMatchObject({
      low_effort: 3,
      low_effort_share: 0.6,
      low_effort_from: 5,
      scale: { min: 1, max: 7 },
      direction: 'higher-is-easier',
      distribution: { 1: 1, 4: 1, 5: 1, 6: 1, 7: 1 },
    });
    const ci = r.detail.low_effort_ci95 as [number, number];
    expect(ci[0]).toBeCloseTo(0.23072, 5);
    expect(ci[1]).toBeCloseTo(0.88238, 5);
  });

  it('counts low effort downwards on a lower-is-easier scale', () => {
    // 1-5 effort scale, low effort at or below 2: [1, 2, 3, 5] -> 2 of 4; mean 11/4 = 2.75
    const settings: MetricSettings = { ...SETTINGS, cesDirection: 'lower-is-easier', cesLowEffortFrom: 2, scales: { ...SETTINGS.scales, ces: { min: 1, max: 5 } } };
    const r = compute('ces', [1, 2, 3, 5].map((ces) => survey({ ces })), settings);
    expect(r.value).toBe(2.75);
    expect(r.detail).toMatchObject({ low_effort: 2, low_effort_share: 0.5, direction: 'lower-is-easier' });
  });

  it('a single answer has no interval; no data gives null', () => {
    expect(compute('ces', [survey({ ces: 6 })])).toMatchObject({ value: 6, n: 1, ci95: null });
    expect(compute('ces', [])).toMatchObject({ value: null, n: 0, ci95: null, detail: { low_effort_share: null, low_effort_ci95: null } });
  });

  it('says why it cannot be computed', () => {
    expect(metric('ces').unavailable(datasetOf([survey({ nps: 1 })]))).toBe('no survey answers with a CES (effort) score among the inputs');
    expect(metric('ces').unavailable(datasetOf([survey({ ces: 1 })]))).toBeNull();
  });
});

describe('survey_response_rate', () => {
  // input 0: a survey file with a status column; input 1: answers only (no status anywhere);
  // input 2: a ticket export with `Offered`.
  const withStatus = [
    survey({ input: 0, status: 'answered', segment: 'B2B', surveyType: 'relational' }),
    survey({ input: 0, nps: 9, segment: 'b2b', surveyType: 'relational' }),
    survey({ input: 0, status: 'invited', nps: 3, segment: 'b2b', surveyType: 'relational' }), // a score makes it answered
    survey({ input: 0, status: 'invited', segment: 'b2b', surveyType: 'relational' }),
    survey({ input: 0, status: 'invited', segment: 'b2b', surveyType: 'relational' }),
    survey({ input: 0, segment: 'b2b', surveyType: 'relational', comment: 'neither status nor score' }),
  ];
  const answersOnly = [survey({ input: 1, nps: 10 }), survey({ input: 1, nps: 2 }), survey({ input: 1, csat: 4 }), survey({ input: 1, ces: 5 })];
  const zendesk = [ticket({ input: 2, csat: 4 }), ticket({ input: 2, csatOffered: true }), ticket({ input: 2, csatOffered: true }), ticket({ input: 2, csatOffered: true }), ticket({ input: 2 }), ticket({ input: 2 })];

  it('counts answered invitations over invitations where invitations are known, with the benchmark', () => {
    // input 0: answered 3 (status answered; a score; invited + score), invited 2, one unknown -> 3/5 = 0.6
    // Wilson(3, 5) = [0.23072, 0.88238]; every invitation is B2B relational -> benchmark 0.32, difference 0.28
    const records = [...withStatus, ...answersOnly];
    const r = compute('survey_response_rate', records);
    expect(r.value).toBe(0.6);
    expect(r.n).toBe(5);
    expect(r.ci95![0]).toBeCloseTo(0.23072, 5);
    expect(r.ci95![1]).toBeCloseTo(0.88238, 5);
    expect(r.detail).toMatchObject({ invitations: 5, responses: 3, unknown_status: 1, by_type: { relational: { invitations: 5, responses: 3 } } });
    const benchmark = r.detail.benchmark as Record<string, unknown>;
    expect(benchmark).toMatchObject({ segment: 'b2b', survey_type: 'relational', rate: 0.32, source: RESPONSE_RATE_BENCHMARKS.source });
    expect(benchmark.difference).toBeCloseTo(0.28, 12);
  });

  it('counts ticket surveys: a CSAT is an answer, Offered an invitation without one', () => {
    // tickets: 1 answered, 3 offered, 2 never surveyed -> 1/4; Wilson(1, 4) = [0.04559, 0.69936]
    const r = compute('survey_response_rate', zendesk);
    expect(r.value).toBe(0.25);
    expect(r.n).toBe(4);
    expect(r.ci95![0]).toBeCloseTo(0.04559, 5);
    expect(r.ci95![1]).toBeCloseTo(0.69936, 5);
    // tickets are transactional, their segment unknown: no benchmark
    expect(r.detail).toMatchObject({ by_type: { transactional: { invitations: 4, responses: 1 } }, benchmark: null });
  });

  it('mixes files; a group of mixed segment or type gets no benchmark', () => {
    // (3 + 1)/(5 + 4) = 4/9
    const r = compute('survey_response_rate', [...withStatus, ...answersOnly, ...zendesk]);
    expect(r.value).toBeCloseTo(4 / 9, 12);
    expect(r.n).toBe(9);
    expect(r.detail.benchmark).toBeNull();
  });

  it('picks the B2C transactional benchmark', () => {
    const records = [survey({ status: 'invited', segment: 'B2C', surveyType: 'transactional' }), survey({ csat: 5, segment: 'b2c', surveyType: 'transactional' })];
    expect(compute('survey_response_rate', records).detail.benchmark).toMatchObject({ segment: 'b2c', survey_type: 'transactional', rate: 0.16 });
  });

  it('no data in a known file gives null', () => {
    const records = [survey({ status: 'invited' })];
    expect(compute('survey_response_rate', records)).toMatchObject({ value: 0, n: 1 });
    const dataset = datasetOf(records);
    const acc = metric('survey_response_rate').create(SETTINGS, buildLinks(dataset), PERIOD);
    expect(acc.result()).toMatchObject({ value: null, n: 0, ci95: null });
  });

  it('is unavailable when no file lists invitations', () => {
    const def = metric('survey_response_rate');
    expect(def.unavailable(datasetOf([]))).toBe('no survey or ticket records among the inputs');
    expect(def.unavailable(datasetOf([...answersOnly.map((r) => ({ ...r, input: 0 })), ticket({ csat: 5 })]))).toBe(
      'invitations are unknown: no survey file has a status (invited/answered) column and no ticket carries a CSAT survey offered but not answered',
    );
    expect(def.unavailable(datasetOf(zendesk.map((r) => ({ ...r, input: 0 }))))).toBeNull();
  });

  it('keeps the benchmarks as data with their source', () => {
    expect(RESPONSE_RATE_BENCHMARKS.source).toMatch(/Satmetrix/);
    expect(RESPONSE_RATE_BENCHMARKS.rates).toHaveLength(4);
  });

  it('keeps inputs and survey types apart when records alternate between them (the last input and type are remembered)', () => {
    const records = [
      survey({ input: 1, comment: 'neither status nor score' }), // creates input 1's counts: unknown status
      survey({ input: 0, status: 'answered', surveyType: 'relational' }),
      survey({ input: 1, status: 'invited', surveyType: 'transactional' }),
      survey({ input: 0, status: 'answered', surveyType: 'transactional' }),
      survey({ input: 0, status: 'invited', surveyType: 'relational' }),
      survey({ input: 1, status: 'answered', surveyType: 'transactional' }),
      survey({ input: 0, status: 'answered' }),
      survey({ input: 0, status: 'invited', surveyType: 'relational' }),
    ];
    // input 0: relational [3 invitations, 1 response], transactional [1, 1], unspecified [1, 1];
    // input 1: transactional [2, 1], one unknown. Both list invitations: (3 + 1)/(5 + 2) = 4/7.
    const r = compute('survey_response_rate', records);
    expect(r.detail).toMatchObject({
      invitations: 7,
      responses: 4,
      unknown_status: 1,
      by_type: { relational: { invitations: 3, responses: 1 }, transactional: { invitations: 3, responses: 2 }, unspecified: { invitations: 1, responses: 1 } },
      benchmark: null,
    });
    expect(r.value).toBeCloseTo(4 / 7, 12);
  });
});

describe('isBlankText', () => {
  it('answers text.trim() === "" on edge texts (whitespace JavaScript trims, and characters it does not)', () => {
    const texts = ['', ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\u00a0', '\ufeff', '\u2003', '\u2028', '\u3000', '\u0085', '\u180e', '\u200b', '\u0000', '\u001f', '\u007f', ' a', 'a ', 'a', '!', '~', '0', 'é', '\u00a0x', '\u{1F600}'];
    for (const text of texts) expect(isBlankText(text), JSON.stringify(text)).toBe(text.trim() === '');
    // and a few by hand: NEL (U+0085), the zero-width space and control characters are not whitespace to trim()
    expect([' ', '\u00a0', '\u3000', '\u0085', '\u200b', '\u0000', 'ok'].map(isBlankText)).toEqual([true, true, true, false, false, false, false]);
  });
});

// ---------------------------------------------------------------------------------------
// merge property

const surveyArb = fc
  .record({
    input: fc.integer({ min: 0, max: 1 }),
    nps: maybe(fc.integer({ min: 0, max: 10 })),
    csat: maybe(fc.integer({ min: 1, max: 5 })),
    ces: maybe(fc.integer({ min: 1, max: 7 })),
    comment: maybe(fc.constantFrom('', 'ok', 'slow')),
    status: maybe(fc.constantFrom('invited' as const, 'answered' as const)),
    segment: maybe(fc.constantFrom('b2b', 'B2C')),
    surveyType: maybe(fc.constantFrom('relational' as const, 'transactional' as const)),
  })
  .map((fields): CxRecord => survey(fields));

const ticketArb = fc
  .record({ csat: maybe(fc.integer({ min: 1, max: 5 })), csatOffered: maybe(fc.boolean()) })
  .map((fields): CxRecord => ticket({ input: 2, ...fields }));

const callArb = fc.record({ csat: maybe(fc.integer({ min: 1, max: 5 })) }).map((fields): CxRecord => call({ input: 3, ...fields }));

describe('merge', () => {
  it('two accumulators merged equal one over all records, for every survey metric', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(surveyArb, surveyArb, ticketArb, callArb), { maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        fc.constantFrom<MetricSettings['csatRule']>('all-answers', 'good-over-rated'),
        (records, sides, csatRule) => {
          // every input index present, so the dataset can hold the records of any mix
          const dataset = datasetOf([...records, call({ input: 3 })]);
          const settings = { ...SETTINGS, csatRule };
          expectMergeable(SURVEY_METRICS, records, (_, i) => sides[i]!, dataset, { period: PERIOD, settings, compare: expectSameRounded });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an accumulator of another metric', () => {
    const dataset = datasetOf([]);
    const a = metric('nps').create(SETTINGS, buildLinks(dataset), PERIOD);
    const b = metric('ces').create(SETTINGS, buildLinks(dataset), PERIOD);
    expect(() => a.merge(b)).toThrow(TypeError);
  });
});
