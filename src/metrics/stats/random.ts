/**
 * Seeded pseudo-random numbers for permutation tests and reproducible fixtures: the same
 * seed gives the same sequence on every platform (32-bit integer arithmetic only).
 *
 * @module
 */

import { normalQuantile } from './distributions.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_26 = 67108864;

/** SplitMix-style 32-bit generator (golden-ratio increment, Wellons' hash-prospector mixer), for seeding. */
function splitMix32(state: number): [next: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return [next, (z ^ (z >>> 15)) >>> 0];
}

/**
 * xoshiro128** pseudo-random generator: D. Blackman & S. Vigna (2021), "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47(4):36. 128-bit state, period 2^128 - 1,
 * passes BigCrush; plenty for permutation tests and fixtures (not for cryptography).
 * The 32-bit seed is expanded to the state with a SplitMix-style generator, as the
 * authors recommend.
 *
 * @example
 * const rng = new Random(42);
 * rng.next();    // a float in [0, 1)
 * rng.int(6);    // an integer in 0..5
 */
export class Random {
  readonly #s = new Uint32Array(4);

  /** @param seed any number; it is reduced to 32 bits (ToInt32). */
  constructor(seed: number) {
    let state = seed | 0;
    for (let i = 0; i < 4; i++) {
      const [next, out] = splitMix32(state);
      state = next;
      this.#s[i] = out;
    }
    if (this.#s.every((v) => v === 0)) this.#s[0] = 1; // the all-zero state is a fixed point
  }

  /**
   * A generator with the given raw 128-bit state (four 32-bit words, not all zero), for
   * reproducing the reference sequence of the paper's C code.
   */
  static fromState(state: readonly [number, number, number, number]): Random {
    const r = new Random(0);
    r.#s.set(state.map((v) => v >>> 0));
    if (r.#s.every((v) => v === 0)) throw new RangeError('Invalid state: must not be all zero');
    return r;
  }

  /** The current state, to resume the sequence later with {@link Random.fromState}. */
  get state(): [number, number, number, number] {
    const s = this.#s;
    return [s[0]!, s[1]!, s[2]!, s[3]!];
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const s1 = s[1]!;
    const x = Math.imul(s1, 5);
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s1;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    const s3 = s[3]!;
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** A float uniformly distributed in [0, 1) with 53 random bits. */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  /**
   * An integer uniformly distributed in 0..n-1, without modulo bias (rejection as in
   * OpenBSD's arc4random_uniform).
   * @throws RangeError unless n is an integer with 1 <= n <= 2^32.
   */
  int(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_POW_32)) {
      throw new RangeError(`Invalid argument n: must be an integer between 1 and 2^32, got ${String(n)}`);
    }
    const threshold = (TWO_POW_32 - n) % n; // 2^32 mod n
    for (;;) {
      const r = this.nextUint32();
      if (r >= threshold) return r % n;
    }
  }

  /** A standard normal deviate, by inversion: Φ⁻¹(u) with u uniform in (0, 1). */
  normal(): number {
    let u = this.next();
    while (u === 0) u = this.next();
    return normalQuantile(u);
  }
}

/**
 * Shuffles an array in place and returns it: R. A. Fisher & F. Yates (1938); the in-place
 * form of R. Durstenfeld (1964), "Algorithm 235: Random permutation", CACM 7(7):420. Every
 * permutation is equally likely (given the generator).
 */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
