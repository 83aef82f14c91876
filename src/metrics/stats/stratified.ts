/**
 * Stratified (confounder-adjusted) comparisons of two groups: the Mantel-Haenszel risk
 * difference, and a Mantel-Haenszel-weighted mean difference (with NPS as a special case).
 *
 * All use the Mantel-Haenszel (Cochran) stratum weights w_k = n1k·n2k/(n1k + n2k), which
 * stay sensible when strata are small or sparse (a stratum with one member in a group still
 * counts, a stratum missing a group gets weight 0).
 *
 * @module
 */

import { Z95, normalTwoSidedP, tQuantile, tTwoSidedP } from './distributions.js';
import type { MeanSummary } from './means.js';
import type { NpsCounts } from './nps.js';
import { assertCount, assertLevel, assertProportion, assertZ, type Comparison } from './types.js';

/** One stratum of a two-group comparison of a binary outcome: x events out of n per group. */
export interface BinaryStratum {
  x1: number;
  n1: number;
  x2: number;
  n2: number;
}

/** A stratified comparison; `strata` counts the strata that carried weight (both groups present). */
export interface StratifiedComparison extends Comparison {
  strata: number;
}

/**
 * Mantel-Haenszel common risk difference p1 - p2 across strata, with Sato's variance.
 *
 * Estimate: RD = Σ w_k (x1k/n1k - x2k/n2k) / Σ w_k, w_k = n1k·n2k/N_k
 * (Greenland & Robins 1985, Biometrics 41:55-68).
 *
 * Variance: T. Sato (1989), "On the variance estimator for the Mantel-Haenszel risk
 * difference", Biometrics 45:1323-1324 (also Greenland & Robins's letter in the same issue):
 * Var = (RD·ΣP_k + ΣQ_k)/(Σw_k)², P_k = (n1k²·x2k - n2k²·x1k + n1k·n2k·(n2k - n1k)/2)/N_k²,
 * Q_k = (x1k(n2k - x2k) + x2k(n1k - x1k))/(2N_k). Unlike the Greenland-Robins (1985)
 * variance, Sato's is consistent both for a few large strata and for many sparse ones
 * (for 1:1 matched pairs it is the paired-difference variance). CI = RD ± z·√Var.
 *
 * p-value: the Mantel-Haenszel (1959) chi-square test of no association (hypergeometric
 * variance, no continuity correction; for matched pairs it is McNemar's test), which is
 * valid in sparse strata too. It is a score test, so it can disagree with the Wald
 * interval at the margin.
 *
 * @returns null when no stratum has both groups.
 */
export function mantelHaenszelRiskDifference(
  strata: readonly BinaryStratum[],
  z: number = Z95,
): StratifiedComparison | null {
  assertZ(z);
  let sumW = 0;
  let sumWd = 0;
  let sumP = 0;
  let sumQ = 0;
  let testNum = 0;
  let testVar = 0;
  let used = 0;
  strata.forEach((s, i) => {
    assertProportion(`strata[${i}].x1`, s.x1, `strata[${i}].n1`, s.n1);
    assertProportion(`strata[${i}].x2`, s.x2, `strata[${i}].n2`, s.n2);
    const { x1, n1, x2, n2 } = s;
    if (n1 === 0 || n2 === 0) return;
    used++;
    const N = n1 + n2;
    const w = (n1 * n2) / N;
    sumW += w;
    sumWd += (x1 * n2 - x2 * n1) / N;
    sumP += (n1 * n1 * x2 - n2 * n2 * x1 + (n1 * n2 * (n2 - n1)) / 2) / (N * N);
    sumQ += (x1 * (n2 - x2) + x2 * (n1 - x1)) / (2 * N);
    const m1 = x1 + x2;
    testNum += x1 - (n1 * m1) / N;
    if (N > 1) testVar += (n1 * n2 * m1 * (N - m1)) / (N * N * (N - 1));
  });
  if (used === 0) return null;
  const rd = sumWd / sumW;
  const variance = Math.max(0, (rd * sumP + sumQ) / (sumW * sumW));
  const half = z * Math.sqrt(variance);
  const p = testVar > 0 ? normalTwoSidedP(testNum / Math.sqrt(testVar)) : 1;
  return { difference: rd, ci: [Math.max(-1, rd - half), Math.min(1, rd + half)], p, strata: used };
}

/** One stratum of a two-group comparison of means. */
export interface MeanStratum {
  a: MeanSummary;
  b: MeanSummary;
}

/** A stratified comparison of means with its degrees of freedom. */
export interface StratifiedMeanComparison extends StratifiedComparison {
  /** Satterthwaite degrees of freedom of the t reference distribution. */
  df: number;
}

/**
 * Mantel-Haenszel-weighted difference of means, mean_a - mean_b, across strata.
 *
 * Estimate: Σ w_k (ā_k - b̄_k)/Σ w_k with the Mantel-Haenszel weights w_k = n_ak·n_bk/N_k,
 * the same weights as {@link mantelHaenszelRiskDifference}. They are the inverse-variance
 * weights when the outcome's variance is the same in every cell, and unlike empirical
 * inverse-variance weights they do not blow up for a small stratum whose sample variance
 * happens to be 0 (chosen over inverse-variance weighting for that reason).
 *
 * Variance: each group's variance is pooled across strata,
 * s_g² = Σ_k M2_gk / Σ_k (n_gk - 1) (so cells with a single value still count), and
 * Var = (s_a²·Σ w_k²/n_ak + s_b²·Σ w_k²/n_bk)/(Σw_k)²: groups may differ in variance
 * (as in Welch's test), strata are assumed to share it within a group. If a group has no
 * within-cell degrees of freedom, the pooled variance of both groups stands in for it. The
 * interval and p use Student's t with Satterthwaite (1946) degrees of freedom. With one
 * stratum this is exactly Welch's test ({@link welch}).
 *
 * @returns null when no stratum has both groups or no variance can be estimated.
 */
export function mantelHaenszelMeanDifference(
  strata: readonly MeanStratum[],
  level = 0.95,
): StratifiedMeanComparison | null {
  assertLevel(level);
  let sumW = 0;
  let sumWd = 0;
  let sumW2a = 0; // Σ w²/n_a
  let sumW2b = 0;
  let m2a = 0;
  let dfa = 0;
  let m2b = 0;
  let dfb = 0;
  let used = 0;
  strata.forEach((s, i) => {
    for (const [g, summary] of [
      ['a', s.a],
      ['b', s.b],
    ] as const) {
      assertCount(`strata[${i}].${g}.count`, summary.count);
      if (summary.count > 0 && !Number.isFinite(summary.mean)) {
        throw new RangeError(`Invalid argument strata[${i}].${g}.mean: must be finite, got ${summary.mean}`);
      }
    }
    const na = s.a.count;
    const nb = s.b.count;
    if (na === 0 || nb === 0) return;
    used++;
    const w = (na * nb) / (na + nb);
    sumW += w;
    sumWd += w * (s.a.mean - s.b.mean);
    sumW2a += (w * w) / na;
    sumW2b += (w * w) / nb;
    if (na > 1) {
      m2a += cellM2(s.a, `strata[${i}].a`);
      dfa += na - 1;
    }
    if (nb > 1) {
      m2b += cellM2(s.b, `strata[${i}].b`);
      dfb += nb - 1;
    }
  });
  if (used === 0 || dfa + dfb === 0) return null;
  const pooled = (m2a + m2b) / (dfa + dfb);
  const va = dfa > 0 ? m2a / dfa : pooled;
  const vb = dfb > 0 ? m2b / dfb : pooled;
  const effDfa = dfa > 0 ? dfa : dfa + dfb;
  const effDfb = dfb > 0 ? dfb : dfa + dfb;
  const difference = sumWd / sumW;
  const ta = (va * sumW2a) / (sumW * sumW);
  const tb = (vb * sumW2b) / (sumW * sumW);
  const variance = ta + tb;
  if (!(variance > 0)) {
    return { difference, ci: [difference, difference], p: difference === 0 ? 1 : 0, strata: used, df: dfa + dfb };
  }
  const ra = ta / variance;
  const rb = tb / variance;
  const df = 1 / ((ra * ra) / effDfa + (rb * rb) / effDfb);
  const se = Math.sqrt(variance);
  const half = tQuantile(0.5 + level / 2, df) * se;
  return {
    difference,
    ci: [difference - half, difference + half],
    p: tTwoSidedP(difference / se, df),
    strata: used,
    df,
  };
}

function cellM2(s: MeanSummary, name: string): number {
  const m2 = s.variance * (s.count - 1);
  if (!(Number.isFinite(m2) && m2 >= 0)) {
    throw new RangeError(`Invalid argument ${name}.variance: must be a finite number >= 0, got ${s.variance}`);
  }
  return m2;
}

/** One stratum of a two-group NPS comparison. */
export interface NpsStratum {
  a: NpsCounts;
  b: NpsCounts;
}

/**
 * Stratified NPS difference NPS_a - NPS_b in points: {@link mantelHaenszelMeanDifference}
 * applied to the answers coded +100 (promoter), 0 (passive), -100 (detractor), whose mean
 * is the NPS. Per cell: mean = 100(P - D)/n, M2 = 100²·((P + D) - (P - D)²/n).
 * Weights n_a·n_b/(n_a + n_b); note that with one stratum this is Welch's test on the coded
 * answers, not the adjusted-Wald interval of {@link npsDifference}.
 *
 * @returns null when no stratum has both groups or no variance can be estimated.
 */
export function mantelHaenszelNpsDifference(
  strata: readonly NpsStratum[],
  level = 0.95,
): StratifiedMeanComparison | null {
  const summaries = strata.map((s, i) => ({
    a: npsSummary(s.a, `strata[${i}].a`),
    b: npsSummary(s.b, `strata[${i}].b`),
  }));
  const r = mantelHaenszelMeanDifference(summaries, level);
  if (r === null) return null;
  return { ...r, ci: [Math.max(-200, r.ci[0]), Math.min(200, r.ci[1])] };
}

function npsSummary(c: NpsCounts, name: string): MeanSummary {
  assertCount(`${name}.promoters`, c.promoters);
  assertCount(`${name}.passives`, c.passives);
  assertCount(`${name}.detractors`, c.detractors);
  const n = c.promoters + c.passives + c.detractors;
  if (n === 0) return { count: 0, mean: NaN, variance: NaN };
  const net = c.promoters - c.detractors;
  const m2 = 10_000 * Math.max(0, c.promoters + c.detractors - (net * net) / n);
  return { count: n, mean: (100 * net) / n, variance: n > 1 ? m2 / (n - 1) : NaN };
}
