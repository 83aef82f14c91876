import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CxRecord } from '../schema/records.js';
import { COMMERCE_METRICS, invoiceChangeType } from './commerce.js';
import { wilson } from './stats/index.js';
import { accumulate as feed, datasetOf as oneInputDataset, defined, expectMergeable, maybe, metricOf, recordFactory, TEST_SETTINGS as SETTINGS, WHOLE } from './test-support.js';
import type { Accumulator, MetricDefinition, MetricResult, PeriodBounds } from './types.js';

/** 2025-01-dd hh:00 UTC. */
const jan = (day: number, hour = 0) => Date.UTC(2025, 0, day, hour);
const JANUARY: PeriodBounds = { start: jan(1), end: Date.UTC(2025, 1, 1) };

const order = recordFactory('order');
const ret = recordFactory('return');
const ticket = recordFactory('ticket');
const invoice = recordFactory('invoice_change');
const customer = recordFactory('customer');

const datasetOf = (records: readonly CxRecord[]): Dataset => oneInputDataset(records, 'order', 'exports.csv');

const metric = (id: string): MetricDefinition => metricOf(COMMERCE_METRICS, id);

const accumulate = (def: MetricDefinition, records: readonly CxRecord[], dataset: Dataset, period = WHOLE): Accumulator => feed(def, records, dataset, period, SETTINGS);

/** The metric over `records`, the dataset (and so the links) built from `all` (default: the same records). */
const compute = (id: string, records: readonly CxRecord[], all: readonly CxRecord[] = records, period = WHOLE): MetricResult => accumulate(metric(id), records, datasetOf(all), period).result();

describe('catalogue', () => {
  it('lists the commerce ids of DESIGN.md', () => {
    expect(COMMERCE_METRICS.map((m) => m.id)).toEqual(['return_rate', 'complaint_rate', 'invoice_change_rate', 'on_time_delivery_rate']);
    expect(COMMERCE_METRICS.every((m) => m.domain === 'commerce')).toBe(true);
  });

  it('gives every metric with no records value null, n = 0 and no interval', () => {
    const dataset = datasetOf([order({ id: 'o', promisedAt: jan(1), deliveredAt: jan(1) }), ret({ orderId: 'o' }), invoice({ id: 'i', changeType: 'none' })]);
    for (const m of COMMERCE_METRICS) expect(accumulate(m, [], dataset).result()).toMatchObject({ value: null, n: 0, ci95: null });
  });
});

// ---------------------------------------------------------------------------------------

describe('return_rate', () => {
  const ORDERS = [
    order({ id: 'o1', units: 2, amount: 100 }),
    order({ id: 'o2', units: 1, amount: 50 }),
    order({ id: 'o3', units: 3, amount: 90 }),
    order({ id: 'o4', amount: 60 }),
    order({ id: 'o5', units: 1 }),
  ];
  const RETURNS = [
    ret({ id: 'r1', orderId: 'o1', units: 1, amount: 40, reason: 'damaged', product: 'mug' }),
    ret({ id: 'r2', orderId: 'o2', units: 1, amount: 50, reason: 'wrong size', product: 'shirt' }),
    ret({ id: 'r3', orderId: 'o2', amount: 10, reason: 'damaged', product: 'mug' }),
    ret({ id: 'r4', reason: 'other' }),
    ret({ id: 'r5', orderId: 'o9' }),
  ];

  it('links returns to orders by order id', () => {
    const r = compute('return_rate', [...ORDERS, ...RETURNS]);
    // o1 and o2 have returns: 2 / 5 orders
    expect(r.value).toBeCloseTo(0.4, 12);
    expect(r.n).toBe(5);
    expect(r.ci95).toEqual(wilson(2, 5));
    expect(r.detail).toMatchObject({ orders: 5, returned_orders: 2, returns: 3, returns_without_order_id: 1 });
    expect(r.detail.method).toMatch(/linked by order id/);
    // units: o1 (2 ordered, 1 returned), o3 (3, 0), o5 (1, 0); o2 is out (r3 has no units),
    // o4 has none: 1 / 6
    expect(r.detail.units_rate).toEqual({ value: 1 / 6, returned_units: 1, ordered_units: 6 });
    // amounts: o1 (100, 40), o2 (50, 50 + 10), o3 (90, 0), o4 (60, 0); o5 has none: 100 / 300
    expect(r.detail.revenue_rate).toEqual({ value: 1 / 3, returned_amount: 100, ordered_amount: 300 });
    expect(r.detail.by_reason).toEqual({ damaged: 2, 'wrong size': 1 });
    expect(r.detail.by_product).toEqual({ mug: 2, shirt: 1 });
  });

  it('marks an order of the period returned even when the return came later', () => {
    const records = [order({ id: 'a', orderedAt: jan(30) }), ret({ orderId: 'a', returnedAt: Date.UTC(2025, 1, 3) })];
    // only the order is in January; the link still finds its February return
    const r = compute('return_rate', [records[0]!], records, JANUARY);
    expect(r).toMatchObject({ value: 1, n: 1 });
  });

  it('falls back to returns / orders when no return carries an order id, and says so', () => {
    const records = [
      order({ id: 'o1', units: 2, amount: 100 }),
      order({ id: 'o2', units: 1, amount: 50 }),
      order({ id: 'o3', units: 3, amount: 90 }),
      ret({ id: 'x1', units: 1, amount: 30, reason: 'late' }),
      ret({ id: 'x2', units: 2, amount: 20, reason: 'late' }),
    ];
    const r = compute('return_rate', records);
    // 2 returns / 3 orders; units 3 / 6; amounts 50 / 240
    expect(r.value).toBeCloseTo(2 / 3, 12);
    expect(r.ci95).toEqual(wilson(2, 3));
    expect(r.detail.method).toMatch(/returns carry no order id: returns in the period \/ orders in the period/);
    expect(r.detail.units_rate).toEqual({ value: 0.5, returned_units: 3, ordered_units: 6 });
    expect(r.detail.revenue_rate).toEqual({ value: 50 / 240, returned_amount: 50, ordered_amount: 240 });
    expect(r.detail.by_reason).toEqual({ late: 2 });
    // a return without units: the units side no longer describes the same records
    expect(compute('return_rate', [...records, ret({ id: 'x3', amount: 5 })]).detail.units_rate).toBeNull();
  });

  it('gives no interval when the unlinked returns outnumber the orders', () => {
    const r = compute('return_rate', [order({ id: 'o' }), ret({ id: 'a' }), ret({ id: 'b' })]);
    expect(r).toMatchObject({ value: 2, n: 1, ci95: null });
  });

  it('is unavailable without orders or without returns', () => {
    expect(metric('return_rate').unavailable(datasetOf([ret({ orderId: 'o' })]))).toBe('no order records among the inputs');
    expect(metric('return_rate').unavailable(datasetOf([order({ id: 'o' })]))).toBe('no return records among the inputs');
  });
});

// ---------------------------------------------------------------------------------------

describe('complaint_rate', () => {
  const TICKETS = [ticket({ type: 'Complaint' }), ticket({ type: 'Queja formal' }), ticket({ type: 'Billing inquiry' }), ticket({})];

  it('counts complaint tickets per 100 orders', () => {
    const records = [...TICKETS, order({ id: '1' }), order({ id: '2' }), order({ id: '3' }), order({ id: '4' })];
    const r = compute('complaint_rate', records);
    // 2 complaints (Complaint, Queja formal) / 4 orders × 100 = 50
    expect(r.value).toBeCloseTo(50, 12);
    expect(r.n).toBe(4);
    const [lo, hi] = wilson(2, 4)!;
    expect(r.ci95![0]).toBeCloseTo(lo * 100, 12);
    expect(r.ci95![1]).toBeCloseTo(hi * 100, 12);
    expect(r.detail).toEqual({ complaints: 2, orders: 4, denominator: 'orders' });
  });

  it('accepts orders and complaint tickets only', () => {
    const accepts = metric('complaint_rate').accepts!;
    expect(TICKETS.map((t) => accepts(t))).toEqual([true, true, false, false]);
    expect(accepts(order({}))).toBe(true);
  });

  it('counts per 100 customers on file during the period when there are no orders', () => {
    const customers = [
      customer({ id: 'c1', since: Date.UTC(2024, 0, 1) }),
      customer({ id: 'c2', since: Date.UTC(2025, 5, 1) }), // joins after January
      customer({ id: 'c3', since: Date.UTC(2023, 0, 1), churnedAt: Date.UTC(2024, 11, 1) }), // lost before January
      customer({ id: 'c4' }),
    ];
    const complaint = ticket({ type: 'complaint', createdAt: jan(5) });
    const r = compute('complaint_rate', [complaint], [complaint, ...customers], JANUARY);
    // 1 complaint / 2 customers (c1, c4) × 100 = 50
    expect(r.value).toBeCloseTo(50, 12);
    expect(r.n).toBe(2);
    expect(r.detail.customers).toBe(2);
    expect(r.detail.denominator).toMatch(/^customers \(no orders among the inputs\)/);
  });

  it('is unavailable without tickets, ticket types, or anything to divide by', () => {
    const def = metric('complaint_rate');
    expect(def.unavailable(datasetOf([order({ id: '1' })]))).toBe('no ticket records among the inputs');
    expect(def.unavailable(datasetOf([ticket({}), order({ id: '1' })]))).toMatch(/tickets have no type/);
    expect(def.unavailable(datasetOf([ticket({ type: 'complaint' })]))).toMatch(/no order or customer records/);
    expect(def.unavailable(datasetOf([ticket({ type: 'complaint' }), customer({ id: 'c' })]))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------

describe('invoice_change_rate', () => {
  it('reads change types in English and Spanish, none and blank as unchanged', () => {
    const type = (changeType?: string) => invoiceChangeType(invoice(changeType === undefined ? {} : { changeType }));
    expect(['Corrección', 'Rectificativa', 'Credit note', 'Nota de crédito', 'Abono', 'Anulación', 'Cancelled', 'Price dispute'].map(type)).toEqual([
      'correction',
      'correction',
      'credit_note',
      'credit_note',
      'credit_note',
      'cancellation',
      'cancellation',
      'price dispute',
    ]);
    expect(['none', 'None', 'Ninguno', 'sin cambios', '-', undefined].map(type)).toEqual([null, null, null, null, null, null]);
  });

  it('divides changed invoices by invoices issued', () => {
    const records = [
      invoice({ id: 'i1', changeType: 'Corrección', reason: 'wrong VAT' }),
      invoice({ id: 'i2', changeType: 'Credit note', reason: 'return' }),
      invoice({ id: 'i3', changeType: 'none' }),
      invoice({ id: 'i4' }),
      invoice({ id: 'i5', changeType: 'Anulación', reason: 'wrong VAT' }),
      invoice({ id: 'i6', changeType: 'none' }),
      order({ id: 'o1' }), // ignored: invoices are their own denominator
    ];
    const r = compute('invoice_change_rate', records);
    // changed i1 i2 i5 = 3 / 6 invoices
    expect(r).toMatchObject({ value: 0.5, n: 6, ci95: wilson(3, 6) });
    expect(r.detail).toMatchObject({
      invoices: 6,
      changed: 3,
      by_type: { cancellation: 1, correction: 1, credit_note: 1 },
      by_reason: { 'wrong VAT': 2, return: 1 },
      method: 'changed invoices / invoices issued in the period',
    });
  });

  it('uses orders as the denominator when the file lists only changed invoices, and says so', () => {
    const records = [invoice({ id: 'i1', changeType: 'correction' }), invoice({ id: 'i2', changeType: 'abono' }), ...['1', '2', '3', '4'].map((id) => order({ id }))];
    const r = compute('invoice_change_rate', records);
    // 2 changes / 4 orders
    expect(r).toMatchObject({ value: 0.5, n: 4, ci95: wilson(2, 4) });
    expect(r.detail).toMatchObject({ orders: 4, changed: 2, by_type: { correction: 1, credit_note: 1 } });
    expect(r.detail.method).toMatch(/lists only changed invoices: changes \/ orders/);
  });

  it('places an invoice by its issue date, else by its change date', () => {
    const timeOf = metric('invoice_change_rate').timeOf!;
    expect(timeOf(invoice({ issuedAt: jan(2), changedAt: jan(9) }))).toBe(jan(2));
    expect(timeOf(invoice({ changedAt: jan(9) }))).toBe(jan(9));
    expect(timeOf(order({ orderedAt: jan(4) }))).toBe(jan(4));
  });

  it('is unavailable without change types, or with only changes and no orders', () => {
    const def = metric('invoice_change_rate');
    expect(def.unavailable(datasetOf([]))).toBe('no invoice change records among the inputs');
    expect(def.unavailable(datasetOf([invoice({ id: 'i1' })]))).toMatch(/no change type/);
    expect(def.unavailable(datasetOf([invoice({ id: 'i1', changeType: 'correction' })]))).toMatch(/lists only changed invoices .* no order records/);
    expect(def.unavailable(datasetOf([invoice({ id: 'i1', changeType: 'correction' }), order({ id: 'o' })]))).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------

describe('on_time_delivery_rate', () => {
  it('counts the whole promised day when promises are dates (all at the same time of day)', () => {
    const records = [
      order({ id: '1', promisedAt: jan(10), deliveredAt: jan(10, 18) }), // same day: on time
      order({ id: '2', promisedAt: jan(10), deliveredAt: jan(11, 12) }), // half a day after the promised day ends
      order({ id: '3', promisedAt: jan(10), deliveredAt: jan(8) }), // early
      order({ id: '4', promisedAt: jan(10) }), // not delivered yet: out
      order({ id: '5', deliveredAt: jan(9) }), // no promise: out
    ];
    const r = compute('on_time_delivery_rate', records);
    // 2 on time / 3 delivered with both dates
    expect(r).toMatchObject({ value: 2 / 3, n: 3, ci95: wilson(2, 3) });
    expect(r.detail).toMatchObject({ on_time: 2, late: 1, mean_days_late: 0.5, not_delivered: 1, delivered_without_promise: 1 });
    expect(r.detail.promise_reading).toMatch(/^date/);
  });

  it('reads promises at two UTC times an hour apart (daylight saving) as dates', () => {
    // local midnight in a UTC−3 zone is 03:00 UTC, 02:00 UTC under daylight saving
    const records = [order({ id: '1', promisedAt: jan(10, 3), deliveredAt: jan(11, 2) }), order({ id: '2', promisedAt: jan(20, 2), deliveredAt: jan(21, 2) })];
    const r = compute('on_time_delivery_rate', records);
    // 1: 23 h after local midnight of the promised day: on time; 2: 24 h after: the next day, late
    expect(r).toMatchObject({ value: 0.5, n: 2 });
    expect(r.detail.promise_reading).toMatch(/^date/);
  });

  it('holds promises with times of day to the instant', () => {
    const records = [
      order({ id: '1', promisedAt: jan(10, 14), deliveredAt: jan(10, 14) }), // exactly on the instant: on time
      order({ id: '2', promisedAt: jan(10, 10), deliveredAt: jan(10, 18) }), // 8 h late
      order({ id: '3', promisedAt: jan(10, 18), deliveredAt: jan(10, 17) }),
    ];
    const r = compute('on_time_delivery_rate', records);
    expect(r).toMatchObject({ value: 2 / 3, n: 3 });
    expect(r.detail.mean_days_late).toBeCloseTo(8 / 24, 12);
    expect(r.detail.promise_reading).toMatch(/^instant/);
  });

  it('places an order by its delivery, else its order date', () => {
    const timeOf = metric('on_time_delivery_rate').timeOf!;
    expect(timeOf(order({ orderedAt: jan(1), deliveredAt: jan(5) }))).toBe(jan(5));
    expect(timeOf(order({ orderedAt: jan(1) }))).toBe(jan(1));
  });

  it('rates a single on-time order 1 with a Wilson interval', () => {
    expect(compute('on_time_delivery_rate', [order({ id: '1', promisedAt: jan(3), deliveredAt: jan(2) })])).toMatchObject({ value: 1, n: 1, ci95: wilson(1, 1) });
  });

  it('is unavailable without both dates on one order', () => {
    const def = metric('on_time_delivery_rate');
    expect(def.unavailable(datasetOf([order({ id: '1', deliveredAt: jan(1) })]))).toBe('orders have no promised delivery date');
    expect(def.unavailable(datasetOf([order({ id: '1', promisedAt: jan(1) })]))).toBe('orders have no delivery date');
    expect(def.unavailable(datasetOf([order({ id: '1', promisedAt: jan(1) }), order({ id: '2', deliveredAt: jan(1) })]))).toMatch(/no delivered order carries both/);
  });
});

// ---------------------------------------------------------------------------------------
// merge property

const orderIds = fc.constantFrom('o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7');
const day = fc.integer({ min: 1, max: 28 });

const recordArb: fc.Arbitrary<CxRecord> = fc.oneof(
  fc
    .record({ units: maybe(fc.integer({ min: 1, max: 5 })), amount: maybe(fc.integer({ min: 1, max: 500 })), promised: maybe(day), delivered: maybe(day) })
    .map(({ promised, delivered, ...f }) => order(defined({ ...f, promisedAt: promised && jan(promised), deliveredAt: delivered && jan(delivered, 15) }))),
  fc
    .record({ orderId: maybe(orderIds), units: maybe(fc.integer({ min: 1, max: 3 })), amount: maybe(fc.integer({ min: 1, max: 100 })), reason: maybe(fc.constantFrom('damaged', 'late')) })
    .map((f) => ret(defined(f))),
  fc.record({ type: maybe(fc.constantFrom('Complaint', 'Queja', 'Question', 'Refund request')) }).map((f) => ticket(defined(f))),
  fc.record({ changeType: maybe(fc.constantFrom('none', 'correction', 'credit note', 'cancellation')), reason: maybe(fc.constantFrom('vat', 'price')) }).map((f) => invoice(defined(f))),
);

describe('merge', () => {
  it('two accumulators over a split of the records, merged, equal one over all of them', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(recordArb, fc.boolean()), { maxLength: 60 }), (pairs) => {
        // unique ids per kind (duplicates would be dropped by the dataset); orders o0..o7 so returns can link
        const counters = new Map<string, number>();
        for (const [r] of pairs) {
          const i = counters.get(r.kind) ?? 0;
          counters.set(r.kind, i + 1);
          r.id = `${r.kind === 'order' ? 'o' : r.kind}${i}`;
        }
        const records = pairs.map(([r]) => r);
        expectMergeable(COMMERCE_METRICS, records, (_, i) => pairs[i]![1], datasetOf(records));
      }),
      { numRuns: 150 },
    );
  });
});
