/**
 * What a metric is. Every metric in the catalogue declares its id (public: thresholds and exports
 * name it), label, unit, direction, the records and fields it needs, its formula in one line, and
 * how to compute it as a mergeable accumulator: results over two halves of the data merge to the
 * result over the whole (the accumulators hold counts, sums and quantile sketches, never rows).
 *
 * Metrics are pure: no I/O, no clock, no console. The engine (`engine.ts`) feeds them records
 * already filtered to a period and segment.
 */
import type { Dataset } from '../dataset/dataset.js';
import type { Scales } from '../schema/kinds.js';
import type { CxRecord, RecordKind } from '../schema/records.js';
import type { Schedule, ScheduleRule, TimeBasis } from './business-hours.js';
import type { SlaTarget } from './sla.js';

export type Unit = 'points' | 'share' | 'seconds' | 'count' | 'score' | 'money' | 'per_100' | 'ratio' | 'per_day';
export type Direction = 'higher' | 'lower' | 'neutral';
export type Domain = 'surveys' | 'tickets' | 'calls' | 'commerce' | 'customers' | 'social' | 'journey';

export interface MetricResult {
  /** The headline number in raw units (DESIGN.md: rates 0..1, durations seconds, NPS points), or null when n = 0. */
  value: number | null;
  /** What the value rests on (answers, tickets, calls…). */
  n: number;
  ci95: [number, number] | null;
  detail: Record<string, unknown>;
}

/** Settings a metric may read; all come from the config with documented defaults. */
export interface MetricSettings {
  scales: Scales;
  /** CSAT counts answers at or above this as satisfied. */
  csatPositiveFrom: number;
  csatRule: 'all-answers' | 'good-over-rated';
  /** CES answers at or beyond this (in the easy direction) are low effort. */
  cesLowEffortFrom: number;
  cesDirection: 'higher-is-easier' | 'lower-is-easier';
  minSample: number;
  /** Calls abandoned before this many seconds of waiting are short abandons, left out of the rate. */
  shortAbandonSeconds: number;
  /** Service level: answered within this many seconds. */
  serviceLevelSeconds: number;
  /** Share of unhappy customers who complain on social media (estimated_complainers). */
  socialComplaintShare: number;
  /** Gross margin applied to CLV when set (0..1). */
  grossMargin: number | null;
  /** Recurring issue: the same customer and category again within this many days. */
  recurringWindowDays: number;
  // The journey settings are optional so settings written before the journey family stay valid;
  // `resolveSettings` always sets them, and the journey metrics fall back to the same defaults.
  /** early_life_contact_rate: a ticket or call within this many days of the start counts (default 30). */
  earlyLifeDays?: number;
  /** repeat_contact_rate: a contact through another channel within this many days is a repeat (default 7). */
  repeatContactDays?: number;
  /** employee_frustration: ratings at or above this are frustrating (default 4 on 1-5, the top 20% of other scales). */
  frustrationFrom?: number;
  /** Zone of calendar cohorts (time_to_first_value by start month); the config's `timezone`, default UTC. */
  timezone?: string;
  // Business hours and SLAs (business-hours.ts, sla.ts). Optional so that settings written before
  // them stay valid; resolveSettings always fills them. Absent means: no schedule, calendar time,
  // at-event, no targets.
  /** The configured schedule (with its per-group schedules), or null. */
  businessHours?: Schedule | null;
  /** Which clock the value of first_response_time, resolution_time and the wait times uses (`--time`). */
  time?: TimeBasis;
  /** A ticket open while the schedule changed: `--schedule-rule` (see business-hours.ts). */
  scheduleRule?: ScheduleRule;
  /** SLA targets, first match wins. */
  sla?: SlaTarget[];
}

/**
 * Read-only links between records that a metric may look up (returns by order id, tickets by
 * customer…). Built once per dataset, shared by every accumulator.
 */
export interface Links {
  dataset: Dataset;
  returnsByOrder: ReadonlyMap<string, readonly CxRecord[]>;
  invoiceChangesByOrder: ReadonlyMap<string, readonly CxRecord[]>;
  /** Ticket ids some survey answer refers to: their ticket-level CSAT is the same answer, not a second one. */
  surveyedTickets: ReadonlySet<string>;
}

export interface Accumulator {
  add(record: CxRecord): void;
  merge(other: Accumulator): void;
  result(): MetricResult;
}

export interface MetricDefinition {
  id: string;
  label: string;
  unit: Unit;
  direction: Direction;
  domain: Domain;
  /** The kinds whose records are fed to the accumulator (the "primary" records that decide period and segment). */
  kinds: readonly RecordKind[];
  /** Fields that must be present on at least one record for the metric to be computable. */
  needs: string;
  /** The formula in one line, as `cxm metrics` prints it. */
  formula: string;
  /**
   * Why the metric cannot be computed from these inputs, or null when it can. Called once per
   * report with the records of the dataset, and the settings (SLA metrics need configured targets).
   */
  unavailable(dataset: Dataset, settings?: MetricSettings): string | null;
  /** Which instant of a record places it in a period (default: the kind's time field). */
  timeOf?(record: CxRecord): number | undefined;
  /** Does this record count at all (e.g. only complaints)? Default: every record of `kinds`. */
  accepts?(record: CxRecord): boolean;
  /**
   * `bucketed` (default): each record is fed to the accumulator of the period its time falls in.
   * `snapshot`: a state at the end of each period (backlog, churn): the accumulator of a period is
   * fed every record of the segment, whatever its time, and judges it against `period`.
   */
  scope?: 'bucketed' | 'snapshot';
  /**
   * The metric can be computed while a single large export is read, without the records being
   * kept (the engine's `MetricStream`: flat memory on millions of rows). Declare it only when:
   * - `unavailable()` asks nothing but whether the kinds have records and which fields they carry
   *   (`missingKinds`, `fieldPresent`, `.some(r => r.field !== undefined)`): for a streamed kind
   *   the dataset holds one record per distinct set of defined fields, not every record;
   * - the accumulators read neither the dataset nor, on one table of one kind, anything `links`
   *   holds while records are added (the stream's links join nothing), and read the overall
   *   bounds they were created with only in `result()` (the data range is known once the file
   *   is read); in `result()` they may ask `links.dataset` what `unavailable()` may ask (which
   *   inputs hold records with which fields: survey_response_rate's inputs with a status);
   * - it is bucketed (a snapshot needs every record for every period).
   */
  streaming?: boolean;
  /**
   * Kinds on whose records alone `unavailable()` always gives a reason (complaint_rate needs
   * tickets and orders or customers): an input of one of these kinds only may stream although
   * the metric does not declare `streaming`, since it will not be computed. The stream decides
   * when the file's header is read, long before `unavailable()` is asked.
   */
  unavailableAlone?: readonly RecordKind[];
  /** `period` is the bucket being computed, or the whole analysed range (`end` = --now or the latest record) when there are no periods. */
  create(settings: MetricSettings, links: Links, period: PeriodBounds): Accumulator;
}

/** A half-open interval [start, end) in epoch ms. */
export interface PeriodBounds {
  start: number;
  end: number;
  /**
   * True for the whole analysed range (the report's overall row) rather than one calendar
   * period: snapshot metrics whose textbook form needs a population at the start (churn) use a
   * form that suits a long window there.
   */
  whole?: boolean;
  /** With `whole`: no --since/--until narrowed the range, so records without a time belong in it too. */
  unbounded?: boolean;
}
