import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { benjaminiHochberg } from './multiple.js';

describe('benjaminiHochberg', () => {
  it('hand-worked: step-up takes the minimum from above', () => {
    // p = [0.02, 0.5, 0.03], m = 3. Sorted: 0.02 (rank 1), 0.03 (rank 2), 0.5 (rank 3)
    // raw m·p/rank: 0.06, 0.045, 0.5; running minimum from the top: 0.5, 0.045, min(0.06, 0.045) = 0.045
    // back in input order: [0.045, 0.5, 0.045]
    const q = benjaminiHochberg([0.02, 0.5, 0.03]);
    expect(q[0]).toBeCloseTo(0.045, 15);
    expect(q[1]).toBeCloseTo(0.5, 15);
    expect(q[2]).toBeCloseTo(0.045, 15);
  });
  it('hand-worked: four p-values', () => {
    // p = [0.01, 0.04, 0.03, 0.005]; sorted 0.005 (1), 0.01 (2), 0.03 (3), 0.04 (4)
    // m·p/rank = 0.02, 0.02, 0.04, 0.04 (already monotone) -> input order [0.02, 0.04, 0.04, 0.02]
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]) as number[];
    [0.02, 0.04, 0.04, 0.02].forEach((v, i) => expect(q[i]).toBeCloseTo(v, 15));
  });
  it('caps at 1 and passes missing values through as null (not counted in m)', () => {
    // valid p = [0.9, 0.01] -> m = 2: sorted 0.01 (1) -> 0.02, 0.9 (2) -> 0.9
    expect(benjaminiHochberg([0.9, null, NaN, 0.01, undefined])).toEqual([0.9, null, null, 0.02, null]);
    expect(benjaminiHochberg([1, 1])).toEqual([1, 1]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.7])).toEqual([0.7]);
  });
  it('rejects p outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.1, 1.5])).toThrow(/index 1/);
    expect(() => benjaminiHochberg([-0.1])).toThrow(RangeError);
  });
  it('q >= p, q <= 1, monotone in p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null)), { maxLength: 200 }),
        (ps) => {
          const q = benjaminiHochberg(ps);
          expect(q).toHaveLength(ps.length);
          const pairs: [number, number][] = [];
          ps.forEach((p, i) => {
            if (p === null) expect(q[i]).toBeNull();
            else {
              const qi = q[i]!;
              expect(qi).toBeGreaterThanOrEqual(p);
              expect(qi).toBeLessThanOrEqual(1);
              pairs.push([p, qi]);
            }
          });
          pairs.sort((a, b) => a[0] - b[0]);
          for (let i = 1; i < pairs.length; i++) expect(pairs[i]![1]).toBeGreaterThanOrEqual(pairs[i - 1]![1]);
        },
      ),
    );
  });
});
