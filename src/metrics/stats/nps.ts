/**
 * Net Promoter Score: the value, the adjusted-Wald interval and the two-sample difference.
 *
 * NPS = 100·(P - D)/n with promoters P (9-10), passives (7-8), detractors D (0-6) and
 * n = P + passives + D; in points, -100..100.
 *
 * @module
 */

import { Z95, normalTwoSidedP } from './distributions.js';
import { assertCount, assertZ, type Comparison, type Interval } from './types.js';

/** Counts of promoters (9-10), passives (7-8) and detractors (0-6). */
export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

/** A Net Promoter Score with its interval. */
export interface NpsEstimate {
  /** The plain NPS, 100·(P - D)/n, in points. */
  value: number;
  /** Adjusted-Wald interval in points, clamped to [-100, 100]. */
  ci: Interval;
  /** Number of answers. */
  n: number;
}

/**
 * Classifies 0-10 likelihood-to-recommend scores into promoters (>= 9), passives (>= 7)
 * and detractors (< 7), per Reichheld (2003), "The one number you need to grow", HBR.
 *
 * @throws RangeError for a score outside 0..10 or not a number.
 */
export function npsCounts(scores: Iterable<number>): NpsCounts {
  const counts: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const s of scores) {
    if (!(s >= 0 && s <= 10)) throw new RangeError(`Invalid NPS score: must be between 0 and 10, got ${String(s)}`);
    if (s >= 9) counts.promoters++;
    else if (s >= 7) counts.passives++;
    else counts.detractors++;
  }
  return counts;
}

function checkCounts(promoters: number, passives: number, detractors: number): number {
  assertCount('promoters', promoters);
  assertCount('passives', passives);
  assertCount('detractors', detractors);
  return promoters + passives + detractors;
}

/**
 * The plain Net Promoter Score 100·(P - D)/(P + Pa + D), in points.
 *
 * @returns null when there are no answers.
 * @example npsValue(100, 30, 80) // 9.523809523809524
 */
export function npsValue(promoters: number, passives: number, detractors: number): number | null {
  const n = checkCounts(promoters, passives, detractors);
  if (n === 0) return null;
  return (100 * (promoters - detractors)) / n;
}

/** Adjusted proportions and variance of the adjusted-Wald method, as fractions. */
function adjusted(promoters: number, detractors: number, n: number): { nps: number; variance: number } {
  const nAdj = n + 3;
  const p = (promoters + 0.75) / nAdj;
  const d = (detractors + 0.75) / nAdj;
  const nps = p - d;
  return { nps, variance: (p + d - nps * nps) / nAdj };
}

/**
 * NPS with the adjusted-Wald confidence interval.
 *
 * Method: Rocks (2016), "Interval estimation for the 'net promoter score'", The American
 * Statistician 70(4):365-372, and Sauro & Lewis, Quantifying the User Experience (2nd ed.,
 * 2016): add ¾ of an answer to promoters and to detractors (3 answers in all, n' = n + 3),
 * p' = (P + ¾)/n', d' = (D + ¾)/n', NPS' = p' - d', Var = (p' + d' - (p' - d')²)/n',
 * CI = 100·(NPS' ± z·√Var), clamped to [-100, 100]. The interval is centred on the adjusted
 * NPS' (shrunk towards 0), while `value` is the plain NPS; for a handful of answers the
 * interval may therefore exclude `value` (one promoter: value 100, CI [-48.5, 98.5]).
 *
 * @returns null when there are no answers.
 */
export function npsAdjustedWald(
  promoters: number,
  passives: number,
  detractors: number,
  z: number = Z95,
): NpsEstimate | null {
  const n = checkCounts(promoters, passives, detractors);
  assertZ(z);
  if (n === 0) return null;
  const { nps, variance } = adjusted(promoters, detractors, n);
  const half = z * Math.sqrt(variance);
  return {
    value: (100 * (promoters - detractors)) / n,
    ci: [Math.max(-100, 100 * (nps - half)), Math.min(100, 100 * (nps + half))],
    n,
  };
}

/**
 * Difference of two independent Net Promoter Scores, NPS_a - NPS_b, in points.
 *
 * Method: the two-sample adjusted-Wald interval (Rocks 2016; Sauro & Lewis 2016): each
 * group gets the ¾ + ¾ adjustment of {@link npsAdjustedWald}, the difference of the
 * adjusted NPS' is the centre, its variance is the sum of the two adjusted variances, and
 * CI = 100·(Δ' ± z·√(Var_a + Var_b)), clamped to [-200, 200]. The p-value is the two-sided
 * normal tail of z = Δ'/√(Var_a + Var_b), so it agrees with the interval (p < 0.05 exactly
 * when the 95% interval excludes 0). `difference` is the plain NPS_a - NPS_b.
 *
 * @returns null when either group has no answers.
 */
export function npsDifference(a: NpsCounts, b: NpsCounts, z: number = Z95): Comparison | null {
  const na = checkCounts(a.promoters, a.passives, a.detractors);
  const nb = checkCounts(b.promoters, b.passives, b.detractors);
  assertZ(z);
  if (na === 0 || nb === 0) return null;
  const adjA = adjusted(a.promoters, a.detractors, na);
  const adjB = adjusted(b.promoters, b.detractors, nb);
  const centre = adjA.nps - adjB.nps;
  const se = Math.sqrt(adjA.variance + adjB.variance);
  return {
    difference: (100 * (a.promoters - a.detractors)) / na - (100 * (b.promoters - b.detractors)) / nb,
    ci: [Math.max(-200, 100 * (centre - z * se)), Math.min(200, 100 * (centre + z * se))],
    p: normalTwoSidedP(centre / se),
  };
}
