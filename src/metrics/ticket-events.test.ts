import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import { CxmError } from '../errors.js';
import { detectKind } from '../schema/detect.js';
import type { CxRecord, TicketEventRecord, TicketRecord } from '../schema/records.js';
import { compileSchedule } from './business-hours.js';
import { buildLinks } from './links.js';
import { TICKET_EVENT_METRICS } from './ticket-events.js';
import type { MetricResult, MetricSettings, PeriodBounds } from './types.js';

const BASE: MetricSettings = {
  scales: {
    csat: { min: 1, max: 5 },
    ces: { min: 1, max: 7 },
    review: { min: 1, max: 5 },
    frustration: { min: 1, max: 5 },
    social: { min: 1, max: 5 },
  },
  csatPositiveFrom: 4,
  csatRule: 'all-answers',
  cesLowEffortFrom: 5,
  cesDirection: 'higher-is-easier',
  minSample: 30,
  shortAbandonSeconds: 5,
  serviceLevelSeconds: 20,
  socialComplaintShare: 0.03,
  grossMargin: null,
  recurringWindowDays: 7,
};
const W = ['09:00-14:00', '15:00-18:00'];
const SCHEDULE = compileSchedule(
  {
    timezone: 'Europe/Madrid',
    week: { mon: W, tue: W, wed: W, thu: W, fri: W },
    byGroup: { Soporte: { week: { tue: ['08:00-16:00'] } } },
  },
  'UTC',
);
const SETTINGS: MetricSettings = { ...BASE, businessHours: SCHEDULE, scheduleRule: 'at-event', time: 'calendar' };
const WHOLE: PeriodBounds = { start: Date.UTC(2000, 0, 1), end: Date.UTC(2030, 0, 1) };
const H = 3600;

/** Tue 2025-02-04, Madrid (CET): local hour h is UTC h - 1. */
const at = (h: number, mi = 0) => Date.UTC(2025, 1, 4, h - 1, mi);
let line = 1;
const event = (ticketId: string, h: number, mi: number, status: string): TicketEventRecord => ({ kind: 'ticket_event', input: 0, line: line++, attrs: Object.create(null), ticketId, at: at(h, mi), status });

// A: as in business-hours.test.ts: requester wait 7 h calendar / 5 h business, agent wait 2 h / 2 h, on hold 2.5 h / 1.5 h
const A = [
  event('A', 8, 0, 'new'),
  event('A', 9, 30, 'open'),
  event('A', 10, 0, 'pending'),
  event('A', 12, 0, 'open'),
  event('A', 13, 30, 'hold'),
  event('A', 16, 0, 'open'),
  event('A', 17, 0, 'solved'),
];
// B: still pending: unsolved
const B = [event('B', 9, 0, 'new'), event('B', 10, 0, 'pendiente')];
// C: group Soporte (Tue 08-16): open 07:00-11:00 -> calendar 4 h, business 08-11 = 3 h (default schedule: 2 h); pending 11-12 1 h
const C = [event('C', 7, 0, 'Abierto'), event('C', 11, 0, 'Pendiente'), event('C', 12, 0, 'Resuelto')];
const TICKET_C: TicketRecord = { kind: 'ticket', input: 0, line: line++, attrs: Object.create(null), id: 'C', group: 'soporte' };

function datasetOf(records: readonly CxRecord[]): Dataset {
  const dataset = new Dataset();
  dataset.addInput({ file: 'events.csv', kind: 'ticket_event', status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
  for (const record of records) dataset.add(record);
  return dataset;
}

const ALL: CxRecord[] = [...A, ...B, ...C, TICKET_C];
const metric = (id: string) => TICKET_EVENT_METRICS.find((m) => m.id === id)!;

function compute(id: string, records: readonly CxRecord[], settings = SETTINGS): MetricResult {
  const def = metric(id);
  const acc = def.create(settings, buildLinks(datasetOf(records)), WHOLE);
  for (const r of records) if (def.kinds.includes(r.kind)) acc.add(r);
  return acc.result();
}

describe('status-history metrics', () => {
  it('lists three metrics over ticket_event records', () => {
    expect(TICKET_EVENT_METRICS.map((m) => m.id)).toEqual(['requester_wait_time', 'agent_wait_time', 'on_hold_time']);
    expect(TICKET_EVENT_METRICS.every((m) => m.kinds.length === 1 && m.kinds[0] === 'ticket_event')).toBe(true);
  });

  it('requester wait: one value per solved ticket, calendar and business', () => {
    const r = compute('requester_wait_time', ALL);
    // solved: A (7 h / 5 h), C (4 h / 3 h under Soporte); B unsolved
    // calendar [4, 7] h -> median 5.5 h; business [3, 5] h -> median 4 h
    expect(r).toMatchObject({ value: 5.5 * H, n: 2, detail: { time: 'calendar', unsolved: 1, schedule_rule: 'at-event', calendar: { n: 2, median: 5.5 * H }, business: { n: 2, median: 4 * H } } });
  });

  it('--time business makes the business median the value', () => {
    expect(compute('requester_wait_time', ALL, { ...SETTINGS, time: 'business' }).value).toBe(4 * H);
  });

  it('agent wait (pending) and on-hold', () => {
    // agent wait: A 2 h, C 1 h -> median 1.5 h; on hold: A 2.5 h, C 0 -> median 1.25 h
    expect(compute('agent_wait_time', ALL).value).toBe(1.5 * H);
    expect(compute('on_hold_time', ALL).value).toBe(1.25 * H);
    // business on hold: A 1.5 h, C 0 -> 0.75 h
    expect(compute('on_hold_time', ALL, { ...SETTINGS, time: 'business' }).value).toBe(0.75 * H);
  });

  it('each ticket counts once, whatever the number of its events and their order', () => {
    const shuffled = [...A].reverse();
    expect(compute('requester_wait_time', shuffled)).toMatchObject({ n: 1, value: 7 * H });
  });

  it('lists status words it does not know', () => {
    const r = compute('requester_wait_time', [event('D', 9, 0, 'open'), event('D', 10, 0, 'Escalated'), event('D', 11, 0, 'closed')]);
    expect(r).toMatchObject({ value: 1 * H, detail: { unknown_statuses: { Escalated: 1 } } });
  });

  it('says why it cannot be computed', () => {
    const m = metric('requester_wait_time');
    expect(m.unavailable(datasetOf([]), SETTINGS)).toBe('no ticket event records among the inputs');
    expect(m.unavailable(datasetOf(B), SETTINGS)).toBe("no ticket's status history ends solved or closed");
    expect(m.unavailable(datasetOf(A), { ...BASE, time: 'business' })).toBe('--time business needs a businessHours schedule in the config to measure status histories');
    expect(m.unavailable(datasetOf(A), SETTINGS)).toBeNull();
  });
});

describe('detecting a status-history file (the ticket_event kind)', () => {
  const kindOf = (header: string[], file: string) => {
    const d = detectKind(header, file);
    return d.status === 'recognised' ? d.match.kind : d.status;
  };

  it('an event-specific header or file name makes it ticket events', () => {
    // ticket_event: ticketId 1 + status 2 + at 1 = 4; ticket: id 2 + status 1 (timestamp is no ticket alias) = 3
    expect(kindOf(['ticket id', 'status', 'timestamp'], 'export.csv')).toBe('ticket_event');
    // the file name adds 2 to ticket_event only: 6 against 4
    expect(kindOf(['Ticket ID', 'Estado', 'Fecha'], 'historial_estados.csv')).toBe('ticket_event');
    // an event id column weighs 3: 7 + 2 against ticket's 4 + 2 ("ticket" in the name)
    expect(kindOf(['event id', 'ticket id', 'status', 'created at'], 'ticket_events.csv')).toBe('ticket_event');
  });

  it('a ticket list stays a ticket list', () => {
    expect(kindOf(['ticket id', 'status', 'created at'], 'tickets.csv')).toBe('ticket');
    expect(kindOf(['ticket id', 'status', 'created at', 'priority', 'subject'], 'export.csv')).toBe('ticket');
  });

  it('three generic columns fit both kinds equally: it asks for --kind', () => {
    // ticket: id 2 + status 1 + createdAt 1 = 4; ticket_event: 1 + 2 + 1 = 4
    try {
      detectKind(['ticket id', 'status', 'created at'], 'export.csv');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CxmError);
      expect((error as CxmError).code).toBe('AMBIGUOUS_KIND');
      expect((error as CxmError).message).toContain('fit both ticket and ticket_event');
    }
  });
});
