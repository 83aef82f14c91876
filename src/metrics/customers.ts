/**
 * Customer-base metrics: churn rate, retention rate and customer lifetime value.
 *
 * All three are snapshots: the accumulator of a period is fed every customer of the segment,
 * whatever its `since`, and judges each against the period.
 *
 * Definitions shared by the family:
 * - Churned: a churn date (`churnedAt`) says so; else the churn flag; else a status that reads
 *   as lost (churned, cancelled, lost, closed, terminated, baja, cancelado, perdido; accents and
 *   case ignored) or as active (active, activo, current, alta). Anything else is unknown.
 * - With churn dates in the file (dated): a customer without `since` is taken as a customer
 *   from before any period; a blank churn date means still a customer; a customer flagged
 *   churned without a date cannot be placed in time and stays out (`detail.churned_without_date`).
 * - Without churn dates (e.g. the IBM Telco file: a churn flag and a tenure in months), only the
 *   file's whole history can be measured: see each metric.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import type { CustomerRecord, CxRecord } from '../schema/records.js';
import { Tally, fieldPresent, fold, missingKinds, rate, sameAccumulator } from './helpers.js';
import { MeanVar } from './stats/index.js';
import type { Accumulator, MetricDefinition, MetricResult, MetricSettings, PeriodBounds } from './types.js';

const DAY_MS = 86_400_000;
/** Mean Gregorian month, to turn date spans into months of tenure. */
const MONTH_MS = (365.2425 / 12) * DAY_MS;

// ---------------------------------------------------------------------------------------
// shared definitions

const LOST_WORDS = new Set(['churned', 'churn', 'cancelled', 'canceled', 'lost', 'closed', 'terminated', 'baja', 'cancelado', 'cancelada', 'perdido', 'perdida']);
const ACTIVE_WORDS = new Set(['active', 'activo', 'activa', 'current', 'alta']);

/** Whether a customer churned (see the module comment); undefined when nothing says. */
export function customerChurned(c: CustomerRecord): boolean | undefined {
  if (c.churnedAt !== undefined) return true;
  if (c.churned !== undefined) return c.churned;
  if (c.status === undefined) return undefined;
  const words = fold(c.status).split(' ');
  if (words.some((w) => LOST_WORDS.has(w))) return true;
  // "Not active" / "no activo" must not read as active; it may be a paused account, not a lost one.
  if (words.includes('not') || words.includes('no')) return undefined;
  return words.some((w) => ACTIVE_WORDS.has(w)) ? false : undefined;
}

/**
 * Had the customer churned by instant `t`? With churn dates in the file (`dated`) a blank churn
 * date means still a customer, and a customer flagged churned without a date is unknown
 * (undefined): it cannot be placed in time. Without churn dates the flag or status answers,
 * whatever `t`.
 */
function churnedBy(c: CustomerRecord, t: number, dated: boolean): boolean | undefined {
  if (c.churnedAt !== undefined) return c.churnedAt < t;
  const churned = customerChurned(c);
  if (!dated) return churned;
  return churned === true ? undefined : false;
}

const customers = (dataset: Dataset) => dataset.records('customer');

/** Churn dates anywhere in the file decide the dated method for every period. */
const hasChurnDates = (dataset: Dataset) => fieldPresent(dataset, 'customer', 'churnedAt');

const NO_CHURN_INFO = 'customers carry no churn date, churn flag or status that reads as lost or active';

function churnUnavailable(dataset: Dataset): string | null {
  const missing = missingKinds(dataset, ['customer']);
  if (missing) return missing;
  return customers(dataset).some((c) => customerChurned(c) !== undefined) ? null : NO_CHURN_INFO;
}

/** Revenue a lost customer took away: monthly revenue when known, else total revenue. */
type RevenueBasis = 'monthly revenue' | 'total revenue';

function revenueOf(c: CustomerRecord): [number, RevenueBasis] | undefined {
  if (c.monthlyRevenue !== undefined) return [c.monthlyRevenue, 'monthly revenue'];
  if (c.revenue !== undefined) return [c.revenue, 'total revenue'];
  return undefined;
}

// ---------------------------------------------------------------------------------------
// churn_rate

/**
 * Dated: customers at the period's start (since before it, not lost before it) and those of
 * them lost during it; customers who join and leave within the period are in neither.
 * Undated: churned / customers whose churn state is known, the same for every period.
 * Revenue lost sums each lost customer's monthly revenue, else its total revenue.
 */
class ChurnAccumulator implements Accumulator {
  atStart = 0;
  lost = 0;
  revenueLost = 0;
  readonly revenueBasis = new Tally<RevenueBasis>();
  withoutSince = 0;
  churnedWithoutDate = 0;
  /** Undated: customers whose churn state nothing tells. */
  unknown = 0;

  constructor(
    private readonly dated: boolean,
    private readonly period: PeriodBounds,
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'customer') return;
    const { start, end } = this.period;
    const lost = churnedBy(record, end, this.dated);
    if (lost === undefined) {
      if (this.dated) this.churnedWithoutDate++;
      else this.unknown++;
      return;
    }
    if (this.dated) {
      // Over the whole analysed range there is no meaningful population "at the start" (the
      // range begins with the first customer): count everyone active at some time in it.
      if (record.since !== undefined && record.since >= (this.period.whole ? end : start)) return; // new in (or after) the period
      if (churnedBy(record, start, true)) return; // lost before it
      if (record.since === undefined) this.withoutSince++;
    }
    this.count(record, lost);
  }

  private count(record: CustomerRecord, lost: boolean): void {
    this.atStart++;
    if (!lost) return;
    this.lost++;
    const revenue = revenueOf(record);
    if (revenue) {
      this.revenueLost += revenue[0];
      this.revenueBasis.add(revenue[1]);
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.atStart += o.atStart;
    this.lost += o.lost;
    this.revenueLost += o.revenueLost;
    this.revenueBasis.merge(o.revenueBasis);
    this.withoutSince += o.withoutSince;
    this.churnedWithoutDate += o.churnedWithoutDate;
    this.unknown += o.unknown;
  }

  result(): MetricResult {
    const bases = this.revenueBasis.keys();
    return rate(this.lost, this.atStart, {
      method: this.dated
        ? this.period.whole
          ? 'whole range: customers lost in it / customers active at any time in it (churn dates); per period: lost / active at its start'
          : 'customers lost in the period / customers at its start (churn dates)'
        : 'no churn dates: churned / all customers with a known churn state, a share over the file’s whole history (not per period)',
      lost: this.lost,
      [this.dated ? 'customers_at_start' : 'customers']: this.atStart,
      // null when customers were lost but none carries a revenue
      revenue_lost: this.lost === 0 ? 0 : this.revenueBasis.total === 0 ? null : this.revenueLost,
      revenue_lost_basis: bases.length === 0 ? null : bases.length === 1 ? bases[0] : 'mixed (monthly revenue where known, else total revenue)',
      ...(this.dated
        ? { without_since: this.withoutSince, churned_without_date: this.churnedWithoutDate }
        : { unknown_churn_state: this.unknown }),
    });
  }
}

const churnRate: MetricDefinition = {
  id: 'churn_rate',
  label: 'Churn rate',
  unit: 'share',
  direction: 'lower',
  domain: 'customers',
  kinds: ['customer'],
  needs: 'customer.churnedAt (or customer.churned / status), customer.since',
  formula:
    'customers lost in the period / customers active at its start; without churn dates: churned / all customers; detail revenue lost; 95% CI Wilson',
  scope: 'snapshot',
  unavailable: churnUnavailable,
  create: (_settings, links, period) => new ChurnAccumulator(hasChurnDates(links.dataset), period),
};

// ---------------------------------------------------------------------------------------
// retention_rate

/**
 * S, E and N of (E − N) / S; a customer without `since` counts as one from before the period.
 *
 * The textbook formula subtracts every new customer, including those lost within the period,
 * who are not in E: they lower the rate although no customer of S was lost. `detail` also gives
 * the customers of S still there at the end (retained_from_start = 1 − churn_rate's share).
 */
class RetentionAccumulator implements Accumulator {
  atStart = 0;
  atEnd = 0;
  joined = 0;
  startRetained = 0;
  joinedLost = 0;
  withoutSince = 0;
  churnedWithoutDate = 0;

  constructor(private readonly period: PeriodBounds) {}

  add(record: CxRecord): void {
    if (record.kind !== 'customer') return;
    const { start, end } = this.period;
    if (churnedBy(record, end, true) === undefined) {
      this.churnedWithoutDate++;
      return;
    }
    const { since } = record;
    const activeAt = (t: number) => (since === undefined || since < t) && churnedBy(record, t, true) === false;
    const atStart = activeAt(start);
    const atEnd = activeAt(end);
    if (atStart) this.atStart++;
    if (atEnd) this.atEnd++;
    if (atStart && atEnd) this.startRetained++;
    if (since === undefined) this.withoutSince++;
    else if (since >= start && since < end) {
      this.joined++;
      if (!atEnd) this.joinedLost++;
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.atStart += o.atStart;
    this.atEnd += o.atEnd;
    this.joined += o.joined;
    this.startRetained += o.startRetained;
    this.joinedLost += o.joinedLost;
    this.withoutSince += o.withoutSince;
    this.churnedWithoutDate += o.churnedWithoutDate;
  }

  result(): MetricResult {
    const retained = this.atEnd - this.joined;
    const detail = {
      customers_at_start: this.atStart,
      customers_at_end: this.atEnd,
      new_customers: this.joined,
      new_customers_lost: this.joinedLost,
      retained_from_start: this.startRetained,
      without_since: this.withoutSince,
      churned_without_date: this.churnedWithoutDate,
    };
    // E − N can fall below 0 (new customers lost within the period): the Wilson interval
    // applies only while it is a count out of S.
    if (retained >= 0 && retained <= this.atStart) return rate(retained, this.atStart, detail);
    return { value: this.atStart === 0 ? null : retained / this.atStart, n: this.atStart, ci95: null, detail };
  }
}

const retentionRate: MetricDefinition = {
  id: 'retention_rate',
  label: 'Customer retention rate',
  unit: 'share',
  direction: 'higher',
  domain: 'customers',
  kinds: ['customer'],
  needs: 'customer.since, customer.churnedAt',
  formula: '(E − N) / S: customers at the end of the period minus those new during it, over customers at its start; 95% CI Wilson',
  scope: 'snapshot',
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['customer']);
    if (missing) return missing;
    if (!fieldPresent(dataset, 'customer', 'since')) {
      return 'customers have no since date (customer since, signup), so new customers cannot be told from those at the start';
    }
    if (!hasChurnDates(dataset) && customers(dataset).some((c) => customerChurned(c) === true)) {
      return 'churned customers carry no churn date, so who was a customer at the end of a period is unknown';
    }
    return null;
  },
  create: (_settings, _links, period) => new RetentionAccumulator(period),
};

// ---------------------------------------------------------------------------------------
// clv

/**
 * Sums for CLV = ARPU per year × expected lifetime in years × margin.
 *
 * Churn is measured per customer-month of exposure: churned customers / Σ tenure months, then
 * annualised as 1 − (1 − monthly)^12. Dividing churned by all customers would give the share
 * lost over the file's whole history, not a yearly rate: the Telco file's 1,869 of 7,043 (26.5%)
 * spread over tenures of up to 72 months is about 9% a year. The same estimator serves dated
 * files (tenure from since to the churn date or the period's end), so both read alike. A
 * customer enters the churn estimate only when both its tenure and its churn state are known;
 * ARPU averages every customer with a revenue basis.
 */
class ClvAccumulator implements Accumulator {
  readonly arpuYear = new MeanVar();
  churned = 0;
  exposureMonths = 0;
  withoutTenure = 0;
  unknownChurn = 0;
  withoutRevenue = 0;

  constructor(
    private readonly margin: number | null,
    private readonly periodEnd: number,
    private readonly dated: boolean,
  ) {}

  add(record: CxRecord): void {
    if (record.kind !== 'customer') return;
    const end = this.periodEnd;
    if (record.since !== undefined && record.since >= end) return; // not a customer yet
    const churned = churnedBy(record, end, this.dated);
    const until = record.churnedAt !== undefined && record.churnedAt < end ? record.churnedAt : end;
    const tenure = record.tenureMonths ?? (record.since !== undefined ? Math.max(0, until - record.since) / MONTH_MS : undefined);
    const yearly =
      record.monthlyRevenue !== undefined
        ? record.monthlyRevenue * 12
        : record.revenue !== undefined && tenure !== undefined && tenure > 0
          ? record.revenue / (tenure / 12)
          : undefined;
    if (yearly === undefined) this.withoutRevenue++;
    else this.arpuYear.add(yearly);
    if (tenure === undefined) this.withoutTenure++;
    else if (churned === undefined) this.unknownChurn++;
    else {
      this.exposureMonths += tenure;
      if (churned) this.churned++;
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.arpuYear.merge(o.arpuYear);
    this.churned += o.churned;
    this.exposureMonths += o.exposureMonths;
    this.withoutTenure += o.withoutTenure;
    this.unknownChurn += o.unknownChurn;
    this.withoutRevenue += o.withoutRevenue;
  }

  result(): MetricResult {
    const n = this.arpuYear.count;
    const arpu = n === 0 ? null : this.arpuYear.mean;
    // A customer lost in under a month of tenure can push the estimate past 1: cap it there.
    const monthly = this.exposureMonths > 0 ? Math.min(1, this.churned / this.exposureMonths) : null;
    const annual = monthly === null ? null : 1 - (1 - monthly) ** 12;
    const lifetime = annual === null || annual === 0 ? null : 1 / annual;
    const value = arpu === null || lifetime === null ? null : arpu * lifetime * (this.margin ?? 1);
    let formula: string;
    if (arpu === null) formula = 'no customer with a revenue: ARPU unknown';
    else if (annual === null) formula = 'no customer with a tenure: churn per customer-month unknown';
    else if (lifetime === null) formula = 'no churn observed: the expected lifetime cannot be estimated';
    else {
      const margin = this.margin === null ? '' : ` × gross margin ${this.margin}`;
      formula = `CLV = ARPU/year ${arpu.toFixed(2)} × lifetime ${lifetime.toFixed(2)} years (1 / annual churn ${annual.toFixed(4)})${margin} = ${value!.toFixed(2)}`;
    }
    return {
      value,
      n,
      ci95: null,
      detail: {
        formula,
        arpu_year: arpu,
        monthly_churn: monthly,
        annual_churn: annual,
        lifetime_years: lifetime,
        margin: this.margin,
        churned: this.churned,
        exposure_months: this.exposureMonths,
        churn_method: 'monthly churn = churned customers / customer-months of tenure; annual = 1 − (1 − monthly)^12',
        without_revenue: this.withoutRevenue,
        without_tenure: this.withoutTenure,
        unknown_churn_state: this.unknownChurn,
      },
    };
  }
}

const clv: MetricDefinition = {
  id: 'clv',
  label: 'Customer lifetime value',
  unit: 'money',
  direction: 'higher',
  domain: 'customers',
  kinds: ['customer'],
  needs: 'customer.monthlyRevenue (or revenue), customer.tenureMonths (or since), churn flag or date',
  formula:
    'ARPU per year (monthly revenue × 12, else revenue / tenure years) × expected lifetime (1 / annual churn; annual = 1 − (1 − churned / customer-months)^12) × gross margin when set; no CI',
  scope: 'snapshot',
  unavailable(dataset) {
    const reason = churnUnavailable(dataset);
    if (reason) return reason;
    if (!fieldPresent(dataset, 'customer', 'monthlyRevenue') && !fieldPresent(dataset, 'customer', 'revenue')) {
      return 'customers have no revenue (monthly charges, total revenue), so revenue per customer is unknown';
    }
    if (!fieldPresent(dataset, 'customer', 'tenureMonths') && !fieldPresent(dataset, 'customer', 'since')) {
      return 'customers have no tenure or since date, so churn per customer-month cannot be measured';
    }
    return null;
  },
  create: (settings: MetricSettings, links, period) => new ClvAccumulator(settings.grossMargin, period.end, hasChurnDates(links.dataset)),
};

/** The customer family, in catalogue order. */
export const CUSTOMER_METRICS: readonly MetricDefinition[] = [churnRate, retentionRate, clv];
