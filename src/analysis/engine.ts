/**
 * Runs the metric catalogue over a dataset: every available metric, overall and per period and
 * segment (`--period`, `--by`), within `--since/--until`. Each record is fed to the accumulators of
 * the buckets it belongs to; snapshot metrics (backlog, churn) get one accumulator per period that
 * sees every record of its segment.
 */
import { Dataset, type RecordStream } from '../dataset/dataset.js';
import { KINDS, normalizeHeader } from '../schema/fields.js';
import { TIME_FIELD, type CxRecord, type RecordKind } from '../schema/records.js';
import { buildLinks, segmentParent, type SegmentParent } from '../metrics/links.js';
import type { Accumulator, Links, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from '../metrics/types.js';
import { accumulatorState, loadAccumulatorState, sharedObjects } from './acc-state.js';
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

/**
 * Reads a `--by` field from a record: a canonical field of its kind, else an attribute whose header
 * matches; with a `parent` (links.ts `segmentParent`: a ticket event's ticket), a value the record
 * lacks is read from its parent.
 */
export function segmentReader(kind: RecordKind, field: string, parent: SegmentParent | null = null): (record: CxRecord) => string {
  if (parent) {
    const own = segmentReader(kind, field);
    const inherited = segmentReader(parent.kind, field);
    return (record) => {
      const value = own(record);
      const from = value === NO_SEGMENT_VALUE ? parent.of(record) : undefined;
      return from ? inherited(from) : value;
    };
  }
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
function dataRange(dataset: Dataset, metrics: readonly MetricDefinition[], stream: MetricStream | null): PeriodBounds | null {
  let min = Infinity;
  let max = -Infinity;
  const see = (t: unknown) => {
    if (typeof t !== 'number') return;
    if (t < min) min = t;
    if (t > max) max = t;
  };
  const seeSpan = (span: TimeSpan | undefined) => {
    if (span && span.min <= span.max) {
      see(span.min);
      see(span.max);
    }
  };
  // Customers and deals describe a state that began long before (a customer since 2018): they
  // set the window only when no activity (answers, tickets, calls, orders…) is among the inputs.
  const kinds = new Set(metrics.flatMap((m) => m.kinds));
  const activity = [...kinds].filter((kind) => !STATE_KINDS.has(kind) && dataset.records(kind).length > 0);
  const windowKinds = activity.length > 0 ? activity : [...kinds];
  for (const kind of windowKinds) {
    if (stream && dataset.streamed(kind)) {
      seeSpan(stream.kindSpan(kind));
      continue;
    }
    const field = TIME_FIELD[kind];
    for (const record of dataset.records(kind)) see((record as unknown as Record<string, unknown>)[field]);
  }
  for (const metric of metrics) {
    if (!metric.timeOf || metric.kinds.every((kind) => !windowKinds.includes(kind))) continue;
    for (const kind of metric.kinds) {
      if (stream && dataset.streamed(kind)) seeSpan(stream.timeSpan(metric));
      else for (const record of dataset.records(kind)) see(metric.timeOf(record));
    }
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

/** A record's `--by` key: the value itself for one field, the values joined by SEP for several; null without --by. */
function segmentKeyOf(readers: readonly ((record: CxRecord) => string)[], record: CxRecord): string | null {
  if (readers.length === 1) return readers[0]!(record);
  if (readers.length === 0) return null;
  return readers.map((read) => read(record)).join(SEP);
}

interface Bucket {
  period: Period | null;
  segment: string[] | null;
  acc: Accumulator;
}

/** A period's buckets in a BucketedRun: overall, and per segment (by key; by the stream's segment number too). */
interface PeriodEntry {
  bucket: Bucket;
  segments: Map<string, Bucket>;
  bySegment: (Bucket | undefined)[];
}

/** A BucketedRun's state as plain data: see `BucketedRun.exportState`. */
export interface RunState {
  span: TimeSpan;
  whole: unknown;
  segments: [string, unknown][];
  periods: [Period, unknown, [string, unknown][]][];
}

/** A MetricStream's state as plain data (structured-cloneable): see `MetricStream.exportState`. */
export interface StreamState {
  spans: [RecordKind, TimeSpan][];
  runs: [string, RunState][];
}

/** Earliest and latest instant seen (min > max while none), and how many records had none. */
interface TimeSpan {
  min: number;
  max: number;
  untimed: number;
}

function sortBuckets(buckets: Bucket[]): Bucket[] {
  return buckets.sort(
    (a, b) =>
      (a.period?.start ?? -Infinity) - (b.period?.start ?? -Infinity) ||
      (a.segment === null ? -1 : b.segment === null ? 1 : compareCodeUnits(a.segment.join(SEP), b.segment.join(SEP))),
  );
}

/**
 * The accumulators of one bucketed metric: overall, per `--by` segment, per period, and per
 * period and segment. Each record goes to the buckets it belongs to; segment keys are built once
 * per record (the value itself for one `--by` field) and periods are looked up by key, so the hot
 * path concatenates no strings.
 */
class BucketedRun {
  private readonly whole: Bucket;
  private readonly wholeSegments = new Map<string, Bucket>();
  private readonly periods = new Map<string, PeriodEntry>();
  private readonly readers = new Map<RecordKind, { time: (record: CxRecord) => number | undefined; segment: ((record: CxRecord) => string)[] }>();
  /** Records are kept to this range; null: no range to keep to. */
  filter: PeriodBounds | null;
  /** With --since/--until, a record without a time cannot be placed, and is left out. */
  private readonly dropUntimed: boolean;
  /** The metric's own times (`timeOf`) over every record of its kinds, for the data range of a stream. */
  readonly span: TimeSpan = { min: Infinity, max: -Infinity, untimed: 0 };
  /** Whether the metric has its own times (`timeOf`): then a record's time is not its kind's. */
  private readonly ownTime: boolean;
  /** The overall segment buckets by the stream's segment numbers (`feedStreamed`); `wholeSegments` holds them all. */
  private readonly bySegment: (Bucket | undefined)[] = [];
  /** The period entries by PeriodLookup's numbers (`feedStreamed`); `periods` holds them all. */
  private readonly byPeriod: (PeriodEntry | undefined)[] = [];

  constructor(
    readonly metric: MetricDefinition,
    private readonly options: EngineOptions,
    private readonly links: Links,
    /** The bounds of the overall buckets; a stream learns the data range only at the end. */
    readonly wholeBounds: PeriodBounds,
    /** Where the period of an instant is found (it answers as the calendar would), or null without --period. */
    private readonly calendar: PeriodLookup | null,
    filter: PeriodBounds | null,
  ) {
    this.filter = filter;
    this.dropUntimed = options.since !== null || options.until !== null;
    this.ownTime = Boolean(metric.timeOf);
    this.whole = this.create(null, null, wholeBounds);
  }

  private create(period: Period | null, segment: string[] | null, bounds: PeriodBounds): Bucket {
    return { period, segment, acc: this.metric.create(this.options.settings, this.links, bounds) };
  }

  private lastKind: RecordKind | null = null;
  private lastReaders: { time: (record: CxRecord) => number | undefined; segment: ((record: CxRecord) => string)[] } | null = null;

  private readersOf(kind: RecordKind) {
    if (kind === this.lastKind) return this.lastReaders!;
    let readers = this.readers.get(kind);
    if (!readers) {
      readers = { time: timeReader(this.metric, kind), segment: this.options.by.map((field) => segmentReader(kind, field, segmentParent(this.links, kind))) };
      this.readers.set(kind, readers);
    }
    this.lastKind = kind;
    this.lastReaders = readers;
    return readers;
  }

  /** Feeds one record of one of the metric's kinds to the buckets it belongs to (`runMetrics`). */
  feed(record: CxRecord): void {
    const readers = this.readersOf(record.kind);
    const t = readers.time(record);
    if (this.ownTime) this.see(t);
    if (!this.admits(record, t)) return;
    const key = segmentKeyOf(readers.segment, record);
    this.whole.acc.add(record);
    if (key !== null) this.segmentBucket(this.wholeSegments, key, null, this.wholeBounds).acc.add(record);
    if (this.calendar && t !== undefined) {
      const period = this.calendar.periodOf(t);
      const entry = this.periodEntry(period);
      entry.bucket.acc.add(record);
      if (key !== null) this.segmentBucket(entry.segments, key, period, period).acc.add(record);
    }
  }

  /**
   * `feed` for a stream (`MetricStream.add`), with what is the same for every run of the record
   * read once: its kind's time (`kindTime`, which is this run's time unless the metric has its own
   * `timeOf`), its `--by` key and that key's number in the stream (`segment`, -1 without --by).
   * Its buckets are found in arrays, by that number and by the number of the period
   * (PeriodLookup), instead of Maps by key.
   */
  feedStreamed(record: CxRecord, key: string | null, segment: number, kindTime: number | undefined): void {
    let t = kindTime;
    if (this.ownTime) {
      t = this.readersOf(record.kind).time(record);
      this.see(t);
    }
    if (!this.admits(record, t)) return;
    this.whole.acc.add(record);
    if (key !== null) {
      let bucket = this.bySegment[segment];
      if (bucket === undefined) this.bySegment[segment] = bucket = this.segmentBucket(this.wholeSegments, key, null, this.wholeBounds);
      bucket.acc.add(record);
    }
    const periods = this.calendar;
    if (periods !== null && t !== undefined) {
      const period = periods.periodOf(t);
      const n = periods.number;
      let entry = this.byPeriod[n];
      if (entry === undefined) this.byPeriod[n] = entry = this.periodEntry(period);
      entry.bucket.acc.add(record);
      if (key !== null) {
        let bucket = entry.bySegment[segment];
        if (bucket === undefined) entry.bySegment[segment] = bucket = this.segmentBucket(entry.segments, key, period, period);
        bucket.acc.add(record);
      }
    }
  }

  /** Whether a record at time `t` goes into this run's buckets: the metric accepts it, and `t` lies in the range kept to. */
  private admits(record: CxRecord, t: number | undefined): boolean {
    if (this.metric.accepts && !this.metric.accepts(record)) return false;
    if (t === undefined) return !this.dropUntimed;
    const filter = this.filter;
    return filter === null || (t >= filter.start && t < filter.end);
  }

  /** Widens `span` by one of the metric's own times. */
  private see(t: number | undefined): void {
    const span = this.span;
    if (t === undefined) span.untimed++;
    else {
      if (t < span.min) span.min = t;
      if (t > span.max) span.max = t;
    }
  }

  private periodEntry(period: Period): PeriodEntry {
    let entry = this.periods.get(period.key);
    if (!entry) {
      entry = { bucket: this.create(period, null, period), segments: new Map(), bySegment: [] };
      this.periods.set(period.key, entry);
    }
    return entry;
  }

  private segmentBucket(segments: Map<string, Bucket>, key: string, period: Period | null, bounds: PeriodBounds): Bucket {
    let bucket = segments.get(key);
    if (!bucket) {
      bucket = this.create(period, this.options.by.length === 1 ? [key] : key.split(SEP), bounds);
      segments.set(key, bucket);
    }
    return bucket;
  }

  /** The buckets' accumulators as plain data (acc-state.ts), for the same metric's run on another thread. */
  exportState(): RunState {
    const periods = [...this.periods.values()];
    const shared = sharedObjects(this.options.settings, this.links, this.wholeBounds, ...periods.map((entry) => entry.bucket.period));
    const state = (bucket: Bucket) => accumulatorState(bucket.acc, shared);
    return {
      span: { ...this.span },
      whole: state(this.whole),
      segments: [...this.wholeSegments].map(([key, bucket]) => [key, state(bucket)]),
      periods: periods.map((entry) => [entry.bucket.period!, state(entry.bucket), [...entry.segments].map(([key, bucket]) => [key, state(bucket)])]),
    };
  }

  /**
   * Merges another thread's run of the same metric (`exportState`) into this one, as if its
   * records had been fed after this run's own: each of its accumulators is revived into a fresh
   * one of this side (its own settings, links and bounds) and merged into the bucket it belongs to.
   */
  absorb(state: RunState): void {
    this.span.min = Math.min(this.span.min, state.span.min);
    this.span.max = Math.max(this.span.max, state.span.max);
    this.span.untimed += state.span.untimed;
    const merge = (bucket: Bucket, bounds: PeriodBounds, acc: unknown) => {
      bucket.acc.merge(loadAccumulatorState(this.metric.create(this.options.settings, this.links, bounds), acc as Parameters<typeof loadAccumulatorState>[1]));
    };
    merge(this.whole, this.wholeBounds, state.whole);
    for (const [key, acc] of state.segments) merge(this.segmentBucket(this.wholeSegments, key, null, this.wholeBounds), this.wholeBounds, acc);
    for (const [period, acc, segments] of state.periods) {
      const entry = this.periodEntry(period);
      const own = entry.bucket.period!;
      merge(entry.bucket, own, acc);
      for (const [key, segmentAcc] of segments) merge(this.segmentBucket(entry.segments, key, own, own), own, segmentAcc);
    }
  }

  /** Every bucket, in output order; every period of the range gets its overall bucket, empty or not. */
  finish(periods: readonly Period[]): Bucket[] {
    for (const period of periods) this.periodEntry(period);
    const out = [this.whole, ...this.wholeSegments.values()];
    for (const entry of this.periods.values()) out.push(entry.bucket, ...entry.segments.values());
    return sortBuckets(out);
  }
}

/**
 * `calendar.periodOf` for the runs of a stream or of `runMetrics`, found without building the
 * period again for every record: rows are rarely in time order, and a period takes local date
 * parts, two instants and a key string to build (about 1 µs for a week).
 *
 * It answers what the calendar it stands for would answer to the same questions in the same
 * order: `PeriodCalendar.periodOf(t)` returns the last period answered when `t` lies in its
 * bounds, and otherwise builds the period of `t`'s local date, a function of that date alone (the
 * local parts of `t + zone.offsetAt(t)`, periods.ts). This does the same, keeping each local
 * date's period once built (by a calendar of its own, so that no last period stands in for it).
 * Every run of a stream or of `runMetrics` asks this instead of the calendar (feed, feedStreamed,
 * own times or the kind's), so the calendar is asked by no one else. A number per period key lets
 * a stream's run find its buckets in an array.
 */
export class PeriodLookup {
  private last: Period | null = null;
  private lastNumber = -1;
  /** Per local day (days since 1970-01-01 of `t + offset`), the period built for it and its number. */
  private readonly byDay = new Map<number, { period: Period; number: number }>();
  private readonly numbers = new Map<string, number>();
  /** The number of the period `periodOf` answered last. */
  number = -1;

  /**
   * @param last the calendar's last answer, when it was asked before (`periodsBetween`): the
   *   calendar is not asked again.
   */
  constructor(
    private readonly calendar: PeriodCalendar,
    last: Period | null = null,
  ) {
    if (last) this.remember(last);
  }

  /** Numbers `period` by its key, and makes it the last answer. */
  private remember(period: Period): number {
    let number = this.numbers.get(period.key);
    if (number === undefined) this.numbers.set(period.key, (number = this.numbers.size));
    this.last = period;
    this.lastNumber = this.number = number;
    return number;
  }

  periodOf(t: number): Period {
    const last = this.last;
    if (last !== null && t >= last.start && t < last.end) {
      this.number = this.lastNumber;
      return last;
    }
    const zone = this.calendar.zone;
    const day = Math.floor((t + zone.offsetAt(t)) / 86_400_000);
    let known = this.byDay.get(day);
    if (known === undefined) {
      const period = new PeriodCalendar(this.calendar.unit, zone.name, this.calendar.weekStart).periodOf(t);
      known = { period, number: this.remember(period) };
      // Bounded, as the zone's own caches are (decades of days at most in practice).
      if (this.byDay.size >= 100_000) this.byDay.clear();
      this.byDay.set(day, known);
      return period;
    }
    this.last = known.period;
    this.lastNumber = this.number = known.number;
    return known.period;
  }
}

/**
 * The one-pass form of the engine, for a single large export: the accumulators of the metrics are
 * fed while the file is read, and the dataset keeps none of the records (`Dataset.streamTo`).
 *
 * A kind is streamed only when every selected metric that reads it declares `streaming` (see
 * MetricDefinition) and is bucketed, and when the range is known before reading: no
 * `--since`/`--until`, or both. The data range (the overall bounds, the periods) is learnt while
 * reading and set before any `result()`; periods no record fell in get their empty buckets at the
 * end, as in `runMetrics`. The caller streams only a one-table input (links between kinds then
 * have nothing to join: the metrics get the links of an empty dataset).
 */
export class MetricStream implements RecordStream {
  private readonly runs = new Map<MetricDefinition, BucketedRun>();
  private readonly byKind = new Map<RecordKind, BucketedRun[]>();
  /** `--by` readers per kind: a record's segment key is read once for all the runs it feeds. */
  private readonly segments = new Map<RecordKind, ((record: CxRecord) => string)[]>();
  private readonly spans = new Map<RecordKind, TimeSpan>();
  private links: Links | null = null;
  /** The kind of the last record added, and what `add` needs of it (`switchKind`). */
  private lastKind: RecordKind | null = null;
  private lastRuns: BucketedRun[] = [];
  private lastSegments: ((record: CxRecord) => string)[] = [];
  private lastSpan: TimeSpan | null = null;
  private lastTimeField = '';
  /** A number per distinct `--by` key, in order of first appearance: runs find their buckets by it (`feedStreamed`). */
  private readonly segmentNumbers = new Map<string, number>();
  private lastKey: string | null = null;
  private lastSegment = -1;
  /** With --period, where the runs find the period of an instant (null without --period). */
  private readonly periods: PeriodLookup | null;

  constructor(private readonly options: EngineOptions) {
    this.periods = options.period ? new PeriodLookup(new PeriodCalendar(options.period, options.zone, options.weekStart)) : null;
  }

  claims(kind: RecordKind): boolean {
    if (this.byKind.has(kind)) return true;
    const { since, until } = this.options;
    if ((since === null) !== (until === null)) return false;
    // A metric that cannot be computed from this kind alone (the stream takes one-table inputs) does not count.
    const readers = this.options.metrics.filter((metric) => metric.kinds.includes(kind) && !metric.unavailableAlone?.includes(kind));
    if (readers.length === 0 || readers.some((metric) => metric.streaming !== true || metric.scope === 'snapshot')) return false;
    this.links ??= buildLinks(new Dataset());
    const filter = since !== null && until !== null ? { start: since, end: until } : null;
    const unbounded = since === null && until === null;
    const runs = readers.map((metric) => {
      let run = this.runs.get(metric);
      if (!run) {
        const whole: PeriodBounds = filter ? { ...filter, whole: true, unbounded } : { start: -8.64e15, end: 8.64e15, whole: true, unbounded };
        run = new BucketedRun(metric, this.options, this.links!, whole, this.periods, filter);
        this.runs.set(metric, run);
      }
      return run;
    });
    this.byKind.set(kind, runs);
    this.segments.set(kind, this.options.by.map((field) => segmentReader(kind, field)));
    this.spans.set(kind, { min: Infinity, max: -Infinity, untimed: 0 });
    return true;
  }

  add(record: CxRecord): void {
    if (record.kind !== this.lastKind) this.switchKind(record.kind);
    const value = (record as unknown as Record<string, unknown>)[this.lastTimeField];
    const span = this.lastSpan!;
    let t: number | undefined;
    if (typeof value !== 'number') span.untimed++;
    else {
      t = value;
      if (t < span.min) span.min = t;
      if (t > span.max) span.max = t;
    }
    const key = segmentKeyOf(this.lastSegments, record);
    let segment = -1;
    if (key !== null) {
      if (key === this.lastKey) segment = this.lastSegment;
      else {
        const known = this.segmentNumbers.get(key);
        if (known === undefined) this.segmentNumbers.set(key, (segment = this.segmentNumbers.size));
        else segment = known;
        this.lastKey = key;
        this.lastSegment = segment;
      }
    }
    const runs = this.lastRuns;
    for (let i = 0; i < runs.length; i++) runs[i]!.feedStreamed(record, key, segment, t);
  }

  /** Rows come a table at a time: what `add` needs of a kind is looked up when the kind changes. */
  private switchKind(kind: RecordKind): void {
    this.lastKind = kind;
    this.lastRuns = this.byKind.get(kind)!;
    this.lastSegments = this.segments.get(kind)!;
    this.lastSpan = this.spans.get(kind)!;
    this.lastTimeField = TIME_FIELD[kind];
  }

  /** The options the stream was created with (a worker thread builds its own stream from them). */
  get engineOptions(): EngineOptions {
    return this.options;
  }

  /** What was fed so far, as plain data for another thread's stream of the same options (`absorb`). */
  exportState(): StreamState {
    return {
      spans: [...this.spans].map(([kind, span]) => [kind, { ...span }]),
      runs: [...this.runs].map(([metric, run]) => [metric.id, run.exportState()]),
    };
  }

  /**
   * Merges another thread's stream (`exportState`, same options) into this one, as if its records
   * had come after this stream's own.
   */
  absorb(state: StreamState): void {
    for (const [kind, span] of state.spans) {
      if (!this.claims(kind)) throw new Error(`MetricStream.absorb: the kind ${kind} is not streamed here`);
      const own = this.spans.get(kind)!;
      own.min = Math.min(own.min, span.min);
      own.max = Math.max(own.max, span.max);
      own.untimed += span.untimed;
    }
    for (const [id, runState] of state.runs) {
      const run = [...this.runs].find(([metric]) => metric.id === id)?.[1];
      if (!run) throw new Error(`MetricStream.absorb: no run of ${id} here`);
      run.absorb(runState);
    }
  }

  /**
   * The dataset the streamed records were counted in, once read: the accumulators' `result()` may
   * ask it what `unavailable()` may ask (see MetricDefinition.streaming); they joined nothing.
   */
  attach(dataset: Dataset): void {
    if (this.links) this.links.dataset = dataset;
  }

  /** The run that was fed a metric's records, if any. */
  runOf(metric: MetricDefinition): BucketedRun | undefined {
    return this.runs.get(metric);
  }

  /** The span of the kind's time field over the streamed records. */
  kindSpan(kind: RecordKind): TimeSpan | undefined {
    return this.spans.get(kind);
  }

  /** The span of a metric's own times (`timeOf`) over the streamed records of its kinds. */
  timeSpan(metric: MetricDefinition): TimeSpan | undefined {
    return this.runs.get(metric)?.span;
  }
}

/**
 * @param stream the one-pass run the records of some kinds were fed to while reading (those kinds
 *   then hold only samples in the dataset; see `MetricStream`), or none.
 */
export function runMetrics(dataset: Dataset, options: EngineOptions, stream: MetricStream | null = null): EngineOutput {
  const links = buildLinks(dataset);
  stream?.attach(dataset);
  const unavailable: EngineOutput['unavailable'] = [];
  const available: MetricDefinition[] = [];
  for (const metric of options.metrics) {
    const reason = metric.unavailable(dataset, options.settings);
    if (reason) unavailable.push({ id: metric.id, reason });
    else available.push(metric);
  }
  const kindsUsed = new Set(available.flatMap((m) => m.kinds));
  const data = dataRange(dataset, available, stream);
  const start = options.since ?? data?.start ?? null;
  const end = options.until ?? data?.end ?? null;
  const range: PeriodBounds | null = start !== null && end !== null && end > start ? { start, end } : null;
  const calendar = options.period ? new PeriodCalendar(options.period, options.zone, options.weekStart) : null;
  const periods = calendar && range ? calendar.periodsBetween(range.start, range.end) : [];
  // The runs find their periods through PeriodLookup, which answers as the calendar would from
  // here: its last answer is the last period periodsBetween listed.
  const periodsOf = calendar ? new PeriodLookup(calendar, periods.length > 0 ? periods[periods.length - 1]! : null) : null;
  const warnings: string[] = [];
  const rows: MetricRow[] = [];
  const untimed = new Map<RecordKind, number>();
  const unbounded = options.since === null && options.until === null;
  const whole: PeriodBounds = range ? { ...range, whole: true, unbounded } : { start: -8.64e15, end: 8.64e15, whole: true, unbounded };

  for (const metric of available) {
    let entries: Bucket[];
    if (metric.scope === 'snapshot') {
      entries = snapshotBuckets(metric, dataset, options, links, whole, periods);
    } else {
      let run = stream?.runOf(metric);
      if (run) {
        // Fed while reading: the overall bounds become the range now known.
        run.wholeBounds.start = whole.start;
        run.wholeBounds.end = whole.end;
        run.filter = range;
      } else {
        run = new BucketedRun(metric, options, links, whole, periodsOf, range);
      }
      for (const kind of metric.kinds) {
        if (dataset.streamed(kind)) {
          // Computable, yet its kind streamed without it: a wrong `unavailableAlone` would give n = 0 silently.
          if (!stream?.runOf(metric)) throw new Error(`${metric.id} is available but ${kind} records were streamed without it`);
          continue;
        }
        for (const record of dataset.records(kind)) run.feed(record);
      }
      entries = run.finish(periods);
    }
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
      const count =
        stream && dataset.streamed(kind)
          ? (stream.kindSpan(kind)?.untimed ?? 0)
          : dataset.records(kind).filter((r) => typeof (r as unknown as Record<string, unknown>)[field] !== 'number').length;
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

/** Snapshot scope: every period's accumulator judges every record of its segment against the period. */
function snapshotBuckets(
  metric: MetricDefinition,
  dataset: Dataset,
  options: EngineOptions,
  links: Links,
  whole: PeriodBounds,
  periods: readonly Period[],
): Bucket[] {
  const readers = new Map<RecordKind, ((record: CxRecord) => string)[]>();
  for (const kind of metric.kinds) readers.set(kind, options.by.map((field) => segmentReader(kind, field, segmentParent(links, kind))));
  const segmentOf = (record: CxRecord): string[] => readers.get(record.kind)!.map((read) => read(record));
  const buckets = new Map<string, Bucket>();
  const bucket = (period: Period | null, segment: string[] | null, bounds: PeriodBounds): Accumulator => {
    const key = `${period?.key ?? ''}${SEP}${segment ? segment.join(SEP) : SEP}`;
    let entry = buckets.get(key);
    if (!entry) {
      entry = { period, segment, acc: metric.create(options.settings, links, bounds) };
      buckets.set(key, entry);
    }
    return entry.acc;
  };
  const targets: (Period | null)[] = [null, ...periods];
  for (const target of targets) {
    const bounds = target ?? whole;
    const overall = bucket(target, null, bounds);
    // This target's segment buckets by the record's --by key (segmentKeyOf: the same as the
    // segment's values joined), so that a record finds its bucket without building a key of the
    // period and the segment.
    const bySegment = new Map<string, Accumulator>();
    for (const kind of metric.kinds) {
      const kindReaders = readers.get(kind)!;
      for (const record of dataset.records(kind)) {
        if (metric.accepts && !metric.accepts(record)) continue;
        overall.add(record);
        if (options.by.length) {
          const key = segmentKeyOf(kindReaders, record)!;
          let acc = bySegment.get(key);
          if (acc === undefined) bySegment.set(key, (acc = bucket(target, segmentOf(record), bounds)));
          acc.add(record);
        }
      }
    }
  }
  return sortBuckets([...buckets.values()]);
}
