/**
 * Small pieces every metric family shares: result builders (a rate with its Wilson interval, a
 * count, a mean with its t interval, a duration summarised by its median), a mergeable tally,
 * the merge guard, and the checks `unavailable()` uses to name what the inputs lack.
 *
 * Keep this module small and stable: other families import it. Anything specific to one family
 * (what "resolved" means for a ticket, how an NPS is classified) belongs in that family's file.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import { normalizeHeader } from '../schema/fields.js';
import type { RecordKind } from '../schema/records.js';
import { MeanVar, QuantileSketch, meanCI, regularizedBeta, wilson } from './stats/index.js';
import type { Accumulator, MetricResult } from './types.js';

type Detail = Record<string, unknown>;

/**
 * A rate successes/n with its 95% Wilson interval (`value` in 0..1; null and no interval when
 * n = 0).
 *
 * @example rate(18, 20) // { value: 0.9, n: 20, ci95: [0.69897…, 0.97213…], detail: {} }
 */
export function rate(successes: number, n: number, detail: Detail = {}): MetricResult {
  return { value: n === 0 ? null : successes / n, n, ci95: wilson(successes, n), detail };
}

/**
 * A count (volumes, backlog): `value` = `n` = the count, no interval. A count of 0 is a real
 * 0 (an empty week had no tickets), not a missing value.
 */
export function countResult(count: number, detail: Detail = {}): MetricResult {
  return { value: count, n: count, ci95: null, detail };
}

/** A mean with its 95% t interval (null with fewer than 2 values); `value` null when empty. */
export function meanResult(acc: MeanVar, detail: Detail = {}): MetricResult {
  return { value: acc.count === 0 ? null : acc.mean, n: acc.count, ci95: meanCI(acc), detail };
}

/** The plain-number summary of a duration sketch, for `detail` (all null when empty). */
export interface DurationSummary {
  n: number;
  median: number | null;
  mean: number | null;
  p90: number | null;
  min: number | null;
  max: number | null;
}

/** Median, mean, 90th percentile, min and max of a sketch of durations (seconds). */
export function durationSummary(sketch: QuantileSketch): DurationSummary {
  if (sketch.count === 0) return { n: 0, median: null, mean: null, p90: null, min: null, max: null };
  return {
    n: sketch.count,
    median: sketch.quantile(0.5),
    mean: sketch.mean,
    p90: sketch.quantile(0.9),
    min: sketch.min,
    max: sketch.max,
  };
}

/**
 * A duration metric (DESIGN.md: durations carry `value` = median and `detail` = mean, p90):
 * value = median seconds, detail = {mean, p90, min, max, …extra}, ci95 = {@link medianCI}.
 */
export function durationResult(sketch: QuantileSketch, extra: Detail = {}): MetricResult {
  const { n, median, mean, p90, min, max } = durationSummary(sketch);
  return { value: median, n, ci95: medianCI(sketch), detail: { mean, p90, min, max, ...extra } };
}

/**
 * Distribution-free 95% interval of the median from order statistics: [x(j), x(n+1-j)] with j
 * the largest rank such that P(B <= j - 1) <= 0.025 for B ~ Binomial(n, ½), so the coverage is
 * 1 - 2·P(B <= j - 1) >= 95% whatever the distribution (Conover, Practical Nonparametric
 * Statistics, 3rd ed. 1999, §3.2; Hahn & Meeker 1991). Durations are skewed, so a normal or t
 * interval would not fit them.
 *
 * It needs the exact order statistics, so it is null when the sketch is approximate (a
 * compressed sketch's ranks carry an error of their own that the binomial ranks do not account
 * for), and when n < 6 (even [min, max] covers less than 95%: 1 - 2·0.5^n < 0.95).
 */
export function medianCI(sketch: QuantileSketch): [number, number] | null {
  const n = sketch.count;
  if (n < 6 || !sketch.isExact) return null;
  // P(B <= k) for B ~ Binomial(n, ½) is the regularized incomplete beta I_½(n - k, k + 1).
  const cdf = (k: number): number => (k < 0 ? 0 : k >= n ? 1 : regularizedBeta(0.5, n - k, k + 1));
  // Largest j with cdf(j - 1) <= 0.025; binary search, cdf is increasing in j.
  let lo = 1;
  let hi = Math.floor((n + 1) / 2);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (cdf(mid - 1) <= 0.025) lo = mid;
    else hi = mid - 1;
  }
  // Exact mode stores the values; type-7 quantile((k-1)/(n-1)) would hit x(k) only up to rounding.
  const sorted = Float64Array.from(sketch.toJSON().exact!).sort();
  return [sorted[lo - 1]!, sorted[n - lo]!];
}

/** One key's count in a {@link Tally}: a box, so that adding to a key seen before is one lookup. */
interface Count {
  n: number;
}

/** Whole-number keys below this are found in an array (scores, ratings), not by hashing. */
const SMALL_KEYS = 64;
/** No key yet (`Tally`'s last key). */
const NO_KEY: unique symbol = Symbol('no key');

/**
 * A mergeable count per key (a distribution of scores, tickets per channel). Keys are kept as
 * given; {@link Tally.toObject} orders them so the same input gives byte-identical output.
 *
 * Adding is the hot path (per record and bucket): a key's count is a box found with one Map
 * lookup, a whole number from 0 to 63 finds its box in an array, and a key equal to the last one
 * added reuses its box. The Map holds every box, in insertion order.
 */
export class Tally<K extends string | number = string> {
  readonly #counts = new Map<K, Count>();
  /** The boxes of whole-number keys from 0 to 63, once added (also in #counts); null until then. */
  #small: (Count | undefined)[] | null = null;
  #lastKey: K | typeof NO_KEY = NO_KEY;
  #last: Count | null = null;

  add(key: K, count = 1): void {
    if (typeof key === 'number') {
      // -0 is 0 here as in a Map; NaN and fractions fail the test.
      if (key >= 0 && key < SMALL_KEYS && (key | 0) === key) {
        const small = (this.#small ??= new Array<Count | undefined>(SMALL_KEYS).fill(undefined));
        let box = small[key];
        if (box === undefined) small[key] = box = this.#box(key);
        box.n += count;
        return;
      }
    } else if (key === this.#lastKey) {
      this.#last!.n += count;
      return;
    }
    const box = this.#box(key);
    box.n += count;
    this.#lastKey = key;
    this.#last = box;
  }

  /** The box of `key`, added (at 0) when new. */
  #box(key: K): Count {
    let box = this.#counts.get(key);
    if (box === undefined) this.#counts.set(key, (box = { n: 0 }));
    return box;
  }

  merge(other: Tally<K>): void {
    for (const [key, count] of other.#counts) this.add(key, count.n);
  }

  /** The counts as plain data (key, count), in insertion order: what crosses to another thread. */
  toJSON(): [K, number][] {
    return Array.from(this.#counts, ([key, count]) => [key, count.n]);
  }

  /** A tally rebuilt from {@link Tally.toJSON}. */
  static fromJSON<K extends string | number>(entries: readonly (readonly [K, number])[]): Tally<K> {
    const tally = new Tally<K>();
    for (const [key, count] of entries) tally.#counts.set(key, { n: count });
    return tally;
  }

  get(key: K): number {
    return this.#counts.get(key)?.n ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const count of this.#counts.values()) sum += count.n;
    return sum;
  }

  /** Number of distinct keys. */
  get size(): number {
    return this.#counts.size;
  }

  keys(): K[] {
    return [...this.#counts.keys()];
  }

  /**
   * Plain object for `detail`. `by: 'key'` (default) orders keys ascending (numbers numerically);
   * `by: 'count'` orders by count, largest first, ties by key. (A JS object always lists
   * integer-like keys first and ascending, so `'count'` is meant for names, not scores.)
   */
  toObject(by: 'key' | 'count' = 'key'): Record<string, number> {
    const byKey = (a: K, b: K) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
    const entries = this.toJSON().sort(by === 'key' ? (a, b) => byKey(a[0], b[0]) : (a, b) => b[1] - a[1] || byKey(a[0], b[0]));
    const out: Record<string, number> = {};
    for (const [key, count] of entries) out[String(key)] = count;
    return out;
  }
}

/**
 * The merge guard: `merge(other)` of an accumulator takes only an accumulator of the same
 * class (the same metric); anything else is a bug in the caller.
 *
 * @throws TypeError when `other` is a different accumulator.
 * @example merge(other: Accumulator) { const o = sameAccumulator(this, other); this.count += o.count; }
 */
export function sameAccumulator<T extends Accumulator>(self: T, other: Accumulator): T {
  if (other.constructor !== self.constructor) {
    throw new TypeError(`cannot merge a ${other.constructor.name} into a ${self.constructor.name}`);
  }
  return other as T;
}

/**
 * Does any record of `kind` carry `field` (a defined value)? What `unavailable()` asks before
 * naming the missing field.
 */
export function fieldPresent(dataset: Dataset, kind: RecordKind, field: string): boolean {
  return dataset.hasField(kind, field);
}

/**
 * The reason to give when none of `kinds` has a record, else null:
 * "no ticket records among the inputs", "no survey, ticket or call records among the inputs".
 */
export function missingKinds(dataset: Dataset, kinds: readonly RecordKind[]): string | null {
  if (kinds.some((kind) => dataset.records(kind).length > 0)) return null;
  const names = kinds.map((kind) => kind.replace('_', ' '));
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]!}`;
  return `no ${list} records among the inputs`;
}

/**
 * Folds free text for comparison with a word list: accents and case removed, punctuation to
 * single spaces ("Reclamación" -> "reclamacion", "Pending Customer Response" -> "pending
 * customer response"). The same folding the schema uses for headers.
 */
export function fold(text: string): string {
  return normalizeHeader(text);
}

/** Seconds from one instant (epoch ms) to another; undefined unless both are known. */
export function secondsBetween(from: number | undefined, to: number | undefined): number | undefined {
  return from === undefined || to === undefined ? undefined : (to - from) / 1000;
}
