/**
 * Period-over-period change, and whether it is significant: the two-sample adjusted-Wald test for
 * NPS, Newcombe's interval with the pooled z-test for rates, Welch's t-test for means. Counts and
 * medians get a plain difference without a test (no honest one exists from the summaries).
 */
import type { MetricResult, Unit } from '../metrics/types.js';
import { npsDifference } from '../metrics/stats/nps.js';
import { newcombeDifference } from '../metrics/stats/proportions.js';
import { welchFromSummary } from '../metrics/stats/means.js';

export interface Change {
  /** current - previous, in the metric's raw units. */
  difference: number;
  ci95: [number, number] | null;
  p: number | null;
  significant: boolean | null;
  /** Which test decided: `adjusted-wald`, `newcombe`, `welch`, or `none`. */
  test: 'adjusted-wald' | 'newcombe' | 'welch' | 'none';
}

function num(detail: Record<string, unknown>, key: string): number | null {
  const v = detail[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function compareResults(unit: Unit, current: MetricResult, previous: MetricResult): Change | null {
  if (current.value === null || previous.value === null) return null;
  const difference = current.value - previous.value;
  const cd = current.detail;
  const pd = previous.detail;
  if (unit === 'points') {
    const a = { promoters: num(cd, 'promoters'), passives: num(cd, 'passives'), detractors: num(cd, 'detractors') };
    const b = { promoters: num(pd, 'promoters'), passives: num(pd, 'passives'), detractors: num(pd, 'detractors') };
    if (Object.values(a).every((v) => v !== null) && Object.values(b).every((v) => v !== null)) {
      const cmp = npsDifference(a as { promoters: number; passives: number; detractors: number }, b as { promoters: number; passives: number; detractors: number });
      if (cmp) return { difference, ci95: cmp.ci, p: cmp.p, significant: cmp.p < 0.05, test: 'adjusted-wald' };
    }
  }
  if (unit === 'share' && current.n > 0 && previous.n > 0) {
    const x1 = num(cd, 'successes') ?? Math.round(current.value * current.n);
    const x2 = num(pd, 'successes') ?? Math.round(previous.value * previous.n);
    const cmp = newcombeDifference(x1, current.n, x2, previous.n);
    if (cmp) return { difference, ci95: cmp.ci, p: cmp.p, significant: cmp.p < 0.05, test: 'newcombe' };
  }
  const meanA = num(cd, 'mean');
  const meanB = num(pd, 'mean');
  const sdA = num(cd, 'sd');
  const sdB = num(pd, 'sd');
  if (meanA !== null && meanB !== null && sdA !== null && sdB !== null && current.n > 1 && previous.n > 1 && (unit === 'score' || unit === 'ratio' || current.value === meanA)) {
    const cmp = welchFromSummary({ mean: meanA, sd: sdA, n: current.n }, { mean: meanB, sd: sdB, n: previous.n });
    if (cmp) return { difference, ci95: cmp.ci, p: cmp.p, significant: cmp.p < 0.05, test: 'welch' };
  }
  return { difference, ci95: null, p: null, significant: null, test: 'none' };
}
