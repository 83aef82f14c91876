import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MeanVar, meanCI, welch, welchFromSummary } from './means.js';

/** Moderate doubles; magnitudes below 1e-100 become 0, so variances never sink into subnormals. */
const value = fc.double({ min: -100, max: 100, noNaN: true }).map((x) => (Math.abs(x) < 1e-100 ? 0 : x));

function close(actual: number, expected: number, rel: number): void {
  const scale = Math.max(Math.abs(expected), 1e-300);
  if (!(Math.abs(actual - expected) <= rel * scale)) throw new Error(`expected ${expected}, got ${actual}`);
}

describe('MeanVar', () => {
  it('mean, variance, sum, min, max by hand', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: sum 40, mean 5, Σ(x-5)² = 9+1+1+1+0+0+4+16 = 32
    // sample variance 32/7 = 4.571429, population variance 32/8 = 4
    const acc = MeanVar.of([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(acc.count).toBe(8);
    expect(acc.mean).toBe(5);
    expect(acc.m2).toBeCloseTo(32, 12);
    expect(acc.variance).toBeCloseTo(32 / 7, 12);
    expect(acc.populationVariance).toBeCloseTo(4, 12);
    expect(acc.stdDev).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(acc.standardError).toBeCloseTo(Math.sqrt(32 / 7 / 8), 12);
    expect(acc.sum).toBe(40);
    expect(acc.min).toBe(2);
    expect(acc.max).toBe(9);
  });
  it('empty and single-value accumulators', () => {
    const empty = new MeanVar();
    expect(empty.count).toBe(0);
    expect(empty.mean).toBeNaN();
    expect(empty.variance).toBeNaN();
    expect(empty.min).toBeNaN();
    expect(empty.sum).toBe(0);
    const one = MeanVar.of([7]);
    expect(one.mean).toBe(7);
    expect(one.variance).toBeNaN();
    expect(one.populationVariance).toBe(0);
  });
  it('does not cancel catastrophically (large offset)', () => {
    // 1e9 + {4, 7, 13, 16}: mean 1e9 + 10, sample variance (36 + 9 + 9 + 36)/3 = 30
    const acc = MeanVar.of([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(acc.variance).toBeCloseTo(30, 6);
  });
  it('compensated sum', () => {
    // naive left-to-right: 1 + 1e100 + 1 - 1e100 = 0
    expect(MeanVar.of([1, 1e100, 1, -1e100]).sum).toBe(2);
  });
  it('rejects non-finite values', () => {
    expect(() => new MeanVar().add(NaN)).toThrow(RangeError);
    expect(() => new MeanVar().add(Infinity)).toThrow(/finite/);
  });
  it('merged over a random split equals the whole (1e-9 relative)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (values, cuts) => {
          const whole = MeanVar.of(values);
          const bounds = [...new Set(cuts.map((c) => c % values.length))].sort((x, y) => x - y);
          const parts: MeanVar[] = [];
          let start = 0;
          for (const b of [...bounds, values.length]) {
            parts.push(MeanVar.of(values.slice(start, b)));
            start = b;
          }
          // merge in reverse order, some through JSON (as across worker threads)
          const merged = new MeanVar();
          parts.reverse().forEach((p, i) => merged.merge(i % 2 === 0 ? MeanVar.fromJSON(JSON.parse(JSON.stringify(p)) as never) : p));
          expect(merged.count).toBe(whole.count);
          const spread = Math.max(whole.max - whole.min, 1e-300);
          expect(Math.abs(merged.mean - whole.mean)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(whole.mean), spread));
          // plus the rounding floor of the mean itself: n·(ulp of the largest |x|)²
          const ulp = 2.3e-16 * Math.max(Math.abs(whole.min), Math.abs(whole.max));
          expect(Math.abs(merged.m2 - whole.m2)).toBeLessThanOrEqual(1e-9 * whole.m2 + 16 * values.length * ulp * ulp + 1e-300); // + subnormal noise
          expect(Math.abs(merged.sum - whole.sum)).toBeLessThanOrEqual(1e-9 * values.reduce((s, v) => s + Math.abs(v), 0));
          expect(merged.min === whole.min).toBe(true); // == so that -0 and 0 agree
          expect(merged.max === whole.max).toBe(true);
        },
      ),
    );
  });
  it('merging with empty is the identity; clone is independent', () => {
    const a = MeanVar.of([1, 2, 3]);
    a.merge(new MeanVar());
    expect(a.mean).toBe(2);
    const b = new MeanVar().merge(a);
    expect(b.toJSON()).toEqual(a.toJSON());
    const c = a.clone().add(100);
    expect(a.count).toBe(3);
    expect(c.count).toBe(4);
  });
  it('JSON round trip, and rejects bad JSON', () => {
    const a = MeanVar.of([1.5, -2, 8]);
    const b = MeanVar.fromJSON(JSON.parse(JSON.stringify(a)) as never);
    expect(b.toJSON()).toEqual(a.toJSON());
    expect(MeanVar.fromJSON(new MeanVar().toJSON()).count).toBe(0);
    expect(() => MeanVar.fromJSON({ count: -1 } as never)).toThrow(TypeError);
  });
});

describe('meanCI', () => {
  it('t interval by hand', () => {
    // [2.1, 3.4, 1.9, 5.6, 4.4, 3.3]: mean 20.7/6 = 3.45
    // Σ(x - 3.45)² = 1.8225 + 0.0025 + 2.4025 + 4.6225 + 0.9025 + 0.0225 = 9.775; s² = 1.955
    // se = √(1.955/6) = 0.570818; t(0.975, 5) = 2.570582; half = 1.467335 -> [1.982665, 4.917335]
    const ci = meanCI(MeanVar.of([2.1, 3.4, 1.9, 5.6, 4.4, 3.3]))!;
    expect(ci[0]).toBeCloseTo(1.982665, 6);
    expect(ci[1]).toBeCloseTo(4.917335, 6);
  });
  it('null below 2 values; a point when the variance is 0', () => {
    expect(meanCI(MeanVar.of([3]))).toBeNull();
    expect(meanCI(MeanVar.of([3, 3, 3]))).toEqual([3, 3]);
    expect(() => meanCI(MeanVar.of([1, 2]), 95)).toThrow(RangeError);
  });
});

describe('welch', () => {
  it('by hand (matches scipy.stats.ttest_ind(equal_var=False))', () => {
    // a = [1..5]: mean 3, s² = 2.5; b = [2, 4, ..., 12]: mean 7, s² = 14
    // se² = 2.5/5 + 14/6 = 0.5 + 2.333333 = 2.833333, se = 1.683251
    // df = 2.833333²/(0.5²/4 + 2.333333²/5) = 8.027778/1.151389 = 6.972256
    // t = -4/1.683251 = -2.376354 -> p = 0.049284; t(0.975, 6.972256) = 2.366533
    // CI = -4 ± 2.366533·1.683251 = [-7.983469, -0.016531]
    const r = welch(MeanVar.of([1, 2, 3, 4, 5]), MeanVar.of([2, 4, 6, 8, 10, 12]))!;
    expect(r.difference).toBe(-4);
    close(r.df, 6.972255729794934, 1e-12);
    close(r.p, 0.04928433820673053, 1e-10);
    close(r.ci[0], -7.98346869562883, 1e-10);
    close(r.ci[1], -0.016531304371169675, 1e-8);
  });
  it('accepts plain summaries (e.g. from SQL aggregates)', () => {
    const r = welch({ count: 5, mean: 3, variance: 2.5 }, { count: 6, mean: 7, variance: 14 })!;
    close(r.p, 0.04928433820673053, 1e-10);
    const s = welchFromSummary({ mean: 3, sd: Math.sqrt(2.5), n: 5 }, { mean: 7, sd: Math.sqrt(14), n: 6 })!;
    close(s.p, 0.04928433820673053, 1e-10);
    close(s.df, 6.972255729794934, 1e-12);
    expect(welchFromSummary({ mean: 3, sd: 1, n: 1 }, { mean: 7, sd: 1, n: 6 })).toBeNull();
    expect(() => welchFromSummary({ mean: 3, sd: -1, n: 5 }, { mean: 7, sd: 1, n: 6 })).toThrow(RangeError);
  });
  it('edge cases', () => {
    expect(welch(MeanVar.of([1]), MeanVar.of([1, 2]))).toBeNull();
    const same = welch(MeanVar.of([2, 2]), MeanVar.of([2, 2, 2]))!;
    expect(same.p).toBe(1);
    expect(same.ci).toEqual([0, 0]);
    const sure = welch(MeanVar.of([3, 3]), MeanVar.of([2, 2]))!;
    expect(sure.p).toBe(0);
    expect(sure.difference).toBe(1);
  });
  it('is antisymmetric and its interval excludes 0 exactly when p < 0.05', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 2, maxLength: 40 }),
        fc.array(value, { minLength: 2, maxLength: 40 }),
        (xs, ys) => {
          const ab = welch(MeanVar.of(xs), MeanVar.of(ys));
          const ba = welch(MeanVar.of(ys), MeanVar.of(xs));
          if (ab === null || ba === null) throw new Error('unexpected null');
          fc.pre(ab.ci[0] !== ab.ci[1]);
          expect(ab.p).toBeCloseTo(ba.p, 12);
          expect(ab.df).toBeCloseTo(ba.df, 9);
          const excludes = ab.ci[0] > 0 || ab.ci[1] < 0;
          if (Math.abs(ab.p - 0.05) > 1e-9) expect(excludes).toBe(ab.p < 0.05);
        },
      ),
    );
  });
});
