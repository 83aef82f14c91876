/**
 * Journey metrics: what staff say about the processes they work with, how long a deal takes to
 * turn into revenue, how installations go, how often new customers need help early on, and how
 * often a customer has to come back through another channel about the same thing.
 *
 * Definitions shared by the family:
 * - Frustrating: an employee-feedback rating at or above `frustrationFrom` (default: the top two
 *   points of a 5-point scale, 4-5 on 1-5; the top 20% of other scales, rounded up).
 * - Won and lost deals: see {@link dealOutcome}. Deal metrics place a deal in the period it
 *   closed in ("revenue closed this month"); a deal without a close date is in the totals only.
 * - Contacts are tickets (created at, channel, category) and calls (started at, channel, else
 *   `phone`; category, else queue) that carry a customer id. Categories are compared as topics:
 *   folded (case, accents, punctuation) and with a few English/Spanish synonyms made one (see
 *   {@link contactTopic}), so an email about `billing` and a call to the `Facturación` queue are
 *   about the same thing. Any other category must match as written; a config value map
 *   (`"values": {"queue": {"Ventas": "sales"}}`) aligns the rest.
 * - New customers (early_life_contact_rate) start at their first onboarding's start, else at the
 *   customer's `since`; each customer counts once.
 * - Cohorts (time_to_first_value) are calendar months of the onboarding start in the config's
 *   time zone (`timezone`), else UTC; `detail.cohort_zone` says which.
 *
 * The lookups across records (contacts per customer, the first onboarding of each customer) are
 * built once per dataset, lazily, the first time an accumulator needs them.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import type { Scale } from '../schema/kinds.js';
import type { CallRecord, CxRecord, DealRecord, OnboardingRecord, TicketRecord } from '../schema/records.js';
import { epochToLocalParts } from '../schema/timezone.js';
import { Tally, countResult, durationResult, fieldPresent, fold, meanResult, missingKinds, rate, sameAccumulator, secondsBetween } from './helpers.js';
import { MeanVar, QuantileSketch, wilson } from './stats/index.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings } from './types.js';

const DAY_MS = 86_400_000;

/** The documented defaults of the journey settings (`journey` in the config). */
export const JOURNEY_DEFAULTS = {
  /** early_life_contact_rate: contacts within this many days of the start count. */
  earlyLifeDays: 30,
  /** repeat_contact_rate: a contact again within this many days is a repeat. */
  repeatContactDays: 7,
} as const;

/**
 * Ratings at or above this are frustrating when the config does not say: the top two points of
 * a 5-point scale (4 and 5 on 1-5), else the top 20% of the range, rounded up (9-10 on 1-10).
 */
export function defaultFrustrationFrom(scale: Scale): number {
  const span = scale.max - scale.min;
  return span === 4 ? scale.max - 1 : Math.ceil(scale.max - span * 0.2);
}

const frustrationFrom = (settings: MetricSettings) => settings.frustrationFrom ?? defaultFrustrationFrom(settings.scales.frustration);
const earlyLifeMs = (settings: MetricSettings) => (settings.earlyLifeDays ?? JOURNEY_DEFAULTS.earlyLifeDays) * DAY_MS;
const repeatMs = (settings: MetricSettings) => (settings.repeatContactDays ?? JOURNEY_DEFAULTS.repeatContactDays) * DAY_MS;

/** Plain object of a map, keys in code-unit order (byte-identical output whatever the merge order). */
function sortedObject<V, R>(map: ReadonlyMap<string, V>, view: (value: V) => R): Record<string, R> {
  const out: Record<string, R> = {};
  for (const key of [...map.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = view(map.get(key)!);
  return out;
}

/** Merges per-key accumulators of `from` into `into`, creating the missing ones with `make`. */
function mergeKeyed<V>(into: Map<string, V>, from: ReadonlyMap<string, V>, make: () => V, merge: (a: V, b: V) => void): void {
  for (const [key, value] of from) {
    let mine = into.get(key);
    if (!mine) into.set(key, (mine = make()));
    merge(mine, value);
  }
}

// ---------------------------------------------------------------------------------------
// employee_feedback_volume

class FeedbackVolumeAccumulator implements Accumulator {
  answers = 0;
  withRating = 0;
  withText = 0;
  readonly byArea = new Tally<string>();
  readonly byTeam = new Tally<string>();

  add(record: CxRecord): void {
    if (record.kind !== 'employee_feedback') return;
    this.answers++;
    if (record.rating !== undefined) this.withRating++;
    if (record.text !== undefined && record.text.trim() !== '') this.withText++;
    this.byArea.add(record.area ?? 'unknown');
    // Team is optional (anonymous pulses have none): counted only where known.
    if (record.team !== undefined) this.byTeam.add(record.team);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.answers += o.answers;
    this.withRating += o.withRating;
    this.withText += o.withText;
    this.byArea.merge(o.byArea);
    this.byTeam.merge(o.byTeam);
  }

  result(): MetricResult {
    return countResult(this.answers, {
      with_rating: this.withRating,
      with_text: this.withText,
      by_area: this.byArea.toObject('count'),
      by_team: this.byTeam.toObject('count'),
    });
  }
}

const employeeFeedbackVolume: MetricDefinition = {
  id: 'employee_feedback_volume',
  label: 'Employee feedback volume',
  unit: 'count',
  direction: 'neutral',
  domain: 'journey',
  kinds: ['employee_feedback'],
  needs: 'employee feedback records',
  formula: 'employee feedback answers in the period; detail by area and by team, with a rating, with text',
  unavailable: (dataset) => missingKinds(dataset, ['employee_feedback']),
  streaming: true,
  create: () => new FeedbackVolumeAccumulator(),
};

// ---------------------------------------------------------------------------------------
// employee_frustration

class AreaFrustration {
  readonly ratings = new MeanVar();
  frustrating = 0;

  add(rating: number, frustrating: boolean): void {
    this.ratings.add(rating);
    if (frustrating) this.frustrating++;
  }

  merge(other: AreaFrustration): void {
    this.ratings.merge(other.ratings);
    this.frustrating += other.frustrating;
  }
}

/** Mean rating (t interval) and the share of frustrating answers (Wilson), overall and by area. */
class FrustrationAccumulator implements Accumulator {
  readonly all = new AreaFrustration();
  readonly byArea = new Map<string, AreaFrustration>();
  withoutRating = 0;

  constructor(
    private readonly from: number,
    private readonly scale: Scale,
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'employee_feedback') return;
    if (record.rating === undefined) {
      this.withoutRating++;
      return;
    }
    const frustrating = record.rating >= this.from;
    this.all.add(record.rating, frustrating);
    const area = record.area ?? 'unknown';
    let acc = this.byArea.get(area);
    if (!acc) this.byArea.set(area, (acc = new AreaFrustration()));
    acc.add(record.rating, frustrating);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.all.merge(o.all);
    mergeKeyed(this.byArea, o.byArea, () => new AreaFrustration(), (a, b) => a.merge(b));
    this.withoutRating += o.withoutRating;
  }

  result(): MetricResult {
    const n = this.all.ratings.count;
    return meanResult(this.all.ratings, {
      frustrating_share: { value: n === 0 ? null : this.all.frustrating / n, ci95: wilson(this.all.frustrating, n), frustrating: this.all.frustrating, n },
      frustrating_from: this.from,
      scale: { min: this.scale.min, max: this.scale.max },
      by_area: sortedObject(this.byArea, (a) => ({
        n: a.ratings.count,
        mean: a.ratings.mean,
        frustrating: a.frustrating,
        frustrating_share: a.frustrating / a.ratings.count,
      })),
      without_rating: this.withoutRating,
    });
  }
}

const employeeFrustration: MetricDefinition = {
  id: 'employee_frustration',
  label: 'Employee frustration',
  unit: 'score',
  direction: 'lower',
  domain: 'journey',
  kinds: ['employee_feedback'],
  needs: 'employee_feedback.rating',
  formula:
    'mean frustration rating (scales.frustration, higher = more frustrating); 95% CI t; detail: share of ratings at or above frustrationFrom (Wilson), by area',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['employee_feedback']);
    if (missing) return missing;
    return fieldPresent(dataset, 'employee_feedback', 'rating')
      ? null
      : 'employee feedback has no frustration rating (frustration, blocker rating, nivel de frustración), only text';
  },
  streaming: true,
  create: (settings) => new FrustrationAccumulator(frustrationFrom(settings), settings.scales.frustration),
};

// ---------------------------------------------------------------------------------------
// deals: time_to_revenue, win_rate

const WON_WORDS = new Set(['won', 'closedwon', 'ganada', 'ganado', 'ganadas', 'ganados']);
const LOST_WORDS = new Set(['lost', 'closedlost', 'perdida', 'perdido', 'perdidas', 'perdidos']);

/**
 * Whether a deal was won or lost; undefined while open or unknown. Won: the `won` flag is true,
 * or the stage reads as won (won, closed won, ganada/ganado; accents and case ignored). Lost: the
 * stage reads as lost (lost, closed lost, perdida/perdido), or the flag is false on a deal with a
 * close date. A flag false without a close date may be an open deal, so it decides nothing.
 */
export function dealOutcome(deal: DealRecord): 'won' | 'lost' | undefined {
  if (deal.won === true) return 'won';
  if (deal.stage !== undefined) {
    const words = fold(deal.stage).split(' ');
    if (words.some((w) => LOST_WORDS.has(w))) return 'lost';
    if (words.some((w) => WON_WORDS.has(w))) return 'won';
  }
  if (deal.won === false && deal.closedAt !== undefined) return 'lost';
  return undefined;
}

/** Deals are placed by their close date: revenue and outcomes happen when a deal closes. */
const closedAtOf = (record: CxRecord): number | undefined => (record.kind === 'deal' ? record.closedAt : undefined);

const anyOutcome = (dataset: Dataset) => dataset.records('deal').some((d) => dealOutcome(d) !== undefined);
const NO_OUTCOME = 'deals carry no won flag or stage that reads as won or lost (won, closed won, ganada; lost, closed lost, perdida)';

/** Created -> closed of won deals, in seconds. */
class TimeToRevenueAccumulator implements Accumulator {
  readonly seconds = new QuantileSketch();
  won = 0;
  revenue = 0;
  withoutAmount = 0;
  withoutDates = 0;
  negativeExcluded = 0;

  add(record: CxRecord): void {
    if (record.kind !== 'deal' || dealOutcome(record) !== 'won') return;
    this.won++;
    if (record.amount === undefined) this.withoutAmount++;
    else this.revenue += record.amount;
    const seconds = secondsBetween(record.createdAt, record.closedAt);
    if (seconds === undefined) this.withoutDates++;
    else if (seconds < 0) this.negativeExcluded++;
    else this.seconds.add(seconds);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.seconds.merge(o.seconds);
    this.won += o.won;
    this.revenue += o.revenue;
    this.withoutAmount += o.withoutAmount;
    this.withoutDates += o.withoutDates;
    this.negativeExcluded += o.negativeExcluded;
  }

  result(): MetricResult {
    return durationResult(this.seconds, {
      won: this.won,
      revenue_won: this.won > this.withoutAmount ? this.revenue : null,
      without_amount: this.withoutAmount,
      without_dates: this.withoutDates,
      negative_excluded: this.negativeExcluded,
    });
  }
}

const timeToRevenue: MetricDefinition = {
  id: 'time_to_revenue',
  label: 'Time to revenue',
  unit: 'seconds',
  direction: 'lower',
  domain: 'journey',
  kinds: ['deal'],
  needs: 'deal.createdAt, deal.closedAt, deal.won or deal.stage',
  formula: 'median of closed − created over won deals (placed by close date); detail mean, p90, revenue won; 95% CI of the median (order statistics)',
  timeOf: closedAtOf,
  accepts: (record) => record.kind === 'deal' && dealOutcome(record) === 'won',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['deal']);
    if (missing) return missing;
    if (!anyOutcome(dataset)) return NO_OUTCOME;
    const won = dataset.records('deal').filter((d) => dealOutcome(d) === 'won');
    if (won.length === 0) return 'no deal was won, so no time to revenue';
    return won.some((d) => d.createdAt !== undefined && d.closedAt !== undefined)
      ? null
      : 'won deals lack a created or closed date (created at, close date), so the time to revenue is unknown';
  },
  create: () => new TimeToRevenueAccumulator(),
};

class WinRateAccumulator implements Accumulator {
  won = 0;
  lost = 0;
  amountWon = 0;
  amountLost = 0;

  add(record: CxRecord): void {
    if (record.kind !== 'deal') return;
    const outcome = dealOutcome(record);
    if (outcome === 'won') {
      this.won++;
      this.amountWon += record.amount ?? 0;
    } else if (outcome === 'lost') {
      this.lost++;
      this.amountLost += record.amount ?? 0;
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.won += o.won;
    this.lost += o.lost;
    this.amountWon += o.amountWon;
    this.amountLost += o.amountLost;
  }

  result(): MetricResult {
    return rate(this.won, this.won + this.lost, { won: this.won, lost: this.lost, amount_won: this.amountWon, amount_lost: this.amountLost });
  }
}

const winRate: MetricDefinition = {
  id: 'win_rate',
  label: 'Win rate',
  unit: 'share',
  direction: 'higher',
  domain: 'journey',
  kinds: ['deal'],
  needs: 'deal.won or deal.stage',
  formula: 'won deals / closed (won + lost) deals, placed by close date; open deals left out; 95% CI Wilson',
  timeOf: closedAtOf,
  accepts: (record) => record.kind === 'deal' && dealOutcome(record) !== undefined,
  unavailable(dataset) {
    return missingKinds(dataset, ['deal']) ?? (anyOutcome(dataset) ? null : NO_OUTCOME);
  },
  create: () => new WinRateAccumulator(),
};

// ---------------------------------------------------------------------------------------
// installation_success_rate

class InstallationSuccessAccumulator implements Accumulator {
  succeeded = 0;
  failed = 0;
  unknown = 0;
  firstAttemptSuccesses = 0;
  readonly attempts = new MeanVar();

  add(record: CxRecord): void {
    if (record.kind !== 'onboarding') return;
    if (record.attempts !== undefined) this.attempts.add(record.attempts);
    // Without the flag a blank first-value date may be a failure or one still in progress.
    if (record.success === undefined) this.unknown++;
    else if (record.success) {
      this.succeeded++;
      if (record.attempts === 1) this.firstAttemptSuccesses++;
    } else this.failed++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.succeeded += o.succeeded;
    this.failed += o.failed;
    this.unknown += o.unknown;
    this.firstAttemptSuccesses += o.firstAttemptSuccesses;
    this.attempts.merge(o.attempts);
  }

  result(): MetricResult {
    return rate(this.succeeded, this.succeeded + this.failed, {
      succeeded: this.succeeded,
      failed: this.failed,
      unknown_outcome: this.unknown,
      first_attempt_successes: this.firstAttemptSuccesses,
      mean_attempts: this.attempts.count === 0 ? null : this.attempts.mean,
    });
  }
}

const installationSuccessRate: MetricDefinition = {
  id: 'installation_success_rate',
  label: 'Installation success rate',
  unit: 'share',
  direction: 'higher',
  domain: 'journey',
  kinds: ['onboarding'],
  needs: 'onboarding.success',
  formula: 'successful / onboardings with a success flag, placed by start date; detail first-attempt successes, mean attempts; 95% CI Wilson',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['onboarding']);
    if (missing) return missing;
    return fieldPresent(dataset, 'onboarding', 'success') ? null : 'onboarding records have no success flag (success, installed, éxito)';
  },
  streaming: true,
  create: () => new InstallationSuccessAccumulator(),
};

// ---------------------------------------------------------------------------------------
// time_to_first_value

/** Calendar month of an instant in a zone: "2025-03". */
function monthKey(ms: number, zone: string): string {
  const { year, month } = epochToLocalParts(ms, zone);
  return `${year}-${String(month).padStart(2, '0')}`;
}

class FirstValueAccumulator implements Accumulator {
  readonly seconds = new QuantileSketch();
  readonly byCohort = new Map<string, QuantileSketch>();
  failed = 0;
  withoutFirstValue = 0;
  withoutStart = 0;
  negativeExcluded = 0;

  constructor(private readonly zone: string) {}

  add(record: CxRecord): void {
    if (record.kind !== 'onboarding') return;
    // A failed installation's completion date is the day it was given up, not first value.
    if (record.success === false) {
      this.failed++;
      return;
    }
    if (record.startedAt === undefined) {
      this.withoutStart++;
      return;
    }
    if (record.firstValueAt === undefined) {
      this.withoutFirstValue++;
      return;
    }
    const seconds = (record.firstValueAt - record.startedAt) / 1000;
    if (seconds < 0) {
      this.negativeExcluded++;
      return;
    }
    this.seconds.add(seconds);
    const key = monthKey(record.startedAt, this.zone);
    let cohort = this.byCohort.get(key);
    if (!cohort) this.byCohort.set(key, (cohort = new QuantileSketch()));
    cohort.add(seconds);
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.seconds.merge(o.seconds);
    mergeKeyed(this.byCohort, o.byCohort, () => new QuantileSketch(), (a, b) => a.merge(b));
    this.failed += o.failed;
    this.withoutFirstValue += o.withoutFirstValue;
    this.withoutStart += o.withoutStart;
    this.negativeExcluded += o.negativeExcluded;
  }

  result(): MetricResult {
    return durationResult(this.seconds, {
      by_cohort: sortedObject(this.byCohort, (s) => ({ median: s.quantile(0.5), n: s.count })),
      cohort_zone: this.zone,
      failed: this.failed,
      without_first_value: this.withoutFirstValue,
      without_start: this.withoutStart,
      negative_excluded: this.negativeExcluded,
    });
  }
}

const timeToFirstValue: MetricDefinition = {
  id: 'time_to_first_value',
  label: 'Time to first value',
  unit: 'seconds',
  direction: 'lower',
  domain: 'journey',
  kinds: ['onboarding'],
  needs: 'onboarding.startedAt, onboarding.firstValueAt',
  formula:
    'median of first value (installed, activated) − start over onboardings not failed, placed by start date; detail mean, p90, median by start month (cohort); 95% CI of the median (order statistics)',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['onboarding']);
    if (missing) return missing;
    return dataset.records('onboarding').some((o) => o.startedAt !== undefined && o.firstValueAt !== undefined && o.success !== false)
      ? null
      : 'no onboarding has both a start and a first-value date (started at, installed at / activated at)';
  },
  create: (settings) => new FirstValueAccumulator(settings.timezone ?? 'UTC'),
};

// ---------------------------------------------------------------------------------------
// contacts: the index behind early_life_contact_rate and repeat_contact_rate

/** Category words that name one topic in English and Spanish (folded). Data, not logic. */
const TOPIC_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  delivery: ['delivery', 'deliveries', 'shipping', 'shipment', 'order', 'orders', 'wismo', 'pedido', 'pedidos', 'entrega', 'entregas', 'envio', 'envios', 'reparto'],
  returns: ['return', 'returns', 'refund', 'refunds', 'devolucion', 'devoluciones', 'reembolso', 'reembolsos'],
  billing: ['billing', 'invoice', 'invoices', 'invoicing', 'payment', 'payments', 'facturacion', 'factura', 'facturas', 'cobro', 'cobros', 'pago', 'pagos'],
  installation: ['installation', 'installations', 'install', 'setup', 'instalacion', 'instalaciones'],
  account: ['account', 'accounts', 'my account', 'cuenta', 'cuentas', 'mi cuenta'],
};

const TOPIC_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(TOPIC_SYNONYMS).flatMap(([topic, words]) => words.map((w) => [fold(w), topic] as const)),
);

/**
 * The topic a contact category stands for: the folded category, with the synonyms of
 * `TOPIC_SYNONYMS` made one ("Facturación" and "billing" -> "billing"); undefined when blank.
 */
export function contactTopic(category: string | undefined): string | undefined {
  if (category === undefined) return undefined;
  const folded = fold(category);
  if (folded === '') return undefined;
  return TOPIC_OF.get(folded) ?? folded;
}

interface Contact {
  at: number;
  kind: 'ticket' | 'call';
  channel: string | undefined;
  topic: string | undefined;
}

/** A ticket or call as a contact (its instant may be unknown). */
function contactOf(record: TicketRecord | CallRecord): Omit<Contact, 'at'> & { at: number | undefined } {
  if (record.kind === 'ticket') {
    return { at: record.createdAt, kind: 'ticket', channel: record.channel === undefined ? undefined : fold(record.channel) || undefined, topic: contactTopic(record.category) };
  }
  return { at: record.startedAt, kind: 'call', channel: fold(record.channel ?? 'phone') || 'phone', topic: contactTopic(record.category ?? record.queue) };
}

interface ContactIndex {
  /** Dated contacts of each customer, by instant. */
  byCustomer: ReadonlyMap<string, readonly Contact[]>;
  /** The latest instant of any dated ticket or call: contacts after it cannot be seen. */
  observedUntil: number | null;
}

const contactCache = new WeakMap<Dataset, ContactIndex>();

function contactIndex(dataset: Dataset): ContactIndex {
  let index = contactCache.get(dataset);
  if (index) return index;
  const byCustomer = new Map<string, Contact[]>();
  let observedUntil: number | null = null;
  for (const record of [...dataset.records('ticket'), ...dataset.records('call')]) {
    const contact = contactOf(record);
    if (contact.at === undefined) continue;
    if (observedUntil === null || contact.at > observedUntil) observedUntil = contact.at;
    if (record.customerId === undefined) continue;
    let list = byCustomer.get(record.customerId);
    if (!list) byCustomer.set(record.customerId, (list = []));
    list.push(contact as Contact);
  }
  for (const list of byCustomer.values()) list.sort((a, b) => a.at - b.at);
  index = { byCustomer, observedUntil };
  contactCache.set(dataset, index);
  return index;
}

/** First index of `list` whose instant is >= `t` (`strict`: > `t`). */
function firstAtOrAfter(list: readonly Contact[], t: number, strict: boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = list[mid]!.at;
    if (at < t || (strict && at === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const contactUnavailable = (dataset: Dataset): string | null => {
  const missing = missingKinds(dataset, ['ticket', 'call']);
  if (missing) return `${missing}, so contacts cannot be seen`;
  const linked = [...dataset.records('ticket'), ...dataset.records('call')].some((r) => r.customerId !== undefined);
  return linked ? null : 'tickets and calls carry no customer id (customer id, requester, cliente), so contacts cannot be joined to customers';
};

// ---------------------------------------------------------------------------------------
// early_life_contact_rate

/** Each customer's first onboarding (earliest start; the first listed on a tie). */
const onboardingCache = new WeakMap<Dataset, ReadonlyMap<string, OnboardingRecord>>();

function firstOnboardings(dataset: Dataset): ReadonlyMap<string, OnboardingRecord> {
  let first = onboardingCache.get(dataset);
  if (first) return first;
  const map = new Map<string, OnboardingRecord>();
  for (const o of dataset.records('onboarding')) {
    if (o.customerId === undefined || o.startedAt === undefined) continue;
    const held = map.get(o.customerId);
    if (!held || o.startedAt < held.startedAt!) map.set(o.customerId, o);
  }
  first = map;
  onboardingCache.set(dataset, first);
  return first;
}

/**
 * New customers (fed as onboarding and customer records, each placed by its start) and those of
 * them with a ticket or call in [start, start + window). A customer whose window reaches past the
 * last contact in the inputs is left out (`incomplete_window`): its later contacts cannot be seen.
 */
class EarlyLifeAccumulator implements Accumulator {
  customers = 0;
  contacted = 0;
  byTicket = 0;
  byCall = 0;
  readonly bySource = new Tally<string>();
  incompleteWindow = 0;
  withoutCustomerId = 0;
  withoutStart = 0;
  laterOnboardings = 0;

  constructor(
    private readonly windowMs: number,
    private readonly contacts: ContactIndex,
    private readonly onboardings: ReadonlyMap<string, OnboardingRecord>,
  ) {}

  add(record: CxRecord): void {
    let customerId: string | undefined;
    let start: number | undefined;
    let source: string;
    if (record.kind === 'onboarding') {
      customerId = record.customerId;
      start = record.startedAt;
      source = 'onboarding start';
      if (customerId !== undefined && start !== undefined && this.onboardings.get(customerId) !== record) {
        this.laterOnboardings++;
        return;
      }
    } else if (record.kind === 'customer') {
      customerId = record.id ?? record.customerId;
      // Counted through its first onboarding.
      if (customerId !== undefined && this.onboardings.has(customerId)) return;
      start = record.since;
      source = 'customer since';
    } else return;
    if (customerId === undefined) {
      this.withoutCustomerId++;
      return;
    }
    if (start === undefined) {
      this.withoutStart++;
      return;
    }
    if (this.contacts.observedUntil === null || start + this.windowMs > this.contacts.observedUntil) {
      this.incompleteWindow++;
      return;
    }
    this.customers++;
    this.bySource.add(source);
    const list = this.contacts.byCustomer.get(customerId) ?? [];
    let ticket = false;
    let call = false;
    for (let i = firstAtOrAfter(list, start, false); i < list.length && list[i]!.at < start + this.windowMs; i++) {
      if (list[i]!.kind === 'ticket') ticket = true;
      else call = true;
    }
    if (ticket || call) this.contacted++;
    if (ticket) this.byTicket++;
    if (call) this.byCall++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.customers += o.customers;
    this.contacted += o.contacted;
    this.byTicket += o.byTicket;
    this.byCall += o.byCall;
    this.bySource.merge(o.bySource);
    this.incompleteWindow += o.incompleteWindow;
    this.withoutCustomerId += o.withoutCustomerId;
    this.withoutStart += o.withoutStart;
    this.laterOnboardings += o.laterOnboardings;
  }

  result(): MetricResult {
    return rate(this.contacted, this.customers, {
      contacted: this.contacted,
      new_customers: this.customers,
      contacted_by_ticket: this.byTicket,
      contacted_by_call: this.byCall,
      window_days: this.windowMs / DAY_MS,
      by_start: this.bySource.toObject('key'),
      incomplete_window: this.incompleteWindow,
      without_customer_id: this.withoutCustomerId,
      without_start: this.withoutStart,
      later_onboardings: this.laterOnboardings,
    });
  }
}

const earlyLifeContactRate: MetricDefinition = {
  id: 'early_life_contact_rate',
  label: 'Early-life contact rate',
  unit: 'share',
  direction: 'lower',
  domain: 'journey',
  kinds: ['onboarding', 'customer'],
  needs: 'onboarding.startedAt or customer.since; ticket or call customerId',
  formula:
    'new customers (first onboarding start, else customer since; placed by it) with a ticket or call in their first earlyLifeDays (default 30) days / new customers whose window the inputs cover; 95% CI Wilson',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['onboarding', 'customer']);
    if (missing) return missing;
    if (!fieldPresent(dataset, 'onboarding', 'startedAt') && !fieldPresent(dataset, 'customer', 'since')) {
      return 'neither onboarding starts (started at) nor customer since dates (signup date), so new customers cannot be told';
    }
    return contactUnavailable(dataset);
  },
  // Onboardings or customers alone have no ticket or call to count (contactUnavailable).
  unavailableAlone: ['onboarding', 'customer'],
  create: (settings, links) => new EarlyLifeAccumulator(earlyLifeMs(settings), contactIndex(links.dataset), firstOnboardings(links.dataset)),
};

// ---------------------------------------------------------------------------------------
// repeat_contact_rate

/**
 * Contacts (tickets and calls with a customer id, an instant, a channel and a category) and those
 * followed by a contact of the same customer about the same topic through another channel within
 * the window (after it, at most `repeatContactDays` later). The pair counted is this contact's
 * channel and the first such repeat's. The follow-up may lie in a later period or segment: it is
 * the same customer.
 */
class RepeatContactAccumulator implements Accumulator {
  contacts = 0;
  repeated = 0;
  readonly pairs = new Tally<string>();
  withoutCustomerId = 0;
  undated = 0;
  withoutChannel = 0;
  withoutCategory = 0;

  constructor(
    private readonly windowMs: number,
    private readonly index: ContactIndex,
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'ticket' && record.kind !== 'call') return;
    const contact = contactOf(record);
    if (record.customerId === undefined) this.withoutCustomerId++;
    else if (contact.at === undefined) this.undated++;
    else if (contact.channel === undefined) this.withoutChannel++;
    else if (contact.topic === undefined) this.withoutCategory++;
    else {
      this.contacts++;
      const repeat = this.firstRepeat(record.customerId, contact as Contact);
      if (repeat) {
        this.repeated++;
        this.pairs.add(`${contact.channel}->${repeat.channel!}`);
      }
    }
  }

  private firstRepeat(customerId: string, contact: Contact): Contact | undefined {
    const list = this.index.byCustomer.get(customerId) ?? [];
    const until = contact.at + this.windowMs;
    for (let i = firstAtOrAfter(list, contact.at, true); i < list.length && list[i]!.at <= until; i++) {
      const next = list[i]!;
      if (next.topic === contact.topic && next.channel !== undefined && next.channel !== contact.channel) return next;
    }
    return undefined;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.contacts += o.contacts;
    this.repeated += o.repeated;
    this.pairs.merge(o.pairs);
    this.withoutCustomerId += o.withoutCustomerId;
    this.undated += o.undated;
    this.withoutChannel += o.withoutChannel;
    this.withoutCategory += o.withoutCategory;
  }

  result(): MetricResult {
    return rate(this.repeated, this.contacts, {
      repeated: this.repeated,
      contacts: this.contacts,
      by_channel_pair: this.pairs.toObject('count'),
      window_days: this.windowMs / DAY_MS,
      without_customer_id: this.withoutCustomerId,
      undated: this.undated,
      without_channel: this.withoutChannel,
      without_category: this.withoutCategory,
    });
  }
}

const repeatContactRate: MetricDefinition = {
  id: 'repeat_contact_rate',
  label: 'Cross-channel repeat contact rate',
  unit: 'share',
  direction: 'lower',
  domain: 'journey',
  kinds: ['ticket', 'call'],
  needs: 'ticket/call customerId, channel (calls: phone), category (calls: category or queue)',
  formula:
    'contacts followed within repeatContactDays (default 7) by the same customer about the same category through another channel / contacts with a customer id, time, channel and category; detail by channel pair; 95% CI Wilson',
  unavailable(dataset) {
    const reason = contactUnavailable(dataset);
    if (reason) return reason;
    const contacts = [...dataset.records('ticket'), ...dataset.records('call')].map(contactOf);
    if (!contacts.some((c) => c.topic !== undefined)) {
      return 'tickets and calls carry no category or queue, so repeats about the same issue cannot be told';
    }
    const channels = new Set(contacts.map((c) => c.channel).filter((c) => c !== undefined));
    if (channels.size >= 2) return null;
    return channels.size === 0
      ? 'tickets carry no channel (channel, via), so repeats across channels cannot be told'
      : `every contact comes through one channel (${[...channels][0]!}), so no repeat can cross channels`;
  },
  create: (settings, links) => new RepeatContactAccumulator(repeatMs(settings), contactIndex(links.dataset)),
};

/** The journey family, in catalogue order. */
export const JOURNEY_METRICS: readonly MetricDefinition[] = [
  employeeFeedbackVolume,
  employeeFrustration,
  timeToRevenue,
  winRate,
  installationSuccessRate,
  timeToFirstValue,
  earlyLifeContactRate,
  repeatContactRate,
];
