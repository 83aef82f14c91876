/**
 * Shared scaffolding for the metric family tests (src/metrics/*.test.ts): the settings the
 * tests compute under, the whole-time period, record factories with a line counter, a
 * one-input dataset, feeding an accumulator as the engine does, and the pieces of the
 * split/merge property. Test-only: tsconfig.build.json leaves this file out of the build.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CxRecord, RecordKind } from '../schema/records.js';
import { SCALES } from '../schema/test-support.js';
import { buildLinks } from './links.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from './types.js';

/** The documented defaults, written out so a change of default shows up as a failing test. */
export const TEST_SETTINGS: MetricSettings = {
  scales: SCALES,
  csatPositiveFrom: 4,
  csatRule: 'all-answers',
  cesLowEffortFrom: 5,
  cesDirection: 'higher-is-easier',
  minSample: 30,
  shortAbandonSeconds: 5,
  serviceLevelSeconds: 20,
  socialComplaintShare: 0.03,
  grossMargin: null,
  recurringWindowDays: 7,
};

/** 2000-01-01 to 2030-01-01 UTC: every instant the tests use. */
export const WHOLE: PeriodBounds = { start: Date.UTC(2000, 0, 1), end: Date.UTC(2030, 0, 1) };

type RecordOf<K extends RecordKind> = Extract<CxRecord, { kind: K }>;

/** One line counter per test file (vitest loads this module afresh for each file), shared by all its factories. */
let line = 1;

/** Builds records of one kind on input 0, numbering lines from the file's shared counter; `fields` may override any of it. */
export function recordFactory<K extends RecordKind>(kind: K): (fields?: Partial<Omit<RecordOf<K>, 'kind'>>) => RecordOf<K> {
  return (fields = {}) => ({ kind, input: 0, line: line++, attrs: Object.create(null) as Record<string, string>, ...fields }) as RecordOf<K>;
}

/** The next line number of the shared counter, for records built by hand. */
export const nextLine = (): number => line++;

/** A dataset with one read CSV input (`file`, of `kind`) holding `records`. */
export function datasetOf(records: readonly CxRecord[], kind: RecordKind | null = records[0]?.kind ?? null, file = 'test.csv'): Dataset {
  const dataset = new Dataset();
  dataset.addInput({ file, kind, status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
  for (const record of records) dataset.add(record);
  return dataset;
}

/** The definition `id` of `metrics` (the test fails loudly on an unknown id). */
export function metricOf(metrics: readonly MetricDefinition[], id: string): MetricDefinition {
  const def = metrics.find((m) => m.id === id);
  if (!def) throw new Error(`no metric ${id}`);
  return def;
}

/** Feeds `records` as the engine would: only the metric's kinds, only what it accepts. */
export function accumulate(def: MetricDefinition, records: readonly CxRecord[], dataset: Dataset, period: PeriodBounds = WHOLE, settings: MetricSettings = TEST_SETTINGS): Accumulator {
  const acc = def.create(settings, buildLinks(dataset), period);
  for (const r of records) if (def.kinds.includes(r.kind) && (def.accepts?.(r) ?? true)) acc.add(r);
  return acc;
}

/** Metric `id` of `metrics` over `records`, the dataset (and so the links) built from `dataset` (default: the same records, one input). */
export function computeMetric(
  metrics: readonly MetricDefinition[],
  id: string,
  records: readonly CxRecord[],
  period: PeriodBounds = WHOLE,
  settings: MetricSettings = TEST_SETTINGS,
  dataset: Dataset = datasetOf(records),
): MetricResult {
  return accumulate(metricOf(metrics, id), records, dataset, period, settings).result();
}

// ---------------------------------------------------------------------------------------
// the split/merge property

/** An optional field: absent (undefined) or a value of `arb`. */
export const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** `fields` without its undefined entries (so a generated record leaves them absent). */
export const defined = <T extends object>(fields: T) => Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;

/** Deep equality with a relative tolerance of 1e-9 on numbers (merged sums differ by rounding). */
export function expectClose(actual: unknown, expected: unknown, path = 'result'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-9 * Math.max(1, Math.abs(expected))) throw new Error(`${path}: ${actual} != ${expected}`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(actual !== null && typeof actual === 'object', path).toBe(true);
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(e).sort());
    for (const key of Object.keys(e)) expectClose(a[key], e[key], `${path}.${key}`);
    return;
  }
  if (typeof expected === 'string' && typeof actual === 'string' && path.endsWith('.formula')) {
    // A printed formula rounds its numbers (2 decimals): a last-bit float difference between a
    // merged and a whole accumulator can flip the last printed digit. Compare its words and
    // numbers within that rounding.
    const numbers = (text: string) => (text.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
    expect(actual.replace(/-?\d+(\.\d+)?/g, '#'), path).toBe(expected.replace(/-?\d+(\.\d+)?/g, '#'));
    numbers(actual).forEach((n, i) => expect(Math.abs(n - numbers(expected)[i]!), path).toBeLessThanOrEqual(0.011 * Math.max(1, Math.abs(n)) ));
    return;
  }
  expect(actual, path).toEqual(expected);
}

/** Rounds every number to 9 significant digits: merged means may differ in the last bits. */
export function rounded(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Number(value.toPrecision(9)) : value;
  if (Array.isArray(value)) return value.map(rounded);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]));
  return value;
}

/**
 * For every metric of `metrics`: an accumulator over the records `left` picks, merged with one
 * over the rest, gives (by `compare`, default `expectClose`) the result of one over all `records`.
 */
export function expectMergeable(
  metrics: readonly MetricDefinition[],
  records: readonly CxRecord[],
  left: (record: CxRecord, index: number) => boolean,
  dataset: Dataset,
  options: { period?: PeriodBounds; settings?: MetricSettings; compare?: (merged: MetricResult, whole: MetricResult, id: string) => void } = {},
): void {
  const { period = WHOLE, settings = TEST_SETTINGS, compare = expectClose } = options;
  for (const def of metrics) {
    const whole = accumulate(def, records, dataset, period, settings);
    const merged = accumulate(def, records.filter(left), dataset, period, settings);
    merged.merge(accumulate(def, records.filter((r, i) => !left(r, i)), dataset, period, settings));
    compare(merged.result(), whole.result(), def.id);
  }
}

/** The comparison of the ticket and survey harnesses: same n, same numbers to 9 significant digits. */
export function expectSameRounded(merged: MetricResult, whole: MetricResult): void {
  expect(merged.n).toBe(whole.n);
  expect(rounded(merged)).toEqual(rounded(whole));
}
