/**
 * Shared scaffolding for the check tests (src/analysis/checks.test.ts, src/report/render-check.test.ts).
 * Test-only: tsconfig.build.json leaves this file out of the build.
 */
import type { CheckEntry } from './checks.js';

/** A report entry for `cxm check` to evaluate: NPS 0 over 100 answers, whole range, no segment; `partial` overrides any of it. */
export function checkEntry(partial: Partial<CheckEntry>): CheckEntry {
  return {
    id: 'nps',
    unit: 'points',
    direction: 'higher',
    value: 0,
    n: 100,
    ci95: null,
    period: null,
    period_start: null,
    period_end: null,
    segment: null,
    small_sample: false,
    change: null,
    detail: {},
    ...partial,
  };
}
