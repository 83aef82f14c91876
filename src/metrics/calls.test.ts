import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CallRecord, CxRecord } from '../schema/records.js';
import { compileSchedule } from './business-hours.js';
import { CALL_METRICS, callHours, callOutcome } from './calls.js';
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
// business time: the calls offered within business hours

describe('business time (--time business)', () => {
  // Madrid, Mon-Fri 09-14 + 15-18, Christmas closed; queue Soporte also opens Saturday 10-14
  // (its own week replaces the default one: Mon-Fri 08-20, Sat 10-14).
  const W = ['09:00-14:00', '15:00-18:00'];
  const L = ['08:00-20:00'];
  const SCHEDULE = compileSchedule(
    {
      timezone: 'Europe/Madrid',
      week: { mon: W, tue: W, wed: W, thu: W, fri: W },
      holidays: ['2025-12-25'],
      byGroup: { Soporte: { week: { mon: L, tue: L, wed: L, thu: L, fri: L, sat: ['10:00-14:00'] } } },
    },
    'UTC',
  );
  const CAL = { ...SETTINGS, businessHours: SCHEDULE, time: 'calendar' as const };
  const BIZ = { ...SETTINGS, businessHours: SCHEDULE, time: 'business' as const };
  // Start instants in UTC, the Madrid offset worked out by hand: CET = UTC+1, CEST (from 2025-03-30) = UTC+2.
  const z = (mo: number, d: number, h: number, mi = 0, sec = 0) => Date.UTC(2025, mo - 1, d, h, mi, sec);
  const CALLS: CallRecord[] = [
    // k1 Tue 02-04 10:00 CET: in hours
    call({ id: 'k1', startedAt: z(2, 4, 9), queue: 'Ventas', answered: true, waitSeconds: 10, talkSeconds: 100 }),
    // k2 Tue 02-04 14:30 CET: the lunch break, outside
    call({ id: 'k2', startedAt: z(2, 4, 13, 30), queue: 'Ventas', answered: false, waitSeconds: 60 }),
    // k3 Tue 02-04 17:59:30 CET: in hours; answered after 90 s, past the 18:00 close: still a 90 s wait
    call({ id: 'k3', startedAt: z(2, 4, 16, 59, 30), queue: 'Ventas', answered: true, waitSeconds: 90, talkSeconds: 200 }),
    // k4 Sat 02-08 11:00 CET, default schedule: weekend, outside
    call({ id: 'k4', startedAt: z(2, 8, 10), queue: 'Ventas', answered: false, waitSeconds: 30 }),
    // k5 Sat 02-08 11:00 CET, queue "soporte" (folded: Soporte, open Sat 10-14): in hours
    call({ id: 'k5', startedAt: z(2, 8, 10), queue: 'soporte', answered: true, waitSeconds: 15, talkSeconds: 300 }),
    // k6 Thu 12-25 10:00 CET: Christmas, outside
    call({ id: 'k6', startedAt: z(12, 25, 9), answered: true, waitSeconds: 5, talkSeconds: 50 }),
    // k7 Mon 03-31 07:30Z = 09:30 CEST (the day after the spring change): in hours (08:30 if read as CET)
    call({ id: 'k7', startedAt: z(3, 31, 7, 30), answered: true, waitSeconds: 18, talkSeconds: 120 }),
    // k8 Mon 03-31 16:30Z = 18:30 CEST: outside (17:30 if read as CET)
    call({ id: 'k8', startedAt: z(3, 31, 16, 30), answered: false, waitSeconds: 40 }),
    // k9 Wed 02-05 09:00 CET (the opening minute): in hours, a short abandon (3 s)
    call({ id: 'k9', startedAt: z(2, 5, 8), answered: false, waitSeconds: 3 }),
    // k10 no start time: cannot be placed
    call({ id: 'k10', answered: true, waitSeconds: 10, talkSeconds: 60 }),
    // k11 Wed 02-05 12:00 CET: in hours, abandoned after 45 s
    call({ id: 'k11', startedAt: z(2, 5, 11), answered: false, waitSeconds: 45 }),
  ];
  // In hours: k1 k3 k5 k7 k9 k11 (6); outside: k2 k4 k6 k8 (4); no start time: k10 (1).

  it('places each call in or out of hours: lunch, close, weekend, holiday, DST, queue schedule', () => {
    expect(CALLS.map((c) => callHours(SCHEDULE, c))).toEqual([
      'in_hours', 'outside_hours', 'in_hours', 'outside_hours', 'in_hours', 'outside_hours',
      'in_hours', 'outside_hours', 'in_hours', 'no_start_time', 'in_hours',
    ]);
    // 18:00:00 exactly is the close: outside
    expect(callHours(SCHEDULE, call({ startedAt: z(2, 4, 17) }))).toBe('outside_hours');
  });

  it('call_volume: the in-hours count, both totals in detail', () => {
    const r = compute('call_volume', CALLS, BIZ);
    expect(r).toMatchObject({ value: 6, n: 6 });
    // the detail of the chosen population: in hours, handled k1 k3 k5 k7 (4), abandoned k9 k11 (2)
    expect(r.detail).toMatchObject({ time: 'business', handled: 4, abandoned: 2, outside_hours: 4, no_start_time: 1 });
    expect(r.detail.calendar).toEqual({ value: 11, n: 11, ci95: null });
    expect(r.detail.business).toEqual({ value: 6, n: 6, ci95: null });
    // calendar clock: every call is the value, the business figure beside it
    const c = compute('call_volume', CALLS, CAL);
    expect(c).toMatchObject({ value: 11, detail: { time: 'calendar', handled: 6, abandoned: 5, business: { value: 6 }, outside_hours: 4 } });
  });

  it('abandonment_rate over the calls offered in hours', () => {
    // calendar: abandoned k2 k4 k8 k11 (k9 short) = 4 / (6 handled + 4) = 0.4
    // business: abandoned k11 (k9 short) = 1 / (4 handled + 1) = 0.2
    const r = compute('abandonment_rate', CALLS, BIZ);
    expect(r).toMatchObject({ value: 0.2, n: 5, ci95: wilson(1, 5) });
    expect(r.detail).toMatchObject({ time: 'business', handled: 4, abandoned: 1, short_abandons: 1, offered: 6, outside_hours: 4 });
    expect(r.detail.calendar).toEqual({ value: 0.4, n: 10, ci95: wilson(4, 10) });
    expect(compute('abandonment_rate', CALLS, CAL)).toMatchObject({ value: 0.4, n: 10, detail: { time: 'calendar', business: { value: 0.2, n: 5 } } });
  });

  it('service_level over the calls offered in hours (a wait past the close still counts in full)', () => {
    // calendar: within 20 s k1 10, k5 15, k6 5, k7 18, k10 10 (5); k3 90 not; + 4 abandoned -> 5 / 10
    // business: within k1, k5, k7 (3); k3 90 not; + 1 abandoned (k11) -> 3 / 5
    const r = compute('service_level', CALLS, BIZ);
    expect(r).toMatchObject({ value: 0.6, n: 5, ci95: wilson(3, 5), detail: { answered_within: 3, answered: 4, abandoned: 1 } });
    expect(r.detail.calendar).toEqual({ value: 0.5, n: 10, ci95: wilson(5, 10) });
  });

  it('average_speed_of_answer: calendar waits of the calls answered in hours', () => {
    // calendar: (10 + 90 + 15 + 5 + 18 + 10) / 6 = 148 / 6; business: (10 + 90 + 15 + 18) / 4 = 133 / 4 = 33.25
    const r = compute('average_speed_of_answer', CALLS, BIZ);
    expect(r.value).toBe(33.25);
    expect(r.n).toBe(4);
    expect(r.detail).toMatchObject({ time: 'business', min: 10, max: 90 });
    expect((r.detail.calendar as { value: number }).value).toBeCloseTo(148 / 6, 12);
    expect(r.detail.calendar).toMatchObject({ n: 6 });
    // the business headline carries the median: waits 10 15 18 90 -> (15 + 18) / 2
    expect(r.detail.business).toMatchObject({ value: 33.25, n: 4, median: 16.5 });
  });

  it('aht over the calls handled in hours', () => {
    // calendar: (100 + 200 + 300 + 50 + 120 + 60) / 6 = 830 / 6; business: (100 + 200 + 300 + 120) / 4 = 180
    const r = compute('aht', CALLS, BIZ);
    expect(r).toMatchObject({ value: 180, n: 4, detail: { time: 'business', talk: 180 } });
    expect((r.detail.calendar as { value: number }).value).toBeCloseTo(830 / 6, 12);
  });

  it('a queue without a schedule of its own takes the default one', () => {
    // without byGroup, k5 (Saturday) is outside: 5 calls in hours
    const plain = compileSchedule({ timezone: 'Europe/Madrid', week: { mon: W, tue: W, wed: W, thu: W, fri: W }, holidays: ['2025-12-25'] }, 'UTC');
    expect(compute('call_volume', CALLS, { ...BIZ, businessHours: plain })).toMatchObject({ value: 5, detail: { outside_hours: 5 } });
  });

  it('without a schedule the value stays calendar, and says so', () => {
    const r = compute('abandonment_rate', CALLS, { ...SETTINGS, time: 'business' });
    expect(r).toMatchObject({ value: 0.4, n: 10, detail: { time: 'calendar', business: null } });
    expect(r.detail.note).toMatch(/^no businessHours schedule/);
    expect(compute('aht', CALLS).detail).toMatchObject({ time: 'calendar', business: null });
    expect(compute('aht', CALLS).detail).not.toHaveProperty('outside_hours');
  });

  it('merges: two halves with a schedule equal the whole', () => {
    expectMergeable(CALL_METRICS, CALLS, (_, i) => i % 2 === 0, datasetOf(CALLS), { settings: BIZ });
    expectMergeable(CALL_METRICS, CALLS, (_, i) => i < 4, datasetOf(CALLS), { settings: CAL });
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
