/**
 * Means and variances: a mergeable accumulator, the t interval of a mean and Welch's test.
 *
 * @module
 */

import { tQuantile, tTwoSidedP } from './distributions.js';
import { assertLevel, type Comparison, type Interval } from './types.js';

/** What the tests on means need: a count, a mean and a sample variance. {@link MeanVar} is one. */
export interface MeanSummary {
  readonly count: number;
  readonly mean: number;
  /** Sample variance (divisor n - 1). */
  readonly variance: number;
}

/** Plain-data form of a {@link MeanVar} (JSON and structured-clone safe). */
export interface MeanVarJSON {
  count: number;
  mean: number;
  m2: number;
  sum: number;
  /** Running compensation of the Neumaier sum. */
  sumError: number;
  /** null when count is 0. */
  min: number | null;
  max: number | null;
}

/**
 * Mergeable accumulator of count, mean, M2 = Σ(x - mean)², sum, min and max.
 *
 * Method: B. P. Welford (1962), "Note on a method for calculating corrected sums of
 * squares and products", Technometrics 4(3):419-420, for `add`; T. F. Chan, G. H. Golub &
 * R. J. LeVeque (1979), "Updating formulae and a pairwise algorithm for computing sample
 * variances", for `merge` (M2 = M2a + M2b + δ²·na·nb/n). Both avoid the catastrophic
 * cancellation of Σx² - (Σx)²/n. The sum is a compensated (Neumaier 1974) sum, so it is
 * exact to ~1 ulp whatever the order of additions and merges.
 *
 * Merging is associative and commutative up to rounding, so accumulators built per file or
 * per worker thread and merged give the same result as one built over everything.
 *
 * @example
 * const acc = MeanVar.of([1, 2, 3, 4]);
 * acc.mean;     // 2.5
 * acc.variance; // 1.6666666666666667
 */
export class MeanVar implements MeanSummary {
  #count = 0;
  #mean = 0;
  #m2 = 0;
  #sum = 0;
  #sumError = 0;
  #min = Infinity;
  #max = -Infinity;

  /** An accumulator over `values`. */
  static of(values: Iterable<number>): MeanVar {
    return new MeanVar().addAll(values);
  }

  /**
   * Adds one value.
   * @throws RangeError when x is not a finite number.
   */
  add(x: number): this {
    if (!Number.isFinite(x)) throw new RangeError(`Invalid value: must be a finite number, got ${String(x)}`);
    this.#count++;
    const delta = x - this.#mean;
    this.#mean += delta / this.#count;
    this.#m2 += delta * (x - this.#mean);
    this.#addToSum(x);
    if (x < this.#min) this.#min = x;
    if (x > this.#max) this.#max = x;
    return this;
  }

  /** Adds every value of an iterable. */
  addAll(values: Iterable<number>): this {
    for (const x of values) this.add(x);
    return this;
  }

  /** Merges another accumulator into this one (the other is unchanged). */
  merge(other: MeanVar): this {
    const nb = other.#count;
    if (nb === 0) return this;
    const na = this.#count;
    if (na === 0) {
      this.#mean = other.#mean;
      this.#m2 = other.#m2;
    } else {
      const n = na + nb;
      const delta = other.#mean - this.#mean;
      this.#mean += (delta * nb) / n;
      this.#m2 += other.#m2 + ((delta * delta * na) / n) * nb;
    }
    this.#count = na + nb;
    this.#addToSum(other.#sum);
    this.#addToSum(other.#sumError);
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
    return this;
  }

  /** A copy of this accumulator. */
  clone(): MeanVar {
    return MeanVar.fromJSON(this.toJSON());
  }

  /** Neumaier's improved Kahan-Babuška summation. */
  #addToSum(x: number): void {
    const t = this.#sum + x;
    if (Math.abs(this.#sum) >= Math.abs(x)) this.#sumError += this.#sum - t + x;
    else this.#sumError += x - t + this.#sum;
    this.#sum = t;
  }

  /** Number of values. */
  get count(): number {
    return this.#count;
  }
  /** Arithmetic mean; NaN when empty. */
  get mean(): number {
    return this.#count === 0 ? NaN : this.#mean;
  }
  /** Σ(x - mean)². */
  get m2(): number {
    return this.#m2;
  }
  /** Σx (compensated). */
  get sum(): number {
    return this.#sum + this.#sumError;
  }
  /** Smallest value; NaN when empty. */
  get min(): number {
    return this.#count === 0 ? NaN : this.#min;
  }
  /** Largest value; NaN when empty. */
  get max(): number {
    return this.#count === 0 ? NaN : this.#max;
  }
  /** Sample variance M2/(n - 1); NaN when fewer than 2 values. */
  get variance(): number {
    return this.#count < 2 ? NaN : Math.max(0, this.#m2) / (this.#count - 1);
  }
  /** Population variance M2/n; NaN when empty. */
  get populationVariance(): number {
    return this.#count === 0 ? NaN : Math.max(0, this.#m2) / this.#count;
  }
  /** Sample standard deviation; NaN when fewer than 2 values. */
  get stdDev(): number {
    return Math.sqrt(this.variance);
  }
  /** Standard error of the mean, s/√n; NaN when fewer than 2 values. */
  get standardError(): number {
    return Math.sqrt(this.variance / this.#count);
  }

  /** Plain data for JSON or worker_threads. */
  toJSON(): MeanVarJSON {
    const empty = this.#count === 0;
    return {
      count: this.#count,
      mean: this.#mean,
      m2: this.#m2,
      sum: this.#sum,
      sumError: this.#sumError,
      min: empty ? null : this.#min,
      max: empty ? null : this.#max,
    };
  }

  /**
   * Rebuilds an accumulator from {@link MeanVar.toJSON}.
   * @throws TypeError when the object is not a MeanVarJSON.
   */
  static fromJSON(json: MeanVarJSON): MeanVar {
    const ok =
      typeof json === 'object' &&
      json !== null &&
      Number.isInteger(json.count) &&
      json.count >= 0 &&
      [json.mean, json.m2, json.sum, json.sumError].every(Number.isFinite) &&
      (json.count === 0 || (Number.isFinite(json.min) && Number.isFinite(json.max)));
    if (!ok) throw new TypeError('Invalid MeanVar JSON: expected { count, mean, m2, sum, sumError, min, max }');
    const acc = new MeanVar();
    acc.#count = json.count;
    acc.#mean = json.mean;
    acc.#m2 = json.m2;
    acc.#sum = json.sum;
    acc.#sumError = json.sumError;
    acc.#min = json.count === 0 ? Infinity : json.min!;
    acc.#max = json.count === 0 ? -Infinity : json.max!;
    return acc;
  }
}

/**
 * Confidence interval of a mean from the t distribution: mean ± t(1-α/2, n-1)·s/√n.
 *
 * Method: Student (1908), "The probable error of a mean", Biometrika 6:1-25.
 *
 * @returns null when fewer than 2 values.
 */
export function meanCI(acc: MeanSummary, level = 0.95): Interval | null {
  assertLevel(level);
  if (!(acc.count >= 2)) return null;
  const se = Math.sqrt(acc.variance / acc.count);
  const half = se === 0 ? 0 : tQuantile(0.5 + level / 2, acc.count - 1) * se;
  return [acc.mean - half, acc.mean + half];
}

/** Welch's comparison of two means. */
export interface WelchResult extends Comparison {
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
}

/**
 * Welch's unequal-variance t-test and interval for mean_a - mean_b.
 *
 * Method: B. L. Welch (1947), "The generalization of 'Student's' problem when several
 * different population variances are involved", Biometrika 34:28-35, with the
 * Welch-Satterthwaite degrees of freedom (Satterthwaite 1946):
 * df = (va/na + vb/nb)² / ((va/na)²/(na-1) + (vb/nb)²/(nb-1)).
 * When both variances are 0 the difference is certain: p = 0 (or 1 when it is 0) and the
 * interval is the point.
 *
 * @returns null when either group has fewer than 2 values.
 */
export function welch(a: MeanSummary, b: MeanSummary, level = 0.95): WelchResult | null {
  assertLevel(level);
  if (!(a.count >= 2 && b.count >= 2)) return null;
  const va = a.variance / a.count;
  const vb = b.variance / b.count;
  const difference = a.mean - b.mean;
  const se2 = va + vb;
  if (!(se2 > 0)) {
    return { difference, ci: [difference, difference], p: difference === 0 ? 1 : 0, df: a.count + b.count - 2 };
  }
  // in shares of se², so tiny variances do not underflow when squared
  const ra = va / se2;
  const rb = vb / se2;
  const df = 1 / ((ra * ra) / (a.count - 1) + (rb * rb) / (b.count - 1));
  const se = Math.sqrt(se2);
  const half = tQuantile(0.5 + level / 2, df) * se;
  return { difference, ci: [difference - half, difference + half], p: tTwoSidedP(difference / se, df), df };
}

/** A group described by its mean, sample standard deviation and size. */
export interface MeanSdSummary {
  mean: number;
  /** Sample standard deviation (divisor n - 1). */
  sd: number;
  n: number;
}

/**
 * {@link welch} from published summaries (mean, sample SD, n) instead of accumulators.
 * Method as {@link welch}.
 *
 * @returns null when either group has fewer than 2 values.
 */
export function welchFromSummary(a: MeanSdSummary, b: MeanSdSummary, level = 0.95): WelchResult | null {
  for (const [name, g] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (!(Number.isFinite(g.mean) && Number.isFinite(g.sd) && g.sd >= 0 && Number.isFinite(g.n) && g.n >= 0)) {
      throw new RangeError(
        `Invalid argument ${name}: must have a finite mean, sd >= 0 and n >= 0, got mean ${g.mean}, sd ${g.sd}, n ${g.n}`,
      );
    }
  }
  return welch(
    { count: a.n, mean: a.mean, variance: a.sd * a.sd },
    { count: b.n, mean: b.mean, variance: b.sd * b.sd },
    level,
  );
}
