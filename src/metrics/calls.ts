/**
 * Contact-centre call metrics: volume, abandonment rate, service level, average speed of answer
 * and average handle time.
 *
 * Definitions shared by the family:
 * - Outcome: a call is handled when `answered` is true, abandoned when `answered` is false;
 *   without an answered flag, the `abandoned` flag decides (abandoned = false is handled). When a
 *   file carries both flags and they disagree, `answered` wins: it is the direct record of what
 *   happened. A call with neither flag has an unknown outcome and stays out of the rates
 *   (counted in `detail.unknown_outcome`).
 * - Short abandon: an abandoned call whose wait is known and below `shortAbandonSeconds`
 *   (default 5 s). Callers who hang up that fast never gave the centre a chance (misdials,
 *   IVR slips), so the industry leaves them out of both the numerator and the denominator of
 *   the abandonment rate and of the service level. An abandoned call without a wait time is
 *   not short (nothing shows it was).
 * - Calls are placed in a period by `startedAt`.
 * - First-contact resolution of calls is not a metric of its own (`fcr` belongs to the ticket
 *   family): it is `call_volume`'s `detail.fcr`, the share of handled calls flagged resolved with
 *   a Wilson interval. It sits in `call_volume` rather than `aht` because `call_volume` is
 *   computable for every call file, while `aht` needs talk times the FCR flag does not.
 * - Hour-of-day breakdowns are left out: metrics see UTC instants and no time zone, so an
 *   "hour" here would be the UTC hour, not the centre's.
 *
 * Business time (`--time business`, default `businessHours.time`): a contact centre judges its
 * call KPIs over the hours it is open. An ACD sends a call that arrives while the queue is closed
 * to an after-hours message and never queues it, so its own abandonment, service-level and ASA
 * reports count only calls offered while open; a call export often holds the after-hours calls
 * too, and they would otherwise show as abandoned or as very slow answers.
 * - In hours: a call is offered within business hours when its `startedAt` instant falls in
 *   [open, close) of an interval of the schedule in force on its local day (a holiday has none),
 *   the schedule of its `queue` when `businessHours.byGroup` names it (compared without case or
 *   accents), else the default one. DST is the time zone's work: 09:00 is 07:00Z in summer and
 *   08:00Z in winter in Madrid. A call starting at the closing minute (18:00:00) is outside.
 * - With `--time business`, all five metrics are computed over the calls offered in hours:
 *   call_volume counts them, abandonment_rate, service_level, average_speed_of_answer and aht
 *   keep their definitions above over that population. Calls offered outside hours are counted in
 *   `detail.outside_hours`, calls without a start time (they cannot be placed) in
 *   `detail.no_start_time`; neither enters the business figures.
 * - Durations stay on the calendar clock: a call is counted by the instant it was offered, and a
 *   wait that straddles the close (offered 17:59, answered 18:01) is a 2-minute wait, since the
 *   caller waited in real time; talk, hold and wrap-up are work done whenever it was done. So
 *   there is no "business-time ASA": in hours or not decides which calls count, not how long.
 * - `detail.time` names the clock of the value; with a schedule, `detail.calendar` and
 *   `detail.business` give both figures ({value, n, ci95}, and median and p90 for durations),
 *   whichever is the value. Without a schedule the value is calendar (`detail.business` null), even
 *   under `--time business` (the CLI warns).
 * - The schedule rule (`--schedule-rule`) does not apply: a call is judged at one instant.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import type { CallRecord, CxRecord } from '../schema/records.js';
import { isOpenAt, scheduleFor, type Schedule } from './business-hours.js';
import { Tally, countResult, durationSummary, fieldPresent, meanResult, missingKinds, rate, sameAccumulator } from './helpers.js';
import { MeanVar, QuantileSketch, wilson } from './stats/index.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings } from './types.js';

// ---------------------------------------------------------------------------------------
// shared definitions

/** What became of a call (see the module comment). */
export type CallOutcome = 'handled' | 'abandoned' | 'unknown';

/** The outcome of a call: the answered flag first, else the abandoned flag, else unknown. */
export function callOutcome(call: CallRecord): CallOutcome {
  if (call.answered !== undefined) return call.answered ? 'handled' : 'abandoned';
  if (call.abandoned !== undefined) return call.abandoned ? 'abandoned' : 'handled';
  return 'unknown';
}

/** An abandoned call whose known wait is below the threshold (seconds). */
export function isShortAbandon(call: CallRecord, outcome: CallOutcome, shortAbandonSeconds: number): boolean {
  return outcome === 'abandoned' && call.waitSeconds !== undefined && call.waitSeconds < shortAbandonSeconds;
}

const calls = (dataset: Dataset) => dataset.records('call');

/** When a call was offered, against the schedule (of its queue): in hours, outside hours, or unknown (no start time). */
export type CallHours = 'in_hours' | 'outside_hours' | 'no_start_time';

// The engine feeds one record to several buckets of a metric in a row (overall, segment, period),
// and a stream feeds it to every call metric in a row: the last answer is kept so that the
// schedule is consulted once per record, not once per bucket and metric.
let lastCall: CallRecord | null = null;
let lastSchedule: Schedule | null = null;
let lastHours: CallHours = 'no_start_time';

/** Was the call offered within business hours? See the module comment. */
export function callHours(schedule: Schedule, call: CallRecord): CallHours {
  if (call === lastCall && schedule === lastSchedule) return lastHours;
  const hours: CallHours =
    call.startedAt === undefined ? 'no_start_time' : isOpenAt(scheduleFor(schedule, call.queue), call.startedAt) ? 'in_hours' : 'outside_hours';
  lastCall = call;
  lastSchedule = schedule;
  lastHours = hours;
  return hours;
}

/** The headline of a result, for `detail.calendar` / `detail.business`. */
function headline(result: MetricResult): Record<string, unknown> {
  const out: Record<string, unknown> = { value: result.value, n: result.n, ci95: result.ci95 };
  if ('median' in result.detail) {
    out.median = result.detail.median;
    out.p90 = result.detail.p90;
  }
  return out;
}

/**
 * One call metric on both clocks: an accumulator over every call (calendar) and, with a schedule,
 * one over the calls offered in hours (business). The engine sees one accumulator; `--time` picks
 * which result is the value, and both headlines go into detail.
 */
class ClockedCallAccumulator implements Accumulator {
  readonly all: Accumulator;
  readonly inHours: Accumulator | null;
  outsideHours = 0;
  noStartTime = 0;
  private readonly schedule: Schedule | null;

  constructor(
    make: () => Accumulator,
    private readonly settings: MetricSettings,
  ) {
    this.schedule = settings.businessHours ?? null;
    this.all = make();
    this.inHours = this.schedule ? make() : null;
  }

  add(record: CxRecord): void {
    if (record.kind !== 'call') return;
    this.all.add(record);
    if (!this.schedule) return;
    const hours = callHours(this.schedule, record);
    if (hours === 'in_hours') this.inHours!.add(record);
    else if (hours === 'outside_hours') this.outsideHours++;
    else this.noStartTime++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.all.merge(o.all);
    if (this.inHours && o.inHours) this.inHours.merge(o.inHours);
    else if (this.inHours || o.inHours) throw new TypeError('cannot merge call accumulators built with and without a schedule');
    this.outsideHours += o.outsideHours;
    this.noStartTime += o.noStartTime;
  }

  result(): MetricResult {
    const calendar = this.all.result();
    if (!this.inHours) {
      const note = this.settings.time === 'business' ? { note: 'no businessHours schedule in the config: the value is over every call, calendar' } : {};
      return { ...calendar, detail: { ...calendar.detail, time: 'calendar', business: null, ...note } };
    }
    const business = this.inHours.result();
    const useBusiness = this.settings.time === 'business';
    const chosen = useBusiness ? business : calendar;
    return {
      ...chosen,
      detail: {
        ...chosen.detail,
        time: useBusiness ? 'business' : 'calendar',
        calendar: headline(calendar),
        business: headline(business),
        outside_hours: this.outsideHours,
        no_start_time: this.noStartTime,
      },
    };
  }
}

/**
 * The business-time clause every call formula ends with (short: docs/metrics.md cuts a formula at
 * 200 characters; the module comment and the README give the full definition).
 */
const BUSINESS_CLAUSE = '; --time business: calls offered in business hours only';

const NO_OUTCOME = 'calls have no answered or abandoned flag, so abandoned calls cannot be told from handled ones';

function outcomeUnavailable(dataset: Dataset): string | null {
  const missing = missingKinds(dataset, ['call']);
  if (missing) return missing;
  return calls(dataset).some((c) => callOutcome(c) !== 'unknown') ? null : NO_OUTCOME;
}

function waitUnavailable(dataset: Dataset): string | null {
  const reason = outcomeUnavailable(dataset);
  if (reason) return reason;
  if (!fieldPresent(dataset, 'call', 'waitSeconds')) return 'calls have no wait time (speed of answer, queue time)';
  return calls(dataset).some((c) => c.waitSeconds !== undefined && callOutcome(c) === 'handled')
    ? null
    : 'no answered call carries a wait time (speed of answer, queue time)';
}

// ---------------------------------------------------------------------------------------
// call_volume

/** Offered calls by outcome and queue, and the FCR flag of handled calls. */
class CallVolumeAccumulator implements Accumulator {
  offered = 0;
  readonly outcomes = new Tally<CallOutcome>();
  readonly byQueue = new Tally<string>();
  /** Handled calls that carry an FCR flag, and those flagged resolved. */
  fcrJudged = 0;
  fcrResolved = 0;

  add(record: CxRecord): void {
    if (record.kind !== 'call') return;
    this.offered++;
    const outcome = callOutcome(record);
    this.outcomes.add(outcome);
    this.byQueue.add(record.queue ?? 'unknown');
    // Only handled calls can be resolved on first contact; an abandoned call flagged "not
    // resolved" (the PwC file does this) would otherwise drag the share down.
    if (outcome === 'handled' && record.fcr !== undefined) {
      this.fcrJudged++;
      if (record.fcr) this.fcrResolved++;
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.offered += o.offered;
    this.outcomes.merge(o.outcomes);
    this.byQueue.merge(o.byQueue);
    this.fcrJudged += o.fcrJudged;
    this.fcrResolved += o.fcrResolved;
  }

  result(): MetricResult {
    return countResult(this.offered, {
      handled: this.outcomes.get('handled'),
      abandoned: this.outcomes.get('abandoned'),
      unknown_outcome: this.outcomes.get('unknown'),
      by_queue: this.byQueue.toObject('count'),
      fcr:
        this.fcrJudged === 0
          ? null
          : {
              value: this.fcrResolved / this.fcrJudged,
              n: this.fcrJudged,
              ci95: wilson(this.fcrResolved, this.fcrJudged),
              resolved: this.fcrResolved,
              denominator: 'handled calls with a first-contact-resolution flag',
            },
    });
  }
}

const callVolume: MetricDefinition = {
  id: 'call_volume',
  label: 'Call volume',
  unit: 'count',
  direction: 'neutral',
  domain: 'calls',
  kinds: ['call'],
  needs: 'call records',
  formula:
    'offered calls; detail: handled, abandoned, by queue, FCR = resolved / handled calls with a resolution flag (95% CI Wilson)' + BUSINESS_CLAUSE,
  unavailable: (dataset) => missingKinds(dataset, ['call']),
  streaming: true,
  create: (settings) => new ClockedCallAccumulator(() => new CallVolumeAccumulator(), settings),
};

// ---------------------------------------------------------------------------------------
// abandonment_rate

class AbandonmentAccumulator implements Accumulator {
  handled = 0;
  /** Abandoned calls that count (short abandons excluded). */
  abandoned = 0;
  shortAbandons = 0;
  unknown = 0;

  constructor(private readonly shortAbandonSeconds: number) {}

  add(record: CxRecord): void {
    if (record.kind !== 'call') return;
    const outcome = callOutcome(record);
    if (outcome === 'unknown') this.unknown++;
    else if (outcome === 'handled') this.handled++;
    else if (isShortAbandon(record, outcome, this.shortAbandonSeconds)) this.shortAbandons++;
    else this.abandoned++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.handled += o.handled;
    this.abandoned += o.abandoned;
    this.shortAbandons += o.shortAbandons;
    this.unknown += o.unknown;
  }

  result(): MetricResult {
    return rate(this.abandoned, this.handled + this.abandoned, {
      offered: this.handled + this.abandoned + this.shortAbandons + this.unknown,
      handled: this.handled,
      abandoned: this.abandoned,
      short_abandons: this.shortAbandons,
      short_abandon_seconds: this.shortAbandonSeconds,
      unknown_outcome: this.unknown,
      denominator: 'offered calls with a known outcome, minus short abandons',
    });
  }
}

const abandonmentRate: MetricDefinition = {
  id: 'abandonment_rate',
  label: 'Abandonment rate',
  unit: 'share',
  direction: 'lower',
  domain: 'calls',
  kinds: ['call'],
  needs: 'call.answered or call.abandoned (call.waitSeconds for short abandons)',
  formula:
    '(offered − handled) / offered, short abandons (wait under shortAbandonSeconds, default 5 s) left out of both; 95% CI Wilson' + BUSINESS_CLAUSE,
  unavailable: outcomeUnavailable,
  streaming: true,
  create: (settings) => new ClockedCallAccumulator(() => new AbandonmentAccumulator(settings.shortAbandonSeconds), settings),
};

// ---------------------------------------------------------------------------------------
// service_level

class ServiceLevelAccumulator implements Accumulator {
  /** Handled calls answered within the threshold. */
  within = 0;
  /** Handled calls with a known wait (within the threshold or not). */
  answeredWithWait = 0;
  /** Handled calls without a wait: they cannot be judged, so they stay out. */
  answeredWithoutWait = 0;
  /** Abandoned calls that count against the service level (short abandons excluded). */
  abandoned = 0;
  shortAbandons = 0;
  unknown = 0;

  constructor(
    private readonly thresholdSeconds: number,
    private readonly shortAbandonSeconds: number,
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'call') return;
    const outcome = callOutcome(record);
    if (outcome === 'unknown') this.unknown++;
    else if (outcome === 'abandoned') {
      if (isShortAbandon(record, outcome, this.shortAbandonSeconds)) this.shortAbandons++;
      else this.abandoned++;
    } else if (record.waitSeconds === undefined) this.answeredWithoutWait++;
    else {
      this.answeredWithWait++;
      if (record.waitSeconds <= this.thresholdSeconds) this.within++;
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.within += o.within;
    this.answeredWithWait += o.answeredWithWait;
    this.answeredWithoutWait += o.answeredWithoutWait;
    this.abandoned += o.abandoned;
    this.shortAbandons += o.shortAbandons;
    this.unknown += o.unknown;
  }

  result(): MetricResult {
    return rate(this.within, this.answeredWithWait + this.abandoned, {
      answered_within: this.within,
      threshold_seconds: this.thresholdSeconds,
      answered: this.answeredWithWait,
      abandoned: this.abandoned,
      short_abandons: this.shortAbandons,
      answered_without_wait: this.answeredWithoutWait,
      unknown_outcome: this.unknown,
      denominator: 'offered calls minus short abandons (answered with a known wait + abandoned); abandoned calls count as missed',
    });
  }
}

const serviceLevel: MetricDefinition = {
  id: 'service_level',
  label: 'Service level',
  unit: 'share',
  direction: 'higher',
  domain: 'calls',
  kinds: ['call'],
  needs: 'call.answered or call.abandoned, call.waitSeconds',
  formula:
    'answered within serviceLevelSeconds (default 20 s, wait ≤ it) / (offered − short abandons); abandons count as missed; 95% CI Wilson' + BUSINESS_CLAUSE,
  unavailable: waitUnavailable,
  create: (settings) => new ClockedCallAccumulator(() => new ServiceLevelAccumulator(settings.serviceLevelSeconds, settings.shortAbandonSeconds), settings),
};

// ---------------------------------------------------------------------------------------
// average_speed_of_answer

class SpeedOfAnswerAccumulator implements Accumulator {
  readonly waits = new MeanVar();
  readonly sketch = new QuantileSketch();
  answeredWithoutWait = 0;

  add(record: CxRecord): void {
    if (record.kind !== 'call' || callOutcome(record) !== 'handled') return;
    if (record.waitSeconds === undefined) {
      this.answeredWithoutWait++;
      return;
    }
    this.waits.add(record.waitSeconds);
    this.sketch.add(record.waitSeconds);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.waits.merge(o.waits);
    this.sketch.merge(o.sketch);
    this.answeredWithoutWait += o.answeredWithoutWait;
  }

  result(): MetricResult {
    const { median, p90, min, max } = durationSummary(this.sketch);
    return meanResult(this.waits, { median, p90, min, max, answered_without_wait: this.answeredWithoutWait });
  }
}

const averageSpeedOfAnswer: MetricDefinition = {
  id: 'average_speed_of_answer',
  label: 'Average speed of answer',
  unit: 'seconds',
  direction: 'lower',
  domain: 'calls',
  kinds: ['call'],
  needs: 'call.answered or call.abandoned, call.waitSeconds',
  // ASA is by definition an average, so unlike the other durations the value is the mean.
  formula: 'mean wait of answered calls (value = mean: ASA is an average by definition); detail median, p90; 95% CI t' + BUSINESS_CLAUSE,
  unavailable: waitUnavailable,
  create: (settings) => new ClockedCallAccumulator(() => new SpeedOfAnswerAccumulator(), settings),
};

// ---------------------------------------------------------------------------------------
// aht

/**
 * Does the call count for handle time? Handled calls (by flag) with a talk time; and, when the
 * file has no outcome flags on a call, a talk time above 0 shows a conversation took place. An
 * abandoned call never counts, even with a talk time (the PwC file records 0 for them).
 */
function handleTimeEligible(call: CallRecord): boolean | 'no_talk' {
  const outcome = callOutcome(call);
  if (outcome === 'abandoned') return false;
  if (outcome === 'handled') return call.talkSeconds === undefined ? 'no_talk' : true;
  return call.talkSeconds !== undefined && call.talkSeconds > 0;
}

class HandleTimeAccumulator implements Accumulator {
  readonly handle = new MeanVar();
  readonly sketch = new QuantileSketch();
  // Component means over the same calls, a missing component read as 0, so they add up to AHT.
  readonly talk = new MeanVar();
  readonly hold = new MeanVar();
  readonly wrap = new MeanVar();
  readonly conference = new MeanVar();
  /** Calls that recorded each optional component. */
  readonly recorded = new Tally<'hold' | 'wrap' | 'conference'>();
  handledWithoutTalk = 0;

  add(record: CxRecord): void {
    if (record.kind !== 'call') return;
    const eligible = handleTimeEligible(record);
    if (eligible === 'no_talk') this.handledWithoutTalk++;
    if (eligible !== true) return;
    const talk = record.talkSeconds!;
    const hold = record.holdSeconds ?? 0;
    const wrap = record.wrapSeconds ?? 0;
    // A conference is the agent still talking with the customer (and a colleague): talk time.
    const conference = record.conferenceSeconds ?? 0;
    const total = talk + hold + wrap + conference;
    this.handle.add(total);
    this.sketch.add(total);
    this.talk.add(talk);
    this.hold.add(hold);
    this.wrap.add(wrap);
    this.conference.add(conference);
    if (record.holdSeconds !== undefined) this.recorded.add('hold');
    if (record.wrapSeconds !== undefined) this.recorded.add('wrap');
    if (record.conferenceSeconds !== undefined) this.recorded.add('conference');
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.handle.merge(o.handle);
    this.sketch.merge(o.sketch);
    this.talk.merge(o.talk);
    this.hold.merge(o.hold);
    this.wrap.merge(o.wrap);
    this.conference.merge(o.conference);
    this.recorded.merge(o.recorded);
    this.handledWithoutTalk += o.handledWithoutTalk;
  }

  result(): MetricResult {
    const mean = (acc: MeanVar) => (acc.count === 0 ? null : acc.mean);
    const { median, p90, min, max } = durationSummary(this.sketch);
    return meanResult(this.handle, {
      talk: mean(this.talk),
      hold: mean(this.hold),
      wrap: mean(this.wrap),
      conference: mean(this.conference),
      median,
      p90,
      min,
      max,
      calls_with_hold: this.recorded.get('hold'),
      calls_with_wrap: this.recorded.get('wrap'),
      calls_with_conference: this.recorded.get('conference'),
      handled_without_talk: this.handledWithoutTalk,
    });
  }
}

const aht: MetricDefinition = {
  id: 'aht',
  label: 'Average handle time',
  unit: 'seconds',
  direction: 'lower',
  domain: 'calls',
  kinds: ['call'],
  needs: 'call.talkSeconds (hold, wrap-up, conference when present)',
  // AHT is an average by definition (it sizes staffing: calls × AHT = workload), so value = mean.
  formula:
    'mean of talk + conference + hold + wrap-up (a missing part is 0) over handled calls with a talk time; detail: part means, median, p90; 95% CI t' + BUSINESS_CLAUSE,
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['call']);
    if (missing) return missing;
    if (!fieldPresent(dataset, 'call', 'talkSeconds')) return 'calls have no talk time (talk duration)';
    return calls(dataset).some((c) => handleTimeEligible(c) === true)
      ? null
      : 'no handled call carries a talk time (abandoned calls do not count)';
  },
  create: (settings) => new ClockedCallAccumulator(() => new HandleTimeAccumulator(), settings),
};

/** The call family, in catalogue order. */
export const CALL_METRICS: readonly MetricDefinition[] = [callVolume, abandonmentRate, serviceLevel, averageSpeedOfAnswer, aht];
