/**
 * The journey metrics end to end: `cxm report fixtures/demo --metrics <the eight journey ids>
 * --format json`, every number recomputed here from the raw demo files (papaparse for the CSV
 * files, JSON.parse for tickets.json) without importing anything from `src/`.
 *
 * The definitions the recomputation follows (see the metric catalogue, `cxm metrics`):
 * - The analysed range is [earliest, latest + 1 ms] over the instants of the activity records the
 *   selected metrics read: employee feedback `submitted_at`, onboarding `started_at`, ticket
 *   `created_at` and call `Fecha` + `Hora` (local times read in UTC: no config). Customers and deals
 *   describe states, so they do not widen it; a record outside it is left out.
 * - Deals are placed by `closed_at`; a deal is won or lost by its `stage`.
 * - New customers start at their first onboarding, else at `signup_date`; a customer whose 30 days
 *   reach past the last ticket or call is left out.
 * - Contacts are tickets and calls; call queues name the same topics as ticket categories
 *   (Facturación = billing, Pedidos = delivery, Devoluciones = returns).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MetricEntry, ReportModel } from '../../src/report/model.js';
import { readCsv, type Row } from './independent.js';
import { DEMO, cxmRun, type RunResult } from './run.js';

const IDS = [
  'employee_feedback_volume',
  'employee_frustration',
  'time_to_revenue',
  'win_rate',
  'installation_success_rate',
  'time_to_first_value',
  'early_life_contact_rate',
  'repeat_contact_rate',
];

// ---------------------------------------------------------------------------------------------
// The raw files

const DAY_MS = 86_400_000;
const utcDate = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`);

const feedback = readCsv(path.join(DEMO, 'employee_feedback.csv')).rows;
const deals = readCsv(path.join(DEMO, 'deals.csv')).rows;
const onboarding = readCsv(path.join(DEMO, 'onboarding.csv')).rows;
const customers = readCsv(path.join(DEMO, 'customers.csv')).rows;
const calls = readCsv(path.join(DEMO, 'llamadas.csv')).rows;

interface RawTicket {
  id: number;
  created_at: string;
  requester_external_id: string | null;
  via: { channel: string };
  category: string | null;
}
/** tickets.json re-exports 3 tickets right after themselves: the first copy of each id is kept. */
const tickets: RawTicket[] = (() => {
  const all = (JSON.parse(readFileSync(path.join(DEMO, 'tickets.json'), 'utf8')) as { tickets: RawTicket[] }).tickets;
  const seen = new Set<number>();
  return all.filter((t) => !seen.has(t.id) && seen.add(t.id));
})();

/** A call's local `dd/mm/yyyy` + `HH:MM:SS`, read in UTC. */
function callInstant(row: Row): number {
  const [d, m, y] = row['Fecha']!.split('/');
  return Date.parse(`${y}-${m}-${d}T${row['Hora']}Z`);
}

interface Contact {
  customer: string;
  at: number;
  kind: 'ticket' | 'call';
  channel: string;
  topic: string;
}
const QUEUE_TOPIC: Record<string, string> = {
  Pedidos: 'delivery',
  Devoluciones: 'returns',
  Facturación: 'billing',
  Instalaciones: 'installation',
  'Atención general': 'atencion general',
};
const contacts: Contact[] = [
  ...tickets.map((t) => ({ customer: t.requester_external_id ?? '', at: Date.parse(t.created_at), kind: 'ticket' as const, channel: t.via.channel, topic: t.category ?? '' })),
  ...calls.map((c) => ({ customer: c['Cliente']!, at: callInstant(c), kind: 'call' as const, channel: 'phone', topic: QUEUE_TOPIC[c['Cola']!]! })),
];

// The analysed range (see the module comment).
const activity = [
  ...feedback.map((r) => utcDate(r['submitted_at']!)),
  ...onboarding.map((r) => utcDate(r['started_at']!)),
  ...contacts.map((c) => c.at),
];
const RANGE_START = Math.min(...activity);
const RANGE_END = Math.max(...activity) + 1;
const inRange = (t: number) => t >= RANGE_START && t < RANGE_END;

// ---------------------------------------------------------------------------------------------
// Small statistics, written out here

/** Hyndman & Fan type 7 (R's default): linear interpolation between order statistics. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!) : sorted[lo]!;
}
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Wilson score interval, z = 1.959964 (Wilson 1927). */
function wilson(x: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = x / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [centre - half, centre + half];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

let overallRun: RunResult;
let dealsMonthly: RunResult;
let onboardingMonthly: RunResult;
let byAreaRun: RunResult;
let model: ReportModel;

beforeAll(async () => {
  // The period and segment runs read one file each: the analysed range is then that file's own
  // (a deals file alone spans its created and closed dates).
  [overallRun, dealsMonthly, onboardingMonthly, byAreaRun] = await Promise.all([
    cxmRun(['report', 'fixtures/demo', '--metrics', IDS.join(','), '--format', 'json']),
    cxmRun(['report', 'fixtures/demo/deals.csv', '--metrics', 'win_rate,time_to_revenue', '--period', 'month', '--format', 'json']),
    cxmRun(['report', 'fixtures/demo/onboarding.csv', '--metrics', 'time_to_first_value', '--period', 'month', '--format', 'json']),
    cxmRun(['report', 'fixtures/demo/employee_feedback.csv', '--metrics', 'employee_frustration', '--by', 'area', '--format', 'json']),
  ]);
  model = JSON.parse(overallRun.stdout) as ReportModel;
}, 120_000);

function overall(id: string): MetricEntry {
  const row = model.metrics.find((m) => m.id === id && m.period === null && m.segment === null);
  if (!row) throw new Error(`no overall row for ${id}; unavailable: ${JSON.stringify(model.unavailable)}`);
  return row;
}

function close(actual: unknown, expected: number, tolerance = 1e-9): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected), `${String(actual)} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('cxm report fixtures/demo --metrics <journey ids> --format json', () => {
  it('exits 0, computes all eight, and the range is what the raw activity spans', () => {
    expect(overallRun.stderr).toBe('');
    expect(overallRun.code).toBe(0);
    expect(model.unavailable).toEqual([]);
    expect(model.metrics.map((m) => m.id)).toEqual(IDS);
    expect(model.metrics.every((m) => m.domain === 'journey')).toBe(true);
    // 2024-12-01T13:55:08Z is the first ticket; 2025-12-31T19:49:41Z the last contact
    expect(new Date(RANGE_START).toISOString()).toBe('2024-12-01T13:55:08.000Z');
    expect((model.settings as unknown as { range: [string, string] }).range).toEqual(['2024-12-01T13:55:08Z', '2025-12-31T19:49:41Z']);
  });

  it('employee_feedback_volume: every answer (388), by area', () => {
    const row = overall('employee_feedback_volume');
    expect(feedback.length).toBe(388);
    expect(row.value).toBe(388);
    const byArea = Object.fromEntries([...groupBy(feedback, (r) => r['area']!)].map(([area, rows]) => [area, rows.length]));
    expect(row.detail.by_area).toEqual(byArea);
    expect((row.detail.by_area as Record<string, number>)['returns process']).toBe(102); // the README's busiest area
    expect(row.detail.with_text).toBe(feedback.filter((r) => r['comment']!.trim() !== '').length);
  });

  it('employee_frustration: the mean rating, the share of 4-5 answers with its Wilson interval, the mean by area', () => {
    const row = overall('employee_frustration');
    const ratings = feedback.map((r) => Number(r['frustration']));
    const frustrating = ratings.filter((x) => x >= 4).length;
    expect(row.n).toBe(388);
    close(row.value, mean(ratings));
    const share = row.detail.frustrating_share as { value: number; ci95: [number, number]; frustrating: number; n: number };
    expect(share.frustrating).toBe(frustrating);
    close(share.value, frustrating / 388);
    close(share.ci95[0], wilson(frustrating, 388)[0]);
    close(share.ci95[1], wilson(frustrating, 388)[1]);
    const byArea = row.detail.by_area as Record<string, { n: number; mean: number; frustrating: number }>;
    for (const [area, rows] of groupBy(feedback, (r) => r['area']!)) {
      const values = rows.map((r) => Number(r['frustration']));
      expect(byArea[area]!.n).toBe(values.length);
      close(byArea[area]!.mean, mean(values));
      expect(byArea[area]!.frustrating).toBe(values.filter((x) => x >= 4).length);
    }
  });

  it('time_to_revenue: median and p90 of created -> closed over the won deals closed in the range', () => {
    const row = overall('time_to_revenue');
    const won = deals.filter((d) => d['stage'] === 'won' && inRange(utcDate(d['closed_at']!)));
    const seconds = won.map((d) => (utcDate(d['closed_at']!) - utcDate(d['created_at']!)) / 1000);
    expect(won.length).toBe(179); // every won deal of deals.csv closes in the range
    expect(row.n).toBe(179);
    close(row.value, quantile(seconds, 0.5));
    close(row.detail.p90, quantile(seconds, 0.9));
    close(row.detail.mean, mean(seconds));
    close(row.detail.revenue_won, won.reduce((sum, d) => sum + Number(d['amount']), 0), 1e-12);
  });

  it('win_rate: won / (won + lost) deals closed in the range, Wilson interval; open deals left out', () => {
    const row = overall('win_rate');
    const closed = deals.filter((d) => d['closed_at'] !== '' && inRange(utcDate(d['closed_at']!)));
    const won = closed.filter((d) => d['stage'] === 'won').length;
    const lost = closed.filter((d) => d['stage'] === 'lost').length;
    expect([won, lost]).toEqual([179, 64]); // 35 open deals have no close date
    expect(row.n).toBe(243);
    close(row.value, 179 / 243);
    close(row.ci95![0], wilson(179, 243)[0]);
    close(row.ci95![1], wilson(179, 243)[1]);
  });

  it('installation_success_rate: success = yes over all installations (21.7% fail, as the README says)', () => {
    const row = overall('installation_success_rate');
    const yes = onboarding.filter((r) => r['success'] === 'yes').length;
    const no = onboarding.filter((r) => r['success'] === 'no').length;
    expect(yes + no).toBe(889);
    expect(row.n).toBe(889);
    close(row.value, yes / 889);
    expect(((no / 889) * 100).toFixed(1)).toBe('21.7');
    expect(row.detail.first_attempt_successes).toBe(onboarding.filter((r) => r['success'] === 'yes' && r['attempts'] === '1').length);
    close(row.ci95![0], wilson(yes, 889)[0]);
  });

  it('time_to_first_value: started -> installed of the successful installations; median by start month', () => {
    const row = overall('time_to_first_value');
    const done = onboarding.filter((r) => r['success'] === 'yes');
    const seconds = done.map((r) => (utcDate(r['installed_at']!) - utcDate(r['started_at']!)) / 1000);
    expect(row.n).toBe(done.length);
    close(row.value, quantile(seconds, 0.5));
    close(row.detail.p90, quantile(seconds, 0.9));
    close(row.detail.mean, mean(seconds));
    expect(row.detail.failed).toBe(onboarding.length - done.length);
    expect(row.detail.cohort_zone).toBe('UTC');
    const cohorts: Record<string, { median: number; n: number }> = {};
    for (const [month, rows] of [...groupBy(done, (r) => r['started_at']!.slice(0, 7))].sort(([a], [b]) => (a < b ? -1 : 1))) {
      cohorts[month] = { median: quantile(rows.map((r) => (utcDate(r['installed_at']!) - utcDate(r['started_at']!)) / 1000), 0.5), n: rows.length };
    }
    expect(row.detail.by_cohort).toEqual(cohorts);
    expect(Object.keys(cohorts)).toHaveLength(13); // 2024-12 … 2025-12
  });

  it('early_life_contact_rate: new customers (first onboarding, else signup) with a ticket or call within 30 days', () => {
    const row = overall('early_life_contact_rate');
    const firstStart = new Map<string, number>();
    for (const r of onboarding) {
      const t = utcDate(r['started_at']!);
      if (!firstStart.has(r['customer_id']!) || t < firstStart.get(r['customer_id']!)!) firstStart.set(r['customer_id']!, t);
    }
    const starts: number[] = [];
    const who: string[] = [];
    for (const [customer, t] of firstStart) if (inRange(t)) (starts.push(t), who.push(customer));
    for (const c of customers) {
      const t = utcDate(c['signup_date']!);
      if (!firstStart.has(c['customer_id']!) && inRange(t)) (starts.push(t), who.push(c['customer_id']!));
    }
    const lastContact = Math.max(...contacts.map((c) => c.at));
    let counted = 0;
    let contacted = 0;
    let incomplete = 0;
    starts.forEach((start, i) => {
      if (start + 30 * DAY_MS > lastContact) return void incomplete++;
      counted++;
      if (contacts.some((c) => c.customer === who[i] && c.at >= start && c.at < start + 30 * DAY_MS)) contacted++;
    });
    expect(row.n).toBe(counted);
    expect(row.detail).toMatchObject({ contacted, new_customers: counted, incomplete_window: incomplete, window_days: 30 });
    close(row.value, contacted / counted);
    close(row.ci95![1], wilson(contacted, counted)[1]);
  });

  it('repeat_contact_rate: contacts followed within 7 days by the same customer, same topic, another channel; by channel pair', () => {
    const row = overall('repeat_contact_rate');
    expect(new Set(tickets.map((t) => t.via.channel))).toEqual(new Set(['email', 'web', 'chat', 'phone']));
    const byCustomer = groupBy(contacts, (c) => c.customer);
    for (const list of byCustomer.values()) list.sort((a, b) => a.at - b.at);
    const pairs: Record<string, number> = {};
    let repeated = 0;
    for (const c of contacts) {
      const next = byCustomer.get(c.customer)!.find((o) => o.at > c.at && o.at <= c.at + 7 * DAY_MS && o.topic === c.topic && o.channel !== c.channel);
      if (!next) continue;
      repeated++;
      pairs[`${c.channel}->${next.channel}`] = (pairs[`${c.channel}->${next.channel}`] ?? 0) + 1;
    }
    expect(contacts.length).toBe(2120 + 2331); // every ticket and call carries a customer, a time, a channel and a topic
    expect(row.n).toBe(4451);
    expect(row.detail.repeated).toBe(repeated);
    close(row.value, repeated / 4451);
    close(row.ci95![0], wilson(repeated, 4451)[0]);
    expect(row.detail.by_channel_pair).toEqual(pairs);
    expect(pairs['email->phone']).toBeGreaterThan(0); // a ticket followed by a call: the join across kinds works
  });
});

describe('--period and --by', () => {
  it('--period month: win_rate and time_to_revenue by the month deals closed in', () => {
    expect(dealsMonthly.code).toBe(0);
    const m = JSON.parse(dealsMonthly.stdout) as ReportModel;
    const closed = deals.filter((d) => d['stage'] === 'won' || d['stage'] === 'lost');
    const months = groupBy(closed, (d) => d['closed_at']!.slice(0, 7));
    expect(months.size).toBe(13); // 2024-12 … 2025-12
    for (const [month, rows] of months) {
      const winRate = m.metrics.find((x) => x.id === 'win_rate' && x.period === month && x.segment === null);
      expect(winRate, month).toBeDefined();
      expect(winRate!.n).toBe(rows.length);
      close(winRate!.value, rows.filter((d) => d['stage'] === 'won').length / rows.length);
      const won = rows.filter((d) => d['stage'] === 'won').map((d) => (utcDate(d['closed_at']!) - utcDate(d['created_at']!)) / 1000);
      const ttr = m.metrics.find((x) => x.id === 'time_to_revenue' && x.period === month && x.segment === null);
      expect(ttr!.n).toBe(won.length);
      if (won.length) close(ttr!.value, quantile(won, 0.5));
    }
    // months before the first close (deals created from 2024-09) have no closed deal: null, n = 0
    expect(m.metrics.find((x) => x.id === 'win_rate' && x.period === '2024-10')).toMatchObject({ value: null, n: 0 });
  });

  it('--period month: time_to_first_value by the month installations started equals the overall by_cohort', () => {
    expect(onboardingMonthly.code).toBe(0);
    const m = JSON.parse(onboardingMonthly.stdout) as ReportModel;
    const cohorts = overall('time_to_first_value').detail.by_cohort as Record<string, { median: number; n: number }>;
    for (const [month, cohort] of Object.entries(cohorts)) {
      const row = m.metrics.find((x) => x.id === 'time_to_first_value' && x.period === month && x.segment === null);
      expect(row, month).toMatchObject({ value: cohort.median, n: cohort.n });
    }
  });

  it('--by area: employee_frustration per area equals the by_area detail of the overall row', () => {
    expect(byAreaRun.code).toBe(0);
    const m = JSON.parse(byAreaRun.stdout) as ReportModel;
    const byArea = overall('employee_frustration').detail.by_area as Record<string, { n: number; mean: number }>;
    expect(Object.keys(byArea)).toHaveLength(8);
    for (const [area, expected] of Object.entries(byArea)) {
      const row = m.metrics.find((x) => x.id === 'employee_frustration' && x.period === null && x.segment?.area === area);
      expect(row, area).toBeDefined();
      expect(row!.n).toBe(expected.n);
      close(row!.value, expected.mean);
    }
  });
});
