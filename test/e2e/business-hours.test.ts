/**
 * Business hours and SLAs end to end: `cxm report` over a small ticket export and a status
 * history written to a temp dir, with a cxm.config.json (Madrid, Mon-Fri 09-14 + 15-18,
 * Christmas closed, group Soporte 08-16; SLA high: first response 1 h, resolution 8 h; low: first
 * response 4 h). Every expected number is worked out by hand below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricEntry, ReportModel } from '../../src/report/model.js';
import { cxm, ROOT, tempDir, type RunResult } from './run.js';

const W = ['09:00-14:00', '15:00-18:00'];
const CONFIG = {
  timezone: 'Europe/Madrid',
  businessHours: {
    week: { mon: W, tue: W, wed: W, thu: W, fri: W },
    holidays: ['2025-12-25'],
    byGroup: { Soporte: { week: { mon: ['08:00-16:00'], tue: ['08:00-16:00'], wed: ['08:00-16:00'], thu: ['08:00-16:00'], fri: ['08:00-16:00'] } } },
  },
  sla: [
    { priority: 'high', firstResponse: '1h', resolution: '8h' },
    { priority: 'low', firstResponse: '4h' },
  ],
};

// Local Madrid times (the config's zone reads them). Business minutes (first response / resolution):
// T1 high   Fri 02-07 17:30 -> reply Mon 09:20: 30 + 20 = 50 | solved Mon 15:30: 30 + 300 + 30 = 360
// T2 high   Tue 02-04 10:00 -> reply 11:30: 90            | solved Wed 02-05 12:00: 240 + 180 + 180 = 600
// T3 low    Tue 02-04 13:00 -> reply 16:30: 60 + 90 = 150  | solved 17:00: 60 + 120 = 180
// T4 high   Mon 02-10 09:00, still open: past both targets long before the end of the data
// T6 high   Soporte (08-16) Tue 02-04 08:00 -> reply 09:30: 90 | solved 15:00: 420
// T7 low    Fri 03-28 17:00 -> reply Mon 03-31 10:00 (after the DST change): 60 + 60 = 120
// T8 low    Wed 12-24 17:30 -> reply Fri 12-26 09:30 (Christmas closed): 30 + 30 = 60
const TICKETS = `ticket id,created at,first response at,solved at,priority,group,status
T1,2025-02-07 17:30,2025-02-10 09:20,2025-02-10 15:30,high,Ventas,solved
T2,2025-02-04 10:00,2025-02-04 11:30,2025-02-05 12:00,high,Ventas,solved
T3,2025-02-04 13:00,2025-02-04 16:30,2025-02-04 17:00,low,Ventas,solved
T4,2025-02-10 09:00,,,high,Ventas,open
T6,2025-02-04 08:00,2025-02-04 09:30,2025-02-04 15:00,high,Soporte,solved
T7,2025-03-28 17:00,2025-03-31 10:00,,low,Ventas,open
T8,2025-12-24 17:30,2025-12-26 09:30,,low,Ventas,open
`;

// Status history of T2 and T3:
// T2: new Tue 10:00, pending 11:30, open Wed 09:30, solved 12:00
//     requester wait: calendar 1.5 h + 2.5 h = 4 h; business the same 4 h
//     agent wait: calendar Tue 11:30 -> Wed 09:30 = 22 h; business 2.5 h + 3 h + 0.5 h = 6 h
// T3: open Tue 13:00, hold 13:30, open 16:30, solved 17:00
//     requester wait: calendar 0.5 + 3 + 0.5 = 4 h; business 0.5 + (0.5 + 1.5) + 0.5 = 3 h
//     on hold: calendar 3 h; business 2 h
const EVENTS = `ticket id,status,timestamp
T2,new,2025-02-04 10:00
T2,pending,2025-02-04 11:30
T2,open,2025-02-05 09:30
T2,solved,2025-02-05 12:00
T3,open,2025-02-04 13:00
T3,hold,2025-02-04 13:30
T3,open,2025-02-04 16:30
T3,solved,2025-02-04 17:00
`;

const MIN = 60;
const H = 3600;

/** Wilson 95% interval, written out independently of src/metrics/stats. */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const center = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [center - half, center + half];
}

const dir = tempDir('cxm-business-');
let calendar: ReportModel;
let business: ReportModel;
let table: RunResult;
let cumulative: ReportModel;

function report(args: string[]): RunResult {
  return cxm(['report', 'exports', ...args], { cwd: dir });
}

function json(result: RunResult): ReportModel {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ReportModel;
}

const overall = (model: ReportModel, id: string): MetricEntry => {
  const entry = model.metrics.find((m) => m.id === id && m.period === null && m.segment === null);
  if (!entry) throw new Error(`${id} missing; unavailable: ${JSON.stringify(model.unavailable)}`);
  return entry;
};

beforeAll(() => {
  mkdirSync(path.join(dir, 'exports'));
  writeFileSync(path.join(dir, 'cxm.config.json'), JSON.stringify(CONFIG, null, 2));
  writeFileSync(path.join(dir, 'exports', 'tickets.csv'), TICKETS);
  writeFileSync(path.join(dir, 'exports', 'status_history.csv'), EVENTS);
  calendar = json(report(['--format', 'json']));
  business = json(report(['--format', 'json', '--time', 'business']));
  cumulative = json(report(['--format', 'json', '--schedule-rule', 'cumulative']));
  table = report(['--time', 'business']);
}, 60_000);

describe('cxm report with business hours', () => {
  it('reads the status history as ticket events', () => {
    expect(calendar.inputs.map((i) => [path.basename(i.file), i.kind, i.accepted])).toEqual([
      ['status_history.csv', 'ticket_event', 8],
      ['tickets.csv', 'ticket', 7],
    ]);
  });

  it('first_response_time: calendar value, business median beside it', () => {
    const frt = overall(calendar, 'first_response_time');
    // calendar minutes: T2 90, T6 90, T3 210, T8 2400 (40 h), T1 3770 (62 h 50 min), T7 3840 (64 h: the
    // clocks went forward) -> median (210 + 2400) / 2 = 1305 min
    expect(frt.value).toBe(1305 * MIN);
    expect(frt.n).toBe(6);
    // business minutes [50, 60, 90, 90, 120, 150] -> median 90 min, mean 560 / 6
    expect(frt.detail).toMatchObject({ time: 'calendar', schedule_rule: 'at-event', business: { n: 6, median: 90 * MIN, source: 'schedule' } });
    expect((frt.detail.business as { mean: number }).mean).toBeCloseTo((560 / 6) * MIN, 9);
  });

  it('--time business: the business medians are the values', () => {
    const frt = overall(business, 'first_response_time');
    expect(frt.value).toBe(90 * MIN);
    expect(frt.detail).toMatchObject({ time: 'business', calendar: { n: 6, median: 1305 * MIN } });
    // resolution, business minutes [180, 360, 420, 600] -> median 390 min
    expect(overall(business, 'resolution_time').value).toBe(390 * MIN);
    expect(business.settings).toMatchObject({ time: 'business', schedule_rule: 'at-event' });
  });

  it('SLA first-response compliance in business time', () => {
    const sla = overall(calendar, 'sla_first_response_compliance');
    // within: T1 50 <= 60, T3 150 <= 240, T7 120 <= 240, T8 60 <= 240; breached: T2 90 > 60, T6 90 > 60, T4 open -> 4 / 7
    expect(sla.value).toBeCloseTo(4 / 7, 12);
    expect(sla.n).toBe(7);
    const [lo, hi] = wilson(4, 7);
    expect(sla.ci95![0]).toBeCloseTo(lo, 9);
    expect(sla.ci95![1]).toBeCloseTo(hi, 9);
    expect(sla.detail).toMatchObject({ time: 'business', within: 4, breached: 3, breached_open: 1, no_target: 0 });
    // by creation: T6 (Tue 08:00), T2 (Tue 10:00), T4 (Mon 10th)
    const breaches = sla.detail.breaches as { ticket: string; over_seconds: number; open: boolean }[];
    expect(breaches.map((b) => b.ticket)).toEqual(['T6', 'T2', 'T4']);
    expect(breaches.slice(0, 2).map((b) => b.over_seconds)).toEqual([30 * MIN, 30 * MIN]);
    expect(breaches[2]!.open).toBe(true);
  });

  it('SLA resolution compliance in business time', () => {
    const sla = overall(calendar, 'sla_resolution_compliance');
    // high tickets: T1 360 <= 480 and T6 420 <= 480 within; T2 600 and T4 (open) breached -> 2 / 4; the low ones have no resolution target
    expect(sla.value).toBe(0.5);
    expect(sla.detail).toMatchObject({ within: 2, breached: 2, no_target: 3 });
    const [lo, hi] = wilson(2, 4);
    expect(sla.ci95![0]).toBeCloseTo(lo, 9);
    expect(sla.ci95![1]).toBeCloseTo(hi, 9);
  });

  it('requester wait, agent wait and on-hold from the status history', () => {
    // requester wait: calendar [4, 4] h -> 4 h; business [4, 3] h -> 3.5 h
    expect(overall(calendar, 'requester_wait_time')).toMatchObject({ value: 4 * H, n: 2, detail: { business: { median: 3.5 * H } } });
    expect(overall(business, 'requester_wait_time').value).toBe(3.5 * H);
    // agent wait: calendar [22, 0] h -> 11 h; business [6, 0] h -> 3 h
    expect(overall(calendar, 'agent_wait_time').value).toBe(11 * H);
    expect(overall(business, 'agent_wait_time').value).toBe(3 * H);
    // on hold: calendar [0, 3] h -> 1.5 h; business [0, 2] h -> 1 h
    expect(overall(calendar, 'on_hold_time').value).toBe(1.5 * H);
    expect(overall(business, 'on_hold_time').value).toBe(1 * H);
  });

  it('--schedule-rule is echoed in the settings (no schedule change here, so the numbers agree)', () => {
    expect(cumulative.settings).toMatchObject({ time: 'calendar', schedule_rule: 'cumulative' });
    expect(overall(cumulative, 'first_response_time').detail).toMatchObject({ schedule_rule: 'cumulative', business: { median: 90 * MIN } });
  });

  it('the table footer says which clock and rule were used', () => {
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('times in business hours, schedule rule at-event');
    expect(table.stdout).toMatch(/SLA compliance: first response\s+│\s+57\.1%/);
  });
});

describe('a schedule change while a ticket is open', () => {
  it('--schedule-rule at-event and cumulative give the hand-computed minutes', () => {
    // Madrid Mon-Fri 09-18 until Sunday 2025-06-01, 08-20 from Monday 2025-06-02.
    // One ticket: created Fri 2025-05-30 09:00, solved Tue 2025-06-03 12:00 (local times).
    // cumulative: Fri 09-18 (540) + Mon 08-20 (720) + Tue 08-12 (240) = 1500 min
    // at-event: the solve falls under the new week, for the whole span: Fri 09-20 (660) + 720 + 240 = 1620 min
    const sub = path.join(dir, 'change');
    mkdirSync(path.join(sub, 'exports'), { recursive: true });
    const nine = ['09:00-18:00'];
    const twelve = ['08:00-20:00'];
    writeFileSync(
      path.join(sub, 'cxm.config.json'),
      JSON.stringify({
        timezone: 'Europe/Madrid',
        businessHours: {
          week: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine },
          changes: [{ from: '2025-06-02', week: { mon: twelve, tue: twelve, wed: twelve, thu: twelve, fri: twelve } }],
          time: 'business',
        },
      }),
    );
    writeFileSync(path.join(sub, 'exports', 'tickets.csv'), 'ticket id,created at,solved at\nC1,2025-05-30 09:00,2025-06-03 12:00\n');
    const run = (rule: string) => json(cxm(['report', 'exports', '--format', 'json', '--metrics', 'resolution_time', '--schedule-rule', rule], { cwd: sub }));
    const atEvent = run('at-event');
    const cumulativeRun = run('cumulative');
    expect(overall(atEvent, 'resolution_time').value).toBe(1620 * MIN);
    expect(overall(cumulativeRun, 'resolution_time').value).toBe(1500 * MIN);
    // calendar: 4 days 3 hours = 99 h, beside it
    expect(overall(cumulativeRun, 'resolution_time').detail).toMatchObject({ time: 'business', schedule_rule: 'cumulative', calendar: { median: 99 * H } });
  });
});

describe('errors', () => {
  it('a bad schedule is INVALID_CONFIG naming the key (exit 2)', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ businessHours: { week: { mon: ['18:00-09:00'], monday: ['09:00-10:00'] }, holidays: ['2025-02-30'] } }));
    const r = report(['--config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('businessHours.week.mon[0]: "18:00-09:00": the end must be after the start');
    expect(r.stderr).toContain('businessHours.week: Unrecognized key: "monday"');
    expect(r.stderr).toContain('businessHours.holidays[0]: expected a date');
    expect(r.stdout).toBe('');
  });

  it('--time accepts only business or calendar', () => {
    const r = report(['--time', 'office']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--time/);
  });

  it('--time business without a schedule warns and uses the export\'s business-hours columns', () => {
    const plain = path.join(dir, 'plain.json');
    writeFileSync(plain, JSON.stringify({ timezone: 'Europe/Madrid' }));
    const model = json(report(['--config', plain, '--format', 'json', '--time', 'business']));
    expect(model.warnings.some((w) => w.startsWith('--time business without a businessHours schedule'))).toBe(true);
    expect(model.unavailable.find((u) => u.id === 'sla_first_response_compliance')?.reason).toMatch(/^no first-response SLA target in the config/);
  });
});

// ---------------------------------------------------------------------------------------
// fixtures/business-hours: calls in business time, every-year holidays, --by on status waits

const FIXTURE = path.join(ROOT, 'fixtures/business-hours');
const fixtureReport = (files: string[], args: string[]): ReportModel =>
  json(cxm(['report', ...files.map((f) => path.join(FIXTURE, f)), '--config', path.join(FIXTURE, 'cxm.config.json'), '--format', 'json', ...args], { cwd: dir }));
const segmentOf = (model: ReportModel, id: string, field: string, value: string): MetricEntry | undefined =>
  model.metrics.find((m) => m.id === id && m.period === null && m.segment?.[field] === value);

describe('call metrics in business time (fixtures/business-hours/calls.csv)', () => {
  // Madrid, Mon-Fri 09-14 + 15-18; every-year holidays "12-25" and "12-31".."01-01"; queue Soporte
  // Mon-Fri 08-16 and Sat 10-14. The nine calls (local times):
  // c1 Tue 2025-02-04 10:00 in      answered, wait 10, talk 100
  // c2 Tue 2025-02-04 14:30 lunch   abandoned after 60
  // c3 Tue 2025-02-04 17:59:30 in   answered after 90 (past the close: still 90 s), talk 200
  // c4 Sat 2025-02-08 11:00 Ventas  weekend: out, abandoned after 30
  // c5 Sat 2025-02-08 11:00 Soporte in (its Saturday hours), answered, wait 15, talk 300
  // c6 Thu 2025-12-25 10:00         Christmas: out, answered, wait 5, talk 50
  // c7 Fri 2026-12-25 10:00         Christmas again (the same "12-25" entry): out, abandoned after 40
  // c8 Mon 2025-03-31 09:30 CEST    the day after the DST change: in, answered, wait 18, talk 120
  // c9 Mon 2026-12-28 10:00         in, abandoned after 45
  // in hours: c1 c3 c5 c8 c9 (5); outside: c2 c4 c6 c7 (4)
  let business: ReportModel;
  let calendar: ReportModel;
  beforeAll(() => {
    business = fixtureReport(['calls.csv'], ['--time', 'business']);
    calendar = fixtureReport(['calls.csv'], []);
  }, 60_000);

  it('call_volume: 5 calls offered in hours of 9', () => {
    expect(overall(business, 'call_volume')).toMatchObject({ value: 5, detail: { time: 'business', outside_hours: 4, no_start_time: 0, calendar: { value: 9 } } });
    expect(overall(calendar, 'call_volume')).toMatchObject({ value: 9, detail: { time: 'calendar', business: { value: 5 } } });
  });

  it('abandonment_rate and service_level over the calls offered in hours', () => {
    // abandonment: business 1 (c9) / (4 handled + 1) = 0.2; calendar 4 (c2 c4 c7 c9) / (5 + 4) = 4/9
    expect(overall(business, 'abandonment_rate').value).toBe(0.2);
    expect(overall(calendar, 'abandonment_rate').value).toBeCloseTo(4 / 9, 12);
    // service level (20 s): business c1 c5 c8 within / (4 answered + 1 abandoned) = 0.6; calendar (c1 c5 c6 c8) 4 / 9
    expect(overall(business, 'service_level').value).toBe(0.6);
    expect(overall(business, 'service_level').detail.calendar).toMatchObject({ n: 9 });
    expect(overall(calendar, 'service_level').value).toBeCloseTo(4 / 9, 12);
  });

  it('speed of answer and handle time: calendar seconds of the calls in hours', () => {
    // ASA: business (10 + 90 + 15 + 18) / 4 = 33.25; calendar (10 + 90 + 15 + 5 + 18) / 5 = 27.6
    expect(overall(business, 'average_speed_of_answer').value).toBe(33.25);
    expect(overall(calendar, 'average_speed_of_answer').value).toBeCloseTo(27.6, 12);
    // AHT: business (100 + 200 + 300 + 120) / 4 = 180; calendar (… + 50) / 5 = 154
    expect(overall(business, 'aht').value).toBe(180);
    expect(overall(calendar, 'aht').value).toBe(154);
  });
});

describe('--by on status-history waits reads the ticket\'s field (fixtures/business-hours events.csv + tickets.csv)', () => {
  // events.csv has no group or channel; tickets.csv gives E1 Ventas/email, E2 Soporte/phone, E3 Soporte/email.
  // E1 (default schedule): new Tue 10:00, pending 11:30, open Wed 09:30, solved 12:00
  //    requester 1.5 + 2.5 = 4 h (business the same); agent Tue 11:30 -> Wed 09:30 = 22 h, business 2.5 + 3 + 0.5 = 6 h
  // E2 (Soporte 08-16): new 08:00, open 08:30, hold 10:00, open 13:00, solved 15:00
  //    requester 7 h (business 7 h: the default 09-14 + 15-18 would give 5 h); on hold 3 h
  // E3 (Soporte): open Wed 13:00, pending 14:00, open 17:00, solved 17:30
  //    requester 1 + 0.5 = 1.5 h, business 1 h (17:00-17:30 is after 16:00); agent 3 h, business 14-16 = 2 h
  let byGroup: ReportModel;
  let byChannel: ReportModel;
  const METRICS = ['--metrics', 'requester_wait_time,agent_wait_time,on_hold_time'];
  beforeAll(() => {
    byGroup = fixtureReport(['events.csv', 'tickets.csv'], [...METRICS, '--by', 'group']);
    byChannel = fixtureReport(['events.csv', 'tickets.csv'], [...METRICS, '--by', 'channel', '--time', 'business']);
  }, 60_000);

  it('segments requester, agent and on-hold waits by the ticket\'s group', () => {
    // Ventas: E1; Soporte: E2, E3 -> requester calendar [7, 1.5] median 4.25 h, business [7, 1] 4 h
    expect(segmentOf(byGroup, 'requester_wait_time', 'group', 'Ventas')).toMatchObject({ value: 4 * H, n: 1 });
    expect(segmentOf(byGroup, 'requester_wait_time', 'group', 'Soporte')).toMatchObject({ value: 4.25 * H, n: 2, detail: { business: { median: 4 * H } } });
    // agent wait: Ventas 22 h (business 6 h); Soporte [0, 3] -> 1.5 h (business [0, 2] -> 1 h)
    expect(segmentOf(byGroup, 'agent_wait_time', 'group', 'Ventas')).toMatchObject({ value: 22 * H, detail: { business: { median: 6 * H } } });
    expect(segmentOf(byGroup, 'agent_wait_time', 'group', 'Soporte')).toMatchObject({ value: 1.5 * H, detail: { business: { median: 1 * H } } });
    // on hold: Soporte [3, 0] -> 1.5 h
    expect(segmentOf(byGroup, 'on_hold_time', 'group', 'Soporte')).toMatchObject({ value: 1.5 * H });
    expect(byGroup.metrics.filter((m) => m.segment?.group === '(none)')).toEqual([]);
  });

  it('by channel, in business time', () => {
    // email: E1 4 h, E3 1 h (business) -> 2.5 h; phone: E2 7 h
    expect(segmentOf(byChannel, 'requester_wait_time', 'channel', 'email')).toMatchObject({ value: 2.5 * H, n: 2, detail: { time: 'business' } });
    expect(segmentOf(byChannel, 'requester_wait_time', 'channel', 'phone')).toMatchObject({ value: 7 * H, n: 1 });
  });

  it('without the ticket file the events have no group: one "(none)" segment', () => {
    const alone = fixtureReport(['events.csv'], [...METRICS, '--by', 'group']);
    expect(alone.metrics.filter((m) => m.id === 'requester_wait_time' && m.segment !== null).map((m) => m.segment)).toEqual([{ group: '(none)' }]);
  });
});
