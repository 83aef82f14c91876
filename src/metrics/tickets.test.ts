import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CxRecord } from '../schema/records.js';
import { buildLinks } from './links.js';
import { TICKET_METRICS, isResolved, resolvedInstant, ticketTypeClass } from './tickets.js';
import { accumulate as feed, datasetOf as oneInputDataset, expectMergeable, expectSameRounded, maybe, metricOf, recordFactory, TEST_SETTINGS as SETTINGS, WHOLE } from './test-support.js';
import type { Accumulator, MetricDefinition, MetricResult, PeriodBounds } from './types.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const DAY = 24 * H;
/** 2025-01-dd 00:00 UTC. */
const jan = (day: number, hour = 0) => Date.UTC(2025, 0, day, hour);

const ticket = recordFactory('ticket');

const datasetOf = (records: readonly CxRecord[]): Dataset => oneInputDataset(records, 'ticket', 'tickets.csv');

const metric = (id: string): MetricDefinition => metricOf(TICKET_METRICS, id);

const accumulate = (def: MetricDefinition, records: readonly CxRecord[], dataset: Dataset, period: PeriodBounds, settings = SETTINGS): Accumulator => feed(def, records, dataset, period, settings);

const compute = (id: string, records: readonly CxRecord[], period: PeriodBounds = WHOLE, settings = SETTINGS): MetricResult => accumulate(metric(id), records, datasetOf(records), period, settings).result();

describe('catalogue', () => {
  it('lists the ticket ids of DESIGN.md', () => {
    expect(TICKET_METRICS.map((m) => m.id)).toEqual([
      'ticket_volume',
      'first_response_time',
      'resolution_time',
      'fcr',
      'one_touch_rate',
      'replies_per_resolution',
      'reopen_rate',
      'backlog',
      'complaint_volume',
      'inquiry_volume',
    ]);
    expect(TICKET_METRICS.every((m) => m.domain === 'tickets' && m.kinds.includes('ticket'))).toBe(true);
  });

  it('says "no ticket records" for every metric when there are none', () => {
    for (const m of TICKET_METRICS) expect(m.unavailable(datasetOf([]))).toBe('no ticket records among the inputs');
  });
});

describe('resolved tickets', () => {
  it('are those with a resolution time or a solved/closed status, in English or Spanish', () => {
    expect(isResolved(ticket({ resolvedAt: 1 }))).toBe(true);
    for (const status of ['Solved', 'closed', 'RESOLVED', 'Resuelto', 'cerrado', 'Cerrada']) expect(isResolved(ticket({ status }))).toBe(true);
    for (const status of ['Open', 'Pending', 'Pending Customer Response', 'abierto']) expect(isResolved(ticket({ status }))).toBe(false);
    expect(isResolved(ticket({}))).toBe(false);
  });

  it('are placed at resolvedAt, else created + the precomputed resolution duration', () => {
    expect(resolvedInstant(ticket({ createdAt: jan(1), resolvedAt: jan(3) }))).toBe(jan(3));
    expect(resolvedInstant(ticket({ createdAt: jan(1), resolutionSeconds: 2 * 86_400 }))).toBe(jan(3));
    expect(resolvedInstant(ticket({ resolutionSeconds: 60 }))).toBeUndefined();
    // Zendesk writes 1900-01-01 in "Solved at" of unsolved tickets: not a resolution
    const placeholder = ticket({ createdAt: jan(1), resolvedAt: Date.UTC(1900, 0, 1), status: 'Hold' });
    expect(resolvedInstant(placeholder)).toBeUndefined();
    expect(isResolved(placeholder)).toBe(false);
    expect(isResolved({ ...placeholder, status: 'Closed' })).toBe(true);
    // the resolution metrics bucket by that instant, else by creation
    const timeOf = metric('resolution_time').timeOf!;
    expect(timeOf(ticket({ createdAt: jan(1), resolvedAt: jan(9) }))).toBe(jan(9));
    expect(timeOf(ticket({ createdAt: jan(1), status: 'Closed' }))).toBe(jan(1));
    expect(metric('first_response_time').timeOf).toBeUndefined();
  });
});

describe('ticket_volume', () => {
  const period: PeriodBounds = { start: jan(1), end: jan(8) }; // 7 days
  const records = [
    ticket({ id: 't1', createdAt: jan(1, 10), channel: 'email', customerId: 'c1', category: 'Billing' }),
    ticket({ id: 't2', createdAt: jan(3), channel: 'email', customerId: 'c1', category: 'billing' }), // c1 billing 2 days before: recurring
    ticket({ id: 't3', createdAt: jan(5), channel: 'phone', customerId: 'c2', category: 'Billing' }), // c2's last was 8 days before: not
    ticket({ id: 't4', createdAt: Date.UTC(2024, 11, 20), resolvedAt: jan(2) }), // resolved in the period, created before
    ticket({ id: 't5', createdAt: jan(7), resolvedAt: jan(7, 12), customerId: 'c1', category: 'Shipping' }), // no channel
    ticket({ id: 't6', channel: 'email' }), // no creation time
    ticket({ id: 't7', createdAt: jan(9), customerId: 'c1', category: 'Billing' }), // after the period
    ticket({ id: 't8', createdAt: Date.UTC(2024, 11, 28), customerId: 'c2', category: 'Billing' }),
  ];

  it('counts tickets created in the period, with resolved, averages, channels and recurring', () => {
    // created in [Jan 1, Jan 8): t1, t2, t3, t5 = 4; resolved in it: t4 (Jan 2), t5 (Jan 7 12:00) = 2
    // per day 4/7, per week 4/(7/7) = 4, per month 4/(7/30.436875) = 17.3925
    const r = compute('ticket_volume', records, period);
    expect(r).toMatchObject({ value: 4, n: 4, ci95: null });
    expect(r.detail).toMatchObject({
      by_channel: { email: { count: 2, share: 0.5 }, phone: { count: 1, share: 0.25 }, unknown: { count: 1, share: 0.25 } },
      resolved_in_period: 2,
      per_week: 4,
      recurring: 1,
      undated: 1,
    });
    expect(r.detail.per_day).toBeCloseTo(4 / 7, 12);
    expect(r.detail.per_month).toBeCloseTo(17.3925, 4);
    expect(Object.keys(r.detail.by_channel as object)).toEqual(['email', 'phone', 'unknown']);
  });

  it('is a snapshot metric (sees tickets resolved in the period whenever created)', () => {
    expect(metric('ticket_volume').scope).toBe('snapshot');
  });

  it('recurring follows the configured window', () => {
    // with 10 days, t3 (Jan 5) has c2's Dec 28 ticket 8 days before: recurring too
    expect(compute('ticket_volume', records, period, { ...SETTINGS, recurringWindowDays: 10 }).detail.recurring).toBe(2);
  });

  it('an empty period counts 0', () => {
    const r = compute('ticket_volume', records, { start: jan(20), end: jan(27) });
    expect(r).toMatchObject({ value: 0, n: 0, detail: { per_day: 0, by_channel: {} } });
  });

  it('counts tickets without a creation time over the whole, unfiltered data only', () => {
    expect(metric('ticket_volume').unavailable(datasetOf([ticket({ id: 'x' })]))).toBeNull();
    const undated = [ticket({ id: 'a' }), ticket({ id: 'b', channel: 'email' })];
    // whole + unbounded: both count (2), no per-day average without a dated ticket (0 / span).
    const all = compute('ticket_volume', undated, { start: jan(1), end: jan(8), whole: true, unbounded: true });
    expect(all).toMatchObject({ value: 2, detail: { undated: 2, per_day: 0 } });
    // a calendar period, or a --since/--until range, cannot hold them.
    expect(compute('ticket_volume', undated, { start: jan(1), end: jan(8) })).toMatchObject({ value: 0, detail: { undated: 2 } });
    expect(compute('ticket_volume', undated, { start: jan(1), end: jan(8), whole: true, unbounded: false })).toMatchObject({ value: 0 });
  });
});

describe('first_response_time', () => {
  const records = [
    ticket({ createdAt: jan(1), firstResponseAt: jan(1) + 60 * S, firstResponseBusinessSeconds: 40 }), // 60 s from timestamps
    ticket({ firstResponseSeconds: 120, firstResponseBusinessSeconds: 100 }), // precomputed
    ticket({ createdAt: jan(1), firstResponseAt: jan(1) - 30 * S }), // negative: excluded and counted
    ticket({ createdAt: jan(1) }), // no response yet: left out
    ticket({ createdAt: jan(2), firstResponseAt: jan(2) + 600 * S, firstResponseSeconds: 9999 }), // timestamps win: 600 s
    ticket({ firstResponseBusinessSeconds: 50 }),
  ];

  it('is the median with mean, p90, min, max, negatives excluded, source and business hours', () => {
    // [60, 120, 600]: median 120, mean 780/3 = 260, p90 h = 2·0.9 = 1.8 -> 120 + 0.8·480 = 504
    // business [40, 100, 50] sorted [40, 50, 100]: median 50, p90 50 + 0.8·50 = 90
    const r = compute('first_response_time', records);
    expect(r.value).toBe(120);
    expect(r.n).toBe(3);
    expect(r.ci95).toBeNull(); // n < 6
    expect(r.detail).toMatchObject({ mean: 260, min: 60, max: 600, negative_excluded: 1, source: 'mixed', business: { n: 3, median: 50 } });
    expect(r.detail.p90).toBeCloseTo(504, 9);
    expect((r.detail.business as { p90: number }).p90).toBeCloseTo(90, 9);
  });

  it('has an order-statistics interval of the median', () => {
    // 20 tickets answered after 1..20 minutes: median 10.5 min = 630 s; interval [x(6), x(15)] = [360, 900]
    const twenty = Array.from({ length: 20 }, (_, i) => ticket({ createdAt: jan(1), firstResponseAt: jan(1) + (i + 1) * MIN }));
    const r = compute('first_response_time', twenty);
    expect(r.value).toBe(630);
    expect(r.ci95).toEqual([360, 900]);
    expect(r.detail.source).toBe('timestamps');
  });

  it('missing timestamps and no durations: null with n 0; only negatives: null, counted', () => {
    expect(compute('first_response_time', [ticket({ createdAt: jan(1) })])).toMatchObject({ value: null, n: 0, ci95: null, detail: { source: null, business: null } });
    expect(compute('first_response_time', [ticket({ firstResponseSeconds: -5 })])).toMatchObject({ value: null, n: 0, detail: { negative_excluded: 1 } });
  });

  it('a single ticket', () => {
    expect(compute('first_response_time', [ticket({ firstResponseSeconds: 42 })])).toMatchObject({ value: 42, n: 1, detail: { mean: 42, p90: 42, min: 42, max: 42, source: 'precomputed' } });
  });

  it('says why it cannot be computed', () => {
    // timestamps on different tickets do not make a duration
    const reason = metric('first_response_time').unavailable(datasetOf([ticket({ createdAt: jan(1) }), ticket({ firstResponseAt: jan(2) })]));
    expect(reason).toBe('tickets have no first-response time (neither both timestamps, created at and first response at, on one ticket nor a precomputed duration)');
    expect(metric('first_response_time').unavailable(datasetOf([ticket({ firstResponseSeconds: 1 })]))).toBeNull();
    // a Zendesk export with only "First reply time in minutes within business hours": computable,
    // in business time, and the detail says so
    const zendesk = [ticket({ createdAt: jan(1), firstResponseBusinessSeconds: 60 }), ticket({ createdAt: jan(1), firstResponseBusinessSeconds: 180 })];
    expect(metric('first_response_time').unavailable(datasetOf(zendesk))).toBeNull();
    // median of 60 and 180 (exact sketch, linear interpolation) = 120 s
    expect(compute('first_response_time', zendesk, { start: jan(1), end: jan(8) })).toMatchObject({ value: 120, n: 2, detail: { time: 'business' } });
  });
});

describe('resolution_time', () => {
  it('uses timestamps, else the precomputed duration, and leaves resolved-before-created out', () => {
    // 2 h (timestamps), 1 day (precomputed), 4 h (timestamps); resolved before created: excluded
    // sorted [7200, 14400, 86400]: median 14400, mean 108000/3 = 36000, p90 14400 + 0.8·72000 = 72000
    const records = [
      ticket({ createdAt: jan(1), resolvedAt: jan(1) + 2 * H }),
      ticket({ resolutionSeconds: 86_400, resolutionBusinessSeconds: 28_800 }),
      ticket({ createdAt: jan(2), resolvedAt: jan(2) + 4 * H }),
      ticket({ createdAt: jan(3), resolvedAt: jan(3) - H }),
      ticket({ createdAt: jan(3), status: 'Open' }),
      ticket({ createdAt: jan(3), resolvedAt: Date.UTC(1900, 0, 1), status: 'Hold' }), // a placeholder on an open ticket: not counted at all
    ];
    const r = compute('resolution_time', records);
    expect(r).toMatchObject({ value: 14_400, n: 3, ci95: null });
    expect(r.detail).toMatchObject({ mean: 36_000, p90: 72_000, min: 7_200, max: 86_400, negative_excluded: 1, source: 'mixed', business: { n: 1, median: 28_800, p90: 28_800 } });
  });

  it('says why it cannot be computed', () => {
    expect(metric('resolution_time').unavailable(datasetOf([ticket({ createdAt: jan(1), status: 'Closed' })]))).toBe(
      'tickets have no resolution time (neither both timestamps, created at and resolved at, on one ticket nor a precomputed duration)',
    );
  });
});

describe('fcr', () => {
  const flagged = [ticket({ fcr: true }), ticket({ fcr: true }), ticket({ fcr: false, status: 'Open' })];
  const derived = [
    ticket({ status: 'Solved', reopens: 0, contacts: 1 }), // yes
    ticket({ resolvedAt: jan(2), reopens: 1 }), // reopened: no
    ticket({ status: 'Cerrado', reopens: 0, contacts: 3 }), // three contacts: no
    ticket({ status: 'closed', contacts: 1 }), // reopens unknown, one contact: yes
    ticket({ status: 'Open', reopens: 0 }), // not resolved: out
    ticket({ status: 'Resuelto' }), // resolved, nothing to judge by: unjudged
  ];

  it("uses the export's flag when tickets carry it", () => {
    // 2 of 3; Wilson(2, 3) = [0.20766, 0.93851]
    const r = compute('fcr', flagged);
    expect(r.value).toBeCloseTo(2 / 3, 12);
    expect(r.n).toBe(3);
    expect(r.ci95![0]).toBeCloseTo(0.20766, 5);
    expect(r.ci95![1]).toBeCloseTo(0.93851, 5);
    expect(r.detail).toMatchObject({ method: 'flag', from_flag: 3, derived: 0 });
  });

  it('else counts resolved tickets without reopen and with at most one contact', () => {
    // judged 4 (Solved, resolvedAt, Cerrado, closed), FCR 2 -> 0.5; Resuelto without counts unjudged
    const r = compute('fcr', derived);
    expect(r).toMatchObject({ value: 0.5, n: 4, detail: { method: 'derived', unjudged: 1 } });
  });

  it('mixes both ticket by ticket', () => {
    // (2 + 2)/(3 + 4) = 4/7
    const r = compute('fcr', [...flagged, ...derived]);
    expect(r.value).toBeCloseTo(4 / 7, 12);
    expect(r.detail.method).toBe('mixed');
  });

  it('no data: null', () => {
    expect(compute('fcr', [])).toMatchObject({ value: null, n: 0, ci95: null, detail: { method: null } });
  });

  it('says why it cannot be computed', () => {
    const def = metric('fcr');
    expect(def.unavailable(datasetOf([ticket({ status: 'Solved' })]))).toBe('tickets carry neither a first-contact-resolution flag nor reopen or contact counts');
    expect(def.unavailable(datasetOf([ticket({ status: 'Open', reopens: 0 })]))).toBe(
      'no resolved ticket carries a reopen or contact count, and no ticket a first-contact-resolution flag',
    );
    expect(def.unavailable(datasetOf(derived))).toBeNull();
    expect(def.unavailable(datasetOf(flagged))).toBeNull();
  });
});

describe('one_touch_rate, replies_per_resolution, reopen_rate', () => {
  const records = [
    ticket({ status: 'Solved', replies: 0, reopens: 0 }),
    ticket({ status: 'Closed', replies: 1, reopens: 0 }),
    ticket({ resolvedAt: jan(3), replies: 2, reopens: 1 }),
    ticket({ status: 'solved', replies: 5, reopens: 3 }),
    ticket({ status: 'Open', replies: 1, reopens: 2 }), // not resolved: out of all three
    ticket({ status: 'Solved' }), // no counts: out
  ];

  it('one-touch: resolved with fewer than 2 agent replies / resolved with a reply count', () => {
    // replies [0, 1, 2, 5]: 2 of 4 = 0.5; Wilson(2, 4) = [0.15004, 0.84996]
    const r = compute('one_touch_rate', records);
    expect(r).toMatchObject({ value: 0.5, n: 4 });
    expect(r.ci95![0]).toBeCloseTo(0.15004, 5);
    expect(r.ci95![1]).toBeCloseTo(0.84996, 5);
  });

  it('replies per resolution: the mean with a t interval, floored at 0', () => {
    // [0, 1, 2, 5]: mean 2, s² = (4 + 1 + 0 + 9)/3 = 4.6667, se = √(4.6667/4) = 1.080123,
    // t(0.975, 3) = 3.182446 -> half 3.437435 -> [-1.437435 floored to 0, 5.437435]
    const r = compute('replies_per_resolution', records);
    expect(r).toMatchObject({ value: 2, n: 4 });
    expect(r.ci95![0]).toBe(0);
    expect(r.ci95![1]).toBeCloseTo(5.437435, 5);
  });

  it('reopen rate: resolved and reopened / resolved with a reopen count', () => {
    // reopens [0, 0, 1, 3]: 2 of 4
    expect(compute('reopen_rate', records)).toMatchObject({ value: 0.5, n: 4 });
  });

  it('all-perfect and empty groups', () => {
    const perfect = [ticket({ status: 'Solved', replies: 1, reopens: 0 })];
    expect(compute('one_touch_rate', perfect)).toMatchObject({ value: 1, n: 1, ci95: [expect.any(Number), 1] });
    expect(compute('reopen_rate', perfect)).toMatchObject({ value: 0, n: 1, ci95: [0, expect.any(Number)] });
    expect(compute('replies_per_resolution', perfect)).toMatchObject({ value: 1, n: 1, ci95: null });
    for (const id of ['one_touch_rate', 'replies_per_resolution', 'reopen_rate']) {
      expect(compute(id, [])).toMatchObject({ value: null, n: 0, ci95: null });
    }
  });

  it('say why they cannot be computed', () => {
    expect(metric('one_touch_rate').unavailable(datasetOf([ticket({ status: 'Solved' })]))).toBe('tickets have no agent reply count (replies)');
    expect(metric('reopen_rate').unavailable(datasetOf([ticket({ status: 'Open', reopens: 1 })]))).toBe(
      'no resolved ticket has a known reopen count (reopens) (resolved: a resolved-at time, or status solved, closed, resolved, resuelto or cerrado)',
    );
    expect(metric('replies_per_resolution').unavailable(datasetOf(records))).toBeNull();
  });
});

describe('backlog', () => {
  const end = jan(10);
  const records = [
    ticket({ createdAt: jan(1), status: 'Open' }), // open, 9 days old
    ticket({ createdAt: jan(2), resolvedAt: jan(5) }), // resolved before the end
    ticket({ createdAt: jan(3), resolvedAt: jan(12) }), // resolved after the end: open at the end, 7 days old
    ticket({ createdAt: jan(4), status: 'Closed' }), // closed at an unknown time
    ticket({ createdAt: jan(11), status: 'Open' }), // created after the end
    ticket({ status: 'Open' }), // undated
    ticket({ createdAt: jan(8), status: 'Pending Customer Response' }), // open, 2 days old
    ticket({ createdAt: jan(1), resolutionSeconds: 3 * 86_400 }), // resolved Jan 4 from the precomputed duration
  ];

  it('counts tickets open at the period end', () => {
    // open: Jan 1, Jan 3, Jan 8 = 3; ages [9, 7, 2] days: median 7 d, p90 7 + 0.8·2 = 8.6 d, max 9 d
    const r = compute('backlog', records, { start: jan(3), end });
    expect(r).toMatchObject({ value: 3, n: 3, ci95: null, detail: { unknown_resolution: 1, undated: 1, age_median: 7 * 86_400, age_max: 9 * 86_400 } });
    expect(r.detail.age_p90).toBeCloseTo(8.6 * 86_400, 6);
  });

  it('reads a resolution before the creation as a placeholder', () => {
    // "Solved at" 1900-01-01 on a ticket on hold: open; on a closed one: resolved at an unknown time
    const placeholders = [
      ticket({ createdAt: jan(2), resolvedAt: Date.UTC(1900, 0, 1), status: 'Hold' }),
      ticket({ createdAt: jan(2), resolvedAt: Date.UTC(1900, 0, 1), status: 'Closed' }),
    ];
    expect(compute('backlog', placeholders, { start: jan(1), end })).toMatchObject({ value: 1, detail: { unknown_resolution: 1 } });
    expect(metric('backlog').scope).toBe('snapshot');
  });

  it('an earlier end sees an earlier backlog', () => {
    // end Jan 3: Jan 1 (open), Jan 2 (resolved Jan 5, open then), Jan 1 + 3 d (resolved Jan 4, open then) = 3;
    // the closed Jan 4 ticket is not created yet, so unknown_resolution is 0
    expect(compute('backlog', records, { start: jan(1), end: jan(3) })).toMatchObject({ value: 3, detail: { unknown_resolution: 0 } });
  });

  it('says why it cannot be computed', () => {
    expect(metric('backlog').unavailable(datasetOf([ticket({ status: 'Open' })]))).toBe('tickets have no creation time (created at), so the tickets open at a date cannot be told');
    expect(metric('backlog').unavailable(datasetOf([ticket({ createdAt: jan(1) })]))).toBe(
      'tickets carry neither a resolution time nor a status, so open tickets cannot be told from resolved ones',
    );
  });
});

describe('complaint_volume, inquiry_volume', () => {
  it('reads ticket types word by word', () => {
    for (const type of ['Complaint', 'Queja', 'Reclamación', 'claim', 'Formal complaints', 'Queja por consulta']) expect(ticketTypeClass(type)).toBe('complaint');
    for (const type of ['Billing inquiry', 'Product inquiry', 'question', 'Consulta', 'Enquiry', 'Pregunta']) expect(ticketTypeClass(type)).toBe('inquiry');
    for (const type of ['Refund request', 'Cancellation request', 'Technical issue', 'Incident', undefined]) expect(ticketTypeClass(type)).toBeNull();
  });

  const records = [
    ticket({ type: 'Complaint', createdAt: jan(1), firstResponseAt: jan(1) + H, resolvedAt: jan(1) + 2 * H }),
    ticket({ type: 'Queja', firstResponseSeconds: 1_800 }),
    ticket({ type: 'Reclamación', createdAt: jan(1), firstResponseAt: jan(1) - H }), // negative: left out of the median
    ticket({ type: 'claim' }),
    ticket({ type: 'Complaint' }),
    ticket({ type: 'Billing inquiry', firstResponseSeconds: 300 }),
    ticket({ type: 'Product inquiry' }),
    ticket({ type: 'Refund request' }),
    ticket({ type: 'question' }),
    ticket({}),
  ];

  it('counts complaints with their response and resolution medians', () => {
    // complaints: Complaint ×2, Queja, Reclamación, claim = 5; first response [3600, 1800] -> 2700; resolution [7200]
    const r = compute('complaint_volume', records);
    expect(r).toMatchObject({ value: 5, n: 5, ci95: null });
    expect(r.detail).toEqual({
      types: { Complaint: 2, Queja: 1, Reclamación: 1, claim: 1 },
      first_response_median: 2_700,
      first_response_n: 2,
      resolution_median: 7_200,
      resolution_n: 1,
    });
  });

  it('counts inquiries (not requests)', () => {
    // Billing inquiry, Product inquiry, question = 3
    const r = compute('inquiry_volume', records);
    expect(r).toMatchObject({ value: 3, detail: { first_response_median: 300, resolution_median: null, resolution_n: 0 } });
  });

  it('filters through accepts() as well as in the accumulator', () => {
    const def = metric('complaint_volume');
    expect(def.accepts!(ticket({ type: 'queja' }))).toBe(true);
    expect(def.accepts!(ticket({ type: 'question' }))).toBe(false);
    const acc = def.create(SETTINGS, buildLinks(datasetOf([])), WHOLE);
    for (const r of records) acc.add(r);
    expect(acc.result().value).toBe(5);
  });

  it('says why they cannot be computed', () => {
    expect(metric('complaint_volume').unavailable(datasetOf([ticket({})]))).toBe(
      'tickets have no type (complaint, inquiry…): map the type column, or set "type": "complaint" for a file of complaints in the config',
    );
    const zendesk = ['Incident', 'Problem', 'Question', 'Task', 'Incident', 'Task', 'Incident'].map((type) => ticket({ type }));
    expect(metric('complaint_volume').unavailable(datasetOf(zendesk))).toBe('no ticket type reads as a complaint (types seen: Incident, Task, Problem, Question)');
    expect(metric('inquiry_volume').unavailable(datasetOf(zendesk))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// merge property

const offset = maybe(fc.integer({ min: -2 * DAY, max: 20 * DAY }));

const ticketArb = fc
  .record({
    created: maybe(fc.integer({ min: 0, max: 30 * DAY })),
    firstResponse: offset,
    resolved: offset,
    firstResponseSeconds: maybe(fc.integer({ min: -100, max: 100_000 })),
    resolutionSeconds: maybe(fc.integer({ min: -100, max: 1_000_000 })),
    firstResponseBusinessSeconds: maybe(fc.integer({ min: 0, max: 50_000 })),
    status: maybe(fc.constantFrom('Open', 'Solved', 'Closed', 'Pending', 'Resuelto')),
    type: maybe(fc.constantFrom('Complaint', 'Billing inquiry', 'Refund request', 'Queja')),
    channel: maybe(fc.constantFrom('email', 'phone', 'chat')),
    customerId: maybe(fc.constantFrom('c1', 'c2', 'c3')),
    category: maybe(fc.constantFrom('billing', 'Billing', 'shipping')),
    replies: maybe(fc.integer({ min: 0, max: 6 })),
    reopens: maybe(fc.integer({ min: 0, max: 2 })),
    contacts: maybe(fc.integer({ min: 1, max: 3 })),
    fcr: maybe(fc.boolean()),
  })
  .map(({ created, firstResponse, resolved, ...rest }): CxRecord => {
    const createdAt = created === undefined ? undefined : jan(1) + created;
    return ticket({
      ...rest,
      createdAt,
      firstResponseAt: createdAt === undefined || firstResponse === undefined ? undefined : createdAt + firstResponse,
      resolvedAt: createdAt === undefined || resolved === undefined ? undefined : createdAt + resolved,
    });
  });

describe('merge', () => {
  it('two accumulators merged equal one over all records, for every ticket metric', () => {
    const period: PeriodBounds = { start: jan(8), end: jan(22) };
    fc.assert(
      fc.property(fc.array(ticketArb, { maxLength: 60 }), fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }), (records, sides) => {
        const dataset = datasetOf(records);
        expectMergeable(TICKET_METRICS, records, (_, i) => sides[i]!, dataset, { period, compare: expectSameRounded });
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an accumulator of another metric', () => {
    const links = buildLinks(datasetOf([]));
    expect(() => metric('fcr').create(SETTINGS, links, WHOLE).merge(metric('backlog').create(SETTINGS, links, WHOLE))).toThrow(TypeError);
  });
});
