/**
 * Commerce metrics: return rate, complaint rate, invoice change rate and on-time delivery.
 *
 * Definitions shared by the family:
 * - Orders are placed in a period by `orderedAt`, except for on-time delivery (see there).
 * - When a rate's numerator and denominator come from different files (returns or changed
 *   invoices over orders, complaints over orders), the numerator is not a subset of the
 *   denominator, so the value can exceed 1 and is not a binomial proportion. The Wilson interval
 *   is still given, as an approximation that treats each order as one chance of the event, when
 *   the numerator does not exceed the denominator; otherwise `ci95` is null.
 * - A metric fed two kinds (complaint_rate, the fallbacks of return_rate and invoice_change_rate)
 *   counts each kind in its own period and segment; a `--by` field only one kind carries splits
 *   that kind alone.
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import type { CxRecord, InvoiceChangeRecord, OrderRecord, ReturnRecord } from '../schema/records.js';
import { Tally, fieldPresent, fold, missingKinds, rate, sameAccumulator } from './helpers.js';
import { MeanVar, wilson } from './stats/index.js';
import { ticketTypeClass } from './tickets.js';
import type { Accumulator, Links, MetricDefinition, MetricResult, PeriodBounds } from './types.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * A ratio of two counts from different files, with the Wilson interval as an approximation when
 * the numerator fits in the denominator (see the module comment); value null when the
 * denominator is 0.
 */
function countRatio(numerator: number, denominator: number, scale: number, detail: Record<string, unknown>): MetricResult {
  if (denominator === 0) return { value: null, n: 0, ci95: null, detail };
  const ci = numerator <= denominator ? wilson(numerator, denominator) : null;
  return {
    value: (numerator / denominator) * scale,
    n: denominator,
    ci95: ci ? [ci[0] * scale, ci[1] * scale] : null,
    detail,
  };
}

const sumOf = <T>(items: readonly T[], value: (item: T) => number | undefined): number | undefined => {
  let sum = 0;
  for (const item of items) {
    const v = value(item);
    if (v === undefined) return undefined;
    sum += v;
  }
  return sum;
};

/** Numerator, denominator and their ratio for detail; null when the denominator is unknown or 0. */
function part(numerator: number, denominator: number, names: [string, string]): Record<string, number> | null {
  if (!(denominator > 0)) return null;
  return { value: numerator / denominator, [names[0]]: numerator, [names[1]]: denominator };
}

// ---------------------------------------------------------------------------------------
// return_rate

type ReturnMethod = 'linked' | 'counts';

const RETURN_METHODS: Record<ReturnMethod, string> = {
  linked: 'orders placed in the period with at least one return (at any time), linked by order id / orders placed in the period',
  counts: 'returns carry no order id: returns in the period / orders in the period (not the share of orders returned)',
};

/**
 * Linked (returns carry order ids): each order of the period looks up its returns, so a return
 * made later still marks the order. Counts (no return carries an order id): returns of the
 * period over orders of the period. Units and amounts are summed per order only when the order
 * and all its returns carry them (counts mode: only when every record does), so the two sides
 * of each rate describe the same orders.
 */
class ReturnRateAccumulator implements Accumulator {
  orders = 0;
  /** Linked: orders with a return. Counts: return records. */
  returned = 0;
  returns = 0;
  /** Linked: return records of the period that carry no order id (they cannot be linked). */
  unlinkable = 0;
  orderedUnits = 0;
  returnedUnits = 0;
  unitsMissing = 0;
  orderedAmount = 0;
  returnedAmount = 0;
  amountMissing = 0;
  readonly byReason = new Tally<string>();
  readonly byProduct = new Tally<string>();

  constructor(
    private readonly method: ReturnMethod,
    private readonly returnsByOrder: Links['returnsByOrder'],
  ) {}

  add(record: CxRecord): void {
    if (this.method === 'linked') {
      if (record.kind === 'order') this.addLinkedOrder(record);
      else if (record.kind === 'return' && record.orderId === undefined) this.unlinkable++;
      return;
    }
    // counts: each record adds to its own side of the rates
    if (record.kind === 'order') {
      this.orders++;
      if (record.units === undefined) this.unitsMissing++;
      else this.orderedUnits += record.units;
      if (record.amount === undefined) this.amountMissing++;
      else this.orderedAmount += record.amount;
    } else if (record.kind === 'return') {
      this.returned++;
      this.addReturns([record]);
      if (record.units === undefined) this.unitsMissing++;
      else this.returnedUnits += record.units;
      if (record.amount === undefined) this.amountMissing++;
      else this.returnedAmount += record.amount;
    }
  }

  private addLinkedOrder(order: OrderRecord): void {
    this.orders++;
    // links.ts groups return records only
    const returns = ((order.id === undefined ? undefined : this.returnsByOrder.get(order.id)) ?? []) as readonly ReturnRecord[];
    if (returns.length > 0) this.returned++;
    this.addReturns(returns);
    const returnedUnits = sumOf(returns, (r) => r.units);
    if (order.units === undefined || returnedUnits === undefined) this.unitsMissing++;
    else {
      this.orderedUnits += order.units;
      this.returnedUnits += returnedUnits;
    }
    const returnedAmount = sumOf(returns, (r) => r.amount);
    if (order.amount === undefined || returnedAmount === undefined) this.amountMissing++;
    else {
      this.orderedAmount += order.amount;
      this.returnedAmount += returnedAmount;
    }
  }

  private addReturns(returns: readonly ReturnRecord[]): void {
    for (const r of returns) {
      this.returns++;
      this.byReason.add(r.reason ?? 'unknown');
      this.byProduct.add(r.product ?? 'unknown');
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.orders += o.orders;
    this.returned += o.returned;
    this.returns += o.returns;
    this.unlinkable += o.unlinkable;
    this.orderedUnits += o.orderedUnits;
    this.returnedUnits += o.returnedUnits;
    this.unitsMissing += o.unitsMissing;
    this.orderedAmount += o.orderedAmount;
    this.returnedAmount += o.returnedAmount;
    this.amountMissing += o.amountMissing;
    this.byReason.merge(o.byReason);
    this.byProduct.merge(o.byProduct);
  }

  result(): MetricResult {
    // Counts mode mixes two files: a partial sum on either side would not describe the same
    // orders, so its secondary rates need every record to carry the field.
    const complete = (missing: number) => this.method === 'linked' || missing === 0;
    const detail = {
      method: RETURN_METHODS[this.method],
      orders: this.orders,
      returns: this.returns,
      ...(this.method === 'linked' ? { returned_orders: this.returned, returns_without_order_id: this.unlinkable } : {}),
      units_rate: complete(this.unitsMissing) ? part(this.returnedUnits, this.orderedUnits, ['returned_units', 'ordered_units']) : null,
      revenue_rate: complete(this.amountMissing) ? part(this.returnedAmount, this.orderedAmount, ['returned_amount', 'ordered_amount']) : null,
      by_reason: this.byReason.toObject('count'),
      by_product: this.byProduct.toObject('count'),
    };
    return this.method === 'linked' ? rate(this.returned, this.orders, detail) : countRatio(this.returned, this.orders, 1, detail);
  }
}

const returnRate: MetricDefinition = {
  id: 'return_rate',
  label: 'Return rate',
  unit: 'share',
  direction: 'lower',
  domain: 'commerce',
  // Returns are fed only for the fallback without order ids; linked, orders alone decide.
  kinds: ['order', 'return'],
  needs: 'order records and return records (return.orderId to link them)',
  formula:
    'orders with a return (linked by order id) / orders; without order ids on returns: returns / orders in the period; detail units and revenue rates, by reason and product; 95% CI Wilson',
  unavailable: (dataset) => missingKinds(dataset, ['order']) ?? missingKinds(dataset, ['return']),
  // Needs orders and returns both.
  unavailableAlone: ['order', 'return'],
  create: (_settings, links) => new ReturnRateAccumulator(links.returnsByOrder.size > 0 ? 'linked' : 'counts', links.returnsByOrder),
};

// ---------------------------------------------------------------------------------------
// complaint_rate

const isComplaintTicket = (record: CxRecord) => record.kind === 'ticket' && ticketTypeClass(record.type) === 'complaint';

/** Customers who were customers during the period: joined before its end, not lost before its start. */
function customersDuring(dataset: Dataset, period: PeriodBounds): number {
  let count = 0;
  for (const c of dataset.records('customer')) {
    if (c.since !== undefined && c.since >= period.end) continue;
    if (c.churnedAt !== undefined && c.churnedAt < period.start) continue;
    count++;
  }
  return count;
}

/**
 * Complaint tickets and orders, counted separately. Without orders in the dataset, the
 * denominator is the customers on file during the period, fixed at creation: it is a property
 * of the period, not of the records fed, so `merge` does not add it (and it is not split by
 * segment).
 */
class ComplaintRateAccumulator implements Accumulator {
  complaints = 0;
  orders = 0;

  constructor(private readonly customers: number | null) {}

  add(record: CxRecord): void {
    if (record.kind === 'order') this.orders++;
    else if (isComplaintTicket(record)) this.complaints++;
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.complaints += o.complaints;
    this.orders += o.orders;
  }

  result(): MetricResult {
    if (this.customers === null) {
      return countRatio(this.complaints, this.orders, 100, { complaints: this.complaints, orders: this.orders, denominator: 'orders' });
    }
    return countRatio(this.complaints, this.customers, 100, {
      complaints: this.complaints,
      customers: this.customers,
      denominator: 'customers (no orders among the inputs): customers on file during the period, all segments',
    });
  }
}

const complaintRate: MetricDefinition = {
  id: 'complaint_rate',
  label: 'Complaint rate',
  unit: 'per_100',
  direction: 'lower',
  domain: 'commerce',
  kinds: ['order', 'ticket'],
  needs: 'ticket.type, and order records (else customer records)',
  formula:
    '100 × complaint tickets (type complaint, claim, queja, reclamación, reclamo) / orders in the period; without orders: per 100 customers on file during the period',
  accepts: (record) => record.kind === 'order' || isComplaintTicket(record),
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['ticket']);
    if (missing) return missing;
    if (!fieldPresent(dataset, 'ticket', 'type')) return 'tickets have no type, so complaints cannot be told apart';
    if (dataset.records('order').length === 0 && dataset.records('customer').length === 0) {
      return 'no order or customer records among the inputs to divide complaints by';
    }
    return null;
  },
  // Needs tickets, and orders or customers.
  unavailableAlone: ['order', 'ticket'],
  create: (_settings, links, period) =>
    new ComplaintRateAccumulator(links.dataset.records('order').length > 0 ? null : customersDuring(links.dataset, period)),
};

// ---------------------------------------------------------------------------------------
// invoice_change_rate

/** Change types that mean "issued, not changed" (folded). */
const UNCHANGED = new Set(['', 'none', 'no', 'na', 'n a', 'no change', 'unchanged', 'original', 'ninguno', 'ninguna', 'sin cambio', 'sin cambios', 'false', '0']);

/** Words that name the canonical change types (folded, read word by word). */
const CHANGE_WORDS: [string, ReadonlySet<string>][] = [
  ['credit_note', new Set(['credit', 'abono', 'abonos', 'credito'])],
  ['cancellation', new Set(['cancellation', 'cancelled', 'canceled', 'cancel', 'void', 'voided', 'anulacion', 'anulada', 'anulado', 'cancelacion', 'cancelada', 'cancelado'])],
  ['correction', new Set(['correction', 'corrected', 'correccion', 'rectificacion', 'rectificativa', 'rectificada', 'adjustment', 'ajuste'])],
];

/** The canonical change type of an invoice record, or null when it was not changed. */
export function invoiceChangeType(record: InvoiceChangeRecord): string | null {
  if (record.changeType === undefined) return null;
  const folded = fold(record.changeType);
  if (UNCHANGED.has(folded)) return null;
  const words = folded.split(' ');
  for (const [type, set] of CHANGE_WORDS) if (words.some((w) => set.has(w))) return type;
  return folded;
}

/**
 * invoices: the file lists invoices, changed or not (some row has no change type, or "none").
 * changes: every row is a change, so the invoices issued are unknown and orders stand in.
 * Decided once per dataset.
 */
type InvoiceMethod = 'invoices' | 'changes';
const invoiceMethodCache = new WeakMap<Dataset, InvoiceMethod | null>();

function invoiceMethod(dataset: Dataset): InvoiceMethod | null {
  let method = invoiceMethodCache.get(dataset);
  if (method === undefined) {
    const records = dataset.records('invoice_change');
    if (!records.some((r) => r.changeType !== undefined)) method = null;
    else method = records.some((r) => invoiceChangeType(r) === null) ? 'invoices' : 'changes';
    invoiceMethodCache.set(dataset, method);
  }
  return method;
}

class InvoiceChangeAccumulator implements Accumulator {
  invoices = 0;
  changed = 0;
  orders = 0;
  readonly byType = new Tally<string>();
  readonly byReason = new Tally<string>();

  constructor(private readonly method: InvoiceMethod) {}

  add(record: CxRecord): void {
    if (record.kind === 'order') {
      if (this.method === 'changes') this.orders++;
      return;
    }
    if (record.kind !== 'invoice_change') return;
    this.invoices++;
    const type = invoiceChangeType(record);
    if (type === null) return;
    this.changed++;
    this.byType.add(type);
    this.byReason.add(record.reason ?? 'unknown');
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.invoices += o.invoices;
    this.changed += o.changed;
    this.orders += o.orders;
    this.byType.merge(o.byType);
    this.byReason.merge(o.byReason);
  }

  result(): MetricResult {
    const detail = {
      changed: this.changed,
      by_type: this.byType.toObject('count'),
      by_reason: this.byReason.toObject('count'),
    };
    if (this.method === 'invoices') {
      return rate(this.changed, this.invoices, { ...detail, invoices: this.invoices, method: 'changed invoices / invoices issued in the period' });
    }
    return countRatio(this.changed, this.orders, 1, {
      ...detail,
      orders: this.orders,
      method: 'the invoice file lists only changed invoices: changes / orders in the period (orders stand in for invoices issued)',
    });
  }
}

const invoiceChangeRate: MetricDefinition = {
  id: 'invoice_change_rate',
  label: 'Invoice change rate',
  unit: 'share',
  direction: 'lower',
  domain: 'commerce',
  // Orders are fed only when the file lists changes alone and orders stand in for invoices.
  kinds: ['invoice_change', 'order'],
  needs: 'invoice_change.changeType (order records when the file lists only changed invoices)',
  formula:
    'invoices with a correction, credit note or cancellation / invoices issued (change type none or empty = not changed); a file of changes only: changes / orders; 95% CI Wilson',
  // An invoice belongs to the period it was issued in; a list of changes without issue dates to
  // the period of the change.
  timeOf: (record) => (record.kind === 'invoice_change' ? (record.issuedAt ?? record.changedAt) : record.kind === 'order' ? record.orderedAt : undefined),
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['invoice_change']);
    if (missing) return missing;
    const method = invoiceMethod(dataset);
    if (method === null) return 'invoice records have no change type (correction, credit note, cancellation, or none), so changed invoices cannot be told apart';
    if (method === 'changes' && dataset.records('order').length === 0) {
      return 'the invoice file lists only changed invoices (every row has a change type) and there are no order records to divide by';
    }
    return null;
  },
  // Orders alone have no invoice change (an invoice file alone may be computable).
  unavailableAlone: ['order'],
  create: (_settings, links) => new InvoiceChangeAccumulator(invoiceMethod(links.dataset) ?? 'invoices'),
};

// ---------------------------------------------------------------------------------------
// on_time_delivery_rate

/**
 * How promised instants read. A promise is a date, not an instant, in nearly every export
 * ("estimated delivery date"); parsed in the configured time zone a date becomes local midnight.
 * Metrics see no time zone, so the dataset tells: when every promise falls at the same UTC time
 * of day, or at two times one hour apart (daylight saving), the promises are dates and the whole
 * promised day counts. Otherwise they are instants and the delivery must come by that instant.
 */
type PromiseReading = 'date' | 'instant';
const promiseCache = new WeakMap<Dataset, PromiseReading>();

function promiseReading(dataset: Dataset): PromiseReading {
  let reading = promiseCache.get(dataset);
  if (reading === undefined) {
    const times = new Set<number>();
    for (const o of dataset.records('order')) {
      if (o.promisedAt === undefined) continue;
      times.add(((o.promisedAt % DAY_MS) + DAY_MS) % DAY_MS);
      if (times.size > 2) break;
    }
    const [a, b] = [...times];
    const oneHourApart = a !== undefined && b !== undefined && [HOUR_MS, DAY_MS - HOUR_MS].includes(Math.abs(a - b));
    reading = times.size <= 1 || (times.size === 2 && oneHourApart) ? 'date' : 'instant';
    promiseCache.set(dataset, reading);
  }
  return reading;
}

class OnTimeDeliveryAccumulator implements Accumulator {
  onTime = 0;
  late = 0;
  /** Days late of late deliveries, from the deadline. */
  readonly lateDays = new MeanVar();
  /** Delivered orders without a promise, and promised orders not delivered: both stay out. */
  deliveredWithoutPromise = 0;
  notDelivered = 0;

  constructor(private readonly reading: PromiseReading) {}

  add(record: CxRecord): void {
    if (record.kind !== 'order') return;
    const { promisedAt, deliveredAt } = record;
    if (deliveredAt === undefined) {
      if (promisedAt !== undefined) this.notDelivered++;
      return;
    }
    if (promisedAt === undefined) {
      this.deliveredWithoutPromise++;
      return;
    }
    // A promised date runs to the end of its day (24 h after local midnight; on the two
    // daylight-saving days that is an hour off).
    const deadline = this.reading === 'date' ? promisedAt + DAY_MS : promisedAt;
    const onTime = this.reading === 'date' ? deliveredAt < deadline : deliveredAt <= deadline;
    if (onTime) this.onTime++;
    else {
      this.late++;
      this.lateDays.add((deliveredAt - deadline) / DAY_MS);
    }
  }

  merge(other: Accumulator): void {
    const o = sameAccumulator(this, other);
    this.onTime += o.onTime;
    this.late += o.late;
    this.lateDays.merge(o.lateDays);
    this.deliveredWithoutPromise += o.deliveredWithoutPromise;
    this.notDelivered += o.notDelivered;
  }

  result(): MetricResult {
    return rate(this.onTime, this.onTime + this.late, {
      on_time: this.onTime,
      late: this.late,
      mean_days_late: this.lateDays.count === 0 ? null : this.lateDays.mean,
      promise_reading:
        this.reading === 'date' ? 'date: delivered by the end of the promised day' : 'instant: delivered by the promised date and time',
      delivered_without_promise: this.deliveredWithoutPromise,
      not_delivered: this.notDelivered,
    });
  }
}

const onTimeDeliveryRate: MetricDefinition = {
  id: 'on_time_delivery_rate',
  label: 'On-time delivery rate',
  unit: 'share',
  direction: 'higher',
  domain: 'commerce',
  kinds: ['order'],
  needs: 'order.promisedAt, order.deliveredAt',
  formula:
    'orders delivered by the end of the promised day / delivered orders with both dates, by period of delivery; promises with a time of day are met by that instant; 95% CI Wilson',
  // Placed by delivery: a recent period placed by order date would hold only its fast deliveries.
  timeOf: (record) => (record.kind === 'order' ? (record.deliveredAt ?? record.orderedAt) : undefined),
  unavailable(dataset) {
    const missing = missingKinds(dataset, ['order']);
    if (missing) return missing;
    if (!fieldPresent(dataset, 'order', 'promisedAt')) return 'orders have no promised delivery date';
    if (!fieldPresent(dataset, 'order', 'deliveredAt')) return 'orders have no delivery date';
    return dataset.records('order').some((o) => o.promisedAt !== undefined && o.deliveredAt !== undefined)
      ? null
      : 'no delivered order carries both a promised and a delivery date';
  },
  create: (_settings, links) => new OnTimeDeliveryAccumulator(promiseReading(links.dataset)),
};

/** The commerce family, in catalogue order. */
export const COMMERCE_METRICS: readonly MetricDefinition[] = [returnRate, complaintRate, invoiceChangeRate, onTimeDeliveryRate];
