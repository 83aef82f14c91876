import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { newcombeDifference, relativeRisk, twoProportionZ, wilson } from './proportions.js';
import { Z95 } from './distributions.js';

describe('wilson', () => {
  it('18/20 -> [0.69897, 0.97213]', () => {
    // z² = 3.841459; center = (18 + 1.920729)/(20 + 3.841459) = 19.920729/23.841459 = 0.835549
    // half = 1.959964·√(18·2/20 + 0.960365)/23.841459 = 1.959964·1.661435/23.841459 = 0.136583
    const ci = wilson(18, 20)!;
    expect(ci[0]).toBeCloseTo(0.69897, 5);
    expect(ci[1]).toBeCloseTo(0.97213, 5);
  });
  it('n = 0 -> null', () => {
    expect(wilson(0, 0)).toBeNull();
  });
  it('0/n starts at exactly 0 and n/n ends at exactly 1', () => {
    // 0/10: hi = z²/(n + z²) = 3.841459/13.841459 = 0.277533
    const [lo, hi] = wilson(0, 10)!;
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.277533, 6);
    const [lo2, hi2] = wilson(10, 10)!;
    expect(hi2).toBe(1);
    expect(lo2).toBeCloseTo(1 - 0.277533, 6);
  });
  it('one answer', () => {
    // 1/1: lo = n/(n + z²) = 1/4.841459 = 0.206549
    expect(wilson(1, 1)![0]).toBeCloseTo(0.206549, 6);
  });
  it('rejects impossible counts', () => {
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(/Invalid argument successes/);
    expect(() => wilson(1, NaN)).toThrow(RangeError);
    expect(() => wilson(1, 2, 0)).toThrow(/Invalid argument z/);
  });
  it('contains the estimate, stays in [0, 1], narrows with z', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const x = Math.round(f * n);
        const [lo, hi] = wilson(x, n)!;
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(x / n + 1e-12);
        expect(hi).toBeGreaterThanOrEqual(x / n - 1e-12);
        const [lo90, hi90] = wilson(x, n, 1.6448536269514722)!;
        expect(lo90).toBeGreaterThanOrEqual(lo - 1e-12);
        expect(hi90).toBeLessThanOrEqual(hi + 1e-12);
      }),
    );
  });
});

describe('newcombeDifference (method 10)', () => {
  // Newcombe (1998), Stat. Med. 17:873-890, Table II, method 10 (z = 1.96), to 4 decimals.
  const table: [number, number, number, number, number, number][] = [
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [0, 10, 0, 10, -0.2775, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
    [10, 10, 0, 10, 0.6075, 1],
  ];
  it.each(table)('%i/%i - %i/%i', (x1, n1, x2, n2, lo, hi) => {
    const r = newcombeDifference(x1, n1, x2, n2, 1.96)!;
    expect(r.difference).toBeCloseTo(x1 / n1 - x2 / n2, 12);
    expect(r.ci[0]).toBeCloseTo(lo, 4);
    expect(r.ci[1]).toBeCloseTo(hi, 4);
  });
  it('6/7 - 2/7 by hand', () => {
    // z = 1.96. Wilson 6/7: center = 7.9208/10.8416 = 0.730593, half = 1.96·√(0.857143 + 0.9604)/10.8416
    //   = 0.243726 -> [0.486867, 0.974319]; Wilson 2/7: center = 3.9208/10.8416 = 0.361644,
    //   half = 1.96·√(1.428571 + 0.9604)/10.8416 = 0.279425 -> [0.082219, 0.641069].
    // d = 0.571429; lower = d - √((0.857143 - 0.486867)² + (0.641069 - 0.285714)²) = d - 0.513205 = 0.058224
    // upper = d + √((0.974319 - 0.857143)² + (0.285714 - 0.082219)²) = d + 0.234821 = 0.806250
    const r = newcombeDifference(6, 7, 2, 7, 1.96)!;
    expect(r.ci[0]).toBeCloseTo(0.058224, 5);
    expect(r.ci[1]).toBeCloseTo(0.80625, 5);
  });
  it('p comes from the pooled z-test', () => {
    // 56/70 vs 48/80: pooled = 104/150 = 0.693333; se = √(0.693333·0.306667·(1/70 + 1/80)) = 0.075556
    // z = 0.2/0.075556 = 2.64707 -> p = 0.008045
    const r = newcombeDifference(56, 70, 48, 80)!;
    expect(r.p).toBeCloseTo(0.008045, 6);
    expect(r.p).toBe(twoProportionZ(56, 70, 48, 80)!.p);
  });
  it('null when a group is empty', () => {
    expect(newcombeDifference(0, 0, 1, 2)).toBeNull();
    expect(newcombeDifference(1, 2, 0, 0)).toBeNull();
  });
  it('contains the difference and stays in [-1, 1]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n1, n2, f1, f2) => {
          const r = newcombeDifference(Math.round(f1 * n1), n1, Math.round(f2 * n2), n2)!;
          expect(r.ci[0]).toBeGreaterThanOrEqual(-1);
          expect(r.ci[1]).toBeLessThanOrEqual(1);
          expect(r.ci[0]).toBeLessThanOrEqual(r.difference + 1e-12);
          expect(r.ci[1]).toBeGreaterThanOrEqual(r.difference - 1e-12);
          expect(r.p).toBeGreaterThanOrEqual(0);
          expect(r.p).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});

describe('twoProportionZ', () => {
  it('equal proportions of 0 or 1 cannot differ', () => {
    expect(twoProportionZ(0, 10, 0, 5)).toEqual({ z: 0, p: 1 });
    expect(twoProportionZ(10, 10, 5, 5)).toEqual({ z: 0, p: 1 });
  });
  it('sign follows p1 - p2', () => {
    expect(twoProportionZ(1, 10, 5, 10)!.z).toBeLessThan(0);
  });
});

describe('relativeRisk', () => {
  it('10/50 vs 5/50 by hand', () => {
    // RR = 0.2/0.1 = 2; SE = √(1/10 - 1/50 + 1/5 - 1/50) = √0.26 = 0.509902
    // CI = exp(ln 2 ± 1.959964·0.509902) = exp(0.693147 ± 0.999389) = [0.736208, 5.433245]
    // p: z = 0.693147/0.509902 = 1.359373 -> 0.174028
    const r = relativeRisk(10, 50, 5, 50)!;
    expect(r.ratio).toBeCloseTo(2, 12);
    expect(r.ci[0]).toBeCloseTo(0.736208, 6);
    expect(r.ci[1]).toBeCloseTo(5.433245, 6);
    expect(r.p).toBeCloseTo(0.174028, 6);
    expect(r.corrected).toBe(false);
  });
  it('adds 0.5 to every cell when one is zero', () => {
    // 3/20 vs 0/25 -> 3.5/21 vs 0.5/26: RR = 0.166667/0.019231 = 8.666667
    // SE = √(1/3.5 - 1/21 + 1/0.5 - 1/26) = √(0.285714 - 0.047619 + 2 - 0.038462) = √2.199634 = 1.483117
    const r = relativeRisk(3, 20, 0, 25)!;
    expect(r.corrected).toBe(true);
    expect(r.ratio).toBeCloseTo(8.666667, 6);
    expect(r.ci[0]).toBeCloseTo(8.666667 * Math.exp(-Z95 * 1.483117), 4);
    expect(r.ci[1]).toBeCloseTo(8.666667 * Math.exp(Z95 * 1.483117), 2);
    expect(Number.isFinite(relativeRisk(0, 20, 0, 25)!.ratio)).toBe(true);
  });
  it('null when a group is empty', () => {
    expect(relativeRisk(0, 0, 1, 2)).toBeNull();
  });
});
