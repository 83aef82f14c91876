import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CustomerRecord, CxRecord } from '../schema/records.js';
import { CUSTOMER_METRICS, customerChurned } from './customers.js';
import { wilson } from './stats/index.js';
import { accumulate as feed, datasetOf as oneInputDataset, expectMergeable, maybe, metricOf, recordFactory, TEST_SETTINGS as SETTINGS } from './test-support.js';
import type { Accumulator, MetricDefinition, MetricResult, PeriodBounds } from './types.js';

const DAY = 86_400_000;
const MONTH = (365.2425 / 12) * DAY;
const utc = (y: number, m: number, d = 1) => Date.UTC(y, m - 1, d);
const JANUARY: PeriodBounds = { start: utc(2025, 1), end: utc(2025, 2) };

const customer = recordFactory('customer');

const datasetOf = (records: readonly CxRecord[]): Dataset => oneInputDataset(records, 'customer', 'customers.csv');

const metric = (id: string): MetricDefinition => metricOf(CUSTOMER_METRICS, id);

const accumulate = (def: MetricDefinition, records: readonly CxRecord[], dataset: Dataset, period: PeriodBounds, settings = SETTINGS): Accumulator => feed(def, records, dataset, period, settings);

const compute = (id: string, records: readonly CxRecord[], period = JANUARY, settings = SETTINGS): MetricResult => accumulate(metric(id), records, datasetOf(records), period, settings).result();

/**
 * A dated customer file judged against January 2025:
 * c1 since 2024-01, still a customer                    -> at start, kept
 * c2 since 2024-06, lost 2025-01-15, 30 a month         -> at start, lost
 * c3 since 2024-03, lost 2024-12-01                     -> gone before January
 * c4 since 2025-01-10                                   -> new in January
 * c5 no since, lost 2025-01-20, 500 total revenue      -> at start (no since: an old customer), lost
 * c6 since 2023, flagged churned without a date         -> cannot be placed: out
 * c7 since 2023, lost 2025-02-10                        -> at start, kept through January
 * c8 since 2025-01-05, lost 2025-01-25                  -> new and lost within January
 */
const DATED: CustomerRecord[] = [
  customer({ id: 'c1', since: utc(2024, 1) }),
  customer({ id: 'c2', since: utc(2024, 6), churnedAt: utc(2025, 1, 15), monthlyRevenue: 30 }),
  customer({ id: 'c3', since: utc(2024, 3), churnedAt: utc(2024, 12) }),
  customer({ id: 'c4', since: utc(2025, 1, 10) }),
  customer({ id: 'c5', churnedAt: utc(2025, 1, 20), revenue: 500 }),
  customer({ id: 'c6', since: utc(2023, 1), churned: true }),
  customer({ id: 'c7', since: utc(2023, 1), churnedAt: utc(2025, 2, 10) }),
  customer({ id: 'c8', since: utc(2025, 1, 5), churnedAt: utc(2025, 1, 25) }),
];

/** Telco style: a churn flag and a tenure in months, no dates. */
const TELCO: CustomerRecord[] = [
  customer({ id: 't1', churned: true, tenureMonths: 2, monthlyRevenue: 70 }),
  customer({ id: 't2', churned: false, tenureMonths: 10, monthlyRevenue: 50 }),
  customer({ id: 't3', churned: false, tenureMonths: 20, monthlyRevenue: 20 }),
  customer({ id: 't4', churned: true, tenureMonths: 8, monthlyRevenue: 60 }),
  customer({ id: 't5', tenureMonths: 5, monthlyRevenue: 40 }), // no churn state
];

describe('catalogue', () => {
  it('lists the customer ids of DESIGN.md, all snapshots', () => {
    expect(CUSTOMER_METRICS.map((m) => m.id)).toEqual(['churn_rate', 'retention_rate', 'clv']);
    expect(CUSTOMER_METRICS.every((m) => m.domain === 'customers' && m.scope === 'snapshot')).toBe(true);
  });

  it('says "no customer records" for every metric when there are none, and gives value null with n = 0', () => {
    for (const m of CUSTOMER_METRICS) {
      expect(m.unavailable(datasetOf([]))).toBe('no customer records among the inputs');
      expect(compute(m.id, [])).toMatchObject({ value: null, n: 0, ci95: null });
    }
  });
});

describe('customerChurned', () => {
  it('reads the churn date, then the flag, then the status', () => {
    expect(customerChurned(customer({ churnedAt: 1, churned: false }))).toBe(true);
    expect(customerChurned(customer({ churned: false, status: 'Cancelled' }))).toBe(false);
    const status = (s: string) => customerChurned(customer({ status: s }));
    expect(['Cancelled', 'Dado de baja', 'churned', 'Active', 'activo', 'Not active', 'Paused'].map(status)).toEqual([
      true,
      true,
      true,
      false,
      false,
      undefined,
      undefined,
    ]);
  });
});

describe('churn_rate', () => {
  it('divides customers lost in the period by customers at its start', () => {
    const r = compute('churn_rate', DATED);
    // at start c1 c2 c5 c7 = 4; lost in January c2 c5 = 2: 2 / 4
    expect(r).toMatchObject({ value: 0.5, n: 4, ci95: wilson(2, 4) });
    expect(r.detail).toMatchObject({
      lost: 2,
      customers_at_start: 4,
      // 30 (c2's monthly revenue) + 500 (c5's total revenue)
      revenue_lost: 530,
      revenue_lost_basis: 'mixed (monthly revenue where known, else total revenue)',
      without_since: 1,
      churned_without_date: 1,
    });
    expect(r.detail.method).toMatch(/customers lost in the period \/ customers at its start/);
  });

  it('judges each period on its own (February)', () => {
    // February: at start c1 c4 c7 (+ nobody else); lost c7: 1 / 3
    const r = compute('churn_rate', DATED, { start: utc(2025, 2), end: utc(2025, 3) });
    expect(r).toMatchObject({ value: 1 / 3, n: 3 });
  });

  it('without churn dates divides churned by all customers with a known state, and says so', () => {
    const r = compute('churn_rate', TELCO);
    // churned t1 t4 = 2 / t1..t4 = 4 (t5 unknown); revenue lost 70 + 60
    expect(r).toMatchObject({ value: 0.5, n: 4, ci95: wilson(2, 4) });
    expect(r.detail).toMatchObject({ lost: 2, customers: 4, revenue_lost: 130, revenue_lost_basis: 'monthly revenue', unknown_churn_state: 1 });
    expect(r.detail.method).toMatch(/^no churn dates: churned \/ all customers/);
  });

  it('gives a single customer kept 0 with a Wilson interval', () => {
    expect(compute('churn_rate', [customer({ id: 'x', churned: false })])).toMatchObject({ value: 0, n: 1, ci95: wilson(0, 1), detail: { revenue_lost: 0 } });
  });

  it('is unavailable when nothing tells who churned', () => {
    expect(metric('churn_rate').unavailable(datasetOf([customer({ id: 'x', status: 'Gold' })]))).toMatch(/no churn date, churn flag or status/);
    expect(metric('churn_rate').unavailable(datasetOf(TELCO))).toBeNull();
  });
});

describe('retention_rate', () => {
  it('is (E − N) / S', () => {
    const r = compute('retention_rate', DATED);
    // S (at 2025-01-01) = c1 c2 c5 c7 = 4; E (at 2025-02-01) = c1 c4 c7 = 3; N (joined in
    // January) = c4 c8 = 2: (3 − 2) / 4 = 0.25. c8, new and lost within January, lowers it:
    // of S, c1 and c7 are still there (retained_from_start 2).
    expect(r).toMatchObject({ value: 0.25, n: 4, ci95: wilson(1, 4) });
    expect(r.detail).toMatchObject({ customers_at_start: 4, customers_at_end: 3, new_customers: 2, new_customers_lost: 1, retained_from_start: 2, without_since: 1, churned_without_date: 1 });
  });

  it('can fall below 0 and then gives no interval', () => {
    const records = [customer({ id: 'a', since: utc(2024, 1) }), customer({ id: 'b', since: utc(2025, 1, 3), churnedAt: utc(2025, 1, 4) }), customer({ id: 'c', since: utc(2025, 1, 3), churnedAt: utc(2025, 1, 4) }), customer({ id: 'd', since: utc(2024, 1), churnedAt: utc(2025, 1, 9) })];
    // S = a d = 2; E = a = 1; N = b c = 2: (1 − 2) / 2
    expect(compute('retention_rate', records)).toMatchObject({ value: -0.5, n: 2, ci95: null });
  });

  it('is unavailable without since dates, or with churned customers and no churn dates', () => {
    expect(metric('retention_rate').unavailable(datasetOf(TELCO))).toMatch(/no since date/);
    expect(metric('retention_rate').unavailable(datasetOf([customer({ id: 'a', since: 1, churned: true })]))).toMatch(/carry no churn date/);
    expect(metric('retention_rate').unavailable(datasetOf([customer({ id: 'a', since: 1, churned: false })]))).toBeNull();
    expect(metric('retention_rate').unavailable(datasetOf(DATED))).toBeNull();
  });
});

describe('clv', () => {
  it('multiplies ARPU per year by the lifetime from churn per customer-month (Telco style)', () => {
    const r = compute('clv', TELCO);
    // ARPU/year: (70 + 50 + 20 + 60 + 40) × 12 / 5 = 576 (t5 counts: its revenue is known)
    // churn: 2 churned / (2 + 10 + 20 + 8) = 40 customer-months = 0.05 a month (t5 left out:
    // churn state unknown); annual 1 − 0.95^12 = 0.45964; lifetime 2.1756 years; 576 × 2.1756 = 1253.15
    const annual = 1 - 0.95 ** 12;
    expect(r.value).toBeCloseTo(576 / annual, 9);
    expect(r.n).toBe(5);
    expect(r.ci95).toBeNull();
    expect(r.detail).toMatchObject({ arpu_year: 576, churned: 2, exposure_months: 40, margin: null, unknown_churn_state: 1 });
    expect(r.detail.monthly_churn).toBeCloseTo(0.05, 12);
    expect(r.detail.annual_churn).toBeCloseTo(annual, 12);
    expect(r.detail.lifetime_years).toBeCloseTo(1 / annual, 12);
    expect(r.detail.formula).toBe('CLV = ARPU/year 576.00 × lifetime 2.18 years (1 / annual churn 0.4596) = 1253.15');
  });

  it('applies the gross margin when set', () => {
    const r = compute('clv', TELCO, JANUARY, { ...SETTINGS, grossMargin: 0.3 });
    expect(r.value).toBeCloseTo((576 / (1 - 0.95 ** 12)) * 0.3, 9);
    expect(r.detail.formula).toMatch(/× gross margin 0.3 = 375.95$/);
  });

  it('takes tenure from dates and revenue / tenure years without a monthly revenue', () => {
    const end = JANUARY.end;
    const records = [
      customer({ id: 'a', since: end - 24 * MONTH, churnedAt: end - 12 * MONTH, monthlyRevenue: 10 }), // 12 months, churned
      customer({ id: 'b', since: end - 12 * MONTH, revenue: 240 }), // 12 months, 240 / 1 year
    ];
    const r = compute('clv', records);
    // ARPU (120 + 240) / 2 = 180; churn 1 / 24 months; annual 1 − (23/24)^12
    expect(r.value).toBeCloseTo(180 / (1 - (23 / 24) ** 12), 6);
    expect(r.detail.exposure_months).toBeCloseTo(24, 9);
  });

  it('gives null and says why when no churn is observed', () => {
    const r = compute('clv', [customer({ id: 'a', churned: false, tenureMonths: 3, monthlyRevenue: 10 })]);
    expect(r).toMatchObject({ value: null, n: 1, detail: { formula: 'no churn observed: the expected lifetime cannot be estimated' } });
  });

  it('is unavailable without revenue, tenure or churn information', () => {
    const def = metric('clv');
    expect(def.unavailable(datasetOf([customer({ id: 'a', churned: true, tenureMonths: 3 })]))).toMatch(/no revenue/);
    expect(def.unavailable(datasetOf([customer({ id: 'a', churned: true, monthlyRevenue: 3 })]))).toMatch(/no tenure or since date/);
    expect(def.unavailable(datasetOf([customer({ id: 'a', monthlyRevenue: 3, tenureMonths: 2 })]))).toMatch(/no churn date, churn flag or status/);
    expect(def.unavailable(datasetOf(TELCO))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------
// merge property

const instant = fc.integer({ min: utc(2024, 1), max: utc(2025, 4) });
const customerArb = (dated: boolean) =>
  fc
    .record({
      since: maybe(instant),
      churnedAt: dated ? maybe(instant) : fc.constant(undefined),
      churned: maybe(fc.boolean()),
      status: maybe(fc.constantFrom('active', 'cancelled', 'gold')),
      monthlyRevenue: maybe(fc.integer({ min: 0, max: 200 })),
      revenue: maybe(fc.integer({ min: 0, max: 5000 })),
      tenureMonths: maybe(fc.integer({ min: 0, max: 72 })),
    })
    .map((fields) => customer(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined))));

describe('merge', () => {
  for (const dated of [true, false]) {
    it(`two accumulators over a split of the customers, merged, equal one over all of them (${dated ? 'dated' : 'no churn dates'})`, () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(customerArb(dated), fc.boolean()), { maxLength: 60 }), (pairs) => {
          const records = pairs.map(([r]) => r);
          expectMergeable(CUSTOMER_METRICS, records, (_, i) => pairs[i]![1], datasetOf(records), { period: JANUARY });
        }),
        { numRuns: 100 },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------
// the IBM Telco file, computed independently from its raw rows

describe('the IBM Telco churn file (shared/data/real/telco-churn)', () => {
  it('gives the churn share, revenue lost and CLV a direct computation over the rows gives', () => {
    const file = fileURLToPath(new URL('../../../shared/data/real/telco-churn/Telco-Customer-Churn.csv', import.meta.url));
    // No quoted fields in this file (SOURCE.md), so a plain split is the whole parser.
    const [header, ...rows] = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.split(','));
    const [ID, TENURE, MONTHLY, CHURN] = ['customerID', 'tenure', 'MonthlyCharges', 'Churn'].map((c) => header!.indexOf(c)) as [number, number, number, number];
    expect(rows).toHaveLength(7043);

    const churned = rows.filter((r) => r[CHURN] === 'Yes');
    const customerMonths = rows.reduce((a, r) => a + Number(r[TENURE]), 0);
    const monthly = churned.length / customerMonths;
    const arpuYear = (rows.reduce((a, r) => a + Number(r[MONTHLY]), 0) * 12) / rows.length;
    const expectedClv = arpuYear / (1 - (1 - monthly) ** 12);

    const records = rows.map((r) => customer({ id: r[ID], churned: r[CHURN] === 'Yes', tenureMonths: Number(r[TENURE]), monthlyRevenue: Number(r[MONTHLY]) }));
    const churn = compute('churn_rate', records);
    expect(churned).toHaveLength(1869); // 26.5%
    expect(churn).toMatchObject({ value: 1869 / 7043, n: 7043 });
    expect(churn.detail.revenue_lost).toBeCloseTo(churned.reduce((a, r) => a + Number(r[MONTHLY]), 0), 6);

    const clv = compute('clv', records);
    expect(clv.value).toBeCloseTo(expectedClv, 6);
    // about 9.4% a year, not the 26.5% share over the file's whole history
    expect(clv.detail.annual_churn).toBeCloseTo(0.0941, 3);
  });
});
