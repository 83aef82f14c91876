/**
 * Binomial proportions: Wilson score interval, Newcombe's hybrid-score interval for a
 * difference, the pooled two-proportion z-test and the risk ratio with a log-method interval.
 *
 * @module
 */

import { Z95, normalTwoSidedP } from './distributions.js';
import { assertProportion, assertZ, type Comparison, type Interval } from './types.js';

/**
 * Wilson score interval for a binomial proportion successes/n.
 *
 * Method: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
 * inference", JASA 22:209-212, without continuity correction:
 * (x + z²/2 ± z·√(x(n-x)/n + z²/4)) / (n + z²). Unlike the Wald interval it stays inside
 * [0, 1] and keeps near-nominal coverage for small n and extreme proportions
 * (Brown, Cai & DasGupta 2001). Successes may be non-integer (weighted counts).
 *
 * @returns [lo, hi], or null when n = 0.
 * @throws RangeError when a count is negative or not finite, successes > n, or z <= 0.
 * @example wilson(18, 20) // [0.69897, 0.97213] (rounded)
 */
export function wilson(successes: number, n: number, z: number = Z95): Interval | null {
  assertProportion('successes', successes, 'n', n);
  assertZ(z);
  if (n === 0) return null;
  const z2 = z * z;
  const denom = n + z2;
  const center = (successes + z2 / 2) / denom;
  const half = (z * Math.sqrt((successes * (n - successes)) / n + z2 / 4)) / denom;
  const lo = successes === 0 ? 0 : Math.max(0, center - half);
  const hi = successes === n ? 1 : Math.min(1, center + half);
  return [lo, hi];
}

/** The z-statistic and two-sided p-value of a test. */
export interface ZTest {
  z: number;
  p: number;
}

/**
 * Two-proportion z-test of p1 = p2 with the pooled variance:
 * z = (p1 - p2) / √(p̄(1 - p̄)(1/n1 + 1/n2)), p̄ = (x1 + x2)/(n1 + n2); equivalent to
 * Pearson's chi-square test of the 2×2 table without continuity correction (z² = χ²).
 * When p̄ is 0 or 1 the groups cannot differ: z = 0, p = 1.
 *
 * @returns null when n1 or n2 is 0.
 */
export function twoProportionZ(x1: number, n1: number, x2: number, n2: number): ZTest | null {
  assertProportion('x1', x1, 'n1', n1);
  assertProportion('x2', x2, 'n2', n2);
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (!(variance > 0)) return { z: 0, p: 1 };
  const z = (x1 / n1 - x2 / n2) / Math.sqrt(variance);
  return { z, p: normalTwoSidedP(z) };
}

/**
 * Difference of two independent proportions p1 - p2 with Newcombe's hybrid score interval.
 *
 * Method: R. G. Newcombe (1998), "Interval estimation for the difference between
 * independent proportions: comparison of eleven methods", Stat. Med. 17:873-890, method 10:
 * with Wilson intervals [l1, u1] and [l2, u2],
 * lower = d - √((p1 - l1)² + (u2 - p2)²), upper = d + √((u1 - p1)² + (p2 - l2)²).
 * The p-value is from the pooled two-proportion z-test ({@link twoProportionZ}); the two
 * can disagree at the margin (the interval is not the inversion of that test).
 *
 * @returns null when n1 or n2 is 0.
 */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, z: number = Z95): Comparison | null {
  const test = twoProportionZ(x1, n1, x2, n2);
  if (test === null) return null;
  const [l1, u1] = wilson(x1, n1, z)!;
  const [l2, u2] = wilson(x2, n2, z)!;
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const d = p1 - p2;
  const lo = d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2);
  const hi = d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2);
  return { difference: d, ci: [Math.max(-1, lo), Math.min(1, hi)], p: test.p };
}

/** A risk ratio with its confidence interval. */
export interface RiskRatio {
  /** (x1/n1) / (x2/n2), from the corrected counts when `corrected`. */
  ratio: number;
  ci: Interval;
  /** Two-sided p-value of ln(ratio) = 0 (Wald test on the log scale, consistent with `ci`). */
  p: number;
  /** True when 0.5 was added to every cell because one was zero. */
  corrected: boolean;
}

/**
 * Relative risk (risk ratio) (x1/n1) / (x2/n2) with the log-method (Katz) interval.
 *
 * Method: D. Katz, J. Baptista, S. P. Azen & M. C. Pike (1978), "Obtaining confidence
 * intervals for the risk ratio in cohort studies", Biometrics 34:469-474:
 * SE(ln RR) = √(1/x1 - 1/n1 + 1/x2 - 1/n2), CI = exp(ln RR ± z·SE); p from z = ln RR / SE.
 * When any cell of the 2×2 table (x1, n1 - x1, x2, n2 - x2) is zero, 0.5 is added to each
 * cell (Haldane 1956; n grows by 1) for the estimate and the interval alike, so a group with
 * no events still gives a finite ratio.
 *
 * @returns null when n1 or n2 is 0.
 */
export function relativeRisk(x1: number, n1: number, x2: number, n2: number, z: number = Z95): RiskRatio | null {
  assertProportion('x1', x1, 'n1', n1);
  assertProportion('x2', x2, 'n2', n2);
  assertZ(z);
  if (n1 === 0 || n2 === 0) return null;
  const corrected = x1 === 0 || x2 === 0 || x1 === n1 || x2 === n2;
  const a = corrected ? x1 + 0.5 : x1;
  const m1 = corrected ? n1 + 1 : n1;
  const c = corrected ? x2 + 0.5 : x2;
  const m2 = corrected ? n2 + 1 : n2;
  const logRatio = Math.log(a / m1) - Math.log(c / m2);
  const se = Math.sqrt(1 / a - 1 / m1 + 1 / c - 1 / m2);
  const p = se > 0 ? normalTwoSidedP(logRatio / se) : logRatio === 0 ? 1 : 0;
  return {
    ratio: Math.exp(logRatio),
    ci: [Math.exp(logRatio - z * se), Math.exp(logRatio + z * se)],
    p,
    corrected,
  };
}
