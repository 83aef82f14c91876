import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fightinWords } from './logodds.js';

const m = (o: Record<string, number>): Map<string, number> => new Map(Object.entries(o));

describe("fightinWords (Monroe, Colaresi & Quinn 2008, eq. 22)", () => {
  it('two terms, explicit prior, by hand', () => {
    // A = {good 3, bad 1}, n_A = 4; B = {good 1, bad 3}, n_B = 4; α = {good 1, bad 1}, α₀ = 2
    // δ_good = ln((3+1)/(4+2-3-1)) - ln((1+1)/(4+2-1-1)) = ln(4/2) - ln(2/4) = 2 ln 2 = 1.386294
    // Var = 1/(3+1) + 1/(1+1) = 0.75 -> z = 1.386294/0.866025 = 1.600755; bad is the mirror image
    const r = fightinWords(m({ good: 3, bad: 1 }), m({ good: 1, bad: 3 }), m({ good: 1, bad: 1 }));
    expect(r.map((t) => t.term)).toEqual(['good', 'bad']);
    expect(r[0]!.delta).toBeCloseTo(2 * Math.LN2, 12);
    expect(r[0]!.z).toBeCloseTo(1.600755, 6);
    expect(r[1]!.z).toBeCloseTo(-1.600755, 6);
    expect(r[0]).toMatchObject({ countA: 3, countB: 1 });
  });
  it('default prior: pooled counts × 0.5 (α₀ = mean group size)', () => {
    // pooled {good 4, bad 4} × 0.5 = {good 2, bad 2}, α₀ = 4
    // δ_good = ln(5/(4+4-5)) - ln(3/(4+4-3)) = ln(5/3) - ln(3/5) = 2 ln(5/3) = 1.021651
    // Var = 1/5 + 1/3 = 0.533333 -> z = 1.021651/0.730297 = 1.398954
    const r = fightinWords(m({ good: 3, bad: 1 }), m({ good: 1, bad: 3 }));
    expect(r[0]!.delta).toBeCloseTo(2 * Math.log(5 / 3), 12);
    expect(r[0]!.z).toBeCloseTo(1.398954, 6);
    // { scale } is the same prior spelled out
    expect(fightinWords(m({ good: 3, bad: 1 }), m({ good: 1, bad: 3 }), { scale: 0.5 })).toEqual(r);
  });
  it('three terms with a background prior, by hand', () => {
    // A = {late 5, refund 3, great 2}, n_A = 10; B = {late 1, refund 1, great 8}, n_B = 10
    // α = {late 1, refund 1, great 1, other 7}, α₀ = 10
    // late:   ln(6/(20-6)) - ln(2/(20-2)) = -0.847298 + 2.197225 = 1.349927; Var = 1/6 + 1/2 -> z = 1.653316
    // refund: ln(4/16) - ln(2/18) = -1.386294 + 2.197225 = 0.810930; Var = 1/4 + 1/2 -> z = 0.936382
    // great:  ln(3/17) - ln(9/11) = -1.734601 + 0.200671 = -1.533930; Var = 1/3 + 1/9 -> z = -2.300896
    const r = fightinWords(
      m({ late: 5, refund: 3, great: 2 }),
      m({ late: 1, refund: 1, great: 8 }),
      m({ late: 1, refund: 1, great: 1, other: 7 }),
    );
    expect(r.map((t) => t.term)).toEqual(['late', 'refund', 'great']);
    expect(r[0]!.z).toBeCloseTo(1.653316, 6);
    expect(r[1]!.z).toBeCloseTo(0.936382, 6);
    expect(r[2]!.z).toBeCloseTo(-2.300896, 6);
    expect(r[2]!.delta).toBeCloseTo(-1.53393, 5);
  });
  it('terms missing from a group, skipped zeros, ties by term', () => {
    const r = fightinWords(m({ b: 2, a: 2, zero: 0 }), m({ c: 4 }));
    expect(r.map((t) => t.term)).toEqual(['a', 'b', 'c']);
    expect(r[0]!.z).toBe(r[1]!.z);
    expect(r[2]).toMatchObject({ countA: 0, countB: 4 });
  });
  it('a single shared term has no contrast; empty input gives nothing', () => {
    expect(fightinWords(m({ only: 3 }), m({ only: 5 }))[0]).toMatchObject({ delta: 0, z: 0 });
    expect(fightinWords(new Map(), new Map())).toEqual([]);
  });
  it('rejects bad counts and priors', () => {
    expect(() => fightinWords(m({ a: -1 }), m({ a: 1 }))).toThrow(/countsA\["a"\]/);
    expect(() => fightinWords(m({ a: 1 }), m({ b: 1 }), m({ a: 1 }))).toThrow(/term "b" needs a prior count/);
    expect(() => fightinWords(m({ a: 1 }), m({ b: 1 }), { scale: 0 })).toThrow(/Invalid prior scale/);
  });
  it('swapping the groups negates delta and z', () => {
    const counts = fc.dictionary(fc.constantFrom('late', 'refund', 'great', 'slow', 'rude', 'thanks'), fc.integer({ min: 0, max: 50 }));
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        const ab = fightinWords(m(a), m(b));
        const ba = new Map(fightinWords(m(b), m(a)).map((t) => [t.term, t]));
        for (const t of ab) {
          expect(t.delta).toBeCloseTo(-ba.get(t.term)!.delta, 12);
          expect(t.z).toBeCloseTo(-ba.get(t.term)!.z, 12);
        }
        for (let i = 1; i < ab.length; i++) expect(ab[i]!.z).toBeLessThanOrEqual(ab[i - 1]!.z);
      }),
    );
  });
});
