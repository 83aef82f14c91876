import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QuantileSketch, SKETCH_ALPHA, mad, median, quantile, quantileSorted, type QuantileSketchJSON } from './quantiles.js';
import { Random } from './random.js';

const QS = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

function exactQuantile(sorted: Float64Array, q: number): number {
  return quantileSorted(sorted, q)!;
}

/** |estimate - exact| <= alpha·|exact| (plus a hair for the rounding of log/exp). */
function expectWithinAlpha(estimate: number, exact: number, alpha: number): void {
  const err = Math.abs(estimate - exact);
  if (!(err <= alpha * Math.abs(exact) * (1 + 1e-9) + 1e-300)) {
    throw new Error(`estimate ${estimate} vs exact ${exact}: relative error ${err / Math.abs(exact)} > ${alpha}`);
  }
}

/** Log-normal "durations" (median ~20 min, long tail), plus some zeros. */
function durations(seed: number, n: number): number[] {
  const r = new Random(seed);
  return Array.from({ length: n }, () => (r.next() < 0.02 ? 0 : Math.exp(7 + 1.5 * r.normal())));
}

describe('quantile / median / mad (type 7)', () => {
  it('hand-worked', () => {
    // [1, 2, 3, 4], q = 0.25: h = 3·0.25 = 0.75 -> 1 + 0.75·(2 - 1) = 1.75
    expect(quantile([4, 1, 3, 2], 0.25)).toBe(1.75);
    // 1..10, q = 0.9: h = 9·0.9 = 8.1 -> x[8] + 0.1·(x[9] - x[8]) = 9 + 0.1 = 9.1
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    expect(quantile([5], 0.3)).toBe(5);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => median([1, NaN])).toThrow(RangeError);
  });
  it('mad by hand', () => {
    // [1, 1, 2, 2, 4, 6, 9]: median 2; |x - 2| = [1, 1, 0, 0, 2, 4, 7] -> sorted [0, 0, 1, 1, 2, 4, 7] -> 1
    expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    expect(mad([1, 1, 2, 2, 4, 6, 9], { scaled: true })).toBeCloseTo(1.4826, 12);
    expect(mad([])).toBeNull();
    expect(mad([3])).toBe(0);
  });
});

describe('QuantileSketch, exact mode', () => {
  it('answers type 7 exactly', () => {
    const s = QuantileSketch.of([10, 1, 7, 3]);
    expect(s.isExact).toBe(true);
    // sorted [1, 3, 7, 10]; q = 0.5: h = 1.5 -> 3 + 0.5·4 = 5
    expect(s.quantile(0.5)).toBe(5);
    expect(s.quantile(0)).toBe(1);
    expect(s.quantile(1)).toBe(10);
    expect(s.count).toBe(4);
    expect(s.sum).toBe(21);
    expect(s.mean).toBe(5.25);
    expect(s.min).toBe(1);
    expect(s.max).toBe(10);
    // adding after a query re-sorts
    s.add(0);
    expect(s.quantile(0)).toBe(0);
  });
  it('empty sketch', () => {
    const s = new QuantileSketch();
    expect(s.quantile(0.5)).toBeNull();
    expect(s.count).toBe(0);
    expect(s.mean).toBeNaN();
    expect(s.min).toBeNaN();
    expect(QuantileSketch.fromJSON(s.toJSON()).count).toBe(0);
  });
  it('rejects non-finite values, bad q and bad options', () => {
    expect(() => new QuantileSketch().add(NaN)).toThrow(RangeError);
    expect(() => new QuantileSketch().add(-Infinity)).toThrow(/finite/);
    expect(() => QuantileSketch.of([1]).quantile(-0.1)).toThrow(/Invalid argument q/);
    expect(() => new QuantileSketch({ alpha: 0 })).toThrow(/Invalid option alpha/);
    expect(() => new QuantileSketch({ maxExact: 1.5 })).toThrow(/Invalid option maxExact/);
    expect(() => new QuantileSketch({ maxBuckets: 0 })).toThrow(/Invalid option maxBuckets/);
  });
  it('merged over a random split equals the whole exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (values, cuts) => {
          const whole = QuantileSketch.of(values);
          const bounds = [0, ...new Set(cuts.map((c) => c % values.length)), values.length].sort((a, b) => a - b);
          const parts: QuantileSketch[] = [];
          for (let i = 1; i < bounds.length; i++) parts.push(QuantileSketch.of(values.slice(bounds[i - 1], bounds[i])));
          // merge from the last part, through JSON (as across worker threads), to mix up the order
          const merged = new QuantileSketch();
          for (const part of parts.reverse()) {
            merged.merge(QuantileSketch.fromJSON(JSON.parse(JSON.stringify(part)) as QuantileSketchJSON));
          }
          expect(merged.isExact).toBe(true);
          expect(merged.count).toBe(whole.count);
          for (const q of QS) expect(merged.quantile(q)).toBe(whole.quantile(q));
        },
      ),
    );
  });
  it('switches to buckets past maxExact, and exact + exact over the limit goes to buckets', () => {
    const s = new QuantileSketch({ maxExact: 100 });
    for (let i = 1; i <= 100; i++) s.add(i);
    expect(s.isExact).toBe(true);
    s.add(101);
    expect(s.isExact).toBe(false);
    expect(s.quantile(0)).toBe(1);
    expect(s.quantile(1)).toBe(101);

    const a = QuantileSketch.of([1, 2, 3], { maxExact: 4 });
    const b = QuantileSketch.of([4, 5], { maxExact: 4 });
    const ab = a.merge(b);
    expect(ab.isExact).toBe(false);
    expect(ab.count).toBe(5);
    expectWithinAlpha(ab.quantile(0.5)!, 3, SKETCH_ALPHA);
    expect(b.isExact).toBe(true); // the other sketch is unchanged
  });
});

describe('QuantileSketch, sketch mode', () => {
  it('every quantile is within 0.05% of the exact answer on 200,000 values', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const values = durations(seed, 200_000);
        const s = QuantileSketch.of(values);
        expect(s.isExact).toBe(false);
        const sorted = Float64Array.from(values).sort();
        for (const q of QS) expectWithinAlpha(s.quantile(q)!, exactQuantile(sorted, q), SKETCH_ALPHA);
        expect(s.min).toBe(sorted[0]);
        expect(s.max).toBe(sorted[sorted.length - 1]);
        expect(s.count).toBe(200_000);
        expect(s.sum).toBeCloseTo(values.reduce((t, v) => t + v, 0), 3);
      }),
      { numRuns: 4 },
    );
  });
  it('uniform data with negatives and zeros stays within alpha, and does not crash', () => {
    const r = new Random(11);
    const values = Array.from({ length: 100_000 }, () => (r.next() < 0.05 ? 0 : (r.next() - 0.3) * 1000));
    const s = QuantileSketch.of(values, { maxExact: 1000 });
    const sorted = Float64Array.from(values).sort();
    for (const q of QS) expectWithinAlpha(s.quantile(q)!, exactQuantile(sorted, q), SKETCH_ALPHA);
  });
  it('merged sketches answer exactly as the whole', () => {
    const values = durations(3, 150_000);
    const whole = QuantileSketch.of(values);
    const parts = [0, 20_000, 90_000, 150_000];
    const merged = new QuantileSketch();
    for (let i = parts.length - 1; i > 0; i--) merged.merge(QuantileSketch.of(values.slice(parts[i - 1], parts[i])));
    expect(merged.isExact).toBe(false);
    for (const q of QS) expect(merged.quantile(q)).toBe(whole.quantile(q));
    expect(merged.toJSON().positive).toEqual(whole.toJSON().positive);
  });
  it('JSON and structured clone round trips', () => {
    const s = QuantileSketch.of(durations(8, 70_000).concat([-5, -0.5]));
    const viaJson = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(s)) as QuantileSketchJSON);
    const viaClone = QuantileSketch.fromJSON(structuredClone(s.toJSON()));
    for (const q of QS) {
      expect(viaJson.quantile(q)).toBe(s.quantile(q));
      expect(viaClone.quantile(q)).toBe(s.quantile(q));
    }
    expect(viaJson.sum).toBe(s.sum);
    const bad = { ...s.toJSON(), count: 3 };
    expect(() => QuantileSketch.fromJSON(bad)).toThrow(TypeError);
    expect(() => QuantileSketch.fromJSON({ version: 2 } as never)).toThrow(TypeError);
  });
  it('refuses to merge different settings', () => {
    expect(() => new QuantileSketch().merge(new QuantileSketch({ alpha: 0.01 }))).toThrow(RangeError);
  });
  it('3h 05m is off by at most 6 s', () => {
    // 11,100 s · 0.0005 = 5.55 s
    const s = new QuantileSketch({ maxExact: 0 });
    s.add(1).add(11_100).add(1e6);
    expect(Math.abs(s.quantile(0.5)! - 11_100)).toBeLessThanOrEqual(6);
  });
  it('memory stays bounded: buckets never exceed maxBuckets per sign', () => {
    // values spread over 1e-6 s .. 1e9 s need ~34,500 buckets; the lowest get collapsed
    const r = new Random(4);
    const s = new QuantileSketch({ maxExact: 0 });
    const values: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const v = 10 ** (r.next() * 15 - 6);
      values.push(v, -v);
      s.add(v).add(-v);
    }
    expect(s.bucketCount).toBeLessThanOrEqual(2 * (20_000 + 1));
    // upper quantiles (magnitudes away from the collapsed low end) keep the guarantee
    const sorted = Float64Array.from(values).sort();
    for (const q of [0, 0.01, 0.1, 0.25, 0.75, 0.9, 0.99, 1]) expectWithinAlpha(s.quantile(q)!, exactQuantile(sorted, q), SKETCH_ALPHA);
    // near zero (collapsed) answers stay inside [min, max]
    const mid = s.quantile(0.5)!;
    expect(mid).toBeGreaterThanOrEqual(s.min);
    expect(mid).toBeLessThanOrEqual(s.max);
  });
  it('collapsing is order-independent (merge equals whole with a small bucket budget)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 300 }), fc.nat(), (values, cut) => {
        const opts = { maxExact: 0, maxBuckets: 50, alpha: 0.01 };
        const k = cut % values.length;
        const whole = QuantileSketch.of(values, opts);
        const merged = QuantileSketch.of(values.slice(k), opts).merge(QuantileSketch.of(values.slice(0, k), opts));
        expect(merged.toJSON().positive).toEqual(whole.toJSON().positive);
        for (const q of QS) expect(merged.quantile(q)).toBe(whole.quantile(q));
      }),
    );
  });
  it('bucket counts match a model: key = max(⌈log_γ x⌉, top key - maxBuckets + 1)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (values, maxBuckets) => {
          const alpha = 0.02;
          const lnGamma = Math.log1p((2 * alpha) / (1 - alpha));
          const keys = values.map((v) => Math.ceil(Math.log(v) / lnGamma));
          const top = Math.max(...keys);
          const model = new Map<number, number>();
          for (const k of keys) {
            const kk = Math.max(k, top - maxBuckets + 1);
            model.set(kk, (model.get(kk) ?? 0) + 1);
          }
          const json = QuantileSketch.of(values, { alpha, maxExact: 0, maxBuckets }).toJSON().positive!;
          const got = new Map<number, number>();
          json.counts.forEach((c, i) => {
            if (c !== 0) got.set(json.offset + i, c);
          });
          expect(got).toEqual(model);
          expect(json.counts.length).toBeLessThanOrEqual(maxBuckets);
        },
      ),
      { numRuns: 500 },
    );
  });
});
