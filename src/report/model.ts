/**
 * The report model: plain data, exactly what `--format json` prints (DESIGN.md). Every renderer
 * reads only this. Built from the dataset's accounting and the engine's rows; nothing here
 * computes a metric.
 */
import { markAnomalies, type AnomalyBand } from '../analysis/anomalies.js';
import type { CheckEntry } from '../analysis/checks.js';
import { compareResults } from '../analysis/compare.js';
import type { EngineOutput } from '../analysis/engine.js';
import { formatLocal } from '../analysis/periods.js';
import type { Dataset } from '../dataset/dataset.js';
import type { Domain, MetricDefinition, Unit } from '../metrics/types.js';
import { inputEntry, type InputEntry } from './inputs.js';

/** A metric row of the report: what `cxm check` judges (CheckEntry), with its label, domain and anomaly band. */
export interface MetricEntry extends CheckEntry {
  label: string;
  domain: Domain;
  /** Period rows: the robust band of the trailing periods (analysis/anomalies.ts) and whether the value falls outside it; null without enough history. */
  anomaly: AnomalyBand | null;
}

export interface ReportModel {
  inputs: InputEntry[];
  settings: {
    period: string | null;
    by: string[];
    since: string | null;
    until: string | null;
    timezone: string;
    min_sample: number;
    range: [string, string] | null;
    /** Clock of response, resolution and wait times (--time), and the schedule rule (--schedule-rule; null without a schedule). Set by the CLI. */
    time?: 'business' | 'calendar';
    schedule_rule?: 'at-event' | 'cumulative' | null;
  };
  metrics: MetricEntry[];
  unavailable: { id: string; reason: string }[];
  warnings: string[];
  totals: { read: number; accepted: number; duplicate: number; rejected: number };
}

/**
 * Floating-point sums depend on the order they were added in (a mean of 1, 1, 3 is
 * 1.6666666666666665 one way and 1.6666666666666667 the other), so the same rows in another order
 * could change the last digit of the output. Every number in the model is rounded to 12
 * significant digits, far below any displayed precision and far above float noise.
 */
function stable<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) && !Number.isInteger(value) ? Number(value.toPrecision(12)) : value) as T;
  if (Array.isArray(value)) return value.map(stable) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = stable(v);
    return out as T;
  }
  return value;
}

/** Units whose value rests on a sample (a count of tickets is not "small"). */
const SAMPLED_UNITS: ReadonlySet<Unit> = new Set(['points', 'share', 'score', 'seconds', 'ratio', 'money']);

export function buildReportModel(
  dataset: Dataset,
  engine: EngineOutput,
  definitions: readonly MetricDefinition[],
  settings: { period: string | null; by: string[]; since: number | null; until: number | null; timezone: string; minSample: number },
): ReportModel {
  const byId = new Map(definitions.map((d) => [d.id, d]));
  const metrics: MetricEntry[] = [];
  const warnings = [...engine.warnings];
  const previous = new Map<string, MetricEntry>();
  for (const row of engine.rows) {
    const def = byId.get(row.id)!;
    const small = SAMPLED_UNITS.has(def.unit) && row.result.n > 0 && row.result.n < settings.minSample;
    const entry: MetricEntry = {
      id: row.id,
      label: def.label,
      unit: def.unit,
      direction: def.direction,
      domain: def.domain,
      value: row.result.value,
      n: row.result.n,
      ci95: row.result.ci95,
      period: row.period,
      period_start: row.period_start === null ? null : formatLocal(row.period_start, settings.timezone),
      period_end: row.period_end === null ? null : formatLocal(row.period_end, settings.timezone),
      segment: row.segment,
      small_sample: small,
      change: null,
      anomaly: null,
      detail: row.result.detail,
    };
    if (row.period !== null) {
      const seriesKey = `${row.id}\u0000${JSON.stringify(row.segment)}`;
      const prev = previous.get(seriesKey);
      if (prev && prev.value !== null && entry.value !== null && prev.period_end === entry.period_start) {
        entry.change = compareResults(def.unit, row.result, { value: prev.value, n: prev.n, ci95: prev.ci95, detail: prev.detail });
      }
      previous.set(seriesKey, entry);
    }
    if (small && row.period === null) {
      const where = row.segment ? ` for ${Object.entries(row.segment).map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
      warnings.push(`${row.id}${where} rests on ${row.result.n} answer${row.result.n === 1 ? '' : 's'} (fewer than ${settings.minSample})`);
    }
    metrics.push(entry);
  }
  if (settings.period !== null) markAnomalies(metrics);
  for (const entry of metrics) {
    entry.value = stable(entry.value);
    entry.ci95 = stable(entry.ci95);
    entry.change = stable(entry.change);
    entry.anomaly = stable(entry.anomaly);
    entry.detail = stable(entry.detail);
  }
  return {
    // By path, not in the order the inputs were named: the same files give the same report.
    inputs: [...dataset.inputs].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).map(inputEntry),
    settings: {
      period: settings.period,
      by: settings.by,
      since: settings.since === null ? null : formatLocal(settings.since, settings.timezone),
      until: settings.until === null ? null : formatLocal(settings.until, settings.timezone),
      timezone: settings.timezone,
      min_sample: settings.minSample,
      range: engine.range ? [formatLocal(engine.range.start, settings.timezone), formatLocal(engine.range.end, settings.timezone)] : null,
    },
    metrics,
    unavailable: engine.unavailable,
    warnings,
    totals: dataset.totals(),
  };
}
