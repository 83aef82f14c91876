/**
 * Exposures for `cxm drivers`: the operational events each customer went through (a return, a
 * complaint, an invoice correction, a reopened ticket, a late delivery…) and when, derived from
 * whatever record kinds are among the inputs. Each exposure is indexed by customer id with its
 * instants sorted, so asking "did this customer have one within the window before t?" is a binary
 * search: linking n outcomes to m events is O((n + m) log m), not O(n·m).
 *
 * Linking: by customer id. A record without a customer id gets one through its order id (orders,
 * then returns and invoice changes that carry both) or its ticket id, so a returns sheet that
 * names only the order still links. Records that end up with no customer, or no instant, cannot
 * be placed and are left out (counted in `unplaced`).
 *
 * @module
 */
import type { Dataset } from '../dataset/dataset.js';
import { invoiceChangeType } from '../metrics/commerce.js';
import { fold } from '../metrics/helpers.js';
import { quantile } from '../metrics/stats/index.js';
import { isResolved, ticketTypeClass } from '../metrics/tickets.js';
import type { CxRecord, OrderRecord, RecordKind, TicketRecord } from '../schema/records.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** One exposure: who had it and when. */
export interface Exposure {
  /** Stable id: `return`, `return:reason=Producto dañado`, `contact:channel=email`. */
  id: string;
  /** For people: "a return (reason: Producto dañado)". */
  label: string;
  /** The family it belongs to (`return` for every return exposure). */
  family: string;
  /** Record kinds the events come from; an outcome is "linkable" when its customer appears in one. */
  sources: RecordKind[];
  /** Customer id -> instants of the event (epoch ms), sorted ascending. */
  index: ReadonlyMap<string, Float64Array>;
  /** Events placed (customer and instant known). */
  events: number;
}

export interface ExposureSettings {
  /** A first response slower than this (seconds) is slow; null: the 75th percentile of the data. */
  slaFirstResponseSeconds: number | null;
  /** At most this many values per categorical breakdown (by reason, category, type, channel), the most frequent. */
  maxValues: number;
}

export const EXPOSURE_DEFAULTS: ExposureSettings = { slaFirstResponseSeconds: null, maxValues: 12 };

export interface DerivedExposures {
  exposures: Exposure[];
  /** Customers that appear in each kind at all (any record, exposure or not). */
  customersByKind: ReadonlyMap<RecordKind, ReadonlySet<string>>;
  /** The slow-first-response threshold used, seconds, and where it came from. */
  firstResponseThreshold: { seconds: number; source: 'sla' | 'p75' } | null;
  /** Per family: event records that could not be placed (no customer, or no instant). */
  unplaced: Record<string, number>;
  /** Breakdown values left out for `maxValues` (family:field -> count of values dropped). */
  truncated: Record<string, number>;
}

// ---------------------------------------------------------------------------------------
// customer resolution

/** Finds a record's customer: its own id, else through its order or ticket. */
export class CustomerResolver {
  private readonly byOrder = new Map<string, string>();
  private readonly byTicket = new Map<string, string>();

  constructor(dataset: Dataset) {
    for (const o of dataset.records('order')) if (o.id !== undefined && o.customerId !== undefined) this.byOrder.set(o.id, o.customerId);
    for (const kind of ['return', 'invoice_change'] as const) {
      for (const r of dataset.records(kind)) {
        if (r.orderId !== undefined && r.customerId !== undefined && !this.byOrder.has(r.orderId)) this.byOrder.set(r.orderId, r.customerId);
      }
    }
    for (const t of dataset.records('ticket')) if (t.id !== undefined && t.customerId !== undefined) this.byTicket.set(t.id, t.customerId);
  }

  customerOf(record: CxRecord): string | undefined {
    if (record.customerId !== undefined && record.customerId !== '') return record.customerId;
    const orderId = 'orderId' in record ? record.orderId : undefined;
    if (orderId !== undefined) {
      const viaOrder = this.byOrder.get(orderId);
      if (viaOrder !== undefined) return viaOrder;
    }
    const ticketId = record.kind === 'survey' ? record.ticketId : undefined;
    return ticketId === undefined ? undefined : this.byTicket.get(ticketId);
  }
}

// ---------------------------------------------------------------------------------------
// binary search

/** Index of the first element >= x in a sorted array (its length when none). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Is there an instant in [from, to] (both inclusive) in a sorted array? */
export function anyWithin(sorted: ArrayLike<number>, from: number, to: number): boolean {
  const i = lowerBound(sorted, from);
  return i < sorted.length && sorted[i]! <= to;
}

// ---------------------------------------------------------------------------------------
// building

interface Pending {
  id: string;
  label: string;
  family: string;
  sources: Set<RecordKind>;
  lists: Map<string, number[]>;
  events: number;
}

class ExposureBuilder {
  readonly pending = new Map<string, Pending>();
  readonly unplaced: Record<string, number> = {};
  /** family:field -> value -> events, to keep only the most frequent values. */
  readonly valueCounts = new Map<string, Map<string, number>>();

  constructor(private readonly resolver: CustomerResolver) {}

  /** Records one event of `family` (and of `family:field=value` for each breakdown given). */
  add(
    family: string,
    label: string,
    record: CxRecord,
    at: number | undefined,
    breakdowns: [field: string, value: string | undefined, label: string][] = [],
    id: string = family,
  ): void {
    const customer = this.resolver.customerOf(record);
    if (customer === undefined || at === undefined || !Number.isFinite(at)) {
      this.unplaced[id] = (this.unplaced[id] ?? 0) + 1;
      return;
    }
    this.push(id, label, family, record.kind, customer, at);
    for (const [field, raw, fieldLabel] of breakdowns) {
      const value = raw?.trim();
      if (value === undefined || value === '') continue;
      const id = `${family}:${field}=${value}`;
      this.push(id, `${label} (${fieldLabel}: ${value})`, family, record.kind, customer, at);
      const key = `${family}:${field}`;
      let counts = this.valueCounts.get(key);
      if (!counts) this.valueCounts.set(key, (counts = new Map()));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }

  private push(id: string, label: string, family: string, kind: RecordKind, customer: string, at: number): void {
    let p = this.pending.get(id);
    if (!p) this.pending.set(id, (p = { id, label, family, sources: new Set(), lists: new Map(), events: 0 }));
    p.sources.add(kind);
    let list = p.lists.get(customer);
    if (!list) p.lists.set(customer, (list = []));
    list.push(at);
    p.events++;
  }

  finish(maxValues: number): { exposures: Exposure[]; truncated: Record<string, number> } {
    const drop = new Set<string>();
    const truncated: Record<string, number> = {};
    for (const [key, counts] of this.valueCounts) {
      const family = key.slice(0, key.indexOf(':'));
      const parent = this.pending.get(family);
      const ordered = [...counts].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]));
      // A breakdown with a single value is its family again.
      if (ordered.length === 1 && parent && ordered[0]![1] === parent.events) {
        drop.add(ordered[0]![0]);
        continue;
      }
      for (const [id] of ordered.slice(maxValues)) drop.add(id);
      if (ordered.length > maxValues) truncated[key] = ordered.length - maxValues;
    }
    const exposures: Exposure[] = [];
    for (const p of this.pending.values()) {
      if (drop.has(p.id)) continue;
      const index = new Map<string, Float64Array>();
      for (const [customer, list] of p.lists) index.set(customer, Float64Array.from(list).sort());
      exposures.push({ id: p.id, label: p.label, family: p.family, sources: [...p.sources].sort(), index, events: p.events });
    }
    return { exposures, truncated };
  }
}

/** Locale-independent ordering, so output is byte-identical on every machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * First response of a ticket in seconds: from the timestamps, else the precomputed column
 * (the same preference as the first_response_time metric).
 */
function firstResponseSeconds(t: TicketRecord): number | undefined {
  if (t.createdAt !== undefined && t.firstResponseAt !== undefined) return (t.firstResponseAt - t.createdAt) / 1000;
  return t.firstResponseSeconds;
}

/**
 * Promises are dates in nearly every export (local midnight once parsed): then the whole promised
 * day counts, as in the on_time_delivery_rate metric (commerce.ts), which decides it the same way:
 * every promise at one UTC time of day, or two one hour apart (daylight saving), means dates.
 */
function promisesAreDates(orders: readonly OrderRecord[]): boolean {
  const times = new Set<number>();
  for (const o of orders) {
    if (o.promisedAt === undefined) continue;
    times.add(((o.promisedAt % DAY_MS) + DAY_MS) % DAY_MS);
    if (times.size > 2) return false;
  }
  const [a, b] = [...times];
  return times.size <= 1 || (a !== undefined && b !== undefined && [HOUR_MS, DAY_MS - HOUR_MS].includes(Math.abs(a - b)));
}

/** Not resolved on first contact: the export's flag says no, or a resolved ticket was reopened or took more than one contact. */
function ticketNotFcr(t: TicketRecord): boolean {
  if (t.fcr !== undefined) return !t.fcr;
  if (!isResolved(t)) return false;
  return (t.reopens ?? 0) > 0 || (t.contacts !== undefined && t.contacts > 1);
}

/**
 * Every exposure the dataset allows (see the module comment for linking). Families:
 *
 * - `return` (return records, at the return date), by `reason`.
 * - `complaint` (tickets whose type reads as a complaint, at creation), by `category`.
 * - `invoice_change` (invoices corrected or credited, at the change date, else the issue date),
 *   by `type`. A cancellation is broken out by type but is not part of the family: a voided
 *   invoice follows the customer's own cancelled order, not a billing error.
 * - `reopened_ticket` (reopens > 0, at creation); `ticket_not_fcr` (the export's FCR flag says
 *   no, or a resolved ticket was reopened or needed more than one contact); `slow_first_response`
 *   (first response slower than the configured SLA, else than the 75th percentile of all tickets'
 *   first responses in the data).
 * - `abandoned_call` (calls abandoned or not answered, at the call); `call_not_fcr`.
 * - `late_delivery` (delivered after the promised day, at delivery).
 * - `failed_installation` (onboarding records with success = no, at the start).
 * - `contact` (a ticket or a call, at its start), by `channel` (calls without one are `phone`).
 */
export function deriveExposures(dataset: Dataset, settings: ExposureSettings = EXPOSURE_DEFAULTS): DerivedExposures {
  const resolver = new CustomerResolver(dataset);
  const b = new ExposureBuilder(resolver);

  const customersByKind = new Map<RecordKind, Set<string>>();
  for (const kind of dataset.kinds()) {
    if (kind === 'customer') continue;
    const set = new Set<string>();
    for (const record of dataset.records(kind)) {
      const customer = resolver.customerOf(record);
      if (customer !== undefined) set.add(customer);
    }
    customersByKind.set(kind, set);
  }

  for (const r of dataset.records('return')) {
    b.add('return', 'a return', r, r.returnedAt, [['reason', r.reason, 'reason']]);
  }

  for (const inv of dataset.records('invoice_change')) {
    const type = invoiceChangeType(inv);
    if (type === null) continue;
    const at = inv.changedAt ?? inv.issuedAt;
    if (type === 'cancellation') b.add('invoice_change', 'an invoice cancelled', inv, at, [], 'invoice_change:type=cancellation');
    else b.add('invoice_change', 'an invoice corrected or credited', inv, at, [['type', type, 'type']]);
  }

  const tickets = dataset.records('ticket');
  const responses: number[] = [];
  for (const t of tickets) {
    const s = firstResponseSeconds(t);
    if (s !== undefined && s >= 0) responses.push(s);
  }
  let firstResponseThreshold: DerivedExposures['firstResponseThreshold'] = null;
  if (settings.slaFirstResponseSeconds !== null) firstResponseThreshold = { seconds: settings.slaFirstResponseSeconds, source: 'sla' };
  else if (responses.length > 0) firstResponseThreshold = { seconds: quantile(responses, 0.75)!, source: 'p75' };

  for (const t of tickets) {
    if (ticketTypeClass(t.type) === 'complaint') b.add('complaint', 'a complaint', t, t.createdAt, [['category', t.category, 'category']]);
    if ((t.reopens ?? 0) > 0) b.add('reopened_ticket', 'a reopened ticket', t, t.createdAt);
    if (ticketNotFcr(t)) b.add('ticket_not_fcr', 'a ticket not resolved on first contact', t, t.createdAt);
    const s = firstResponseSeconds(t);
    if (firstResponseThreshold !== null && s !== undefined && s > firstResponseThreshold.seconds) {
      b.add('slow_first_response', 'a slow first response', t, t.createdAt);
    }
    if (t.channel !== undefined) b.add('contact', 'a contact', t, t.createdAt, [['channel', fold(t.channel), 'channel']]);
  }

  for (const c of dataset.records('call')) {
    if (c.abandoned === true || c.answered === false) b.add('abandoned_call', 'an abandoned call', c, c.startedAt);
    if (c.fcr === false) b.add('call_not_fcr', 'a call not resolved on first contact', c, c.startedAt);
    b.add('contact', 'a contact', c, c.startedAt, [['channel', c.channel === undefined ? 'phone' : fold(c.channel), 'channel']]);
  }

  const orders = dataset.records('order');
  const dates = promisesAreDates(orders);
  for (const o of orders) {
    if (o.promisedAt === undefined || o.deliveredAt === undefined) continue;
    const deadline = dates ? o.promisedAt + DAY_MS : o.promisedAt;
    if (o.deliveredAt > deadline) b.add('late_delivery', 'a late delivery', o, o.deliveredAt);
  }

  for (const on of dataset.records('onboarding')) {
    if (on.success === false) b.add('failed_installation', 'a failed installation', on, on.startedAt);
  }

  // `contact` alone is "any ticket or call": too broad to mean anything next to its channels.
  b.pending.delete('contact');
  const { exposures, truncated } = b.finish(settings.maxValues);
  exposures.sort((x, y) => compareCodeUnits(x.id, y.id));
  return { exposures, customersByKind, firstResponseThreshold, unplaced: b.unplaced, truncated };
}
