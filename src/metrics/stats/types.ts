/**
 * Result shapes shared by the statistics modules, and the argument checks they all use.
 *
 * @module
 */

/** A closed interval [lower, upper]. */
export type Interval = [lo: number, hi: number];

/** An estimated difference between two groups with its confidence interval and two-sided p-value. */
export interface Comparison {
  /** The point estimate (group A minus group B). */
  difference: number;
  /** Confidence interval of the difference (95% unless a different z or level was given). */
  ci: Interval;
  /** Two-sided p-value of the test of no difference. */
  p: number;
}

/** Throws a RangeError unless `value` is a finite number >= 0. Counts may be weighted (non-integer). */
export function assertCount(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`Invalid argument ${name}: must be a finite number >= 0, got ${String(value)}`);
  }
}

/** Throws a RangeError unless 0 <= successes <= n. */
export function assertProportion(successesName: string, successes: number, nName: string, n: number): void {
  assertCount(successesName, successes);
  assertCount(nName, n);
  if (successes > n) {
    throw new RangeError(`Invalid argument ${successesName}: must be <= ${nName} (${n}), got ${successes}`);
  }
}

/** Throws a RangeError unless z is a finite number > 0. */
export function assertZ(z: number): void {
  if (!(Number.isFinite(z) && z > 0)) {
    throw new RangeError(`Invalid argument z: must be a finite number > 0, got ${String(z)}`);
  }
}

/** Throws a RangeError unless 0 < level < 1. */
export function assertLevel(level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`Invalid argument level: must be between 0 and 1 (exclusive), got ${String(level)}`);
  }
}
