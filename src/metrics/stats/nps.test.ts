import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { npsAdjustedWald, npsCounts, npsDifference, npsValue } from './nps.js';

describe('npsCounts / npsValue', () => {
  it('scores 0..10 -> -45.45', () => {
    // promoters {9, 10} = 2, passives {7, 8} = 2, detractors {0..6} = 7; 100·(2 - 7)/11 = -45.4545
    const c = npsCounts([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(c).toEqual({ promoters: 2, passives: 2, detractors: 7 });
    expect(npsValue(c.promoters, c.passives, c.detractors)).toBeCloseTo(-45.45, 2);
  });
  it('[10, 9, 10, 4] -> 50', () => {
    // 3 promoters, 1 detractor: 100·(3 - 1)/4 = 50
    const c = npsCounts([10, 9, 10, 4]);
    expect(npsValue(c.promoters, c.passives, c.detractors)).toBe(50);
  });
  it('100 promoters / 30 passives / 80 detractors -> 9.52', () => {
    // 100·(100 - 80)/210 = 9.5238
    expect(npsValue(100, 30, 80)).toBeCloseTo(9.52, 2);
  });
  it('no answers -> null', () => {
    expect(npsValue(0, 0, 0)).toBeNull();
    expect(npsAdjustedWald(0, 0, 0)).toBeNull();
  });
  it('rejects bad scores and counts', () => {
    expect(() => npsCounts([11])).toThrow(RangeError);
    expect(() => npsCounts([NaN])).toThrow(/Invalid NPS score/);
    expect(() => npsValue(-1, 0, 0)).toThrow(/Invalid argument promoters/);
  });
});

describe('npsAdjustedWald', () => {
  it('100/30/80 by hand', () => {
    // n = 210, n' = 213; p' = 100.75/213 = 0.4730047, d' = 80.75/213 = 0.3791080
    // NPS' = 0.0938967; Var = (0.4730047 + 0.3791080 - 0.0938967²)/213 = (0.8521127 - 0.0088166)/213
    //      = 0.0039591; √Var = 0.0629217; z·√Var = 1.959964·0.0629217 = 0.1233242
    // CI = 100·(0.0938967 ± 0.1233242) = [-2.9427, 21.7221]; value = 9.5238 (plain)
    const r = npsAdjustedWald(100, 30, 80)!;
    expect(r.value).toBeCloseTo(9.5238, 4);
    expect(r.ci[0]).toBeCloseTo(-2.9427, 4);
    expect(r.ci[1]).toBeCloseTo(21.7221, 4);
    expect(r.n).toBe(210);
  });
  it('all promoters: NPS 100 with an interval reaching below 100', () => {
    // 10 promoters: n' = 13, p' = 10.75/13 = 0.826923, d' = 0.75/13 = 0.057692, NPS' = 0.769231
    // Var = (0.884615 - 0.591716)/13 = 0.0225307, √Var = 0.150102
    // CI = 100·(0.769231 ± 0.294196) = [47.5036, 106.34] -> upper clamped to 100
    const r = npsAdjustedWald(10, 0, 0)!;
    expect(r.value).toBe(100);
    expect(r.ci[0]).toBeCloseTo(47.5036, 4);
    expect(r.ci[1]).toBe(100);
  });
  it('one answer', () => {
    // 1 promoter: n' = 4, p' = 1.75/4 = 0.4375, d' = 0.1875, NPS' = 0.25
    // Var = (0.625 - 0.0625)/4 = 0.140625, √Var = 0.375; CI = 100·(0.25 ± 0.734986) = [-48.4986, 98.4986]
    // (the adjusted interval is centred on the shrunk NPS' and excludes the plain value here)
    const r = npsAdjustedWald(1, 0, 0)!;
    expect(r.value).toBe(100);
    expect(r.ci[0]).toBeCloseTo(-48.4986, 4);
    expect(r.ci[1]).toBeCloseTo(98.4986, 4);
  });
  it('is clamped to [-100, 100] and narrows as n grows', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.nat(5000), fc.nat(5000), (p, pa, d) => {
        fc.pre(p + pa + d > 0);
        const r = npsAdjustedWald(p, pa, d)!;
        expect(r.ci[0]).toBeGreaterThanOrEqual(-100);
        expect(r.ci[1]).toBeLessThanOrEqual(100);
        expect(r.ci[0]).toBeLessThan(r.ci[1]);
        const big = npsAdjustedWald(p * 4, pa * 4, d * 4)!;
        expect(big.ci[1] - big.ci[0]).toBeLessThanOrEqual(r.ci[1] - r.ci[0] + 1e-9);
      }),
    );
  });
});

describe('npsDifference', () => {
  it('100/30/80 vs 40/20/60 by hand', () => {
    // a: NPS'_a = 0.0938967, Var_a = 0.0039591 (above); plain 9.5238
    // b: n' = 123, p' = 40.75/123 = 0.3313008, d' = 60.75/123 = 0.4939024, NPS'_b = -0.1626016
    //    Var_b = (0.8252033 - 0.0264395)/123 = 0.0064940; plain 100·(40 - 60)/120 = -16.6667
    // Δ' = 0.2564983; SE = √(0.0039591 + 0.0064940) = 0.1022407
    // CI = 100·(0.2564983 ± 1.959964·0.1022407) = [5.6110, 45.6886]
    // z = 0.2564983/0.1022407 = 2.508770 -> p = 2·(1 - Φ(2.508770)) = 0.012115
    // difference (plain) = 9.5238 + 16.6667 = 26.1905
    const r = npsDifference({ promoters: 100, passives: 30, detractors: 80 }, { promoters: 40, passives: 20, detractors: 60 })!;
    expect(r.difference).toBeCloseTo(26.1905, 4);
    expect(r.ci[0]).toBeCloseTo(5.611, 3);
    expect(r.ci[1]).toBeCloseTo(45.6886, 4);
    expect(r.p).toBeCloseTo(0.012115, 6);
  });
  it('identical groups: centred on 0, p = 1', () => {
    const g = { promoters: 5, passives: 3, detractors: 2 };
    const r = npsDifference(g, g)!;
    expect(r.difference).toBe(0);
    expect(r.ci[0]).toBeCloseTo(-r.ci[1], 12);
    expect(r.p).toBe(1);
  });
  it('null when a group has no answers', () => {
    expect(npsDifference({ promoters: 0, passives: 0, detractors: 0 }, { promoters: 1, passives: 0, detractors: 0 })).toBeNull();
  });
  it('is antisymmetric', () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), fc.nat(500), fc.nat(500), fc.nat(500), fc.nat(500), (a1, a2, a3, b1, b2, b3) => {
        fc.pre(a1 + a2 + a3 > 0 && b1 + b2 + b3 > 0);
        const a = { promoters: a1, passives: a2, detractors: a3 };
        const b = { promoters: b1, passives: b2, detractors: b3 };
        const ab = npsDifference(a, b)!;
        const ba = npsDifference(b, a)!;
        expect(ab.difference).toBeCloseTo(-ba.difference, 9);
        expect(ab.ci[0]).toBeCloseTo(-ba.ci[1], 9);
        expect(ab.p).toBeCloseTo(ba.p, 12);
      }),
    );
  });
});
