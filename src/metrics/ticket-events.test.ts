import { describe, expect, it } from 'vitest';
import { CxmError } from '../errors.js';
import { detectKind } from '../schema/detect.js';
import type { CxRecord, TicketEventRecord } from '../schema/records.js';
import { compileSchedule } from './business-hours.js';
import { buildLinks, segmentParent } from './links.js';
import { TICKET_EVENT_METRICS } from './ticket-events.js';
import { computeMetric, datasetOf as oneInputDataset, metricOf, recordFactory, TEST_SETTINGS as BASE } from './test-support.js';
import type { MetricResult, MetricSettings } from './types.js';

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
const H = 3600;

/** Tue 2025-02-04, Madrid (CET): local hour h is UTC h - 1. */
const at = (h: number, mi = 0) => Date.UTC(2025, 1, 4, h - 1, mi);
const ticketEvent = recordFactory('ticket_event');
const ticket = recordFactory('ticket');
const event = (ticketId: string, h: number, mi: number, status: string): TicketEventRecord => ticketEvent({ ticketId, at: at(h, mi), status });

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
const TICKET_C = ticket({ id: 'C', group: 'soporte' });

const datasetOf = (records: readonly CxRecord[]) => oneInputDataset(records, 'ticket_event', 'events.csv');

const ALL: CxRecord[] = [...A, ...B, ...C, TICKET_C];
const metric = (id: string) => metricOf(TICKET_EVENT_METRICS, id);

function compute(id: string, records: readonly CxRecord[], settings = SETTINGS): MetricResult {
  return computeMetric(TICKET_EVENT_METRICS, id, records, undefined, settings, datasetOf(records));
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

describe('segmentParent: a ticket event takes the --by fields it lacks from its ticket', () => {
  it('finds the ticket with the event\'s id, only for ticket events', () => {
    const links = buildLinks(datasetOf(ALL));
    const parent = segmentParent(links, 'ticket_event')!;
    expect(parent.kind).toBe('ticket');
    expect(parent.of(C[0]!)).toBe(TICKET_C);
    // A has no ticket record
    expect(parent.of(A[0]!)).toBeUndefined();
    expect(segmentParent(links, 'ticket')).toBeNull();
    expect(segmentParent(links, 'call')).toBeNull();
  });

  it('is null when no ticket is loaded (the readers stay as they are)', () => {
    expect(segmentParent(buildLinks(datasetOf([...A, ...C])), 'ticket_event')).toBeNull();
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
