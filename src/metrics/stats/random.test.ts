import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Random, shuffle } from './random.js';

describe('Random (xoshiro128**)', () => {
  it('matches the reference C code from state {1, 2, 3, 4}', () => {
    // first output by hand: rotl(s1·5, 7)·9 = rotl(10, 7)·9 = 1280·9 = 11520;
    // the rest from a direct Python transcription of xoshiro128starstar.c
    const r = Random.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });
  it('is reproducible per seed and differs across seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });
  it('state resumes the sequence', () => {
    const a = new Random(7);
    a.next();
    const b = Random.fromState(a.state);
    expect(b.nextUint32()).toBe(a.nextUint32());
    expect(() => Random.fromState([0, 0, 0, 0])).toThrow(RangeError);
  });
  it('next() is in [0, 1) with mean ½ and variance 1/12', () => {
    const r = new Random(1);
    let sum = 0;
    let sumSq = 0;
    const n = 200_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    // standard error of the mean: √(1/12/n) = 0.00065
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(sumSq / n - (sum / n) ** 2 - 1 / 12)).toBeLessThan(0.002);
  });
  it('int(n) is uniform (chi-square) and in range', () => {
    const r = new Random(2024);
    const counts = new Array<number>(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[r.int(6)]!++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
    // 5 df: P(χ² > 20.5) = 0.001
    expect(chi2).toBeLessThan(20.5);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(1.5)).toThrow(RangeError);
    expect(r.int(1)).toBe(0);
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 32 }), (m) => {
      const v = r.int(m);
      expect(v >= 0 && v < m && Number.isInteger(v)).toBe(true);
    }));
  });
  it('normal() has mean 0 and variance 1', () => {
    const r = new Random(99);
    let sum = 0;
    let sumSq = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.015);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.02);
  });
});

describe('shuffle (Fisher-Yates)', () => {
  it('is a permutation, in place, reproducible', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (xs, seed) => {
        const copy = [...xs];
        const out = shuffle(copy, new Random(seed));
        expect(out).toBe(copy);
        expect([...out].sort((a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b));
        expect(shuffle([...xs], new Random(seed))).toEqual(out);
      }),
    );
  });
  it('all 6 orders of 3 items are equally likely', () => {
    const r = new Random(5);
    const counts = new Map<string, number>();
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const key = shuffle(['a', 'b', 'c'], r).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.5); // 5 df, 0.1%
  });
});
