import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Z95,
  chiSquareCdf,
  chiSquareSf,
  erf,
  erfc,
  lnBeta,
  lnGamma,
  normalCdf,
  normalPdf,
  normalQuantile,
  normalSf,
  normalTwoSidedP,
  regularizedBeta,
  tCdf,
  tPdf,
  tQuantile,
  tSf,
  tTwoSidedP,
  zForLevel,
} from './distributions.js';

/** |actual/expected - 1| <= tol */
function expectRel(actual: number, expected: number, tol: number): void {
  const rel = expected === 0 ? Math.abs(actual) : Math.abs(actual / expected - 1);
  if (!(rel <= tol)) throw new Error(`expected ${expected}, got ${actual} (relative error ${rel} > ${tol})`);
}

// Reference values below were computed with mpmath at 40 significant digits
// (erfc, ncdf, betainc, gammainc, findroot on the cdf).
describe('erf / erfc (Cody)', () => {
  it('matches reference values to ~1e-15', () => {
    expectRel(erfc(5), 1.5374597944280349e-12, 1e-14);
    expectRel(erfc(0.3), 0.67137324054087258, 1e-15);
    expectRel(erf(0.1), 0.1124629160182849, 1e-15);
    expectRel(erf(-2), -0.99532226501895273, 1e-15);
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
  });
  it('is odd / complementary', () => {
    fc.assert(
      fc.property(fc.double({ min: -6, max: 6, noNaN: true }), (x) => {
        expect(Math.abs(erf(x) + erf(-x))).toBeLessThan(1e-16);
        expect(Math.abs(erf(x) + erfc(x) - 1)).toBeLessThan(3e-16);
        expect(Math.abs(erfc(x) + erfc(-x) - 2)).toBeLessThan(5e-16);
      }),
    );
  });
  it('underflows to 0 and saturates at 2', () => {
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erf(Infinity)).toBe(1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });
});

describe('normal distribution', () => {
  it('Φ and its tail', () => {
    expectRel(normalCdf(-8), 6.2209605742717841e-16, 1e-14);
    expectRel(normalCdf(-1.96), 0.024997895148220436, 1e-15);
    expectRel(normalSf(6), 9.8658764503769814e-10, 1e-14);
    expectRel(normalCdf(1), 0.84134474606854295, 1e-15);
    expect(normalCdf(0)).toBe(0.5);
    // two-sided p-value of z = 6.5 is 8.03e-11: still 14 correct digits
    expectRel(normalTwoSidedP(6.5), 8.0320011677182356e-11, 1e-13);
    expectRel(normalTwoSidedP(-6.5), 8.0320011677182356e-11, 1e-13);
    expect(normalTwoSidedP(0)).toBe(1);
    // φ(0) = 1/√(2π)
    expectRel(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-15);
  });
  it('quantile (Acklam + one Halley step)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(Math.abs(normalQuantile(0.975) - Z95)).toBeLessThan(1e-15);
    expectRel(normalQuantile(1e-10), -6.3613409024040562, 1e-15);
    expectRel(normalQuantile(0.001), -3.0902323061678135, 1e-15);
    expectRel(normalQuantile(0.9), 1.2815515655446006, 1e-15);
    expectRel(normalQuantile(1e-300), -37.047096299361199, 1e-15);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(Number.isNaN(normalQuantile(1.5))).toBe(true);
    expect(Number.isNaN(normalQuantile(NaN))).toBe(true);
  });
  it('quantile inverts the cdf', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-200, max: 0.5, noNaN: true }), (p) => {
        const x = normalQuantile(p);
        // Φ(x(1+ε)) = Φ(x)(1 + ~x²ε): the round trip is only as good as x² allows.
        expectRel(normalCdf(x), p, 1e-15 * (4 + x * x));
        // the upper half by symmetry (1 - q is exact for q in [½, 1])
        const q = 1 - p;
        expect(normalQuantile(q) + 0).toBe(-normalQuantile(1 - q) + 0); // + 0 folds -0
      }),
    );
  });
});

describe('zForLevel', () => {
  it('0.95 -> Z95, 0.90 -> 1.6448536269514722', () => {
    expect(zForLevel(0.95)).toBeCloseTo(Z95, 14);
    expectRel(zForLevel(0.9), 1.6448536269514722, 1e-15);
    expect(() => zForLevel(1)).toThrow(RangeError);
    expect(() => zForLevel(0)).toThrow(/Invalid argument level/);
  });
});

describe('gamma and beta functions', () => {
  it('lnGamma', () => {
    // lnΓ(½) = ln √π
    expectRel(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-15);
    expectRel(lnGamma(100), 359.1342053695754, 1e-15);
    // Γ(5) = 24
    expectRel(lnGamma(5), Math.log(24), 1e-15);
    expect(Number.isNaN(lnGamma(0))).toBe(true);
  });
  it('lnBeta keeps its digits for large arguments', () => {
    // B(a, ½) = Γ(a)Γ(½)/Γ(a+½) ≈ √(π/a)·(1 + 1/(8a)) for large a
    const a = 5e8;
    expectRel(lnBeta(a, 0.5), 0.5 * Math.log(Math.PI / a) + Math.log1p(1 / (8 * a)), 1e-15);
    // B(2, 3) = 1!·2!/4! = 1/12
    expectRel(lnBeta(2, 3), -Math.log(12), 1e-15);
    expectRel(lnBeta(30, 40), lnGamma(30) + lnGamma(40) - lnGamma(70), 1e-14);
  });
  it('regularized incomplete beta', () => {
    // For integers I_x(a, b) = P(Binomial(a+b-1, x) >= a):
    // I_0.3(2, 5) = 1 - 0.7^6 - 6·0.3·0.7^5 = 1 - 0.117649 - 0.302526 = 0.579825
    expectRel(regularizedBeta(0.3, 2, 5), 0.579825, 1e-14);
    expect(regularizedBeta(0, 2, 5)).toBe(0);
    expect(regularizedBeta(1, 2, 5)).toBe(1);
    expect(Number.isNaN(regularizedBeta(1.2, 2, 5))).toBe(true);
  });
});

describe('Student t', () => {
  it('quantile', () => {
    expectRel(tQuantile(0.975, 10), 2.228138851986274, 1e-15);
    expectRel(tQuantile(0.975, 30), 2.0422724563012379, 1e-14);
    expectRel(tQuantile(0.975, 19), 2.0930240544083093, 1e-14);
    expectRel(tQuantile(0.995, 3.5), 5.085702223091257, 1e-14);
    expectRel(tQuantile(1e-10, 3), -2225.7692846830932, 1e-13);
    expectRel(tQuantile(0.975, 1e4), 1.9602012398906259, 1e-14);
    expectRel(tQuantile(0.975, 1e6), 1.9599663568141067, 1e-14);
    expect(tQuantile(0.975, Infinity)).toBe(normalQuantile(0.975));
    expect(tQuantile(0.5, 7)).toBe(0);
    // df = 1 is the Cauchy: F⁻¹(p) = tan(π(p - ½)); F⁻¹(0.75) = 1
    expectRel(tQuantile(0.75, 1), 1, 1e-15);
    // df = 2: F(t) = ½ + t/(2√(2+t²)); t = 2 gives ½ + 2/(2√6) = 0.908248290463863
    expectRel(tQuantile(0.5 + 1 / Math.sqrt(6), 2), 2, 1e-14);
  });
  it('cdf', () => {
    expectRel(tCdf(2.228138851986274, 10), 0.975, 1e-14);
    expectRel(tCdf(-3, 4.5), 0.017190433944379812, 1e-13);
    expectRel(tCdf(2.5, 25), 0.99032843621502865, 1e-14);
    expectRel(tCdf(-8, 12), 1.8799491123751286e-6, 1e-13);
    expectRel(tCdf(-5, 2e4), 2.8907570738290256e-7, 1e-13);
    expectRel(tCdf(2, 1000), 0.97711482675337418, 1e-14);
    expect(tCdf(-40, 1e5)).toBe(0); // 2.07e-347 underflows
    // Cauchy: F(1) = ¾
    expectRel(tCdf(1, 1), 0.75, 1e-15);
    // df = 2 closed form: F(t) = ½ + t/(2√(2+t²))
    expectRel(tCdf(3, 2), 0.5 + 3 / (2 * Math.sqrt(11)), 1e-15);
    expect(tCdf(0, 5)).toBe(0.5);
    expect(tCdf(Infinity, 5)).toBe(1);
    expect(tCdf(-Infinity, 5)).toBe(0);
    expect(tCdf(1.3, Infinity)).toBe(normalCdf(1.3));
    expect(() => tCdf(1, 0)).toThrow(RangeError);
  });
  it('tails and two-sided p are consistent', () => {
    expectRel(tSf(3, 4.5), 0.017190433944379812, 1e-13);
    expectRel(tTwoSidedP(-3, 4.5), 2 * 0.017190433944379812, 1e-13);
    expect(tTwoSidedP(0, 4)).toBe(1);
  });
  it('quantile inverts the cdf for any df', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 0.5, noNaN: true }),
        fc.double({ min: 0.5, max: 1e6, noNaN: true }),
        (p, df) => {
          const t = tQuantile(p, df);
          expectRel(tCdf(t, df), p, 1e-11);
          expect(tQuantile(1 - p, df)).toBeCloseTo(-tQuantile(1 - (1 - p), df), 6);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('density integrates to the cdf (trapezoid check)', () => {
    let area = 0;
    const steps = 10_000;
    const h = 1 / steps;
    for (let i = 0; i < steps; i++) area += ((tPdf(i * h, 6.5) + tPdf((i + 1) * h, 6.5)) / 2) * h;
    expect(area).toBeCloseTo(tCdf(1, 6.5) - 0.5, 9);
  });
});

describe('chi-square', () => {
  it('matches reference values', () => {
    expectRel(chiSquareSf(3.841458820694124, 1), 0.05, 1e-14);
    expectRel(chiSquareSf(18.307038053275146, 10), 0.05, 1e-13);
    expectRel(chiSquareCdf(2.5, 3), 0.52470891665697941, 1e-14);
    expectRel(chiSquareSf(150, 100), 0.00090393204235400909, 1e-12);
    expectRel(chiSquareSf(60, 1), 9.4857375710738484e-15, 1e-13);
    // df = 2 is the exponential with mean 2: P(X <= 4) = 1 - e^{-2}
    expectRel(chiSquareCdf(4, 2), 1 - Math.exp(-2), 1e-15);
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(chiSquareSf(-1, 3)).toBe(1);
  });
});
