import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CallRecord, CxRecord } from '../schema/records.js';
import { CALL_METRICS, callOutcome } from './calls.js';
import { wilson } from './stats/index.js';
import { accumulate as feed, datasetOf as oneInputDataset, expectMergeable, maybe, metricOf, recordFactory, TEST_SETTINGS as SETTINGS, WHOLE } from './test-support.js';
import type { Accumulator, MetricDefinition, MetricResult } from './types.js';

const call = recordFactory('call');

const datasetOf = (records: readonly CxRecord[]): Dataset => oneInputDataset(records, 'call', 'calls.csv');

const metric = (id: string): MetricDefinition => metricOf(CALL_METRICS, id);

const accumulate = (def: MetricDefinition, records: readonly CxRecord[], dataset: Dataset, settings = SETTINGS): Accumulator => feed(def, records, dataset, WHOLE, settings);

const compute = (id: string, records: readonly CxRecord[], settings = SETTINGS): MetricResult => accumulate(metric(id), records, datasetOf(records), settings).result();

/**
 * Eight calls that exercise every branch:
 * c1 answered, wait 10, talk 100 + hold 20 + wrap 30, queue sales, resolved
 * c2 answered, wait 30, talk 200, queue sales, not resolved
 * c3 unanswered after 3 s: a short abandon
 * c4 unanswered after 40 s
 * c5 abandoned flag only, no wait: abandoned, not short (nothing shows it was)
 * c6 abandoned = false (handled), wait 0, talk 50 + conference 10, queue support, resolved
 * c7 no flag, talk 0: unknown outcome
 * c8 answered, no wait, no talk
 */
const SAMPLE: CallRecord[] = [
  call({ id: 'c1', answered: true, waitSeconds: 10, talkSeconds: 100, holdSeconds: 20, wrapSeconds: 30, queue: 'sales', fcr: true }),
  call({ id: 'c2', answered: true, waitSeconds: 30, talkSeconds: 200, queue: 'sales', fcr: false }),
  call({ id: 'c3', answered: false, waitSeconds: 3 }),
  call({ id: 'c4', answered: false, waitSeconds: 40 }),
  call({ id: 'c5', abandoned: true }),
  call({ id: 'c6', abandoned: false, waitSeconds: 0, talkSeconds: 50, conferenceSeconds: 10, queue: 'support', fcr: true }),
  call({ id: 'c7', talkSeconds: 0 }),
  call({ id: 'c8', answered: true }),
];

describe('catalogue', () => {
  it('lists the call ids of DESIGN.md', () => {
    expect(CALL_METRICS.map((m) => m.id)).toEqual(['call_volume', 'abandonment_rate', 'service_level', 'average_speed_of_answer', 'aht']);
    expect(CALL_METRICS.every((m) => m.domain === 'calls' && m.kinds.includes('call'))).toBe(true);
  });

  it('says "no call records" for every metric when there are none', () => {
    for (const m of CALL_METRICS) expect(m.unavailable(datasetOf([]))).toBe('no call records among the inputs');
  });

  it('gives every metric with no records n = 0 and no interval (rates and means null, the count 0)', () => {
    for (const m of CALL_METRICS) {
      const r = compute(m.id, []);
      expect(r.n).toBe(0);
      expect(r.ci95).toBeNull();
      expect(r.value).toBe(m.id === 'call_volume' ? 0 : null);
    }
  });
});

describe('callOutcome', () => {
  it('reads the answered flag first, then the abandoned flag', () => {
    expect(callOutcome(call({ answered: true }))).toBe('handled');
    expect(callOutcome(call({ answered: false }))).toBe('abandoned');
    expect(callOutcome(call({ abandoned: true }))).toBe('abandoned');
    expect(callOutcome(call({ abandoned: false }))).toBe('handled');
    expect(callOutcome(call({ talkSeconds: 60 }))).toBe('unknown');
    // conflicting flags: the answered column is the direct record
    expect(callOutcome(call({ answered: true, abandoned: true }))).toBe('handled');
  });
});

describe('call_volume', () => {
  it('counts offered calls by outcome and queue, and the FCR share of handled calls', () => {
    const r = compute('call_volume', SAMPLE);
    expect(r.value).toBe(8);
    expect(r.n).toBe(8);
    expect(r.detail).toMatchObject({ handled: 4, abandoned: 3, unknown_outcome: 1, by_queue: { unknown: 5, sales: 2, support: 1 } });
    // FCR: handled calls with a flag are c1 (yes), c2 (no), c6 (yes): 2 / 3; c8 has no flag.
    expect(r.detail.fcr).toEqual({ value: 2 / 3, n: 3, ci95: wilson(2, 3), resolved: 2, denominator: 'handled calls with a first-contact-resolution flag' });
  });

  it('leaves abandoned calls flagged "not resolved" out of FCR, and gives null without flags', () => {
    const r = compute('call_volume', [call({ answered: false, fcr: false }), call({ answered: true, fcr: true })]);
    expect(r.detail.fcr).toMatchObject({ value: 1, n: 1 });
    expect(compute('call_volume', [call({ answered: true })]).detail.fcr).toBeNull();
  });
});

describe('abandonment_rate', () => {
  it('leaves short abandons and unknown outcomes out of both sides', () => {
    const r = compute('abandonment_rate', SAMPLE);
    // handled c1 c2 c6 c8 = 4; abandoned c4 c5 = 2 (c3 short, c7 unknown): 2 / (4 + 2) = 1/3
    expect(r.value).toBeCloseTo(1 / 3, 12);
    expect(r.n).toBe(6);
    expect(r.ci95).toEqual(wilson(2, 6));
    expect(r.detail).toMatchObject({ offered: 8, handled: 4, abandoned: 2, short_abandons: 1, unknown_outcome: 1, short_abandon_seconds: 5 });
  });

  it('counts every abandon when the short-abandon threshold is 0', () => {
    const r = compute('abandonment_rate', SAMPLE, { ...SETTINGS, shortAbandonSeconds: 0 });
    // 3 abandoned (c3 c4 c5) / (4 + 3) = 3/7
    expect(r.value).toBeCloseTo(3 / 7, 12);
    expect(r.detail.short_abandons).toBe(0);
  });

  it('treats a wait exactly at the threshold as not short (under 5 s is short)', () => {
    const r = compute('abandonment_rate', [call({ answered: false, waitSeconds: 5 }), call({ answered: false, waitSeconds: 4.9 })]);
    expect(r.value).toBe(1);
    expect(r.n).toBe(1);
    expect(r.detail.short_abandons).toBe(1);
  });

  it('gives 0 with a Wilson interval for a single answered call', () => {
    const r = compute('abandonment_rate', [call({ answered: true, waitSeconds: 5, talkSeconds: 60 })]);
    expect(r).toMatchObject({ value: 0, n: 1, ci95: wilson(0, 1) });
  });

  it('is unavailable without outcome flags', () => {
    const dataset = datasetOf([call({ talkSeconds: 10, waitSeconds: 3 })]);
    expect(metric('abandonment_rate').unavailable(dataset)).toMatch(/no answered or abandoned flag/);
    expect(metric('abandonment_rate').unavailable(datasetOf(SAMPLE))).toBeNull();
  });
});

describe('service_level', () => {
  it('divides calls answered within the threshold by offered minus short abandons', () => {
    const r = compute('service_level', SAMPLE);
    // within 20 s: c1 (10) and c6 (0); c2 (30) is late. Denominator: answered with a wait
    // c1 c2 c6 = 3, plus abandoned c4 c5 = 2 (c3 short, c7 unknown, c8 no wait): 2 / 5
    expect(r.value).toBeCloseTo(0.4, 12);
    expect(r.n).toBe(5);
    expect(r.ci95).toEqual(wilson(2, 5));
    expect(r.detail).toMatchObject({ answered_within: 2, answered: 3, abandoned: 2, short_abandons: 1, answered_without_wait: 1, threshold_seconds: 20 });
    expect(r.detail.denominator).toMatch(/offered calls minus short abandons/);
  });

  it('counts a wait equal to the threshold as within', () => {
    // c1 (10), c2 (30 <= 30), c6 (0): 3 / 5
    expect(compute('service_level', SAMPLE, { ...SETTINGS, serviceLevelSeconds: 30 }).value).toBeCloseTo(0.6, 12);
  });

  it('is unavailable without a wait on an answered call', () => {
    expect(metric('service_level').unavailable(datasetOf([call({ answered: true, talkSeconds: 5 })]))).toMatch(/no wait time/);
    expect(metric('service_level').unavailable(datasetOf([call({ answered: false, waitSeconds: 5 }), call({ answered: true })]))).toMatch(
      /no answered call carries a wait time/,
    );
  });
});

describe('average_speed_of_answer', () => {
  it('is the mean wait of answered calls, with the median and p90 in detail', () => {
    const r = compute('average_speed_of_answer', SAMPLE);
    // answered waits: 10, 30, 0 -> mean 40/3; median 10; p90 (type 7) = 10 + 0.8 × (30 − 10) = 26
    expect(r.value).toBeCloseTo(40 / 3, 12);
    expect(r.n).toBe(3);
    expect(r.detail).toMatchObject({ median: 10, min: 0, max: 30, answered_without_wait: 1 });
    expect(r.detail.p90).toBeCloseTo(26, 12);
    // t interval: s² = ((10−13.33)² + (30−13.33)² + (0−13.33)²) / 2 = 233.33; se = √(233.33/3) = 8.819;
    // t(0.975, 2) = 4.3027 -> half-width 37.95
    expect(r.ci95![0]).toBeCloseTo(40 / 3 - 37.946, 2);
    expect(r.ci95![1]).toBeCloseTo(40 / 3 + 37.946, 2);
  });

  it('gives a single answered call as its wait, without an interval', () => {
    expect(compute('average_speed_of_answer', [call({ answered: true, waitSeconds: 7 })])).toMatchObject({ value: 7, n: 1, ci95: null });
  });
});

describe('aht', () => {
  it('averages talk + conference + hold + wrap-up over handled calls with a talk time', () => {
    const r = compute('aht', SAMPLE);
    // c1 100 + 20 + 30 = 150; c2 200; c6 50 + 10 = 60; c8 (handled, no talk) left out and
    // counted; abandoned and unknown-with-0-talk calls never count: (150 + 200 + 60) / 3
    expect(r.value).toBeCloseTo(410 / 3, 12);
    expect(r.n).toBe(3);
    expect(r.detail.talk).toBeCloseTo(350 / 3, 12);
    expect(r.detail.hold).toBeCloseTo(20 / 3, 12);
    expect(r.detail.wrap).toBeCloseTo(10, 12);
    expect(r.detail.conference).toBeCloseTo(10 / 3, 12);
    expect(r.detail).toMatchObject({ median: 150, min: 60, max: 200, handled_without_talk: 1, calls_with_hold: 1, calls_with_wrap: 1, calls_with_conference: 1 });
    // the component means add up to AHT
    const d = r.detail as Record<string, number>;
    expect(d.talk! + d.hold! + d.wrap! + d.conference!).toBeCloseTo(r.value!, 9);
  });

  it('counts a call without outcome flags when it has a talk time above 0', () => {
    const r = compute('aht', [call({ talkSeconds: 90 }), call({ talkSeconds: 0 }), call({ answered: false, talkSeconds: 30 })]);
    expect(r).toMatchObject({ value: 90, n: 1 });
  });

  it('is unavailable without talk times, or when only abandoned calls carry one', () => {
    expect(metric('aht').unavailable(datasetOf([call({ answered: true, waitSeconds: 4 })]))).toBe('calls have no talk time (talk duration)');
    expect(metric('aht').unavailable(datasetOf([call({ answered: false, talkSeconds: 0 })]))).toMatch(/no handled call carries a talk time/);
    expect(metric('aht').unavailable(datasetOf(SAMPLE))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// merge property

const callArb = fc
  .record({
    answered: maybe(fc.boolean()),
    abandoned: maybe(fc.boolean()),
    waitSeconds: maybe(fc.integer({ min: 0, max: 120 })),
    talkSeconds: maybe(fc.integer({ min: 0, max: 900 })),
    holdSeconds: maybe(fc.integer({ min: 0, max: 300 })),
    wrapSeconds: maybe(fc.integer({ min: 0, max: 300 })),
    conferenceSeconds: maybe(fc.integer({ min: 0, max: 300 })),
    fcr: maybe(fc.boolean()),
    queue: maybe(fc.constantFrom('sales', 'support', 'billing')),
  })
  .map((fields) => call(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))));

describe('merge', () => {
  it('two accumulators over a split of the calls, merged, equal one over all of them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(callArb, fc.boolean()), { maxLength: 60 }), (pairs) => {
        const records = pairs.map(([r]) => r);
        expectMergeable(CALL_METRICS, records, (_, i) => pairs[i]![1], datasetOf(records));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses an accumulator of another metric', () => {
    const dataset = datasetOf([]);
    const a = accumulate(metric('aht'), [], dataset);
    expect(() => a.merge(accumulate(metric('call_volume'), [], dataset))).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------
// the PwC call-centre file, computed independently from its raw rows

describe('the PwC call-centre file (shared/data/real/call-center-pwc)', () => {
  const file = fileURLToPath(new URL('../../../shared/data/real/call-center-pwc/01 Call-Center-Dataset.csv', import.meta.url));
  // No quoted fields in this file (SOURCE.md), so a plain split is the whole parser.
  const [header, ...rows] = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => l.split(','));
  const col = (name: string) => header!.indexOf(name);
  const [ANSWERED, RESOLVED, SPEED, TALK, TOPIC] = ['answered (Y/N)', 'resolved', 'speed of answer(seconds)', 'talk duration', 'topic'].map(col) as [
    number,
    number,
    number,
    number,
    number,
  ];

  it('gives the abandonment rate and AHT a direct count of the rows gives', () => {
    expect(rows).toHaveLength(5000);
    // Independent arithmetic over the raw cells: unanswered rows, and the mean talk of answered ones.
    const unanswered = rows.filter((r) => r[ANSWERED] === 'N').length;
    const answeredTalk = rows.filter((r) => r[ANSWERED] === 'Y').map((r) => Number(r[TALK]));
    const expectedAht = answeredTalk.reduce((a, b) => a + b, 0) / answeredTalk.length;
    expect(unanswered).toBe(946); // SOURCE.md

    const records = rows.map((r) =>
      call({
        id: r[0],
        queue: r[TOPIC],
        answered: r[ANSWERED] === 'Y',
        fcr: r[RESOLVED] === 'Y',
        // abandoned calls leave the speed of answer blank: no wait, so no short abandons
        ...(r[SPEED] !== '' ? { waitSeconds: Number(r[SPEED]) } : {}),
        talkSeconds: Number(r[TALK]),
      }),
    );
    const abandonment = compute('abandonment_rate', records);
    expect(abandonment.value).toBeCloseTo(946 / 5000, 12);
    expect(abandonment.n).toBe(5000);
    expect(abandonment.detail.short_abandons).toBe(0);

    const aht = compute('aht', records);
    // the 946 zero talk times of abandoned calls must not be averaged in
    expect(aht.n).toBe(5000 - 946);
    expect(aht.value).toBeCloseTo(expectedAht, 9);
    expect(aht.value).toBeGreaterThan(records.reduce((a, r) => a + r.talkSeconds!, 0) / 5000);
  });
});
