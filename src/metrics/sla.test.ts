import { describe, expect, it } from 'vitest';
import type { Dataset } from '../dataset/dataset.js';
import { parseConfig } from '../schema/config.js';
import type { CxRecord } from '../schema/records.js';
import { compileSchedule } from './business-hours.js';
import { buildLinks } from './links.js';
import { METRICS, resolveSettings } from './registry.js';
import { BREACHES_LISTED, SLA_METRICS, compileSlaTargets, targetFor, type Breach } from './sla.js';
import { wilson } from './stats/index.js';
import { TICKET_METRICS } from './tickets.js';
import { datasetOf as oneInputDataset, recordFactory, TEST_SETTINGS as BASE } from './test-support.js';
import type { MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from './types.js';

// Madrid in February is CET (UTC+1): local hour h is UTC hour h - 1.
const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);
const MIN = 60;
const H = 3600;

const W = ['09:00-14:00', '15:00-18:00'];
const SCHEDULE = compileSchedule(
  {
    timezone: 'Europe/Madrid',
    week: { mon: W, tue: W, wed: W, thu: W, fri: W },
    holidays: ['2025-12-25'],
    byGroup: { Soporte: { week: { mon: ['08:00-16:00'], tue: ['08:00-16:00'], wed: ['08:00-16:00'], thu: ['08:00-16:00'], fri: ['08:00-16:00'] } } },
  },
  'UTC',
);
const TARGETS = compileSlaTargets([
  { priority: 'high', firstResponse: '1h', resolution: '8h' },
  { priority: 'low', firstResponse: '4h' },
]);
const BUSINESS: MetricSettings = { ...BASE, businessHours: SCHEDULE, time: 'calendar', scheduleRule: 'at-event', sla: TARGETS };
const CALENDAR: MetricSettings = { ...BASE, businessHours: null, sla: TARGETS };

const ticket = recordFactory('ticket');

/**
 * The hand-computed tickets (Madrid, Mon-Fri 09-14 + 15-18; group Soporte 08-16).
 * First response / resolution in business time:
 * - T1 high: created Fri 02-07 17:30, reply Mon 02-10 09:20: 30 + 20 = 50 min (within 1 h);
 *   solved Mon 15:30: 30 min + 5 h + 30 min = 6 h (within 8 h). Calendar: 62 h 50 min, 70 h.
 * - T2 high: created Tue 02-04 10:00, reply 11:30: 90 min (30 min over);
 *   solved Wed 02-05 12:00: Tue 4 h + 3 h, Wed 3 h = 10 h (2 h over).
 * - T3 Low: created Tue 02-04 13:00, reply 16:30: 1 h + 1.5 h = 2.5 h (within 4 h); no resolution target.
 * - T4 high, open: created Mon 02-10 09:00, no reply; at the period end (Tue 02-11 09:00) 8 h
 *   have passed: first response breached (7 h over), resolution exactly at target (pending).
 * - T5 urgent: no target matches.
 * - T6 high, group Soporte (08-16): created Tue 02-04 08:00, reply 09:30: 90 min under its group's
 *   schedule (30 over; the default schedule would say 30 min); solved by status, no time: unmeasured.
 */
const T1 = ticket({ id: 'T1', priority: 'high', createdAt: utc(2025, 2, 7, 16, 30), firstResponseAt: utc(2025, 2, 10, 8, 20), resolvedAt: utc(2025, 2, 10, 14, 30) });
const T2 = ticket({ id: 'T2', priority: 'High', createdAt: utc(2025, 2, 4, 9), firstResponseAt: utc(2025, 2, 4, 10, 30), resolvedAt: utc(2025, 2, 5, 11) });
const T3 = ticket({ id: 'T3', priority: 'Low', createdAt: utc(2025, 2, 4, 12), firstResponseAt: utc(2025, 2, 4, 15, 30), resolvedAt: utc(2025, 2, 4, 16) });
const T4 = ticket({ id: 'T4', priority: 'high', status: 'open', createdAt: utc(2025, 2, 10, 8) });
const T5 = ticket({ id: 'T5', priority: 'urgent', createdAt: utc(2025, 2, 4, 9), firstResponseAt: utc(2025, 2, 4, 9, 10), resolvedAt: utc(2025, 2, 4, 10) });
const T6 = ticket({ id: 'T6', priority: 'high', group: 'soporte', status: 'solved', createdAt: utc(2025, 2, 4, 7), firstResponseAt: utc(2025, 2, 4, 8, 30) });
const ALL = [T1, T2, T3, T4, T5, T6];
/** Tue 2025-02-11 09:00 CET. */
const PERIOD: PeriodBounds = { start: utc(2025, 1, 1), end: utc(2025, 2, 11, 8) };

const datasetOf = (records: readonly CxRecord[]): Dataset => oneInputDataset(records, 'ticket', 'tickets.csv');

const metric = (id: string): MetricDefinition => [...SLA_METRICS, ...TICKET_METRICS].find((m) => m.id === id)!;

function compute(id: string, records: readonly CxRecord[], settings: MetricSettings, period: PeriodBounds = PERIOD): MetricResult {
  const def = metric(id);
  const acc = def.create(settings, buildLinks(datasetOf(records)), period);
  for (const r of records) acc.add(r);
  return acc.result();
}

describe('targets', () => {
  it('the first target whose keys match, compared without case or accents', () => {
    const targets = compileSlaTargets([
      { priority: 'Alta', channel: 'Email', resolution: '8h' },
      { priority: 'alta', firstResponse: '1h 30m' },
      { firstResponse: '1d' },
    ]);
    expect(targets.map((t) => [t.label, t.firstResponseSeconds, t.resolutionSeconds])).toEqual([
      ['priority=Alta, channel=Email', undefined, 8 * H],
      ['priority=alta', 90 * MIN, undefined],
      ['any ticket', 24 * H, undefined],
    ]);
    expect(targetFor(targets, ticket({ priority: 'ALTA', channel: 'email' }))?.label).toBe('priority=Alta, channel=Email');
    expect(targetFor(targets, ticket({ priority: 'alta', channel: 'phone' }))?.label).toBe('priority=alta');
    expect(targetFor(targets, ticket({ priority: 'baja' }))?.label).toBe('any ticket');
    expect(targetFor(targets.slice(0, 2), ticket({}))).toBeUndefined();
  });

  it('resolveSettings compiles the config sections and their defaults', () => {
    const config = parseConfig(
      { timezone: 'Europe/Madrid', businessHours: { week: { mon: ['09:00-18:00'] }, time: 'business' }, sla: [{ priority: 'high', firstResponse: '1h' }] },
      'cxm.config.json',
    );
    const settings = resolveSettings(config, BASE.scales);
    expect(settings.businessHours?.zone.name).toBe('Europe/Madrid');
    expect(settings.time).toBe('business');
    expect(settings.scheduleRule).toBe('at-event');
    expect(settings.sla).toEqual([{ priority: 'high', firstResponseSeconds: 3600, label: 'priority=high' }]);
    const empty = resolveSettings(parseConfig({}, 'c.json'), BASE.scales);
    expect([empty.businessHours, empty.time, empty.scheduleRule, empty.sla]).toEqual([null, 'calendar', 'at-event', []]);
  });

  it('the family is registered', () => {
    expect(METRICS.map((m) => m.id)).toEqual(expect.arrayContaining(['sla_first_response_compliance', 'sla_resolution_compliance', 'requester_wait_time', 'agent_wait_time', 'on_hold_time']));
  });
});

describe('sla_first_response_compliance', () => {
  it('in business time: hand-computed tickets', () => {
    const r = compute('sla_first_response_compliance', ALL, BUSINESS);
    // within: T1 (50 min), T3 (2.5 h of 4 h); breached: T2 (90 min), T6 (90 min under Soporte), T4 (open, 8 h) -> 2 / 5
    expect(r.value).toBe(0.4);
    expect(r.n).toBe(5);
    expect(r.ci95).toEqual(wilson(2, 5));
    expect(r.detail).toMatchObject({ time: 'business', schedule_rule: 'at-event', within: 2, breached: 3, breached_open: 1, pending: 0, no_target: 1, unmeasured: 0 });
    expect(r.detail.by_target).toEqual({ 'priority=high': { n: 4, within: 1, value: 0.25 }, 'priority=low': { n: 1, within: 1, value: 1 } });
    // by creation: T6 (Tue 08:00), T2 (Tue 10:00), T4 (Mon 10th)
    const breaches = r.detail.breaches as Omit<Breach, 'key'>[];
    expect(breaches.map((b) => [b.ticket, b.actual_seconds, b.over_seconds, b.open])).toEqual([
      ['T6', 90 * MIN, 30 * MIN, false],
      ['T2', 90 * MIN, 30 * MIN, false],
      ['T4', null, 7 * H, true],
    ]);
    expect(breaches[0]).toMatchObject({ created_at: '2025-02-04T07:00:00.000Z', target: 'priority=high', target_seconds: 3600 });
    expect(r.detail.breaches_listed).toBe(3);
  });

  it('in calendar time without a schedule', () => {
    const r = compute('sla_first_response_compliance', ALL, CALENDAR);
    // T1 62 h 50 min, T2 1.5 h, T6 1.5 h, T4 open 24 h: breached; T3 3.5 h of 4 h: within -> 1 / 5
    expect(r.value).toBe(0.2);
    expect(r.detail).toMatchObject({ time: 'calendar', schedule_rule: null, within: 1, breached: 4 });
  });

  it('an open ticket still inside its target is pending, not judged', () => {
    // T4 judged at Mon 02-10 09:30 CET: 30 business minutes of 60
    const r = compute('sla_first_response_compliance', [T4], BUSINESS, { start: PERIOD.start, end: utc(2025, 2, 10, 8, 30) });
    expect(r).toMatchObject({ value: null, n: 0, detail: { pending: 1, breached: 0 } });
  });

  it('lists the first 100 breaches by creation, the same after any merge', () => {
    const many = Array.from({ length: 250 }, (_, i) =>
      ticket({ id: `B${String(i).padStart(3, '0')}`, priority: 'high', createdAt: utc(2025, 3, 3, 9) + i * 60_000, firstResponseAt: utc(2025, 3, 3, 9) + i * 60_000 + 2 * 3_600_000 }),
    );
    const def = metric('sla_first_response_compliance');
    const links = buildLinks(datasetOf(many));
    const whole = def.create(CALENDAR, links, PERIOD);
    for (const t of many) whole.add(t);
    // the second half first, merged into an accumulator of the first half
    const a = def.create(CALENDAR, links, PERIOD);
    const b = def.create(CALENDAR, links, PERIOD);
    for (const t of many.slice(125).reverse()) a.add(t);
    for (const t of many.slice(0, 125)) b.add(t);
    b.merge(a);
    for (const r of [whole.result(), b.result()]) {
      expect(r.detail.breached).toBe(250);
      expect(r.detail.breaches_listed).toBe(BREACHES_LISTED);
      const ids = (r.detail.breaches as { ticket: string }[]).map((x) => x.ticket);
      expect(ids).toHaveLength(100);
      expect(ids[0]).toBe('B000');
      expect(ids[99]).toBe('B099');
    }
  });
});

describe('sla_resolution_compliance', () => {
  it('in business time: hand-computed tickets', () => {
    const r = compute('sla_resolution_compliance', ALL, BUSINESS);
    // T1 6 h within; T2 10 h breached (2 h over); T4 8 h elapsed = target: pending;
    // T3 (no resolution goal) and T5: no target; T6 solved without a time: unmeasured -> 1 / 2
    expect(r.value).toBe(0.5);
    expect(r.detail).toMatchObject({ within: 1, breached: 1, pending: 1, no_target: 2, unmeasured: 1 });
    expect((r.detail.breaches as { ticket: string; over_seconds: number }[]).map((b) => [b.ticket, b.over_seconds])).toEqual([['T2', 2 * H]]);
  });

  it('places a ticket by its resolution', () => {
    expect(metric('sla_resolution_compliance').timeOf!(T2)).toBe(T2.resolvedAt);
    expect(metric('sla_resolution_compliance').timeOf!(T4)).toBe(T4.createdAt);
  });

  it('a ticket resolved before it was created is left out', () => {
    const bad = ticket({ id: 'X', priority: 'high', createdAt: utc(2025, 2, 4, 10), resolvedAt: utc(2025, 2, 4, 9) });
    expect(compute('sla_resolution_compliance', [bad], BUSINESS).detail).toMatchObject({ negative_excluded: 1, within: 0, breached: 0 });
  });

  it('a placeholder resolution on an open ticket is no resolution: judged by the clock', () => {
    // Zendesk writes 1900-01-01 as "solved at" of unsolved tickets; created Mon 02-10 09:00 CET, 8 h by the period end
    const open = ticket({ id: 'Z', priority: 'high', status: 'Open', createdAt: utc(2025, 2, 10, 8), resolvedAt: utc(1900, 1, 1) });
    expect(compute('sla_resolution_compliance', [open], BUSINESS).detail).toMatchObject({ negative_excluded: 0, pending: 1 });
  });

  it('uses the precomputed business-hours column when the timestamps are missing', () => {
    const pre = ticket({ id: 'P', priority: 'high', createdAt: utc(2025, 2, 4, 9), resolutionBusinessSeconds: 9 * H, status: 'solved' });
    expect(compute('sla_resolution_compliance', [pre], BUSINESS).detail).toMatchObject({ breached: 1 });
  });
});

describe('unavailable', () => {
  const dataset = datasetOf(ALL);
  it('names what is missing', () => {
    expect(metric('sla_first_response_compliance').unavailable(datasetOf([]), BUSINESS)).toBe('no ticket records among the inputs');
    expect(metric('sla_first_response_compliance').unavailable(dataset, BASE)).toBe(
      'no first-response SLA target in the config (e.g. "sla": [{"priority": "high", "firstResponse": "1h"}])',
    );
    expect(metric('sla_resolution_compliance').unavailable(datasetOf([T5]), BUSINESS)).toBe('no ticket matches a resolution SLA target (priority=high)');
    expect(metric('sla_first_response_compliance').unavailable(dataset, BUSINESS)).toBeNull();
    expect(metric('sla_resolution_compliance').unavailable(dataset, BUSINESS)).toBeNull();
  });
});

describe('first_response_time and resolution_time in business time', () => {
  const answered = [T1, T2, T3, T6];
  // business first responses: T1 50 min, T2 90, T3 150, T6 90 (Soporte) -> [3000, 5400, 5400, 9000] s
  // median 5400; mean 5700; p90 (type 7): 5400 + 0.7 × 3600 = 7920
  // calendar: T1 226,200 (62 h 50 min), T2 5400, T3 12,600, T6 5400 -> median (5400 + 12,600) / 2 = 9000

  it('detail.business beside the calendar value', () => {
    const r = compute('first_response_time', answered, BUSINESS);
    expect(r.value).toBe(9000);
    expect(r.detail).toMatchObject({ time: 'calendar', schedule_rule: 'at-event', business: { n: 4, median: 5400, mean: 5700, source: 'schedule' } });
    expect((r.detail.business as { p90: number }).p90).toBeCloseTo(7920, 6);
  });

  it('--time business: the business median is the value, the calendar one in detail', () => {
    const r = compute('first_response_time', answered, { ...BUSINESS, time: 'business' });
    expect(r).toMatchObject({ value: 5400, n: 4, ci95: null, detail: { time: 'business', mean: 5700, min: 3000, max: 9000, calendar: { n: 4, median: 9000 } } });
  });

  it('resolution_time: business through the ticket group schedule', () => {
    // T1 6 h, T2 10 h, T3 13:00-17:00 CET = 1 h + 2 h = 3 h, T5 10:00-11:00 CET = 1 h
    const r = compute('resolution_time', [T1, T2, T3, T5], { ...BUSINESS, time: 'business' });
    // [1, 3, 6, 10] h -> median 4.5 h
    expect(r.value).toBe(4.5 * H);
  });

  it('without a schedule, the precomputed business-hours column', () => {
    const pre = [ticket({ createdAt: utc(2025, 2, 4), firstResponseSeconds: 7200, firstResponseBusinessSeconds: 600 }), ticket({ firstResponseBusinessSeconds: 1200 })];
    const r = compute('first_response_time', pre, { ...CALENDAR, time: 'business' });
    // business [600, 1200] -> median 900; calendar [7200]
    expect(r).toMatchObject({ value: 900, n: 2, detail: { time: 'business', business: { source: 'precomputed' }, calendar: { n: 1, median: 7200 }, schedule_rule: null } });
  });

  it('business-hours columns alone make the metric available, under either clock (detail.time says which)', () => {
    const only = datasetOf([ticket({ firstResponseBusinessSeconds: 600 })]);
    expect(metric('first_response_time').unavailable(only, { ...CALENDAR, time: 'business' })).toBeNull();
    expect(metric('first_response_time').unavailable(only, CALENDAR)).toBeNull();
    expect(metric('first_response_time').unavailable(datasetOf([ticket({ createdAt: 0 })]), CALENDAR)).toMatch(/no first-response time/);
  });

  it('the schedule rule reaches the ticket metrics', () => {
    // Madrid 09-18, 08-20 from Mon 2025-06-02; created Fri 05-30 09:00 CEST, solved Tue 06-03 12:00 CEST
    const changing = compileSchedule(
      {
        timezone: 'Europe/Madrid',
        week: { mon: ['09:00-18:00'], tue: ['09:00-18:00'], fri: ['09:00-18:00'] },
        changes: [{ from: '2025-06-02', week: { mon: ['08:00-20:00'], tue: ['08:00-20:00'], fri: ['08:00-20:00'] } }],
      },
      'UTC',
    );
    const t = ticket({ createdAt: utc(2025, 5, 30, 7), resolvedAt: utc(2025, 6, 3, 10) });
    const settings: MetricSettings = { ...BASE, businessHours: changing, time: 'business' };
    // cumulative 9 + 12 + 4 = 25 h; at-event 11 + 12 + 4 = 27 h
    expect(compute('resolution_time', [t], { ...settings, scheduleRule: 'cumulative' }).value).toBe(25 * H);
    expect(compute('resolution_time', [t], { ...settings, scheduleRule: 'at-event' }).value).toBe(27 * H);
  });
});
