import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import { buildLinks } from '../metrics/links.js';
import { METRICS } from '../metrics/registry.js';
import { Random } from '../metrics/stats/random.js';
import { TEST_SETTINGS, WHOLE, datasetOf } from '../metrics/test-support.js';
import type { Links, MetricDefinition, PeriodBounds } from '../metrics/types.js';
import { KINDS, type FieldSpec } from '../schema/fields.js';
import type { CxRecord, RecordKind } from '../schema/records.js';
import { accumulatorState, loadAccumulatorState, sharedObjects } from './acc-state.js';
import { MetricStream, runMetrics, type EngineOptions } from './engine.js';

const STREAMING = METRICS.filter((m) => m.streaming === true);

/** The report's own rounding (report/model.ts `stable`): 12 significant digits, what the output shows. */
function stable(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) && !Number.isInteger(value) ? Number(value.toPrecision(12)) : value;
  if (Array.isArray(value)) return value.map(stable);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stable(v)]));
  return value;
}

const START = Date.UTC(2025, 0, 1);
const YEAR = 365 * 86_400_000;
const CATEGORIES = ['email', 'web', 'phone', 'chat'];

/** A value of a field spec, random but valid for its type (timestamps in 2025, scores on the test scales). */
function valueOf(spec: FieldSpec, rng: Random, i: number): unknown {
  switch (spec.type) {
    case 'id':
      return `X${i}`;
    case 'text':
      return rng.int(4) === 0 ? 'a comment' : undefined;
    case 'category':
      return CATEGORIES[rng.int(CATEGORIES.length)];
    case 'timestamp':
      return START + rng.int(YEAR / 1000) * 1000;
    case 'time_of_day':
      return undefined;
    case 'number':
    case 'money':
      return Math.round(rng.next() * 100_000) / 100;
    case 'count':
      return rng.int(5);
    case 'duration':
      return Math.round(Math.exp(rng.normal() * 1.5 + 6));
    case 'boolean':
      return rng.int(2) === 0;
    case 'nps':
      return rng.int(11);
    case 'score': {
      const scale = TEST_SETTINGS.scales[spec.scale ?? 'csat'];
      return scale.min + rng.int(scale.max - scale.min + 1);
    }
    case 'enum': {
      const values = [...new Set(Object.values(spec.values ?? {}))];
      return values.length ? values[rng.int(values.length)] : undefined;
    }
  }
}

/**
 * Records of `kind` with every field set from its spec (some left out at random), timestamps
 * so that a later instant field tends to follow `createdAt`: durations are mostly positive.
 */
function recordsOf(kind: RecordKind, n: number, seed: number): CxRecord[] {
  const rng = new Random(seed);
  const fields = Object.entries(KINDS[kind].fields);
  const out: CxRecord[] = [];
  for (let i = 0; i < n; i++) {
    const record: Record<string, unknown> = { kind, input: 0, line: i + 2, attrs: Object.create(null) };
    let base: number | undefined;
    for (const [name, spec] of fields) {
      if (name === 'updatedAt') continue;
      if (rng.int(10) === 0) continue; // a blank now and then
      const sentinels = Object.values(spec.sentinels ?? {});
      if (sentinels.length > 0 && rng.int(4) === 0) {
        // A sentinel word in the column (Zendesk's `Offered` rating): its flags instead of a value.
        Object.assign(record, sentinels[rng.int(sentinels.length)]);
        continue;
      }
      let value = valueOf(spec, rng, i);
      if (spec.type === 'timestamp' && typeof value === 'number') {
        if (base === undefined) base = value;
        else value = base + rng.int(40 * 86_400) * 1000 - 3_600_000; // after the first, now and then before it
      }
      if (name === KINDS[kind].idField) value = `X${i}`;
      if (value !== undefined) record[name] = value;
    }
    out.push(record as unknown as CxRecord);
  }
  return out;
}

/** Through a thread boundary: what postMessage does to the data. */
const cross = <T>(value: T): T => structuredClone(value);

function feed(metric: MetricDefinition, records: readonly CxRecord[], bounds: PeriodBounds, links: Links) {
  const acc = metric.create(TEST_SETTINGS, links, bounds);
  for (const record of records) if (metric.kinds.includes(record.kind) && (!metric.accepts || metric.accepts(record))) acc.add(record);
  return acc;
}

describe('accumulators across threads', () => {
  it('covers the streaming metrics of the registry', () => {
    // nps, csat, ces, first_response_time, resolution_time at least (more as families stream).
    expect(STREAMING.map((m) => m.id)).toEqual(expect.arrayContaining(['nps', 'csat', 'ces', 'first_response_time', 'resolution_time']));
  });

  // 100,000 records split 40,000 / 60,000: each half below the quantile sketch's 65,536 exact
  // values, the whole above it, so the merge goes from exact to buckets as one thread does.
  for (const metric of STREAMING) {
    for (const kind of metric.kinds) {
      it(`${metric.id} (${kind}): half + revived half = whole`, () => {
        const records = recordsOf(kind, 100_000, 8);
        // The links of the whole data: what result() may ask of the dataset (the inputs whose
        // invitations are known, for survey_response_rate) is the same for every part.
        const links = buildLinks(datasetOf(records, kind));
        const bounds = { ...WHOLE };
        const whole = feed(metric, records, bounds, links);
        const first = feed(metric, records.slice(0, 40_000), bounds, links);
        const sentBounds = { ...WHOLE };
        const second = feed(metric, records.slice(40_000), sentBounds, links);
        const state = cross(accumulatorState(second, sharedObjects(TEST_SETTINGS, links, sentBounds)));
        const revived = loadAccumulatorState(metric.create(TEST_SETTINGS, links, bounds), state);
        expect(revived.constructor).toBe(whole.constructor);
        first.merge(revived);
        const expected = whole.result();
        // Something was measured (a count of 0 complaints still has posts behind its value).
        expect(expected.n > 0 || expected.value !== null).toBe(true);
        expect(stable(first.result())).toEqual(stable(expected));
      });
    }
  }

  it('rebuilds a lazily created class instance from another of its class in the fresh accumulator', () => {
    class Tallies {
      n = 0;
      add(): void {
        this.n++;
      }
    }
    const sent = { all: new Tallies(), byArea: new Map<string, Tallies>() };
    const area = new Tallies();
    area.add();
    area.add();
    sent.byArea.set('north', area);
    const fresh = { all: new Tallies(), byArea: new Map<string, Tallies>() };
    const revived = loadAccumulatorState(fresh, cross(accumulatorState(sent, new Set())));
    const north = revived.byArea.get('north')!;
    expect(north).toBeInstanceOf(Tallies);
    north.add();
    expect(north.n).toBe(3);
  });

  it('keeps the receiving side\'s settings and bounds (the sender\'s are never sent)', () => {
    const bounds = { start: 1, end: 2 };
    const held = { settings: TEST_SETTINGS, bounds, count: 3, nested: { list: [1, 2], map: new Map([['a', 1]]) } };
    const state = cross(accumulatorState(held, sharedObjects(TEST_SETTINGS, bounds)));
    const mine = { start: 10, end: 20 };
    const fresh = { settings: { ...TEST_SETTINGS }, bounds: mine, count: 0, nested: { list: [] as number[], map: new Map<string, number>() } };
    const revived = loadAccumulatorState(fresh, state);
    expect(revived).toBe(fresh);
    expect(revived.bounds).toBe(mine);
    expect(revived.count).toBe(3);
    expect(revived.nested.list).toEqual([1, 2]);
    expect(revived.nested.map.get('a')).toBe(1);
  });

  it('refuses what cannot cross: a function, a class instance without a counterpart', () => {
    expect(() => accumulatorState({ f: () => 1 }, new Set())).toThrow(/function/);
    class Hidden {
      n = 1;
    }
    const state = cross(accumulatorState({ late: new Hidden() }, new Set()));
    expect(() => loadAccumulatorState({} as { late?: Hidden }, state)).toThrow(/counterpart/);
  });
});

describe('MetricStream and Dataset across threads', () => {
  const run = (kind: RecordKind, metrics: readonly MetricDefinition[], options: Partial<EngineOptions>) => {
    const engine: EngineOptions = {
      metrics,
      settings: TEST_SETTINGS,
      period: null,
      by: [],
      since: null,
      until: null,
      zone: 'UTC',
      weekStart: 'monday',
      now: null,
      ...options,
    };
    // The same ids twice in the second half: duplicates inside one range stay that range's.
    const records = recordsOf(kind, 30_000, 11);
    records.push({ ...records[20_000]!, line: 30_002 });
    const load = (rows: readonly CxRecord[]) => {
      const stream = new MetricStream(engine);
      const dataset = new Dataset();
      dataset.addInput({ file: 'x.csv', kind, status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
      expect(stream.claims(kind)).toBe(true);
      dataset.streamTo(kind, stream);
      for (const record of rows) dataset.add(record);
      return { stream, dataset };
    };
    const whole = load(records);
    const first = load(records.slice(0, 12_345));
    const second = load(records.slice(12_345));
    const held = first.dataset.absorbStreamed(kind, 0, cross(second.dataset.exportStreamed(kind, 0)));
    first.stream.absorb(cross(second.stream.exportState()));
    return { held, whole: runMetrics(whole.dataset, engine, whole.stream), merged: runMetrics(first.dataset, engine, first.stream), wholeDataset: whole.dataset, mergedDataset: first.dataset };
  };

  const cases: [RecordKind, string[]][] = [
    ['survey', ['nps', 'csat', 'ces']],
    ['ticket', ['first_response_time', 'resolution_time', 'csat']],
  ];
  for (const [kind, ids] of cases) {
    it(`${kind}: two halves merged = one stream, by channel and month`, () => {
      const metrics = ids.map((id) => METRICS.find((m) => m.id === id)!);
      const { held, whole, merged, wholeDataset, mergedDataset } = run(kind, metrics, { by: ['channel'], period: 'month' });
      expect(held).toBe(0);
      expect(whole.rows.length).toBeGreaterThan(12 * 4 * ids.length); // months x channels x metrics, and the overall rows
      expect(stable(merged)).toEqual(stable(whole));
      expect(mergedDataset.inputs).toEqual(wholeDataset.inputs);
      expect(mergedDataset.inputs[0]!.duplicate).toBe(1);
      expect(mergedDataset.records(kind).map((r) => Object.keys(r).filter((k) => (r as unknown as Record<string, unknown>)[k] !== undefined).join())).toEqual(
        wholeDataset.records(kind).map((r) => Object.keys(r).filter((k) => (r as unknown as Record<string, unknown>)[k] !== undefined).join()),
      );
    });
  }

  it('reports ids held on both sides (a duplicate across ranges)', () => {
    const records = recordsOf('survey', 100, 3);
    const engine: EngineOptions = { metrics: [METRICS.find((m) => m.id === 'nps')!], settings: TEST_SETTINGS, period: null, by: [], since: null, until: null, zone: 'UTC', weekStart: 'monday', now: null };
    const make = (rows: CxRecord[]) => {
      const dataset = new Dataset();
      dataset.addInput({ file: 'x.csv', kind: 'survey', status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
      const stream = new MetricStream(engine);
      stream.claims('survey');
      dataset.streamTo('survey', stream);
      for (const r of rows) dataset.add(r);
      return dataset;
    };
    const a = make(records.slice(0, 60));
    const b = make([...records.slice(60), { ...records[5]!, id: 'X5' } as CxRecord, { ...records[7]!, id: 'odd-7' } as CxRecord]);
    const c = make([{ ...records[7]!, id: 'odd-7' } as CxRecord]);
    // b holds X5 (numbered, also in a) and odd-7 (hashed, not in a): one held.
    expect(a.absorbStreamed('survey', 0, cross(b.exportStreamed('survey', 0)))).toBe(1);
    // Now a holds odd-7 too.
    expect(a.absorbStreamed('survey', 0, cross(c.exportStreamed('survey', 0)))).toBe(1);
  });
});
