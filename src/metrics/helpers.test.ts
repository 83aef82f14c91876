import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CxRecord } from '../schema/records.js';
import {
  Tally,
  countResult,
  durationResult,
  durationSummary,
  fieldPresent,
  fold,
  meanResult,
  medianCI,
  missingKinds,
  rate,
  sameAccumulator,
  secondsBetween,
} from './helpers.js';
import { MeanVar, QuantileSketch } from './stats/index.js';
import type { Accumulator, MetricResult } from './types.js';

function datasetOf(records: CxRecord[]): Dataset {
  const dataset = new Dataset();
  dataset.addInput({
    file: 'test.csv',
    kind: records[0]?.kind ?? null,
    status: 'read',
    reason: null,
    format: 'csv',
    encoding: 'utf-8',
    delimiter: ',',
    compressed: false,
    sourceNotes: [],
    plan: null,
  });
  for (const record of records) dataset.add(record);
  return dataset;
}

describe('rate', () => {
  it('is successes / n with the Wilson interval (public vector 18/20)', () => {
    const r = rate(18, 20, { extra: 1 });
    expect(r.value).toBe(0.9);
    expect(r.n).toBe(20);
    expect(r.ci95![0]).toBeCloseTo(0.69897, 5);
    expect(r.ci95![1]).toBeCloseTo(0.97213, 5);
    expect(r.detail).toEqual({ extra: 1 });
  });

  it('has no value and no interval when n = 0', () => {
    expect(rate(0, 0)).toEqual({ value: null, n: 0, ci95: null, detail: {} });
  });
});

describe('countResult', () => {
  it('is the count as value and n, without an interval; 0 is a real 0', () => {
    expect(countResult(7, { a: 1 })).toEqual({ value: 7, n: 7, ci95: null, detail: { a: 1 } });
    expect(countResult(0).value).toBe(0);
  });
});

describe('meanResult', () => {
  it('is the mean with the t interval', () => {
    // [1,2,3,4]: mean 2.5, s² = (2.25+0.25+0.25+2.25)/3 = 5/3, se = √(5/3/4) = 0.645497,
    // t(0.975, 3) = 3.182446 -> half 2.054260 -> [0.445740, 4.554260]
    const r = meanResult(MeanVar.of([1, 2, 3, 4]));
    expect(r.value).toBe(2.5);
    expect(r.n).toBe(4);
    expect(r.ci95![0]).toBeCloseTo(0.44574, 5);
    expect(r.ci95![1]).toBeCloseTo(4.55426, 5);
  });

  it('has no value when empty and no interval with one value', () => {
    expect(meanResult(new MeanVar())).toEqual({ value: null, n: 0, ci95: null, detail: {} });
    expect(meanResult(MeanVar.of([3]))).toMatchObject({ value: 3, n: 1, ci95: null });
  });
});

describe('durationResult', () => {
  it('gives the median as value and mean, p90, min, max in detail', () => {
    // sorted [10,20,30,40,100]: median x3 = 30; mean 200/5 = 40;
    // p90 (type 7): h = 4·0.9 = 3.6 -> 40 + 0.6·(100 - 40) = 76; n = 5 < 6: no interval
    const r = durationResult(QuantileSketch.of([40, 10, 100, 30, 20]), { source: 'timestamps' });
    expect(r.value).toBe(30);
    expect(r.n).toBe(5);
    expect(r.ci95).toBeNull();
    expect(r.detail).toEqual({ mean: 40, p90: 76, min: 10, max: 100, source: 'timestamps' });
  });

  it('is null everywhere when empty', () => {
    const r = durationResult(new QuantileSketch());
    expect(r).toEqual({ value: null, n: 0, ci95: null, detail: { mean: null, p90: null, min: null, max: null } });
    expect(durationSummary(new QuantileSketch())).toEqual({ n: 0, median: null, mean: null, p90: null, min: null, max: null });
  });
});

describe('medianCI', () => {
  it('takes binomial ranks: n = 20 gives [x(6), x(15)]', () => {
    // B ~ Bin(20, ½): P(B <= 5) = (1+20+190+1140+4845+15504)/2^20 = 21700/1048576 = 0.0207 <= 0.025,
    // P(B <= 6) = 60460/1048576 = 0.0577 > 0.025, so j = 6 and the interval is [x(6), x(20+1-6)] = [x(6), x(15)].
    const values = Array.from({ length: 20 }, (_, i) => (20 - i) * 10); // 200, 190, …, 10 (unsorted on purpose)
    expect(medianCI(QuantileSketch.of(values))).toEqual([60, 150]);
  });

  it('is [min, max] at n = 6 and null below (even [min, max] covers < 95%)', () => {
    // n = 6: P(B <= 0) = 1/64 = 0.0156 <= 0.025 -> j = 1; n = 5: 1 - 2/32 = 0.9375 < 0.95
    expect(medianCI(QuantileSketch.of([6, 1, 5, 2, 4, 3]))).toEqual([1, 6]);
    expect(medianCI(QuantileSketch.of([1, 2, 3, 4, 5]))).toBeNull();
  });

  it('is null when the sketch is no longer exact', () => {
    const sketch = new QuantileSketch({ maxExact: 4 });
    for (let i = 1; i <= 50; i++) sketch.add(i);
    expect(sketch.isExact).toBe(false);
    expect(medianCI(sketch)).toBeNull();
  });
});

describe('Tally', () => {
  it('counts, merges and orders keys for output', () => {
    const a = new Tally<number>();
    a.add(10);
    a.add(2);
    a.add(2);
    const b = new Tally<number>();
    b.add(9, 3);
    a.merge(b);
    expect(a.get(2)).toBe(2);
    expect(a.get(7)).toBe(0);
    expect(a.total).toBe(6);
    expect(a.size).toBe(3);
    expect(Object.entries(a.toObject())).toEqual([
      ['2', 2],
      ['9', 3],
      ['10', 1],
    ]);
  });

  it('orders string keys by count, ties alphabetically', () => {
    const t = new Tally<string>();
    for (const k of ['phone', 'email', 'chat', 'email']) t.add(k);
    expect(Object.keys(t.toObject('count'))).toEqual(['email', 'chat', 'phone']);
  });

  // The fast paths of add (whole numbers 0-63 in an array, the last string key remembered) must
  // count as a Map of key -> count does, with the same insertion order (what toJSON sends).
  const NUMBER_KEYS = [0, -0, 1, 5, 62, 63, 64, 65, -1, 1.5, 2.25, 63.5, Number.NaN, 1e9, 2 ** 31, 3];
  const STRING_KEYS = ['survey', 'ticket', 'call', '', '0', '63', 'survey ', 'Survey'];
  const cases: [string, readonly (string | number)[]][] = [
    ['numbers', NUMBER_KEYS],
    ['strings', STRING_KEYS],
  ];
  for (const [name, keys] of cases) {
    it(`counts ${name} as a Map does, whichever path a key takes (edge keys, runs of one key, counts > 1)`, () => {
      const tally = new Tally<string | number>();
      const reference = new Map<string | number, number>();
      let state = 7;
      for (let i = 0; i < 3000; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        // Runs of the same key (the remembered-key path) as well as changes of key.
        const key = keys[(state >>> 8) % 4 === 0 ? (i - 1 + keys.length) % keys.length : (state >>> 12) % keys.length]!;
        const count = 1 + ((state >>> 20) % 3);
        tally.add(key, count);
        reference.set(key, (reference.get(key) ?? 0) + count);
      }
      expect(tally.toJSON()).toEqual([...reference]);
      expect(tally.keys()).toEqual([...reference.keys()]);
      for (const key of keys) expect(tally.get(key), String(key)).toBe(reference.get(key) ?? 0);
      expect(tally.size).toBe(reference.size);
      expect(tally.total).toBe([...reference.values()].reduce((x, y) => x + y, 0));
      // Rebuilt from its JSON form, then added to: the same as adding to the original.
      const revived = Tally.fromJSON(tally.toJSON());
      const merged = new Tally<string | number>();
      merged.merge(tally);
      const mergedReference = new Map(reference);
      for (const key of keys) {
        revived.add(key);
        merged.add(key, 2);
        reference.set(key, (reference.get(key) ?? 0) + 1);
        mergedReference.set(key, (mergedReference.get(key) ?? 0) + 2);
      }
      expect(revived.toJSON()).toEqual([...reference]);
      expect(merged.toJSON()).toEqual([...mergedReference]);
    });
  }

  it('treats -0 as 0 and keeps fractions and keys from 64 up apart, in output order', () => {
    const t = new Tally<number>();
    for (const key of [64, 63, -0, 0, 1.5, -1, 63, 0]) t.add(key);
    // 0 three times (-0 included), 63 twice; a JS object lists integer-like keys first, ascending,
    // then the others in the order toObject sets them (numeric: -1 before 1.5).
    expect(Object.entries(t.toObject())).toEqual([
      ['0', 3],
      ['63', 2],
      ['64', 1],
      ['-1', 1],
      ['1.5', 1],
    ]);
    expect(t.toJSON()).toEqual([
      [64, 1],
      [63, 2],
      [0, 3],
      [1.5, 1],
      [-1, 1],
    ]);
  });
});

describe('sameAccumulator', () => {
  class A implements Accumulator {
    add(): void {}
    merge(other: Accumulator): void {
      sameAccumulator(this, other);
    }
    result(): MetricResult {
      return countResult(0);
    }
  }
  class B extends A {}

  it('accepts the same class and refuses another', () => {
    expect(() => new A().merge(new A())).not.toThrow();
    expect(() => new A().merge(new B())).toThrow(/cannot merge a B into a A/);
  });
});

describe('dataset checks', () => {
  const record: CxRecord = { kind: 'ticket', input: 0, line: 2, attrs: Object.create(null), createdAt: 0 };
  const dataset = datasetOf([record]);

  it('fieldPresent tells whether any record of a kind carries a field', () => {
    expect(fieldPresent(dataset, 'ticket', 'createdAt')).toBe(true);
    expect(fieldPresent(dataset, 'ticket', 'resolvedAt')).toBe(false);
    expect(fieldPresent(dataset, 'survey', 'nps')).toBe(false);
  });

  it('missingKinds names the kinds that have no record', () => {
    expect(missingKinds(dataset, ['ticket'])).toBeNull();
    expect(missingKinds(dataset, ['survey'])).toBe('no survey records among the inputs');
    expect(missingKinds(dataset, ['survey', 'call', 'invoice_change'])).toBe('no survey, call or invoice change records among the inputs');
    expect(missingKinds(dataset, ['survey', 'ticket'])).toBeNull();
  });
});

describe('fold and secondsBetween', () => {
  it('folds accents, case and punctuation', () => {
    expect(fold('Reclamación')).toBe('reclamacion');
    expect(fold('  Pending Customer-Response ')).toBe('pending customer response');
  });

  it('gives seconds between two instants only when both are known', () => {
    expect(secondsBetween(1_000, 61_000)).toBe(60);
    expect(secondsBetween(61_000, 1_000)).toBe(-60);
    expect(secondsBetween(undefined, 1_000)).toBeUndefined();
  });
});
