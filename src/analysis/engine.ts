/**
 * Runs the metric catalogue over a dataset: every available metric, overall and per period and
 * segment (`--period`, `--by`), within `--since/--until`. Each record is fed to the accumulators of
 * the buckets it belongs to; snapshot metrics (backlog, churn) get one accumulator per period that
 * sees every record of its segment.
 */
import type { Dataset } from '../dataset/dataset.js';
import { KINDS, normalizeHeader } from '../schema/fields.js';
import { TIME_FIELD, type CxRecord, type RecordKind } from '../schema/records.js';
import { buildLinks } from '../metrics/links.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from '../metrics/types.js';
import { PeriodCalendar, type Period, type PeriodUnit, type WeekStart } from './periods.js';

export interface EngineOptions {
  metrics: readonly MetricDefinition[];
  settings: MetricSettings;
  period: PeriodUnit | null;
  by: readonly string[];
  since: number | null;
  until: number | null;
  zone: string;
  weekStart: WeekStart;
  /** `--now`: the end of the analysed range for snapshot metrics when there is no --until. */
  now: number | null;
}

export interface MetricRow {
  id: string;
  period: string | null;
  period_start: number | null;
  period_end: number | null;
  segment: Record<string, string> | null;
  result: MetricResult;
}

export interface EngineOutput {
  rows: MetricRow[];
  unavailable: { id: string; reason: string }[];
  /** The analysed range [start, end) in epoch ms, when any record has a time. */
  range: PeriodBounds | null;
  periods: Period[];
  warnings: string[];
}

export const NO_SEGMENT_VALUE = '(none)';

/** Reads a `--by` field from a record: a canonical field of its kind, else an attribute whose header matches. */
export function segmentReader(kind: RecordKind, field: string): (record: CxRecord) => string {
  const fields = KINDS[kind].fields;
  const wantedField = normalizeHeader(field);
  // `surveyType`, `SurveyType` and `survey_type` all name the field.
  const canonical = Object.keys(fields).find(
    (f) => f === field || normalizeHeader(f) === wantedField || normalizeHeader(f.replace(/([A-Z])/g, ' $1')) === wantedField,
  );
  if (canonical) {
    return (record) => {
      const value = (record as unknown as Record<string, unknown>)[canonical];
      return value === undefined || value === null || value === '' ? NO_SEGMENT_VALUE : String(value);
    };
  }
  let cachedHeader: string | null = null;
  // A blank cell is no value, as for canonical fields.
  const valueOf = (value: string | undefined) => (value === undefined || value === '' ? NO_SEGMENT_VALUE : value);
  return (record) => {
    const attrs = record.attrs;
    if (cachedHeader !== null && cachedHeader in attrs) return valueOf(attrs[cachedHeader]);
    for (const header in attrs) {
      if (normalizeHeader(header) === wantedField) {
        cachedHeader = header;
        return valueOf(attrs[header]);
      }
    }
    return NO_SEGMENT_VALUE;
  };
}

function timeReader(metric: MetricDefinition, kind: RecordKind): (record: CxRecord) => number | undefined {
  if (metric.timeOf) return metric.timeOf;
  const field = TIME_FIELD[kind];
  return (record) => {
    const t = (record as unknown as Record<string, unknown>)[field];
    return typeof t === 'number' ? t : undefined;
  };
}

/**
 * The time range of the data: [earliest, latest + 1 ms] over the kinds' time fields and the
 * metrics' own times (`timeOf`: a ticket resolved after the last one was created still counts).
 */
function dataRange(dataset: Dataset, metrics: readonly MetricDefinition[]): PeriodBounds | null {
  let min = Infinity;
  let max = -Infinity;
  const see = (t: unknown) => {
    if (typeof t !== 'number') return;
    if (t < min) min = t;
    if (t > max) max = t;
  };
  // Customers and deals describe a state that began long before (a customer since 2018): they
  // set the window only when no activity (answers, tickets, calls, orders…) is among the inputs.
  const kinds = new Set(metrics.flatMap((m) => m.kinds));
  const activity = [...kinds].filter((kind) => !STATE_KINDS.has(kind) && dataset.records(kind).length > 0);
  const windowKinds = activity.length > 0 ? activity : [...kinds];
  for (const kind of windowKinds) {
    const field = TIME_FIELD[kind];
    for (const record of dataset.records(kind)) see((record as unknown as Record<string, unknown>)[field]);
  }
  for (const metric of metrics) {
    if (!metric.timeOf || metric.kinds.every((kind) => !windowKinds.includes(kind))) continue;
    for (const kind of metric.kinds) for (const record of dataset.records(kind)) see(metric.timeOf(record));
  }
  return Number.isFinite(min) ? { start: min, end: max + 1 } : null;
}

const SEP = '\u0000';

/** Kinds whose time field is when a state began, not an event in the analysed window. */
const STATE_KINDS: ReadonlySet<RecordKind> = new Set(['customer', 'deal']);

/** Locale-independent ordering, so output is byte-identical on every machine. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function runMetrics(dataset: Dataset, options: EngineOptions): EngineOutput {
  const links = buildLinks(dataset);
  const unavailable: EngineOutput['unavailable'] = [];
  const available: MetricDefinition[] = [];
  for (const metric of options.metrics) {
    const reason = metric.unavailable(dataset, options.settings);
    if (reason) unavailable.push({ id: metric.id, reason });
    else available.push(metric);
  }
  const kindsUsed = new Set(available.flatMap((m) => m.kinds));
  const data = dataRange(dataset, available);
  const start = options.since ?? data?.start ?? null;
  const end = options.until ?? data?.end ?? null;
  const range: PeriodBounds | null = start !== null && end !== null && end > start ? { start, end } : null;
  const calendar = options.period ? new PeriodCalendar(options.period, options.zone, options.weekStart) : null;
  const periods = calendar && range ? calendar.periodsBetween(range.start, range.end) : [];
  const warnings: string[] = [];
  const rows: MetricRow[] = [];
  const untimed = new Map<RecordKind, number>();

  for (const metric of available) {
    const readers = new Map<RecordKind, ((record: CxRecord) => string)[]>();
    for (const kind of metric.kinds) readers.set(kind, options.by.map((field) => segmentReader(kind, field)));
    const segmentOf = (record: CxRecord): string[] => readers.get(record.kind)!.map((read) => read(record));
    const buckets = new Map<string, { period: Period | null; segment: string[] | null; acc: Accumulator }>();
    const bucket = (period: Period | null, segment: string[] | null, bounds: PeriodBounds): Accumulator => {
      const key = `${period?.key ?? ''}${SEP}${segment ? segment.join(SEP) : SEP}`;
      let entry = buckets.get(key);
      if (!entry) {
        entry = { period, segment, acc: metric.create(options.settings, links, bounds) };
        buckets.set(key, entry);
      }
      return entry.acc;
    };
    const unbounded = options.since === null && options.until === null;
    const whole: PeriodBounds = range ? { ...range, whole: true, unbounded } : { start: -8.64e15, end: 8.64e15, whole: true, unbounded };

    if (metric.scope === 'snapshot') {
      // Every period's accumulator judges every record of its segment against the period.
      const targets: (Period | null)[] = [null, ...periods];
      for (const target of targets) {
        const bounds = target ?? whole;
        bucket(target, null, bounds);
        for (const kind of metric.kinds) {
          for (const record of dataset.records(kind)) {
            if (metric.accepts && !metric.accepts(record)) continue;
            bucket(target, null, bounds).add(record);
            if (options.by.length) bucket(target, segmentOf(record), bounds).add(record);
          }
        }
      }
    } else {
      bucket(null, null, whole);
      for (const period of periods) bucket(period, null, period);
      for (const kind of metric.kinds) {
        const timeOf = timeReader(metric, kind);
        for (const record of dataset.records(kind)) {
          if (metric.accepts && !metric.accepts(record)) continue;
          const t = timeOf(record);
          if (t === undefined) {
            if (options.since !== null || options.until !== null) continue;
          } else if (range && (t < range.start || t >= range.end)) continue;
          const segment = options.by.length ? segmentOf(record) : null;
          bucket(null, null, whole).add(record);
          if (segment) bucket(null, segment, whole).add(record);
          if (calendar && t !== undefined) {
            const period = calendar.periodOf(t);
            bucket(period, null, period).add(record);
            if (segment) bucket(period, segment, period).add(record);
          }
        }
      }
    }
    const entries = [...buckets.values()].sort(
      (a, b) =>
        (a.period?.start ?? -Infinity) - (b.period?.start ?? -Infinity) ||
        (a.segment === null ? -1 : b.segment === null ? 1 : compareCodeUnits(a.segment.join(SEP), b.segment.join(SEP))),
    );
    for (const entry of entries) {
      rows.push({
        id: metric.id,
        period: entry.period?.key ?? null,
        period_start: entry.period?.start ?? null,
        period_end: entry.period?.end ?? null,
        segment: entry.segment ? Object.fromEntries(options.by.map((field, i) => [field, entry.segment![i]!])) : null,
        result: entry.acc.result(),
      });
    }
  }
  const filtered = options.since !== null || options.until !== null;
  if (calendar || filtered) {
    for (const kind of kindsUsed) {
      const field = TIME_FIELD[kind];
      const count = dataset.records(kind).filter((r) => typeof (r as unknown as Record<string, unknown>)[field] !== 'number').length;
      if (count > 0) untimed.set(kind, count);
    }
    // With --since/--until an untimed record is skipped by bucketed metrics, so it is not in the totals either.
    const fate = filtered ? 'left out, as --since/--until cannot place it' : 'counted in the totals, left out of the periods';
    for (const [kind, count] of [...untimed].sort()) {
      warnings.push(`${count} ${kind} record${count === 1 ? ' has' : 's have'} no ${TIME_FIELD[kind]}: ${fate}`);
    }
  }
  return { rows, unavailable, range, periods, warnings: [...new Set(warnings)] };
}
