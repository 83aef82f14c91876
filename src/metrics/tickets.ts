/**
 * Ticket (help-desk) metrics: volume, response and resolution times, first-contact resolution,
 * one-touch, replies, reopens, backlog, and complaint / inquiry volumes.
 *
 * Definitions shared by the family:
 * - Resolved: a resolution instant is known, or the status is solved, closed, resolved,
 *   resuelto/resuelta or cerrado/cerrada (accents and case ignored).
 * - The resolution instant is `resolvedAt`, else `createdAt` + the precomputed resolution
 *   duration. An instant before the creation is a placeholder (Zendesk writes 1900-01-01 on
 *   unsolved tickets), not a resolution.
 * - Metrics over resolved tickets (resolution_time, fcr, one_touch_rate, replies_per_resolution,
 *   reopen_rate) place a ticket in the period it was resolved in, as help desks report them
 *   ("tickets solved this week"); placing them by creation would make the latest periods look
 *   fast, since only their quick tickets are solved yet. Without a resolution instant the
 *   creation time places it.
 * - Durations below zero (resolved before created: real exports have them) are left out and
 *   counted in `detail.negative_excluded`, except a placeholder resolution on a ticket whose
 *   status says it is still open, which is no duration at all.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import type { CxRecord, TicketRecord } from '../schema/records.js';
import { businessSeconds, scheduleFor } from './business-hours.js';
import {
  Tally,
  countResult,
  durationResult,
  durationSummary,
  fieldPresent,
  fold,
  meanResult,
  missingKinds,
  rate,
  sameAccumulator,
  secondsBetween,
} from './helpers.js';
import { MeanVar, QuantileSketch } from './stats/index.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from './types.js';

const DAY_MS = 86_400_000;
/** Mean Gregorian month, for the per-month average of a period that is not a calendar month. */
const MONTH_DAYS = 365.2425 / 12;

// ---------------------------------------------------------------------------------------
// shared definitions

const RESOLVED_STATUSES = new Set(['solved', 'closed', 'resolved', 'resuelto', 'resuelta', 'cerrado', 'cerrada']);

function hasResolvedStatus(t: TicketRecord): boolean {
  return t.status !== undefined && RESOLVED_STATUSES.has(fold(t.status));
}

/**
 * When the ticket was resolved (epoch ms): resolvedAt, else createdAt + resolutionSeconds;
 * undefined when unknown. An instant before the creation is not a resolution: exports write
 * placeholders there (Zendesk's "1900-01-01 00:00:00" on unsolved tickets), so such a ticket
 * is judged by its status instead.
 */
export function resolvedInstant(t: TicketRecord): number | undefined {
  const at =
    t.resolvedAt ?? (t.createdAt !== undefined && t.resolutionSeconds !== undefined ? t.createdAt + t.resolutionSeconds * 1000 : undefined);
  return at !== undefined && t.createdAt !== undefined && at < t.createdAt ? undefined : at;
}

/** Resolved: a resolution instant, or a status that says solved/closed (see the module comment). */
export function isResolved(t: TicketRecord): boolean {
  return resolvedInstant(t) !== undefined || hasResolvedStatus(t);
}

/** Period placement of the metrics over resolved tickets (see the module comment). */
function resolutionTimeOf(record: CxRecord): number | undefined {
  return record.kind === 'ticket' ? (resolvedInstant(record) ?? record.createdAt) : undefined;
}

const tickets = (dataset: Dataset) => dataset.records('ticket');

/**
 * A duration of a ticket: from the timestamps when both are there, else the precomputed column.
 * Timestamps win because they are what the export measured; the precomputed columns of some
 * tools are in business hours or rounded to minutes.
 */
interface DurationSpec {
  /** The end timestamp; the start is always `createdAt`. */
  end: 'firstResponseAt' | 'resolvedAt';
  precomputed: 'firstResponseSeconds' | 'resolutionSeconds';
  business: 'firstResponseBusinessSeconds' | 'resolutionBusinessSeconds';
}

const FIRST_RESPONSE: DurationSpec = {
  end: 'firstResponseAt',
  precomputed: 'firstResponseSeconds',
  business: 'firstResponseBusinessSeconds',
};
const RESOLUTION: DurationSpec = {
  end: 'resolvedAt',
  precomputed: 'resolutionSeconds',
  business: 'resolutionBusinessSeconds',
};

type DurationSource = 'timestamps' | 'precomputed';

function ticketDuration(t: TicketRecord, spec: DurationSpec): { seconds: number; source: DurationSource } | undefined {
  const fromTimestamps = secondsBetween(t.createdAt, t[spec.end]);
  if (fromTimestamps !== undefined) return { seconds: fromTimestamps, source: 'timestamps' };
  const precomputed = t[spec.precomputed];
  return precomputed === undefined ? undefined : { seconds: precomputed, source: 'precomputed' };
}

function durationUnavailable(dataset: Dataset, spec: DurationSpec, what: string, settings?: MetricSettings): string | null {
  const missing = missingKinds(dataset, ['ticket']);
  if (missing) return missing;
  if (tickets(dataset).some((t) => ticketDuration(t, spec) !== undefined)) return null;
  // Business-hours durations are the value with --time business, and when they are all the
  // export has (Zendesk's "First reply time in minutes within business hours"): detail.time
  // then says so, since they measure another clock than calendar durations.
  if (fieldPresent(dataset, 'ticket', spec.business)) return null;
  void settings;
  return `tickets have no ${what} (neither both timestamps, created at and ${spec.end === 'resolvedAt' ? 'resolved at' : 'first response at'}, on one ticket nor a precomputed duration)`;
}

/** Why a metric over resolved tickets that reads `field` cannot be computed, or null. */
function resolvedFieldUnavailable(dataset: Dataset, field: 'replies' | 'reopens', what: string): string | null {
  const missing = missingKinds(dataset, ['ticket']);
  if (missing) return missing;
  if (!fieldPresent(dataset, 'ticket', field)) return `tickets have no ${what}`;
  if (tickets(dataset).some((t) => t[field] !== undefined && isResolved(t))) return null;
  return `no resolved ticket has a known ${what} (resolved: a resolved-at time, or status solved, closed, resolved, resuelto or cerrado)`;
}

// ---------------------------------------------------------------------------------------
// ticket_volume

/**
 * Tickets of one customer by folded category, creation instants sorted: the lookup behind
 * `recurring`. Built once per dataset from every ticket, so an earlier ticket counts even when
 * it lies in an earlier period or another segment (it is the same customer).
 */
const historyCache = new WeakMap<Dataset, Map<string, Float64Array>>();

const historyKey = (customerId: string, category: string) => `${customerId}\u0000${fold(category)}`;

function ticketHistory(dataset: Dataset): Map<string, Float64Array> {
  let history = historyCache.get(dataset);
  if (!history) {
    const lists = new Map<string, number[]>();
    for (const t of tickets(dataset)) {
      if (t.customerId === undefined || t.category === undefined || t.createdAt === undefined) continue;
      const key = historyKey(t.customerId, t.category);
      let list = lists.get(key);
      if (!list) lists.set(key, (list = []));
      list.push(t.createdAt);
    }
    history = new Map([...lists].map(([key, list]) => [key, Float64Array.from(list).sort()]));
    historyCache.set(dataset, history);
  }
  return history;
}

/** Did the same customer open a ticket of the same category in [createdAt - window, createdAt)? */
function isRecurring(t: TicketRecord, history: Map<string, Float64Array>, windowMs: number): boolean {
  if (t.customerId === undefined || t.category === undefined || t.createdAt === undefined) return false;
  const times = history.get(historyKey(t.customerId, t.category));
  if (!times) return false;
  // first index with times[i] >= createdAt - window
  const from = t.createdAt - windowMs;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length && times[lo]! < t.createdAt;
}

const within = (t: number | undefined, period: PeriodBounds) => t !== undefined && t >= period.start && t < period.end;

/**
 * Snapshot scope: fed every ticket of the segment, it counts those created in the period
 * (the value) and, separately, those resolved in it (whenever they were created), which a
 * bucket of tickets created in the period could not see.
 */
class TicketVolumeAccumulator implements Accumulator {
  created = 0;
  /** Of `created`, those with a creation time (the per-day averages rest on these). */
  dated = 0;
  resolvedInPeriod = 0;
  recurring = 0;
  /** Tickets without a creation time: they cannot be placed in any period. */
  undated = 0;
  readonly byChannel = new Tally<string>();

  constructor(
    private readonly period: PeriodBounds,
    private readonly history: Map<string, Float64Array>,
    private readonly windowMs: number,
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'ticket') return;
    if (within(resolvedInstant(record), this.period)) this.resolvedInPeriod++;
    if (record.createdAt === undefined) {
      this.undated++;
      // Over the whole, unfiltered data a ticket without a creation time is still a ticket.
      if (this.period.whole && this.period.unbounded) {
        this.created++;
        this.byChannel.add(record.channel ?? 'unknown');
      }
      return;
    }
    if (!within(record.createdAt, this.period)) return;
    this.created++;
    this.dated++;
    this.byChannel.add(record.channel ?? 'unknown');
    if (isRecurring(record, this.history, this.windowMs)) this.recurring++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.created += o.created;
    this.dated += o.dated;
    this.resolvedInPeriod += o.resolvedInPeriod;
    this.recurring += o.recurring;
    this.undated += o.undated;
    this.byChannel.merge(o.byChannel);
  }

  result(): MetricResult {
    const byChannel: Record<string, { count: number; share: number }> = {};
    for (const [channel, count] of Object.entries(this.byChannel.toObject('count'))) {
      byChannel[channel] = { count, share: count / this.created };
    }
    // Averages over the whole period, empty days included (dividing by the span, not by the
    // days that had tickets). A month is the mean Gregorian month.
    const days = (this.period.end - this.period.start) / DAY_MS;
    const per = (unitDays: number) => (Number.isFinite(days) && days > 0 && days < 1e6 ? this.dated / (days / unitDays) : null);
    return countResult(this.created, {
      by_channel: byChannel,
      resolved_in_period: this.resolvedInPeriod,
      per_day: per(1),
      per_week: per(7),
      per_month: per(MONTH_DAYS),
      recurring: this.recurring,
      undated: this.undated,
    });
  }
}

const ticketVolume: MetricDefinition = {
  id: 'ticket_volume',
  label: 'Ticket volume',
  unit: 'count',
  direction: 'neutral',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.createdAt',
  formula: 'tickets created in the period; detail: resolved in the period, per day/week/month, by channel, recurring (same customer and category within the window)',
  scope: 'snapshot',
  unavailable(dataset) {
    return (
      missingKinds(dataset, ['ticket']) ??
      null
    );
  },
  create: (settings, links, period) => new TicketVolumeAccumulator(period, ticketHistory(links.dataset), settings.recurringWindowDays * DAY_MS),
};

// ---------------------------------------------------------------------------------------
// first_response_time, resolution_time

/**
 * Calendar durations, and business durations beside them: through the configured schedule (the
 * ticket group's, under the schedule rule) when both timestamps are known, else the export's
 * precomputed business-hours column. `--time business` makes the business median the value.
 */
class DurationAccumulator implements Accumulator {
  readonly seconds = new QuantileSketch();
  readonly business = new QuantileSketch();
  readonly sources = new Tally<DurationSource>();
  readonly businessSources = new Tally<'schedule' | 'precomputed'>();
  negative = 0;

  constructor(
    private readonly spec: DurationSpec,
    private readonly settings?: MetricSettings,
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'ticket') return;
    const d = ticketDuration(record, this.spec);
    if (d !== undefined) {
      if (d.seconds < 0) {
        // A "resolution" before the creation on a ticket whose status says it is still open is a
        // placeholder date (see resolvedInstant), not a resolved-before-created row.
        const placeholder = this.spec === RESOLUTION && record.status !== undefined && !hasResolvedStatus(record);
        if (!placeholder) this.negative++;
      } else {
        this.seconds.add(d.seconds);
        this.sources.add(d.source);
      }
    }
    const schedule = this.settings?.businessHours;
    const end = record[this.spec.end];
    if (schedule && record.createdAt !== undefined && end !== undefined) {
      if (end < record.createdAt) return;
      const rule = this.settings?.scheduleRule ?? 'at-event';
      this.business.add(businessSeconds(scheduleFor(schedule, record.group), record.createdAt, end, { rule, eventAt: end }));
      this.businessSources.add('schedule');
      return;
    }
    const business = record[this.spec.business];
    if (business !== undefined && business >= 0) {
      this.business.add(business);
      this.businessSources.add('precomputed');
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.seconds.merge(o.seconds);
    this.business.merge(o.business);
    this.sources.merge(o.sources);
    this.businessSources.merge(o.businessSources);
    this.negative += o.negative;
  }

  result(): MetricResult {
    const ts = this.sources.get('timestamps');
    const pre = this.sources.get('precomputed');
    const sch = this.businessSources.get('schedule');
    const bpre = this.businessSources.get('precomputed');
    const b = durationSummary(this.business);
    const business =
      b.n === 0 ? null : { n: b.n, median: b.median, p90: b.p90, mean: b.mean, source: sch > 0 && bpre > 0 ? 'mixed' : sch > 0 ? 'schedule' : 'precomputed' };
    const common = {
      negative_excluded: this.negative,
      source: ts > 0 && pre > 0 ? 'mixed' : ts > 0 ? 'timestamps' : pre > 0 ? 'precomputed' : null,
      business,
      schedule_rule: sch > 0 ? (this.settings?.scheduleRule ?? 'at-event') : null,
    };
    if (this.settings?.time !== 'business' && (this.seconds.count > 0 || this.business.count === 0)) {
      return durationResult(this.seconds, { ...common, time: 'calendar' });
    }
    if (this.settings?.time !== 'business') {
      return durationResult(this.business, { ...common, time: 'business', note: 'the export holds only business-hours durations: the value is in business time', calendar: null });
    }
    const c = durationSummary(this.seconds);
    return durationResult(this.business, { ...common, time: 'business', calendar: c.n === 0 ? null : { n: c.n, median: c.median, p90: c.p90, mean: c.mean } });
  }
}

const firstResponseTime: MetricDefinition = {
  id: 'first_response_time',
  label: 'First response time',
  unit: 'seconds',
  direction: 'lower',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.createdAt + ticket.firstResponseAt, or ticket.firstResponseSeconds',
  formula: 'median of (first response at − created at), else the precomputed first-reply time; negatives left out; 95% CI order statistics; detail.business: in business hours (config schedule, else the export\'s business-hours column), the value with --time business',
  unavailable: (dataset, settings) => durationUnavailable(dataset, FIRST_RESPONSE, 'first-response time', settings),
  streaming: true,
  create: (settings) => new DurationAccumulator(FIRST_RESPONSE, settings),
};

const resolutionTime: MetricDefinition = {
  id: 'resolution_time',
  label: 'Resolution time',
  unit: 'seconds',
  direction: 'lower',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.createdAt + ticket.resolvedAt, or ticket.resolutionSeconds',
  formula: 'median of (resolved at − created at), else the precomputed resolution time, by period of resolution; negatives left out; 95% CI order statistics; detail.business: in business hours (config schedule, else the export\'s business-hours column), the value with --time business',
  timeOf: resolutionTimeOf,
  unavailable: (dataset, settings) => durationUnavailable(dataset, RESOLUTION, 'resolution time', settings),
  streaming: true,
  create: (settings) => new DurationAccumulator(RESOLUTION, settings),
};

// ---------------------------------------------------------------------------------------
// fcr

/**
 * Per ticket: the export's own flag when the ticket carries one; else, for a resolved ticket
 * with a reopen or contact count, "resolved without reopening and in at most one contact"
 * (an unknown count does not count against it). Resolved tickets with neither count cannot be
 * judged and stay out (detail.unjudged).
 */
class FcrAccumulator implements Accumulator {
  flagged = 0;
  flaggedYes = 0;
  derived = 0;
  derivedYes = 0;
  unjudged = 0;

  add(record: CxRecord): void {
    if (record.kind !== 'ticket') return;
    if (record.fcr !== undefined) {
      this.flagged++;
      if (record.fcr) this.flaggedYes++;
      return;
    }
    if (!isResolved(record)) return;
    if (record.reopens === undefined && record.contacts === undefined) {
      this.unjudged++;
      return;
    }
    this.derived++;
    if ((record.reopens ?? 0) === 0 && (record.contacts === undefined || record.contacts <= 1)) this.derivedYes++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.flagged += o.flagged;
    this.flaggedYes += o.flaggedYes;
    this.derived += o.derived;
    this.derivedYes += o.derivedYes;
    this.unjudged += o.unjudged;
  }

  result(): MetricResult {
    const method = this.flagged > 0 && this.derived > 0 ? 'mixed' : this.flagged > 0 ? 'flag' : this.derived > 0 ? 'derived' : null;
    return rate(this.flaggedYes + this.derivedYes, this.flagged + this.derived, {
      method,
      from_flag: this.flagged,
      derived: this.derived,
      unjudged: this.unjudged,
    });
  }
}

const fcr: MetricDefinition = {
  id: 'fcr',
  label: 'First contact resolution',
  unit: 'share',
  direction: 'higher',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.fcr, or resolved tickets with ticket.reopens or ticket.contacts',
  formula: "the export's FCR flag where present, else resolved with no reopen and <= 1 contact / resolved; 95% CI Wilson",
  timeOf: resolutionTimeOf,
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['ticket']);
    if (missing) return missing;
    if (fieldPresent(dataset, 'ticket', 'fcr')) return null;
    if (!fieldPresent(dataset, 'ticket', 'reopens') && !fieldPresent(dataset, 'ticket', 'contacts')) {
      return 'tickets carry neither a first-contact-resolution flag nor reopen or contact counts';
    }
    if (tickets(dataset).some((t) => isResolved(t) && (t.reopens !== undefined || t.contacts !== undefined))) return null;
    return 'no resolved ticket carries a reopen or contact count, and no ticket a first-contact-resolution flag';
  },
  create: () => new FcrAccumulator(),
};

// ---------------------------------------------------------------------------------------
// one_touch_rate, reopen_rate, replies_per_resolution

/** A rate over resolved tickets that carry `field`: success when `test(value)`. */
class ResolvedRateAccumulator implements Accumulator {
  successes = 0;
  n = 0;

  constructor(
    private readonly field: 'replies' | 'reopens',
    private readonly test: (value: number) => boolean,
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'ticket' || !isResolved(record)) return;
    const value = record[this.field];
    if (value === undefined) return;
    this.n++;
    if (this.test(value)) this.successes++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.successes += o.successes;
    this.n += o.n;
  }

  result(): MetricResult {
    return rate(this.successes, this.n);
  }
}

const oneTouchRate: MetricDefinition = {
  id: 'one_touch_rate',
  label: 'One-touch resolution rate',
  unit: 'share',
  direction: 'higher',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.replies on resolved tickets',
  formula: 'resolved tickets with fewer than 2 agent replies / resolved tickets with a reply count; 95% CI Wilson',
  timeOf: resolutionTimeOf,
  unavailable: (dataset) => resolvedFieldUnavailable(dataset, 'replies', 'agent reply count (replies)'),
  create: () => new ResolvedRateAccumulator('replies', (replies) => replies < 2),
};

const reopenRate: MetricDefinition = {
  id: 'reopen_rate',
  label: 'Reopen rate',
  unit: 'share',
  direction: 'lower',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.reopens on resolved tickets',
  formula: 'resolved tickets reopened at least once / resolved tickets with a reopen count; 95% CI Wilson',
  timeOf: resolutionTimeOf,
  unavailable: (dataset) => resolvedFieldUnavailable(dataset, 'reopens', 'reopen count (reopens)'),
  create: () => new ResolvedRateAccumulator('reopens', (reopens) => reopens > 0),
};

class RepliesAccumulator implements Accumulator {
  readonly replies = new MeanVar();

  add(record: CxRecord): void {
    if (record.kind !== 'ticket' || !isResolved(record) || record.replies === undefined) return;
    this.replies.add(record.replies);
  }

  merge(other: Accumulator): void {
    this.replies.merge(sameAccumulator(this, other).replies);
  }

  result(): MetricResult {
    const r = meanResult(this.replies);
    // A count cannot average below 0; the symmetric t interval can reach there in small samples.
    if (r.ci95) r.ci95 = [Math.max(0, r.ci95[0]), r.ci95[1]];
    return r;
  }
}

const repliesPerResolution: MetricDefinition = {
  id: 'replies_per_resolution',
  label: 'Agent replies per resolved ticket',
  unit: 'ratio',
  direction: 'lower',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.replies on resolved tickets',
  formula: 'mean agent replies over resolved tickets with a reply count; 95% CI t',
  timeOf: resolutionTimeOf,
  unavailable: (dataset) => resolvedFieldUnavailable(dataset, 'replies', 'agent reply count (replies)'),
  create: () => new RepliesAccumulator(),
};

// ---------------------------------------------------------------------------------------
// backlog

/**
 * Snapshot at period end: tickets created before the end and not resolved before it. A
 * ticket marked solved or closed with no resolution time was resolved at an unknown moment:
 * it cannot be placed, so it is left out and counted (detail.unknown_resolution) rather than
 * kept open forever.
 */
class BacklogAccumulator implements Accumulator {
  open = 0;
  unknownResolution = 0;
  undated = 0;
  /** Age at period end of each open ticket, seconds. */
  readonly ages = new QuantileSketch();

  constructor(private readonly end: number) {}

  add(record: CxRecord): void {
    if (record.kind !== 'ticket') return;
    if (record.createdAt === undefined) {
      this.undated++;
      return;
    }
    if (record.createdAt >= this.end) return;
    const resolved = resolvedInstant(record);
    if (resolved !== undefined) {
      if (resolved < this.end) return;
    } else if (hasResolvedStatus(record)) {
      this.unknownResolution++;
      return;
    }
    this.open++;
    this.ages.add((this.end - record.createdAt) / 1000);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.open += o.open;
    this.unknownResolution += o.unknownResolution;
    this.undated += o.undated;
    this.ages.merge(o.ages);
  }

  result(): MetricResult {
    const age = durationSummary(this.ages);
    return countResult(this.open, {
      unknown_resolution: this.unknownResolution,
      undated: this.undated,
      age_median: age.median,
      age_p90: age.p90,
      age_max: age.max,
    });
  }
}

const backlog: MetricDefinition = {
  id: 'backlog',
  label: 'Open tickets at period end (backlog)',
  unit: 'count',
  direction: 'lower',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.createdAt, and ticket.resolvedAt or ticket.status',
  formula: 'tickets created before the period end and not resolved before it; solved/closed tickets with no resolution time left out',
  scope: 'snapshot',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['ticket']);
    if (missing) return missing;
    if (!fieldPresent(dataset, 'ticket', 'createdAt')) return 'tickets have no creation time (created at), so the tickets open at a date cannot be told';
    if (!['resolvedAt', 'resolutionSeconds', 'status'].some((field) => fieldPresent(dataset, 'ticket', field))) {
      return 'tickets carry neither a resolution time nor a status, so open tickets cannot be told from resolved ones';
    }
    return null;
  },
  create: (_settings, _links, period) => new BacklogAccumulator(period.end),
};

// ---------------------------------------------------------------------------------------
// complaint_volume, inquiry_volume

/**
 * Words of a ticket type that make it a complaint or an inquiry (folded: no accents, lower
 * case). A type is read word by word, so "Billing inquiry" and "Product inquiry" are
 * inquiries and "Queja formal" a complaint; a type with words of both is a complaint.
 * Requests ("Refund request", "Cancellation request", solicitud) are neither: they ask for an
 * action, not for information, and DESIGN.md lists them as a type of their own.
 */
const COMPLAINT_WORDS = new Set(['complaint', 'complaints', 'queja', 'quejas', 'reclamacion', 'reclamaciones', 'reclamo', 'reclamos', 'claim', 'claims']);
const INQUIRY_WORDS = new Set(['question', 'questions', 'inquiry', 'inquiries', 'enquiry', 'enquiries', 'consulta', 'consultas', 'pregunta', 'preguntas', 'duda', 'dudas']);

type TicketClass = 'complaint' | 'inquiry';

/** Whether a ticket type reads as a complaint or an inquiry; null for anything else. */
export function ticketTypeClass(type: string | undefined): TicketClass | null {
  if (type === undefined) return null;
  const words = fold(type).split(' ');
  if (words.some((w) => COMPLAINT_WORDS.has(w))) return 'complaint';
  if (words.some((w) => INQUIRY_WORDS.has(w))) return 'inquiry';
  return null;
}

class TypeVolumeAccumulator implements Accumulator {
  count = 0;
  readonly types = new Tally<string>();
  readonly firstResponse = new QuantileSketch();
  readonly resolution = new QuantileSketch();

  constructor(private readonly kind: TicketClass) {}

  add(record: CxRecord): void {
    if (record.kind !== 'ticket' || ticketTypeClass(record.type) !== this.kind) return;
    this.count++;
    this.types.add(record.type!);
    const fr = ticketDuration(record, FIRST_RESPONSE);
    if (fr !== undefined && fr.seconds >= 0) this.firstResponse.add(fr.seconds);
    const res = ticketDuration(record, RESOLUTION);
    if (res !== undefined && res.seconds >= 0) this.resolution.add(res.seconds);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.count += o.count;
    this.types.merge(o.types);
    this.firstResponse.merge(o.firstResponse);
    this.resolution.merge(o.resolution);
  }

  result(): MetricResult {
    return countResult(this.count, {
      types: this.types.toObject('count'),
      first_response_median: this.firstResponse.quantile(0.5),
      first_response_n: this.firstResponse.count,
      resolution_median: this.resolution.quantile(0.5),
      resolution_n: this.resolution.count,
    });
  }
}

function typeVolumeUnavailable(dataset: Dataset, kind: TicketClass): string | null {
  const missing = missingKinds(dataset, ['ticket']);
  if (missing) return missing;
  const types = new Tally<string>();
  for (const t of tickets(dataset)) if (t.type !== undefined) types.add(t.type);
  if (types.size === 0) {
    return `tickets have no type (complaint, inquiry…): map the type column, or set "type": "${kind}" for a file of ${kind === 'complaint' ? 'complaints' : 'inquiries'} in the config`;
  }
  if (types.keys().some((type) => ticketTypeClass(type) === kind)) return null;
  const seen = Object.keys(types.toObject('count'));
  const list = seen.slice(0, 5).join(', ') + (seen.length > 5 ? `, … (${seen.length} types)` : '');
  return `no ticket type reads as ${kind === 'complaint' ? 'a complaint' : 'an inquiry'} (types seen: ${list})`;
}

const typeVolume = (kind: TicketClass, label: string, words: string): MetricDefinition => ({
  id: `${kind}_volume`,
  label,
  unit: 'count',
  direction: kind === 'complaint' ? 'lower' : 'neutral',
  domain: 'tickets',
  kinds: ['ticket'],
  needs: 'ticket.type',
  formula: `tickets created in the period whose type reads as ${words}`,
  accepts: (record) => record.kind === 'ticket' && ticketTypeClass(record.type) === kind,
  unavailable: (dataset) => typeVolumeUnavailable(dataset, kind),
  create: () => new TypeVolumeAccumulator(kind),
});

const complaintVolume = typeVolume('complaint', 'Complaints', 'a complaint (complaint, claim, queja, reclamación, reclamo)');
const inquiryVolume = typeVolume('inquiry', 'Inquiries', 'an inquiry (question, inquiry, enquiry, consulta, pregunta, duda; not requests)');

/** The ticket family, in catalogue order. */
export const TICKET_METRICS: readonly MetricDefinition[] = [
  ticketVolume,
  firstResponseTime,
  resolutionTime,
  fcr,
  oneTouchRate,
  repliesPerResolution,
  reopenRate,
  backlog,
  complaintVolume,
  inquiryVolume,
];
