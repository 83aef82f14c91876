/**
 * Which words distinguish two groups of texts (e.g. comments of detractors vs promoters).
 *
 * @module
 */

import { assertCount } from './types.js';

/** A term's comparison between group A and group B. */
export interface TermComparison {
  term: string;
  countA: number;
  countB: number;
  /** Log-odds ratio of the term in A vs B, shrunk by the prior (> 0: more typical of A). */
  delta: number;
  /** delta / √Var: how sure; |z| > 1.96 is the usual cut. */
  z: number;
}

/** Default prior: pooled counts times this factor, so α₀ = (n_A + n_B)/2, the mean group size. */
export const FIGHTIN_WORDS_DEFAULT_SCALE = 0.5;

/**
 * Weighted log-odds ratio with an informative Dirichlet prior ("Fightin' Words").
 *
 * Method: B. L. Monroe, M. P. Colaresi & K. M. Quinn (2008), "Fightin' words: lexical
 * feature selection and evaluation for identifying the content of political conflict",
 * Political Analysis 16(4):372-403, eq. 22 and its variance: for term w with counts y_A, y_B,
 * group totals n_A, n_B, prior counts α_w and α₀ = Σ α_w,
 * δ = ln((y_A + α_w)/(n_A + α₀ - y_A - α_w)) - ln((y_B + α_w)/(n_B + α₀ - y_B - α_w)),
 * Var(δ) ≈ 1/(y_A + α_w) + 1/(y_B + α_w), z = δ/√Var.
 *
 * Prior: a Map gives α_w per term (every term counted in A or B needs α_w > 0; α₀ sums the
 * whole map, so it may carry a background vocabulary). `{ scale }` — and the default,
 * scale 0.5 — uses the pooled counts: α_w = scale·(y_A + y_B), so α₀ = scale·(n_A + n_B),
 * with the default the mean group size. This is the paper's informative prior with the two
 * groups themselves as the background corpus; it shrinks rare terms strongly, so a term
 * seen twice cannot outrank one seen two hundred times.
 *
 * Counts may be weighted (non-integer); terms with zero count in both groups are skipped.
 *
 * @returns terms sorted by z descending (most typical of A first), ties by term.
 * @throws RangeError for a negative or non-finite count, a scale <= 0, or a prior that
 *   does not give a counted term a positive α.
 *
 * @example
 * fightinWords(countsInDetractorComments, countsInPromoterComments)
 *   .slice(0, 10) // the words detractors use that promoters don't
 */
export function fightinWords(
  countsA: ReadonlyMap<string, number>,
  countsB: ReadonlyMap<string, number>,
  prior: ReadonlyMap<string, number> | { scale: number } = { scale: FIGHTIN_WORDS_DEFAULT_SCALE },
): TermComparison[] {
  let nA = 0;
  let nB = 0;
  for (const [term, c] of countsA) {
    assertCount(`countsA[${JSON.stringify(term)}]`, c);
    nA += c;
  }
  for (const [term, c] of countsB) {
    assertCount(`countsB[${JSON.stringify(term)}]`, c);
    nB += c;
  }
  const terms = new Set<string>();
  for (const [t, c] of countsA) if (c > 0) terms.add(t);
  for (const [t, c] of countsB) if (c > 0) terms.add(t);

  let alphaOf: (term: string, yA: number, yB: number) => number;
  let alpha0: number;
  if (prior instanceof Map) {
    alpha0 = 0;
    for (const [term, a] of prior as ReadonlyMap<string, number>) {
      assertCount(`prior[${JSON.stringify(term)}]`, a);
      alpha0 += a;
    }
    const map = prior as ReadonlyMap<string, number>;
    alphaOf = (term) => {
      const a = map.get(term) ?? 0;
      if (!(a > 0)) {
        throw new RangeError(`Invalid prior: term ${JSON.stringify(term)} needs a prior count > 0, got ${a}`);
      }
      return a;
    };
  } else {
    const scale = (prior as { scale: number }).scale;
    if (!(Number.isFinite(scale) && scale > 0)) {
      throw new RangeError(`Invalid prior scale: must be a finite number > 0, got ${String(scale)}`);
    }
    alpha0 = scale * (nA + nB);
    alphaOf = (_term, yA, yB) => scale * (yA + yB);
  }

  const out: TermComparison[] = [];
  for (const term of terms) {
    const yA = countsA.get(term) ?? 0;
    const yB = countsB.get(term) ?? 0;
    const a = alphaOf(term, yA, yB);
    const pa = yA + a;
    const pb = yB + a;
    const restA = nA + alpha0 - pa;
    const restB = nB + alpha0 - pb;
    // both zero only when this is the sole term of both groups and of the prior: no contrast
    const delta = restA <= 0 && restB <= 0 ? 0 : Math.log(pa / restA) - Math.log(pb / restB);
    const z = delta / Math.sqrt(1 / pa + 1 / pb);
    out.push({ term, countA: yA, countB: yB, delta, z });
  }
  out.sort((x, y) => y.z - x.z || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
  return out;
}
