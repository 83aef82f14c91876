import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from '../metrics/types.js';
import type { CxRecord, SurveyRecord, TicketRecord } from '../schema/records.js';
import { resolveScales } from '../dataset/load.js';
import { METRICS, resolveSettings } from '../metrics/registry.js';
import { getZone } from '../schema/timezone.js';
import { MetricStream, NO_SEGMENT_VALUE, PeriodLookup, runMetrics, segmentReader, type EngineOptions, type MetricRow } from './engine.js';
import { PeriodCalendar, type PeriodUnit, type WeekStart } from './periods.js';

const utc = (m: number, d: number, h = 0) => Date.UTC(2025, m - 1, d, h);
const SETTINGS = {} as MetricSettings; // the fake metrics read no settings

let line = 2;
function ticket(fields: Partial<Omit<TicketRecord, 'kind' | 'input' | 'line' | 'attrs'>> & { attrs?: Record<string, string> }): TicketRecord {
  const attrs = Object.assign(Object.create(null) as Record<string, string>, fields.attrs ?? {});
  return { kind: 'ticket', input: 0, line: line++, ...fields, attrs };
}

function datasetOf(records: readonly CxRecord[]): Dataset {
  const dataset = new Dataset();
  dataset.addInput({ file: 'tickets.csv', kind: 'ticket', status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
  for (const record of records) dataset.add(record);
  return dataset;
}

/** A bucketed count of tickets; the detail records the bounds the accumulator was created with. */
function countMetric(overrides: Partial<MetricDefinition> = {}): MetricDefinition {
  return {
    id: 'fake_count',
    label: 'Fake ticket count',
    unit: 'count',
    direction: 'neutral',
    domain: 'tickets',
    kinds: ['ticket'],
    needs: 'tickets',
    formula: 'tickets',
    unavailable: (dataset) => (dataset.records('ticket').length > 0 ? null : 'no ticket records among the inputs'),
    create: (_settings, _links, bounds: PeriodBounds): Accumulator => {
      let n = 0;
      const acc: Accumulator & { n: () => number } = {
        n: () => n,
        add: () => {
          n++;
        },
        merge: (other) => {
          n += (other as typeof acc).n();
        },
        result: (): MetricResult => ({ value: n, n, ci95: null, detail: { start: bounds.start, end: bounds.end } }),
      };
      return acc;
    },
    ...overrides,
  };
}

/** A snapshot: tickets created before the period end and not resolved by then ("open at period end"). */
function openMetric(): MetricDefinition {
  return {
    ...countMetric(),
    id: 'fake_open',
    label: 'Open at period end',
    scope: 'snapshot',
    create: (_settings, _links, bounds: PeriodBounds): Accumulator => {
      let open = 0;
      let seen = 0;
      return {
        add: (record) => {
          seen++;
          const t = record as TicketRecord;
          if (t.createdAt !== undefined && t.createdAt < bounds.end && (t.resolvedAt === undefined || t.resolvedAt >= bounds.end)) open++;
        },
        merge: () => undefined,
        result: () => ({ value: open, n: seen, ci95: null, detail: { end: bounds.end } }),
      };
    },
  };
}

const unavailableMetric: MetricDefinition = {
  ...countMetric(),
  id: 'fake_calls',
  kinds: ['call'],
  unavailable: () => 'no call records among the inputs',
};

const T1 = ticket({ id: 'T1', createdAt: utc(1, 5, 10), resolvedAt: utc(1, 20), channel: 'email', attrs: { region: 'North' } });
const T2 = ticket({ id: 'T2', createdAt: utc(1, 20, 9), channel: 'phone', attrs: { region: 'South' } });
const T3 = ticket({ id: 'T3', createdAt: utc(3, 10, 12), resolvedAt: utc(3, 12), channel: 'email', attrs: { region: 'North' } });
const T4 = ticket({ id: 'T4', channel: 'chat', attrs: { region: 'North' } }); // no createdAt
const T5 = ticket({ id: 'T5', createdAt: utc(3, 20), attrs: { region: '' } }); // no channel, blank region
const DATA = datasetOf([T1, T2, T3, T4, T5]);

function run(options: Partial<EngineOptions> & { metrics: MetricDefinition[] }, dataset = DATA) {
  return runMetrics(dataset, { settings: SETTINGS, period: null, by: [], since: null, until: null, zone: 'UTC', weekStart: 'monday', now: null, ...options });
}

/** [period, segment, value] per row: the shape a reader of the report sees. */
const brief = (rows: MetricRow[]) => rows.map((r) => [r.id, r.period, r.segment, r.result.value]);

describe('runMetrics: overall and per period', () => {
  it('without --period: one overall row counting every record, untimed ones included', () => {
    const out = run({ metrics: [countMetric()] });
    expect(brief(out.rows)).toEqual([['fake_count', null, null, 5]]);
    expect(out.range).toEqual({ start: utc(1, 5, 10), end: utc(3, 20) + 1 });
    expect(out.periods).toEqual([]);
    expect(out.warnings).toEqual([]);
    expect(out.rows[0]!.result.detail).toEqual({ start: utc(1, 5, 10), end: utc(3, 20) + 1 });
  });

  it('--period month: one row per month, the empty February included', () => {
    const out = run({ metrics: [countMetric()], period: 'month' });
    expect(out.periods.map((p) => p.key)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(brief(out.rows)).toEqual([
      ['fake_count', null, null, 5],
      ['fake_count', '2025-01', null, 2],
      ['fake_count', '2025-02', null, 0],
      ['fake_count', '2025-03', null, 2],
    ]);
    const feb = out.rows.find((r) => r.period === '2025-02')!;
    expect(feb.period_start).toBe(utc(2, 1));
    expect(feb.period_end).toBe(utc(3, 1));
    expect(feb.result.detail).toEqual({ start: utc(2, 1), end: utc(3, 1) });
  });

  it('warns about untimed records when periods are asked for', () => {
    const out = run({ metrics: [countMetric()], period: 'month' });
    expect(out.warnings).toEqual(['1 ticket record has no createdAt: counted in the totals, left out of the periods']);
    const two = run({ metrics: [countMetric()], period: 'month' }, datasetOf([T1, ticket({ id: 'X1' }), ticket({ id: 'X2' })]));
    expect(two.warnings).toEqual(['2 ticket records have no createdAt: counted in the totals, left out of the periods']);
  });

  it('periods follow the time zone', () => {
    // 2025-01-31T23:30Z is already 1 February in Madrid
    const data = datasetOf([ticket({ id: 'A', createdAt: Date.UTC(2025, 0, 31, 23, 30) }), ticket({ id: 'B', createdAt: utc(1, 10) })]);
    const utcRows = run({ metrics: [countMetric()], period: 'month' }, data).rows;
    const madridRows = run({ metrics: [countMetric()], period: 'month', zone: 'Europe/Madrid' }, data).rows;
    expect(brief(utcRows).slice(1)).toEqual([['fake_count', '2025-01', null, 2]]);
    expect(brief(madridRows).slice(1)).toEqual([
      ['fake_count', '2025-01', null, 1],
      ['fake_count', '2025-02', null, 1],
    ]);
  });

  it('a metric placing records by its own time (timeOf) keeps records timed after the last creation', () => {
    // resolved after the latest createdAt: still in the overall total and in its own month
    const data = datasetOf([
      ticket({ id: 'A', createdAt: utc(1, 10), resolvedAt: utc(1, 12) }),
      ticket({ id: 'B', createdAt: utc(1, 30), resolvedAt: utc(2, 3) }),
    ]);
    const byResolution = countMetric({ id: 'fake_resolved', timeOf: (r) => (r as TicketRecord).resolvedAt });
    const out = run({ metrics: [byResolution], period: 'month' }, data);
    expect(brief(out.rows)).toEqual([
      ['fake_resolved', null, null, 2],
      ['fake_resolved', '2025-01', null, 1],
      ['fake_resolved', '2025-02', null, 1],
    ]);
  });

  it('accepts() filters the records a metric sees', () => {
    const emailOnly = countMetric({ id: 'fake_email', accepts: (r) => (r as TicketRecord).channel === 'email' });
    expect(brief(run({ metrics: [emailOnly], period: 'month' }).rows)).toEqual([
      ['fake_email', null, null, 2],
      ['fake_email', '2025-01', null, 1],
      ['fake_email', '2025-02', null, 0],
      ['fake_email', '2025-03', null, 1],
    ]);
  });
});

describe('runMetrics: snapshot metrics', () => {
  it('judges every record against the end of each period, and of the whole range', () => {
    const out = run({ metrics: [openMetric()], period: 'month' });
    expect(brief(out.rows)).toEqual([
      ['fake_open', null, null, 2], // T2 and T5 are open at the end of the data (T5's instant + 1 ms)
      ['fake_open', '2025-01', null, 1], // T2 (T1 was resolved on the 20th)
      ['fake_open', '2025-02', null, 1], // T2
      ['fake_open', '2025-03', null, 2], // T2 and T5 (T3 resolved on the 12th)
    ]);
    // every record is fed to every period's accumulator, untimed ones included
    expect(out.rows.map((r) => r.result.n)).toEqual([5, 5, 5, 5]);
    expect(out.rows.map((r) => r.result.detail.end)).toEqual([utc(3, 20) + 1, utc(2, 1), utc(3, 1), utc(4, 1)]);
  });

  it('per segment', () => {
    const out = run({ metrics: [openMetric()], period: 'month', by: ['channel'] });
    const march = out.rows.filter((r) => r.period === '2025-03');
    expect(march.map((r) => [r.segment, r.result.value])).toEqual([
      [null, 2],
      [{ channel: NO_SEGMENT_VALUE }, 1],
      [{ channel: 'chat' }, 0],
      [{ channel: 'email' }, 0],
      [{ channel: 'phone' }, 1],
    ]);
  });

  it('--until sets the end the overall snapshot is judged at', () => {
    const out = run({ metrics: [openMetric()], until: utc(1, 15) });
    expect(brief(out.rows)).toEqual([['fake_open', null, null, 1]]); // T1, created on the 5th, resolved on the 20th
    expect(out.rows[0]!.result.detail.end).toBe(utc(1, 15));
  });
});

describe('runMetrics: segments', () => {
  it('--by channel reads the canonical field; a missing value is (none)', () => {
    const out = run({ metrics: [countMetric()], period: 'month', by: ['channel'] });
    expect(brief(out.rows)).toEqual([
      ['fake_count', null, null, 5],
      ['fake_count', null, { channel: '(none)' }, 1],
      ['fake_count', null, { channel: 'chat' }, 1],
      ['fake_count', null, { channel: 'email' }, 2],
      ['fake_count', null, { channel: 'phone' }, 1],
      ['fake_count', '2025-01', null, 2],
      ['fake_count', '2025-01', { channel: 'email' }, 1],
      ['fake_count', '2025-01', { channel: 'phone' }, 1],
      ['fake_count', '2025-02', null, 0],
      ['fake_count', '2025-03', null, 2],
      ['fake_count', '2025-03', { channel: '(none)' }, 1],
      ['fake_count', '2025-03', { channel: 'email' }, 1],
    ]);
  });

  it('--by Region reads an attribute whose header differs in case; a blank value is (none)', () => {
    const out = run({ metrics: [countMetric()], by: ['Region'] });
    expect(brief(out.rows)).toEqual([
      ['fake_count', null, null, 5],
      ['fake_count', null, { Region: '(none)' }, 1],
      ['fake_count', null, { Region: 'North' }, 3],
      ['fake_count', null, { Region: 'South' }, 1],
    ]);
  });

  it('two --by fields make one segment of both values', () => {
    const out = run({ metrics: [countMetric()], by: ['channel', 'region'] });
    expect(out.rows.filter((r) => r.segment !== null).map((r) => [r.segment, r.result.value])).toEqual([
      [{ channel: '(none)', region: '(none)' }, 1],
      [{ channel: 'chat', region: 'North' }, 1],
      [{ channel: 'email', region: 'North' }, 2],
      [{ channel: 'phone', region: 'South' }, 1],
    ]);
  });
});

describe('runMetrics: --since / --until', () => {
  it('keeps the records inside [since, until), drops untimed ones, and bounds the periods', () => {
    const out = run({ metrics: [countMetric()], period: 'month', since: utc(2, 1), until: utc(4, 1) });
    expect(out.range).toEqual({ start: utc(2, 1), end: utc(4, 1) });
    expect(out.periods.map((p) => p.key)).toEqual(['2025-02', '2025-03']);
    expect(brief(out.rows)).toEqual([
      ['fake_count', null, null, 2], // T3 and T5; T4 has no time and cannot be placed in the range
      ['fake_count', '2025-02', null, 0],
      ['fake_count', '2025-03', null, 2],
    ]);
    expect(out.warnings).toEqual(['1 ticket record has no createdAt: left out, as --since/--until cannot place it']);
  });

  it('until is exclusive', () => {
    const out = run({ metrics: [countMetric()], since: utc(1, 1), until: utc(1, 20, 9) });
    expect(brief(out.rows)).toEqual([['fake_count', null, null, 1]]); // T1 only; T2 is created at the until instant
  });

  it('since alone runs to the end of the data', () => {
    const out = run({ metrics: [countMetric()], since: utc(3, 15) });
    expect(out.range).toEqual({ start: utc(3, 15), end: utc(3, 20) + 1 });
    expect(brief(out.rows)).toEqual([['fake_count', null, null, 1]]); // T5
  });

  it('warns about the records left out even without --period', () => {
    expect(run({ metrics: [countMetric()], since: utc(1, 1) }).warnings).toEqual([
      '1 ticket record has no createdAt: left out, as --since/--until cannot place it',
    ]);
  });
});

describe('runMetrics: unavailable metrics', () => {
  it('passes the reason through and computes nothing for them', () => {
    const out = run({ metrics: [unavailableMetric, countMetric()] });
    expect(out.unavailable).toEqual([{ id: 'fake_calls', reason: 'no call records among the inputs' }]);
    expect(out.rows.map((r) => r.id)).toEqual(['fake_count']);
  });

  it('an empty dataset: every metric unavailable, no range', () => {
    const out = run({ metrics: [countMetric(), openMetric()], period: 'month' }, datasetOf([]));
    expect(out.unavailable).toEqual([
      { id: 'fake_count', reason: 'no ticket records among the inputs' },
      { id: 'fake_open', reason: 'no ticket records among the inputs' },
    ]);
    expect(out.rows).toEqual([]);
    expect(out.range).toBeNull();
    expect(out.periods).toEqual([]);
  });

  it('rows come metric by metric in the order given', () => {
    const out = run({ metrics: [openMetric(), countMetric()] });
    expect(out.rows.map((r) => r.id)).toEqual(['fake_open', 'fake_count']);
  });
});

describe('segmentReader', () => {
  const survey = (fields: Partial<Omit<SurveyRecord, 'kind' | 'input' | 'line' | 'attrs'>>, attrs: Record<string, string> = {}): SurveyRecord => ({
    kind: 'survey',
    input: 0,
    line: 2,
    ...fields,
    attrs: Object.assign(Object.create(null) as Record<string, string>, attrs),
  });

  it('a canonical field, by its name in any case or spelling', () => {
    const record = survey({ channel: 'email', surveyType: 'relational', customerId: 'C1' });
    expect(segmentReader('survey', 'channel')(record)).toBe('email');
    expect(segmentReader('survey', 'Channel')(record)).toBe('email');
    expect(segmentReader('survey', 'surveyType')(record)).toBe('relational');
    expect(segmentReader('survey', 'survey_type')(record)).toBe('relational');
    expect(segmentReader('survey', 'customer id')(record)).toBe('C1');
  });

  it('a canonical field without a value is (none), even when an attribute has the same name', () => {
    expect(segmentReader('survey', 'channel')(survey({}, { channel: 'should not be read' }))).toBe(NO_SEGMENT_VALUE);
    expect(segmentReader('survey', 'segment')(survey({ segment: '' }))).toBe(NO_SEGMENT_VALUE);
    expect(segmentReader('survey', 'nps')(survey({ nps: 0 }))).toBe('0');
  });

  it('an attribute, matched after normalizing its header', () => {
    const read = segmentReader('survey', 'Region');
    expect(read(survey({}, { REGION: 'Andalucía' }))).toBe('Andalucía');
    expect(read(survey({}, { region: 'Galicia' }))).toBe('Galicia');
    expect(segmentReader('survey', 'store id')(survey({}, { Store_ID: 'S-9' }))).toBe('S-9');
  });

  it('a missing or blank attribute is (none)', () => {
    const read = segmentReader('survey', 'Region');
    expect(read(survey({}, { other: 'x' }))).toBe(NO_SEGMENT_VALUE);
    expect(read(survey({}, { Region: '' }))).toBe(NO_SEGMENT_VALUE);
    expect(read(survey({}, {}))).toBe(NO_SEGMENT_VALUE);
  });

  it('reads each record’s own attributes after caching the header of another', () => {
    const read = segmentReader('survey', 'region');
    expect(read(survey({}, { Region: 'A' }))).toBe('A');
    expect(read(survey({}, { REGION: 'B' }))).toBe('B');
    expect(read(survey({}, { Region: 'C' }))).toBe('C');
  });
});

describe('PeriodLookup answers what the calendar answers', () => {
  const HOUR = 3_600_000;
  /**
   * Instants of `year` around the zone's offset changes (every minute for 90 minutes either side of
   * the change, every 10 minutes for 3 hours), and 2,000 others.
   */
  function instants(zone: string, year: number, seed: number): number[] {
    const z = getZone(zone);
    const out: number[] = [];
    const MINUTE = 60_000;
    let before = z.offsetAt(Date.UTC(year, 0, 1));
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += HOUR / 4) {
      const offset = z.offsetAt(t);
      if (offset !== before) {
        let change = t - HOUR / 4;
        while (z.offsetAt(change) === before) change += MINUTE;
        for (let u = change - 90 * MINUTE; u <= change + 90 * MINUTE; u += MINUTE) out.push(u);
        for (let u = change - 3 * HOUR; u <= change + 3 * HOUR; u += 10 * MINUTE) out.push(u);
      }
      before = offset;
    }
    let state = seed;
    // The high bits of a linear congruential generator (its low bits repeat with short periods).
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
    for (let i = 0; i < 2_000; i++) out.push(Date.UTC(year - 1, 0, 1) + (next() % (3 * 365)) * 86_400_000 + (next() % 86_400) * 1000);
    // Shuffled (rows are rarely in time order), then once more in order.
    for (let i = out.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return [...out, ...[...out].sort((a, b) => a - b)];
  }

  // St John's fell back from 00:01 to 23:01 until 2011: the minutes after the change lie in the
  // bounds of the next day's period but on the day before, so the calendar's answer there depends
  // on the period it answered last; Lord Howe moves by 30 minutes, Apia skipped 30 December 2011,
  // Santiago changes at midnight.
  const zones: [string, number][] = [
    ['America/St_Johns', 2010],
    ['Europe/Madrid', 2025],
    ['Australia/Lord_Howe', 2024],
    ['Pacific/Apia', 2011],
    ['America/Santiago', 2022],
    ['UTC', 2025],
  ];
  const units: [PeriodUnit, WeekStart][] = [
    ['day', 'monday'],
    ['week', 'monday'],
    ['week', 'sunday'],
    ['month', 'monday'],
    ['quarter', 'monday'],
    ['year', 'monday'],
  ];
  for (const [zone, year] of zones) {
    it(`${zone} around ${year}: the same period for every instant, in the same order, for every unit`, () => {
      const times = instants(zone, year, year);
      // 2,000 instants twice, and 181 + 37 per offset change (none in UTC) twice.
      expect(times.length > 4_000).toBe(zone !== 'UTC');
      for (const [unit, weekStart] of units) {
        const calendar = new PeriodCalendar(unit, zone, weekStart);
        const periods = new PeriodLookup(new PeriodCalendar(unit, zone, weekStart));
        const numbers = new Map<string, number>();
        const wrong: string[] = [];
        for (const t of times) {
          const expected = calendar.periodOf(t);
          const got = periods.periodOf(t);
          if (got.key !== expected.key || got.start !== expected.start || got.end !== expected.end) wrong.push(`${unit} ${t}: ${got.key} for ${expected.key}`);
          // One number per period key.
          const number = numbers.get(got.key) ?? periods.number;
          numbers.set(got.key, number);
          if (number !== periods.number) wrong.push(`${unit} ${got.key}: number ${periods.number}, was ${number}`);
        }
        expect(wrong).toEqual([]);
        expect(new Set(numbers.values()).size).toBe(numbers.size);
      }
    });
  }

  it('St John’s, 7 November 2010: the calendar does answer differently by order, and so does PeriodLookup', () => {
    // 02:31 UTC is 00:01 NDT, which became 23:01 NST on the 6th; 03:00 UTC is 23:30 on the 6th,
    // after the first start of the 7th (02:30 UTC).
    const lateOn6th = Date.UTC(2010, 10, 7, 3, 0);
    const on7th = Date.UTC(2010, 10, 7, 12, 0);
    for (const make of [(u: PeriodUnit) => new PeriodCalendar(u, 'America/St_Johns'), (u: PeriodUnit) => new PeriodLookup(new PeriodCalendar(u, 'America/St_Johns'))]) {
      expect(make('day').periodOf(lateOn6th).key).toBe('2010-11-06');
      const after7th = make('day');
      after7th.periodOf(on7th);
      expect(after7th.periodOf(lateOn6th).key).toBe('2010-11-07');
    }
  });

  it('given the calendar’s last answer (runMetrics asks periodsBetween first), answers as that calendar goes on to', () => {
    // periodsBetween up to the 7th leaves the 7th as the calendar's last answer: 23:30 on the 6th
    // (after the change) then lies in its bounds and is answered the 7th, by both.
    const lateOn6th = Date.UTC(2010, 10, 7, 3, 0);
    const calendar = new PeriodCalendar('day', 'America/St_Johns');
    const listed = calendar.periodsBetween(Date.UTC(2010, 10, 1), Date.UTC(2010, 10, 7, 12));
    expect(listed.map((p) => p.key)).toEqual(['2010-10-31', '2010-11-01', '2010-11-02', '2010-11-03', '2010-11-04', '2010-11-05', '2010-11-06', '2010-11-07']);
    const seeded = new PeriodLookup(new PeriodCalendar('day', 'America/St_Johns'), listed[listed.length - 1]!);
    const unseeded = new PeriodLookup(new PeriodCalendar('day', 'America/St_Johns'));
    expect(seeded.periodOf(lateOn6th).key).toBe('2010-11-07');
    expect(calendar.periodOf(lateOn6th).key).toBe('2010-11-07');
    expect(unseeded.periodOf(lateOn6th).key).toBe('2010-11-06');
    // Then on, the same answers as the calendar, for instants across the night in both directions.
    const wrong: string[] = [];
    for (let i = 0; i < 400; i++) {
      const t = Date.UTC(2010, 10, 6, 20) + ((i * 7919) % 720) * 60_000;
      if (seeded.periodOf(t).key !== calendar.periodOf(t).key) wrong.push(String(t));
    }
    expect(wrong).toEqual([]);
  });
});

describe('MetricStream with --period places records as runMetrics does', () => {
  const SURVEY_SETTINGS = resolveSettings({}, resolveScales({}));
  const metrics = ['nps', 'csat', 'survey_response_rate'].map((id) => METRICS.find((m) => m.id === id)!);
  /** Surveys every 7 minutes over St John's 2010 fall-back night and at random over the year, shuffled; three channels. */
  function surveys(): SurveyRecord[] {
    const out: SurveyRecord[] = [];
    let state = 5;
    // The high bits of a linear congruential generator (its low bits repeat with short periods).
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
    const times: number[] = [];
    for (let t = Date.UTC(2010, 10, 6, 20); t < Date.UTC(2010, 10, 7, 8); t += 7 * 60_000) times.push(t);
    for (let i = 0; i < 1_500; i++) times.push(Date.UTC(2010, 0, 1) + (next() % 365) * 86_400_000 + (next() % 86_400) * 1000);
    times.forEach((t, i) => {
      const attrs = Object.create(null) as Record<string, string>;
      out.push({ kind: 'survey', input: 0, line: i + 2, attrs, id: `R${next() % 1_400}`, submittedAt: next() % 40 === 0 ? undefined : t, channel: ['email', 'web', 'phone'][next() % 3]!, nps: next() % 11, csat: 1 + (next() % 5), status: next() % 4 === 0 ? 'invited' : 'answered' });
    });
    for (let i = out.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
  const empty = () => {
    const dataset = new Dataset();
    dataset.addInput({ file: 'surveys.csv', kind: 'survey', status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
    return dataset;
  };

  for (const period of ['day', 'week', 'month'] as const) {
    it(`${period}, by channel, America/St_Johns: the rows of the stored engine, byte for byte`, () => {
      const options: EngineOptions = { metrics, settings: SURVEY_SETTINGS, period, by: ['channel'], since: null, until: null, zone: 'America/St_Johns', weekStart: 'monday', now: null };
      const records = surveys();
      const stored = empty();
      for (const record of records) stored.add({ ...record });
      const streamedSet = empty();
      const stream = new MetricStream(options);
      expect(stream.claims('survey')).toBe(true);
      streamedSet.streamTo('survey', stream);
      for (const record of records) streamedSet.add({ ...record });
      const expected = runMetrics(stored, options);
      expect(JSON.stringify(runMetrics(streamedSet, options, stream))).toBe(JSON.stringify(expected));
      // Every period of the range has a row: the UTC year 2010 begins on 31 December 2009 at
      // 20:30 in St John's, so 366 days, 13 months, and ISO weeks 2009-W53 to 2010-W52 (53).
      const nps = expected.rows.filter((r) => r.id === 'nps' && r.segment === null && r.period !== null);
      expect(nps.length).toBe(period === 'day' ? 366 : period === 'week' ? 53 : 13);
      expect(nps[0]!.period).toBe(period === 'day' ? '2009-12-31' : period === 'week' ? '2009-W53' : '2009-12');
      // 1,603 rows over 1,400 possible ids: about 1,400 × (1 - e^(-1603/1400)) = 955 distinct, 1 in 40 untimed.
      const placed = nps.reduce((sum, r) => sum + r.result.n, 0);
      expect(placed).toBeGreaterThan(850);
      expect(placed).toBeLessThan(1_000);
    });
  }
});
