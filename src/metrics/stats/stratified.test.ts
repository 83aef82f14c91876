import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MeanVar, welch } from './means.js';
import { mantelHaenszelMeanDifference, mantelHaenszelNpsDifference, mantelHaenszelRiskDifference } from './stratified.js';
import { Z95 } from './distributions.js';

/** Moderate doubles; magnitudes below 1e-100 become 0, so variances never sink into subnormals. */
const value = fc.double({ min: -100, max: 100, noNaN: true }).map((x) => (Math.abs(x) < 1e-100 ? 0 : x));

describe('mantelHaenszelRiskDifference', () => {
  it('two strata by hand', () => {
    // S1: 10/20 vs 5/20 (N 40), S2: 3/10 vs 6/30 (N 40)
    // w1 = 20·20/40 = 10, w2 = 10·30/40 = 7.5, Σw = 17.5
    // d1 = 0.5 - 0.25 = 0.25, d2 = 0.3 - 0.2 = 0.1; RD = (2.5 + 0.75)/17.5 = 0.185714
    // P1 = (400·5 - 400·10 + 400·0/2)/1600 = -1.25; P2 = (100·6 - 900·3 + 300·20/2)/1600 = 0.5625; ΣP = -0.6875
    // Q1 = (10·15 + 5·10)/80 = 2.5; Q2 = (3·24 + 6·7)/80 = 1.425; ΣQ = 3.925
    // Var = (0.185714·(-0.6875) + 3.925)/17.5² = 3.797321/306.25 = 0.0123994, SE = 0.111353
    // CI = 0.185714 ± 1.959964·0.111353 = [-0.032533, 0.403962]
    // MH test: S1 m1 = 15: x1 - E = 10 - 7.5 = 2.5, V = 20·20·15·25/(40²·39) = 2.403846
    //          S2 m1 = 9:  x1 - E = 3 - 2.25 = 0.75, V = 10·30·9·31/(40²·39) = 1.341346
    // χ² = 3.25²/3.745192 = 2.820282 -> p = 0.093080
    const r = mantelHaenszelRiskDifference([
      { x1: 10, n1: 20, x2: 5, n2: 20 },
      { x1: 3, n1: 10, x2: 6, n2: 30 },
    ])!;
    expect(r.difference).toBeCloseTo(0.185714, 6);
    expect(r.ci[0]).toBeCloseTo(-0.032533, 6);
    expect(r.ci[1]).toBeCloseTo(0.403962, 6);
    expect(r.p).toBeCloseTo(0.09308, 5);
    expect(r.strata).toBe(2);
  });
  it('one stratum: the Wald interval of p1 - p2', () => {
    // 7/15 vs 4/22: SE = √(0.466667·0.533333/15 + 0.181818·0.818182/22) = 0.152822
    const r = mantelHaenszelRiskDifference([{ x1: 7, n1: 15, x2: 4, n2: 22 }])!;
    const d = 7 / 15 - 4 / 22;
    expect(r.difference).toBeCloseTo(d, 12);
    expect(r.ci[0]).toBeCloseTo(d - Z95 * 0.15282154887549987, 10);
    expect(r.ci[1]).toBeCloseTo(d + Z95 * 0.15282154887549987, 10);
  });
  it('1:1 matched pairs: paired variance and McNemar', () => {
    // K = 50 pairs: f = 12 (1,0), g = 4 (0,1), 20 (1,1), 14 (0,0)
    // RD = (f - g)/K = 8/50 = 0.16; Var = ((f + g) - (f - g)²/K)/K² = (16 - 64/50)/2500 = 0.005888
    // McNemar χ² = (f - g)²/(f + g) = 64/16 = 4 -> p = 0.0455003
    const strata = [
      ...Array.from({ length: 12 }, () => ({ x1: 1, n1: 1, x2: 0, n2: 1 })),
      ...Array.from({ length: 4 }, () => ({ x1: 0, n1: 1, x2: 1, n2: 1 })),
      ...Array.from({ length: 20 }, () => ({ x1: 1, n1: 1, x2: 1, n2: 1 })),
      ...Array.from({ length: 14 }, () => ({ x1: 0, n1: 1, x2: 0, n2: 1 })),
    ];
    const r = mantelHaenszelRiskDifference(strata)!;
    expect(r.difference).toBeCloseTo(0.16, 12);
    expect(r.ci[1] - r.difference).toBeCloseTo(Z95 * Math.sqrt(0.005888), 12);
    expect(r.p).toBeCloseTo(0.0455003, 6);
  });
  it('removes confounding (Simpson): no effect within strata', () => {
    // Both strata have equal risks in the two groups, but group 1 sits mostly in the high-risk stratum.
    const r = mantelHaenszelRiskDifference([
      { x1: 80, n1: 100, x2: 8, n2: 10 },
      { x1: 1, n1: 10, x2: 10, n2: 100 },
    ])!;
    expect(r.difference).toBeCloseTo(0, 12);
    expect(r.p).toBeGreaterThan(0.99);
  });
  it('skips strata missing a group; null when none is left', () => {
    expect(mantelHaenszelRiskDifference([{ x1: 1, n1: 2, x2: 0, n2: 0 }])).toBeNull();
    expect(mantelHaenszelRiskDifference([])).toBeNull();
    const r = mantelHaenszelRiskDifference([
      { x1: 1, n1: 2, x2: 0, n2: 0 },
      { x1: 3, n1: 4, x2: 1, n2: 4 },
    ])!;
    expect(r.strata).toBe(1);
    expect(r.difference).toBeCloseTo(0.5, 12);
  });
  it('rejects impossible counts', () => {
    expect(() => mantelHaenszelRiskDifference([{ x1: 5, n1: 2, x2: 0, n2: 1 }])).toThrow(/strata\[0\]\.x1/);
  });
  it('the interval stays in [-1, 1] and contains the estimate', () => {
    const stratum = fc
      .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.nat(30), fc.nat(30))
      .map(([n1, n2, a, b]) => ({ x1: Math.min(a, n1), n1, x2: Math.min(b, n2), n2 }));
    fc.assert(
      fc.property(fc.array(stratum, { minLength: 1, maxLength: 20 }), (strata) => {
        const r = mantelHaenszelRiskDifference(strata);
        if (r === null) return;
        expect(r.ci[0]).toBeGreaterThanOrEqual(-1);
        expect(r.ci[1]).toBeLessThanOrEqual(1);
        expect(r.ci[0]).toBeLessThanOrEqual(r.difference + 1e-12);
        expect(r.ci[1]).toBeGreaterThanOrEqual(r.difference - 1e-12);
        expect(r.p).toBeGreaterThanOrEqual(0);
        expect(r.p).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('mantelHaenszelMeanDifference', () => {
  it('two strata by hand', () => {
    // S1: a n 4 mean 10 s² 4, b n 4 mean 8 s² 2; S2: a n 2 mean 20 s² 8, b n 6 mean 17 s² 6
    // w1 = 16/8 = 2, w2 = 12/8 = 1.5, Σw = 3.5; d = (2·2 + 1.5·3)/3.5 = 2.428571
    // pooled: s_a² = (4·3 + 8·1)/(3 + 1) = 5, s_b² = (2·3 + 6·5)/(3 + 5) = 4.5
    // Σw²/n_a = 4/4 + 2.25/2 = 2.125, Σw²/n_b = 4/4 + 2.25/6 = 1.375
    // ta = 5·2.125/12.25 = 0.867347, tb = 4.5·1.375/12.25 = 0.505102, Var = 1.372449, SE = 1.171516
    // df = 1.372449²/(0.867347²/4 + 0.505102²/8) = 8.563305; t = 2.073017 -> p = 0.069604
    // t(0.975, 8.563305) = 2.279865 -> CI = 2.428571 ± 2.670898 = [-0.242326, 5.099469]
    const r = mantelHaenszelMeanDifference([
      { a: { count: 4, mean: 10, variance: 4 }, b: { count: 4, mean: 8, variance: 2 } },
      { a: { count: 2, mean: 20, variance: 8 }, b: { count: 6, mean: 17, variance: 6 } },
    ])!;
    expect(r.difference).toBeCloseTo(2.428571, 6);
    expect(r.df).toBeCloseTo(8.563305, 6);
    expect(r.p).toBeCloseTo(0.069604, 6);
    expect(r.ci[0]).toBeCloseTo(-0.242326, 6);
    expect(r.ci[1]).toBeCloseTo(5.099469, 6);
  });
  it('one stratum is exactly Welch', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 2, maxLength: 30 }),
        fc.array(value, { minLength: 2, maxLength: 30 }),
        (xs, ys) => {
          const a = MeanVar.of(xs);
          const b = MeanVar.of(ys);
          const w = welch(a, b)!;
          const r = mantelHaenszelMeanDifference([{ a, b }])!;
          fc.pre(w.ci[0] !== w.ci[1]);
          expect(r.difference).toBeCloseTo(w.difference, 9);
          expect(r.df).toBeCloseTo(w.df, 6);
          expect(r.p).toBeCloseTo(w.p, 9);
          expect(r.ci[0]).toBeCloseTo(w.ci[0], 8);
        },
      ),
    );
  });
  it('single-value cells still count; a group without df borrows the pooled variance', () => {
    // a has one value per stratum (no within-cell df), b has 3: s_b² pooled = 2 stands in for a
    const r = mantelHaenszelMeanDifference([
      { a: MeanVar.of([5]), b: MeanVar.of([1, 2, 3]) },
      { a: MeanVar.of([7]), b: MeanVar.of([3, 4, 5]) },
    ])!;
    // w = 3/4 each; d = (3 + 3)/2 = 3
    expect(r.difference).toBeCloseTo(3, 12);
    expect(r.strata).toBe(2);
    expect(Number.isFinite(r.p)).toBe(true);
    expect(mantelHaenszelMeanDifference([{ a: MeanVar.of([5]), b: MeanVar.of([1]) }])).toBeNull();
    expect(mantelHaenszelMeanDifference([{ a: MeanVar.of([5, 6]), b: new MeanVar() }])).toBeNull();
  });
});

describe('mantelHaenszelNpsDifference', () => {
  it('one stratum is Welch on answers coded +100/0/-100', () => {
    // a: 6 promoters, 2 passives, 2 detractors; b: 2, 3, 5
    const a = { promoters: 6, passives: 2, detractors: 2 };
    const b = { promoters: 2, passives: 3, detractors: 5 };
    const code = (c: typeof a): number[] => [
      ...Array<number>(c.promoters).fill(100),
      ...Array<number>(c.passives).fill(0),
      ...Array<number>(c.detractors).fill(-100),
    ];
    const w = welch(MeanVar.of(code(a)), MeanVar.of(code(b)))!;
    const r = mantelHaenszelNpsDifference([{ a, b }])!;
    // NPS_a = 40, NPS_b = -30 -> 70
    expect(r.difference).toBeCloseTo(70, 10);
    expect(r.p).toBeCloseTo(w.p, 12);
    expect(r.ci[0]).toBeCloseTo(w.ci[0], 9);
  });
  it('adjusts for a confounding channel', () => {
    // Within each channel the exposed and unexposed groups have the same NPS, but exposure is
    // concentrated in the low-NPS channel: the crude difference is negative, the adjusted one 0.
    const r = mantelHaenszelNpsDifference([
      { a: { promoters: 10, passives: 10, detractors: 80 }, b: { promoters: 1, passives: 1, detractors: 8 } },
      { a: { promoters: 8, passives: 1, detractors: 1 }, b: { promoters: 80, passives: 10, detractors: 10 } },
    ])!;
    expect(r.difference).toBeCloseTo(0, 10);
    expect(r.p).toBeGreaterThan(0.99);
  });
});
