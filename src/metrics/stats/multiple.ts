/**
 * Multiple-comparison adjustment.
 *
 * @module
 */

/**
 * Benjamini-Hochberg q-values (false discovery rate adjusted p-values).
 *
 * Method: Y. Benjamini & Y. Hochberg (1995), "Controlling the false discovery rate: a
 * practical and powerful approach to multiple testing", JRSS B 57(1):289-300, in the
 * step-up form of R's p.adjust(method = "BH"): with the m valid p-values sorted ascending,
 * q_(i) = min_{j >= i} min(1, m·p_(j)/j). q-values are monotone in p, >= p, <= 1, and come
 * back in the input order. Missing p-values (null, undefined, NaN) are left out of m and
 * come back as null.
 *
 * @throws RangeError for a p-value outside [0, 1].
 * @example benjaminiHochberg([0.02, 0.5, 0.03]) // [0.045, 0.5, 0.045]
 */
export function benjaminiHochberg(pValues: readonly (number | null | undefined)[]): (number | null)[] {
  const valid: { p: number; index: number }[] = [];
  pValues.forEach((p, index) => {
    if (p === null || p === undefined || Number.isNaN(p)) return;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Invalid p-value at index ${index}: must be between 0 and 1, got ${p}`);
    valid.push({ p, index });
  });
  const q: (number | null)[] = pValues.map(() => null);
  const m = valid.length;
  // stable: ties keep input order, which does not change the q-values anyway
  valid.sort((a, b) => a.p - b.p || a.index - b.index);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const item = valid[rank - 1]!;
    // m/rank >= 1, but (p·m)/rank can round one ulp below p
    running = Math.min(running, Math.max(item.p, (item.p * m) / rank));
    q[item.index] = running;
  }
  return q;
}
