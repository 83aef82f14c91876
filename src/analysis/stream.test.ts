/**
 * The one-pass engine (MetricStream) against the stored one (runMetrics over kept records): the
 * same rows, byte for byte, for every combination of --by, --period and --since/--until it
 * accepts, and a refusal for the runs it cannot do exactly.
 */
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import { resolveScales } from '../dataset/load.js';
import { METRICS, resolveSettings } from '../metrics/registry.js';
import { Random } from '../metrics/stats/random.js';
import type { MetricDefinition } from '../metrics/types.js';
import type { CxRecord, RecordKind, SurveyRecord, TicketRecord } from '../schema/records.js';
import type { PeriodUnit } from './periods.js';
import { MetricStream, runMetrics, type EngineOptions } from './engine.js';

const SETTINGS = resolveSettings({}, resolveScales({}));
const metric = (id: string): MetricDefinition => METRICS.find((m) => m.id === id)!;
const START = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

function attrs(values: Record<string, string>): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, values);
}

/** Surveys with repeated ids, blanks, untimed rows and an attribute column. */
function surveys(n: number, seed: number): SurveyRecord[] {
  const rng = new Random(seed);
  const out: SurveyRecord[] = [];
  for (let i = 0; i < n; i++) {
    const r: SurveyRecord = { kind: 'survey', input: 0, line: i + 2, attrs: rng.int(3) === 0 ? attrs({}) : attrs({ region: ['North', 'South', ''][rng.int(3)]! }) };
    if (rng.int(10) > 0) r.id = `R${rng.int(Math.floor(n * 0.8))}`;
    if (rng.int(20) > 0) r.submittedAt = START + rng.int(300) * DAY + rng.int(DAY);
    if (rng.int(6) > 0) r.channel = ['email', 'web', 'phone'][rng.int(3)]!;
    if (rng.int(8) > 0) r.nps = rng.int(11);
    if (rng.int(4) > 0) r.csat = 1 + rng.int(5);
    if (rng.int(3) === 0) r.ces = 1 + rng.int(7);
    if (rng.int(2) === 0) r.comment = 'fine';
    out.push(r);
  }
  return out;
}

function tickets(n: number, seed: number): TicketRecord[] {
  const rng = new Random(seed);
  const out: TicketRecord[] = [];
  for (let i = 0; i < n; i++) {
    const t: TicketRecord = { kind: 'ticket', input: 0, line: i + 2, attrs: attrs({}) };
    t.id = `T${rng.int(Math.floor(n * 0.9))}`;
    if (rng.int(20) > 0) t.createdAt = START + rng.int(200) * DAY + rng.int(DAY);
    if (t.createdAt !== undefined && rng.int(5) > 0) t.firstResponseAt = t.createdAt + (rng.int(50) - 2) * 3_600_000;
    if (t.createdAt !== undefined && rng.int(3) > 0) t.resolvedAt = t.createdAt + rng.int(40) * DAY;
    if (rng.int(4) === 0) t.firstResponseSeconds = rng.int(100_000);
    t.channel = ['email', 'chat'][rng.int(2)]!;
    if (rng.int(2) === 0) t.group = 'A';
    if (rng.int(5) === 0) t.csat = 1 + rng.int(5);
    out.push(t);
  }
  return out;
}

function emptyDataset(kind: RecordKind): Dataset {
  const dataset = new Dataset();
  dataset.addInput({ file: `${kind}.csv`, kind, status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
  return dataset;
}

function options(metrics: readonly MetricDefinition[], over: Partial<EngineOptions> = {}): EngineOptions {
  return { metrics, settings: SETTINGS, period: null, by: [], since: null, until: null, zone: 'UTC', weekStart: 'monday', now: null, ...over };
}

/** Both engines over the same records: the stored output, the streamed output, and the datasets. */
function both(records: readonly CxRecord[], opts: EngineOptions) {
  const kind = records[0]!.kind;
  const stored = emptyDataset(kind);
  for (const record of records) stored.add({ ...record });
  const streamedSet = emptyDataset(kind);
  const stream = new MetricStream(opts);
  expect(stream.claims(kind)).toBe(true);
  streamedSet.streamTo(kind, stream);
  for (const record of records) streamedSet.add({ ...record });
  return { stored: runMetrics(stored, opts), streamed: runMetrics(streamedSet, opts, stream), storedSet: stored, streamedSet };
}

describe('MetricStream gives the rows of the stored engine', () => {
  const SURVEY_METRICS = ['nps', 'csat', 'ces'].map(metric);
  const TICKET_METRICS = ['first_response_time', 'resolution_time', 'csat'].map(metric);
  const periods: (PeriodUnit | null)[] = [null, 'week', 'month'];
  const bys: string[][] = [[], ['channel'], ['channel', 'region']];
  const ranges: [number | null, number | null][] = [
    [null, null],
    [START + 30 * DAY, START + 120 * DAY],
  ];

  for (const period of periods) {
    for (const by of bys) {
      for (const [since, until] of ranges) {
        it(`surveys, period ${period ?? 'none'}, by [${by.join(', ')}], ${since === null ? 'whole range' : 'since/until'}`, () => {
          const { stored, streamed, storedSet, streamedSet } = both(surveys(3000, 11), options(SURVEY_METRICS, { period, by, since, until, zone: 'Europe/Madrid' }));
          expect(JSON.stringify(streamed)).toBe(JSON.stringify(stored));
          // Something was computed: of 3,000 rows, about 2,000 distinct ids with an NPS, 90 of 300 days in range.
          expect(stored.rows.find((r) => r.id === 'nps' && r.period === null && r.segment === null)!.result.n).toBeGreaterThan(300);
          expect(streamedSet.inputs).toEqual(storedSet.inputs); // read = accepted + duplicate, date range
        });
      }
    }
  }

  for (const period of periods) {
    it(`tickets, period ${period ?? 'none'}, by channel`, () => {
      const { stored, streamed } = both(tickets(2000, 5), options(TICKET_METRICS, { period, by: ['channel'] }));
      expect(JSON.stringify(streamed)).toBe(JSON.stringify(stored));
      // resolution_time places a ticket by its resolution, after the last creation: the range follows.
      expect(streamed.range).toEqual(stored.range);
    });
  }

  it('keeps one sample record per distinct set of fields, which is what unavailable() reads', () => {
    const { streamedSet } = both(surveys(500, 3), options(SURVEY_METRICS));
    const samples = streamedSet.records('survey');
    const shapes = samples.map((r) => Object.keys(r).filter((k) => (r as unknown as Record<string, unknown>)[k] !== undefined).join(','));
    expect(new Set(shapes).size).toBe(samples.length);
    expect(samples.length).toBeLessThan(200); // 500 records, far fewer shapes
    expect(streamedSet.kinds()).toEqual(['survey']);
  });

  it('reports a metric unavailable as the stored engine does (no CES answers)', () => {
    const records = surveys(300, 8).map(({ ces: _ces, ...rest }) => rest as SurveyRecord);
    const { stored, streamed } = both(records, options(SURVEY_METRICS));
    expect(streamed.unavailable).toEqual(stored.unavailable);
    expect(streamed.unavailable.map((u) => u.id)).toEqual(['ces']);
  });
});

describe('MetricStream refuses what it cannot compute in one pass', () => {
  it('a kind read by a metric that does not stream (aht)', () => {
    expect(new MetricStream(options([metric('call_volume'), metric('aht')])).claims('call')).toBe(false);
    expect(new MetricStream(options([metric('call_volume'), metric('abandonment_rate')])).claims('call')).toBe(true);
  });

  it('not a kind read by a metric that cannot be computed from it alone (unavailableAlone: return_rate on orders)', () => {
    expect(new MetricStream(options([metric('nps'), metric('complaint_rate')])).claims('survey')).toBe(true);
    // complaint_rate needs tickets besides orders; employee feedback streams whatever it reads alongside.
    expect(new MetricStream(options([metric('return_rate'), metric('complaint_rate')])).claims('order')).toBe(false);
    expect(new MetricStream(options([metric('return_rate'), metric('on_time_delivery_rate')])).claims('order')).toBe(false);
  });

  it('a kind read by a snapshot metric (ticket_volume)', () => {
    expect(new MetricStream(options([metric('first_response_time'), metric('ticket_volume')])).claims('ticket')).toBe(false);
  });

  it('--since without --until, or --until without --since (the range is known only after reading)', () => {
    expect(new MetricStream(options([metric('nps')], { since: START })).claims('survey')).toBe(false);
    expect(new MetricStream(options([metric('nps')], { until: START })).claims('survey')).toBe(false);
    expect(new MetricStream(options([metric('nps')], { since: START, until: START + DAY })).claims('survey')).toBe(true);
  });

  it('a kind no selected metric reads', () => {
    expect(new MetricStream(options([metric('nps')])).claims('ticket')).toBe(false);
  });

  it('fails loudly when a metric declared unavailable on a kind alone is computable from it after all', () => {
    // A wrong declaration: nps that says it is never available on surveys alone.
    const wrong: MetricDefinition = { ...metric('nps'), id: 'nps_wrongly_declared', streaming: undefined, unavailableAlone: ['survey'] };
    const opts = options([metric('csat'), wrong]);
    const stream = new MetricStream(opts);
    expect(stream.claims('survey')).toBe(true); // the wrong metric does not block streaming…
    const streamedSet = emptyDataset('survey');
    streamedSet.streamTo('survey', stream);
    for (const record of surveys(200, 4)) streamedSet.add({ ...record });
    // …and is not silently computed over no records.
    expect(() => runMetrics(streamedSet, opts, stream)).toThrow('nps_wrongly_declared is available but survey records were streamed without it');
  });
});
