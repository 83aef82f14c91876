/**
 * Quantiles: exact helpers for arrays (quantile, median, MAD) and {@link QuantileSketch}, a
 * mergeable, bounded-memory quantile accumulator for durations.
 *
 * @module
 */

/** Throws a RangeError unless 0 <= q <= 1. */
function assertQ(q: number): void {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`Invalid argument q: must be between 0 and 1, got ${String(q)}`);
}

/**
 * Quantile of values already sorted ascending, by linear interpolation between order
 * statistics: Hyndman & Fan (1996), "Sample quantiles in statistical packages", Am. Stat.
 * 50:361-365, definition 7 (R's default type = 7, numpy's default 'linear'):
 * h = (n - 1)·q, Q = x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋ + 1] - x[⌊h⌋]).
 *
 * @returns null when there are no values.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  assertQ(q);
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const x0 = sorted[lo]!;
  if (lo >= n - 1) return x0;
  const frac = h - lo;
  return frac === 0 ? x0 : x0 + frac * (sorted[lo + 1]! - x0);
}

function sortedCopy(values: Iterable<number>): Float64Array {
  const arr = Float64Array.from(values);
  for (const v of arr) {
    if (Number.isNaN(v)) throw new RangeError('Invalid value: NaN');
  }
  return arr.sort();
}

/**
 * Quantile of unsorted values (Hyndman & Fan type 7, see {@link quantileSorted}).
 * @returns null when there are no values.
 */
export function quantile(values: Iterable<number>, q: number): number | null {
  assertQ(q);
  return quantileSorted(sortedCopy(values), q);
}

/**
 * Median (the middle value, or the mean of the two middle values).
 * @returns null when there are no values.
 */
export function median(values: Iterable<number>): number | null {
  return quantileSorted(sortedCopy(values), 0.5);
}

/** Consistency constant of the MAD for the normal distribution, 1/Φ⁻¹(¾) rounded as in R. */
export const MAD_NORMAL_SCALE = 1.4826;

/**
 * Median absolute deviation, median(|x - median(x)|): a robust spread for anomaly bands
 * (breakdown point 50%; Hampel 1974, "The influence curve and its role in robust
 * estimation", JASA 69:383-393). With `scaled: true` it is multiplied by 1.4826 so that it
 * estimates the standard deviation of normal data (as R's mad() does by default);
 * unscaled by default.
 *
 * @returns null when there are no values.
 */
export function mad(values: Iterable<number>, options: { scaled?: boolean } = {}): number | null {
  const sorted = sortedCopy(values);
  const m = quantileSorted(sorted, 0.5);
  if (m === null) return null;
  const deviations = sorted.map((x) => Math.abs(x - m)).sort();
  const d = quantileSorted(deviations, 0.5)!;
  return options.scaled === true ? d * MAD_NORMAL_SCALE : d;
}

// ---------------------------------------------------------------------------------------
// QuantileSketch
// ---------------------------------------------------------------------------------------

/** Default relative accuracy of the sketch mode: 0.05%. */
export const SKETCH_ALPHA = 0.0005;
/** Default number of values kept exactly before switching to buckets. */
export const SKETCH_MAX_EXACT = 65_536;
/** Default maximum number of buckets per sign; beyond, the lowest buckets are collapsed. */
export const SKETCH_MAX_BUCKETS = 20_000;

/** Options of a {@link QuantileSketch}; sketches merge only with equal `alpha` and `maxBuckets`. */
export interface QuantileSketchOptions {
  /** Relative accuracy in sketch mode, 0 < alpha < 1. Default 0.0005. */
  alpha?: number;
  /** Values kept exactly before switching to buckets. Default 65,536. */
  maxExact?: number;
  /** Maximum buckets per sign. Default 20,000. */
  maxBuckets?: number;
}

/** Plain-data form of a bucket store. */
export interface BucketStoreJSON {
  /** Key of counts[0]. */
  offset: number;
  counts: number[];
}

/** Plain-data form of a {@link QuantileSketch} (JSON and structured-clone safe). */
export interface QuantileSketchJSON {
  version: 1;
  alpha: number;
  maxExact: number;
  maxBuckets: number;
  count: number;
  sum: number;
  sumError: number;
  /** null when empty. */
  min: number | null;
  max: number | null;
  /** The values in exact mode, null in sketch mode. */
  exact: number[] | null;
  /** Sketch mode: number of zeros, and the buckets of positive values and of |negative values|. */
  zero: number;
  positive: BucketStoreJSON | null;
  negative: BucketStoreJSON | null;
}

/**
 * Dense bucket counts over a contiguous range of integer keys, at most `maxBuckets` wide;
 * when a new key would widen it further, the lowest buckets are merged into the lowest one
 * kept (the "collapsing lowest" store of DDSketch). The result depends only on the keys
 * added, not on their order, so merges are exact.
 */
class BucketStore {
  bins = new Float64Array(0);
  offset = 0;
  minKey = 0;
  maxKey = -1;
  total = 0;

  constructor(readonly maxBuckets: number) {}

  get empty(): boolean {
    return this.total === 0;
  }

  add(key: number, count: number): void {
    if (count === 0) return;
    if (this.empty) {
      this.minKey = this.maxKey = key;
      this.#ensure(key, key);
    } else if (key < this.minKey) {
      const lowest = this.maxKey - this.maxBuckets + 1;
      if (key < lowest) key = lowest;
      if (key < this.minKey) {
        this.#ensure(key, this.maxKey);
        this.minKey = key;
      }
    } else if (key > this.maxKey) {
      const lowest = key - this.maxBuckets + 1;
      if (lowest > this.minKey) this.#collapseBelow(lowest);
      this.#ensure(this.minKey, key);
      this.maxKey = key;
    }
    this.bins[key - this.offset]! += count;
    this.total += count;
  }

  /** Folds every bucket with a key below `lowest` into bucket `lowest`. */
  #collapseBelow(lowest: number): void {
    let moved = 0;
    const top = Math.min(lowest - 1, this.maxKey);
    for (let k = this.minKey; k <= top; k++) {
      const i = k - this.offset;
      moved += this.bins[i]!;
      this.bins[i] = 0;
    }
    if (lowest > this.maxKey) {
      // everything collapses into one bucket above the current range
      this.bins = new Float64Array(Math.min(32, this.maxBuckets + 1));
      this.offset = lowest;
      this.minKey = this.maxKey = lowest;
    } else {
      this.minKey = lowest;
    }
    this.bins[lowest - this.offset]! += moved;
  }

  /** Makes bins cover [lo, hi], keeping existing counts. */
  #ensure(lo: number, hi: number): void {
    const len = this.bins.length;
    if (len > 0 && lo >= this.offset && hi < this.offset + len) return;
    const usedLo = this.empty ? lo : Math.min(lo, this.minKey);
    const usedHi = this.empty ? hi : Math.max(hi, this.maxKey);
    const needed = usedHi - usedLo + 1;
    const capacity = Math.min(this.maxBuckets + 1, Math.max(needed + 32, Math.ceil(needed * 1.5)));
    // leave the slack on the side that is growing
    const growingDown = !this.empty && lo < this.offset;
    const offset = growingDown ? usedHi - capacity + 1 : usedLo;
    const bins = new Float64Array(Math.max(capacity, needed));
    if (!this.empty) {
      for (let k = this.minKey; k <= this.maxKey; k++) bins[k - offset] = this.bins[k - this.offset]!;
    }
    this.bins = bins;
    this.offset = offset;
  }

  addStore(other: BucketStore): void {
    if (other.empty) return;
    // highest first, so that collapsing happens once against the final top key
    for (let k = other.maxKey; k >= other.minKey; k--) {
      const c = other.bins[k - other.offset]!;
      if (c !== 0) this.add(k, c);
    }
  }

  toJSON(): BucketStoreJSON {
    const counts: number[] = [];
    if (!this.empty) for (let k = this.minKey; k <= this.maxKey; k++) counts.push(this.bins[k - this.offset]!);
    return { offset: this.minKey, counts };
  }

  static fromJSON(json: BucketStoreJSON, maxBuckets: number): BucketStore {
    const store = new BucketStore(maxBuckets);
    json.counts.forEach((c, i) => {
      if (!(Number.isFinite(c) && c >= 0)) throw new TypeError('Invalid QuantileSketch JSON: bad bucket count');
      store.add(json.offset + i, c);
    });
    return store;
  }

  /** Allocated bucket slots. */
  get capacity(): number {
    return this.bins.length;
  }
}

/**
 * Mergeable quantile accumulator with bounded memory, for durations in seconds (and any
 * other finite numbers: negatives and zeros are kept on their own side and never crash it).
 *
 * Accuracy: exact up to 65,536 values; beyond, within 0.05% relative error: 3h 05m is off
 * by at most 6 s. `quantile(q)` answers like R's type 7 / numpy's default (linear
 * interpolation between order statistics), and `quantile(0)` / `quantile(1)` are the exact
 * min and max in both modes.
 *
 * Method: while count <= `maxExact` (65,536) the values are stored and quantiles are
 * exact (Hyndman & Fan 1996, type 7). Past that the sketch switches, for good, to the
 * logarithmic buckets of DDSketch: C. Masson, J. E. Rim & H. K. Lee (2019), "DDSketch: a
 * fast and fully-mergeable quantile sketch with relative-error guarantees", PVLDB
 * 12(12):2195-2205. A positive x goes to bucket k = ⌈log_γ x⌉ with γ = (1 + α)/(1 - α),
 * α = 0.0005, and bucket k answers 2γ^k/(γ + 1), within α of every value in it; the two
 * order statistics that type 7 interpolates between are each estimated within α, so the
 * interpolated answer is too. Negative values use a mirrored store, zeros a counter.
 * Each store keeps at most `maxBuckets` (20,000) buckets, which covers a ratio of
 * γ^20000 ≈ 4.9e8 between the smallest and largest value (e.g. 0.01 s to 56 days);
 * beyond, the lowest buckets are collapsed, so only quantiles that fall among the very
 * smallest values lose the guarantee (they are still clamped to the exact min).
 *
 * Memory: at most 65,536 × 8 B = 512 KiB in exact mode, and at most
 * 2 × (20,000 + 1) × 8 B ≈ 320 KB in sketch mode (one store per sign; typically one), whatever
 * the number of values.
 *
 * Merging: exact + exact stays exact when the total fits in `maxExact`, otherwise both go
 * to buckets; bucket counts are integers and collapsing depends only on the largest key, so a
 * merged sketch answers exactly as one fed every value would (up to the rounding of `sum`).
 *
 * @example
 * const s = new QuantileSketch();
 * for (const seconds of durations) s.add(seconds);
 * s.quantile(0.5); s.quantile(0.9); s.mean;
 * const copy = QuantileSketch.fromJSON(s.toJSON()); // e.g. across worker_threads
 */
export class QuantileSketch {
  readonly alpha: number;
  readonly maxExact: number;
  readonly maxBuckets: number;
  readonly #lnGamma: number;
  readonly #bucketValueFactor: number;

  #count = 0;
  #sum = 0;
  #sumError = 0;
  #min = Infinity;
  #max = -Infinity;

  // exact mode: the first #usedExact slots of #values (null in sketch mode)
  #values: Float64Array | null = new Float64Array(16);
  #usedExact = 0;
  #sorted = true;

  // sketch mode
  #zero = 0;
  #positive: BucketStore | null = null;
  #negative: BucketStore | null = null;

  /**
   * @throws RangeError for options out of range (alpha outside (0, 1), maxExact not an
   *   integer >= 0, maxBuckets not an integer >= 1).
   */
  constructor(options: QuantileSketchOptions = {}) {
    const alpha = options.alpha ?? SKETCH_ALPHA;
    const maxExact = options.maxExact ?? SKETCH_MAX_EXACT;
    const maxBuckets = options.maxBuckets ?? SKETCH_MAX_BUCKETS;
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`Invalid option alpha: must be between 0 and 1, got ${String(alpha)}`);
    if (!(Number.isInteger(maxExact) && maxExact >= 0)) {
      throw new RangeError(`Invalid option maxExact: must be an integer >= 0, got ${String(maxExact)}`);
    }
    if (!(Number.isInteger(maxBuckets) && maxBuckets >= 1)) {
      throw new RangeError(`Invalid option maxBuckets: must be an integer >= 1, got ${String(maxBuckets)}`);
    }
    this.alpha = alpha;
    this.maxExact = maxExact;
    this.maxBuckets = maxBuckets;
    const gamma = (1 + alpha) / (1 - alpha);
    this.#lnGamma = Math.log1p((2 * alpha) / (1 - alpha));
    this.#bucketValueFactor = 2 / (gamma + 1);
    if (maxExact === 0) this.#toSketch();
  }

  /** A sketch over `values`. */
  static of(values: Iterable<number>, options?: QuantileSketchOptions): QuantileSketch {
    const s = new QuantileSketch(options);
    for (const v of values) s.add(v);
    return s;
  }

  /** Number of values. */
  get count(): number {
    return this.#count;
  }
  /** Σx (compensated summation, Neumaier 1974). */
  get sum(): number {
    return this.#sum + this.#sumError;
  }
  /** Arithmetic mean; NaN when empty. */
  get mean(): number {
    return this.#count === 0 ? NaN : this.sum / this.#count;
  }
  /** Smallest value (exact); NaN when empty. */
  get min(): number {
    return this.#count === 0 ? NaN : this.#min;
  }
  /** Largest value (exact); NaN when empty. */
  get max(): number {
    return this.#count === 0 ? NaN : this.#max;
  }
  /** True while quantiles are exact (values stored). */
  get isExact(): boolean {
    return this.#values !== null;
  }
  /** Bucket slots allocated across both signs (0 in exact mode); at most 2·(maxBuckets + 1). */
  get bucketCount(): number {
    return (this.#positive?.capacity ?? 0) + (this.#negative?.capacity ?? 0);
  }

  /**
   * Adds one value.
   * @throws RangeError when x is not a finite number.
   */
  add(x: number): this {
    if (!Number.isFinite(x)) throw new RangeError(`Invalid value: must be a finite number, got ${String(x)}`);
    x += 0; // -0 -> 0, so that answers survive JSON
    this.#count++;
    this.#addToSum(x);
    if (x < this.#min) this.#min = x;
    if (x > this.#max) this.#max = x;
    if (this.#values !== null) {
      if (this.#count <= this.maxExact) {
        this.#push(x);
        return this;
      }
      this.#toSketch();
    }
    this.#addToBuckets(x, 1);
    return this;
  }

  /** Adds every value of an iterable. */
  addAll(values: Iterable<number>): this {
    for (const v of values) this.add(v);
    return this;
  }

  /**
   * Merges another sketch into this one (the other is unchanged).
   * @throws RangeError when the sketches' alpha or maxBuckets differ.
   */
  merge(other: QuantileSketch): this {
    if (other.alpha !== this.alpha || other.maxBuckets !== this.maxBuckets) {
      throw new RangeError(
        `Cannot merge quantile sketches with different settings: alpha ${this.alpha} vs ${other.alpha}, maxBuckets ${this.maxBuckets} vs ${other.maxBuckets}`,
      );
    }
    if (other.#count === 0) return this;
    const total = this.#count + other.#count;
    const otherValues = other.#values;
    if (this.#values !== null && otherValues !== null && total <= this.maxExact) {
      for (let i = 0; i < other.#count; i++) this.#push(otherValues[i]!);
    } else {
      if (this.#values !== null) this.#toSketch();
      if (otherValues !== null) {
        for (let i = 0; i < other.#count; i++) this.#addToBuckets(otherValues[i]!, 1);
      } else {
        this.#zero += other.#zero;
        if (other.#positive !== null) this.#store('positive').addStore(other.#positive);
        if (other.#negative !== null) this.#store('negative').addStore(other.#negative);
      }
    }
    this.#count = total;
    this.#addToSum(other.#sum);
    this.#addToSum(other.#sumError);
    if (other.#min < this.#min) this.#min = other.#min;
    if (other.#max > this.#max) this.#max = other.#max;
    return this;
  }

  /**
   * The q-quantile, 0 <= q <= 1 (type 7: linear interpolation between order statistics).
   * Exact in exact mode; within `alpha` relative error in sketch mode.
   *
   * @returns null when the sketch is empty.
   * @throws RangeError when q is outside [0, 1].
   */
  quantile(q: number): number | null {
    assertQ(q);
    const n = this.#count;
    if (n === 0) return null;
    const values = this.#values;
    if (values !== null) {
      if (!this.#sorted) {
        values.subarray(0, n).sort();
        this.#sorted = true;
      }
      return quantileSorted(values.subarray(0, n), q);
    }
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const frac = h - lo;
    const x0 = this.#valueAtRank(lo);
    if (frac === 0 || lo >= n - 1) return x0;
    const x1 = this.#valueAtRank(lo + 1);
    return x0 + frac * (x1 - x0);
  }

  /** Several quantiles at once. */
  quantiles(qs: readonly number[]): (number | null)[] {
    return qs.map((q) => this.quantile(q));
  }

  /** Plain data for JSON or worker_threads. */
  toJSON(): QuantileSketchJSON {
    const empty = this.#count === 0;
    return {
      version: 1,
      alpha: this.alpha,
      maxExact: this.maxExact,
      maxBuckets: this.maxBuckets,
      count: this.#count,
      sum: this.#sum,
      sumError: this.#sumError,
      min: empty ? null : this.#min,
      max: empty ? null : this.#max,
      exact: this.#values === null ? null : Array.from(this.#values.subarray(0, this.#count)),
      zero: this.#zero,
      positive: this.#positive?.toJSON() ?? null,
      negative: this.#negative?.toJSON() ?? null,
    };
  }

  /**
   * Rebuilds a sketch from {@link QuantileSketch.toJSON}.
   * @throws TypeError when the object is not a QuantileSketchJSON.
   */
  static fromJSON(json: QuantileSketchJSON): QuantileSketch {
    const bad = (what: string): never => {
      throw new TypeError(`Invalid QuantileSketch JSON: ${what}`);
    };
    if (typeof json !== 'object' || json === null || json.version !== 1) bad('expected version 1');
    const s = new QuantileSketch({ alpha: json.alpha, maxExact: json.maxExact, maxBuckets: json.maxBuckets });
    if (!(Number.isInteger(json.count) && json.count >= 0)) bad('count');
    if (!(Number.isFinite(json.sum) && Number.isFinite(json.sumError))) bad('sum');
    if (json.count > 0 && !(Number.isFinite(json.min) && Number.isFinite(json.max))) bad('min/max');
    if (json.exact !== null) {
      if (!Array.isArray(json.exact) || json.exact.length !== json.count || json.count > json.maxExact) bad('exact values');
      s.#toExact(json.exact.length);
      for (const v of json.exact) {
        if (!Number.isFinite(v)) bad('exact values');
        s.#push(v);
      }
    } else {
      s.#toSketch();
      if (!(Number.isFinite(json.zero) && json.zero >= 0)) bad('zero');
      s.#zero = json.zero;
      let total = json.zero;
      if (json.positive !== null) {
        s.#positive = BucketStore.fromJSON(json.positive, s.maxBuckets);
        total += s.#positive.total;
      }
      if (json.negative !== null) {
        s.#negative = BucketStore.fromJSON(json.negative, s.maxBuckets);
        total += s.#negative.total;
      }
      if (total !== json.count) bad('bucket counts do not add up to count');
    }
    s.#count = json.count;
    s.#sum = json.sum;
    s.#sumError = json.sumError;
    s.#min = json.count === 0 ? Infinity : json.min!;
    s.#max = json.count === 0 ? -Infinity : json.max!;
    return s;
  }

  // -------------------------------------------------------------------------------------

  #addToSum(x: number): void {
    const t = this.#sum + x;
    if (Math.abs(this.#sum) >= Math.abs(x)) this.#sumError += this.#sum - t + x;
    else this.#sumError += x - t + this.#sum;
    this.#sum = t;
  }

  /** Appends to the exact buffer, doubling it up to maxExact. */
  #push(x: number): void {
    let values = this.#values!;
    const used = this.#usedExact;
    if (used === values.length) {
      const bigger = new Float64Array(Math.min(Math.max(16, values.length * 2), Math.max(this.maxExact, 16)));
      bigger.set(values);
      values = bigger;
      this.#values = values;
    }
    values[used] = x;
    this.#usedExact = used + 1;
    this.#sorted = false;
  }

  #toExact(capacity: number): void {
    this.#values = new Float64Array(Math.max(16, capacity));
    this.#usedExact = 0;
    this.#positive = this.#negative = null;
    this.#zero = 0;
  }

  #toSketch(): void {
    const values = this.#values;
    const used = this.#usedExact;
    this.#values = null;
    this.#usedExact = 0;
    if (values !== null) for (let i = 0; i < used; i++) this.#addToBuckets(values[i]!, 1);
  }

  #store(sign: 'positive' | 'negative'): BucketStore {
    if (sign === 'positive') return (this.#positive ??= new BucketStore(this.maxBuckets));
    return (this.#negative ??= new BucketStore(this.maxBuckets));
  }

  #addToBuckets(x: number, count: number): void {
    if (x > 0) this.#store('positive').add(this.#key(x), count);
    else if (x < 0) this.#store('negative').add(this.#key(-x), count);
    else this.#zero += count;
  }

  #key(magnitude: number): number {
    return Math.ceil(Math.log(magnitude) / this.#lnGamma);
  }

  #bucketValue(key: number): number {
    return Math.exp(key * this.#lnGamma) * this.#bucketValueFactor;
  }

  /** Estimated order statistic of 0-based rank r in sketch mode (exact at the ends). */
  #valueAtRank(r: number): number {
    if (r <= 0) return this.#min;
    if (r >= this.#count - 1) return this.#max;
    let seen = 0;
    const neg = this.#negative;
    if (neg !== null && !neg.empty) {
      for (let k = neg.maxKey; k >= neg.minKey; k--) {
        seen += neg.bins[k - neg.offset]!;
        if (r < seen) return this.#clamp(-this.#bucketValue(k));
      }
    }
    seen += this.#zero;
    if (r < seen) return 0;
    const pos = this.#positive;
    if (pos !== null && !pos.empty) {
      for (let k = pos.minKey; k <= pos.maxKey; k++) {
        seen += pos.bins[k - pos.offset]!;
        if (r < seen) return this.#clamp(this.#bucketValue(k));
      }
    }
    return this.#max;
  }

  #clamp(x: number): number {
    return Math.min(this.#max, Math.max(this.#min, x));
  }
}
