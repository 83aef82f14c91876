import { describe, expect, it } from 'vitest';
import { Dataset } from '../dataset/dataset.js';
import type { CxRecord, RecordKind, RecordOf } from '../schema/records.js';
import { CustomerResolver, anyWithin, deriveExposures, lowerBound, type Exposure } from './exposures.js';

const HOUR = 3_600_000;
const day = (d: number, h = 12) => Date.UTC(2025, 0, d, h);

let line = 2;
function rec<K extends RecordKind>(kind: K, fields: Partial<Omit<RecordOf<K>, 'kind' | 'input' | 'line' | 'attrs'>>): RecordOf<K> {
  return { kind, input: 0, line: line++, attrs: Object.create(null) as Record<string, string>, ...fields } as unknown as RecordOf<K>;
}

function datasetOf(records: readonly CxRecord[]): Dataset {
  const dataset = new Dataset();
  dataset.addInput({ file: 'all.csv', kind: null, status: 'read', reason: null, format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, sourceNotes: [], plan: null });
  for (const r of records) dataset.add(r);
  return dataset;
}

const byId = (exposures: Exposure[]) => new Map(exposures.map((e) => [e.id, e]));
const times = (e: Exposure | undefined, customer: string) => (e?.index.get(customer) ? [...e.index.get(customer)!] : []);

describe('lowerBound and anyWithin', () => {
  const sorted = Float64Array.from([10, 20, 20, 30]);
  it('finds the first element >= x', () => {
    expect([5, 10, 15, 20, 25, 30, 35].map((x) => lowerBound(sorted, x))).toEqual([0, 0, 1, 1, 3, 3, 4]);
    expect(lowerBound(new Float64Array(0), 1)).toBe(0);
  });
  it('asks for an instant in a closed interval', () => {
    expect(anyWithin(sorted, 21, 29)).toBe(false);
    expect(anyWithin(sorted, 21, 30)).toBe(true); // the upper end is included
    expect(anyWithin(sorted, 30, 40)).toBe(true); // so is the lower end
    expect(anyWithin(sorted, 31, 40)).toBe(false);
    expect(anyWithin(sorted, 0, 9)).toBe(false);
  });
});

describe('CustomerResolver', () => {
  it('uses the record’s customer, else the one of its order, else the one of its ticket', () => {
    const dataset = datasetOf([
      rec('order', { id: 'O1', customerId: 'C1' }),
      rec('ticket', { id: '77', customerId: 'C2' }),
      rec('invoice_change', { id: 'F9', orderId: 'O9', customerId: 'C9' }),
    ]);
    const resolver = new CustomerResolver(dataset);
    expect(resolver.customerOf(rec('return', { orderId: 'O1' }))).toBe('C1');
    expect(resolver.customerOf(rec('return', { orderId: 'O1', customerId: 'C5' }))).toBe('C5');
    expect(resolver.customerOf(rec('return', { orderId: 'O9' }))).toBe('C9');
    expect(resolver.customerOf(rec('survey', { ticketId: '77' }))).toBe('C2');
    expect(resolver.customerOf(rec('survey', { ticketId: '78' }))).toBeUndefined();
  });
});

describe('deriveExposures', () => {
  const records: CxRecord[] = [
    rec('order', { id: 'O1', customerId: 'C1', orderedAt: day(1), promisedAt: Date.UTC(2025, 0, 5), deliveredAt: day(5, 23) }), // on the promised day: on time
    rec('order', { id: 'O2', customerId: 'C2', orderedAt: day(1), promisedAt: Date.UTC(2025, 0, 5), deliveredAt: day(6, 1) }), // next day: late
    rec('order', { id: 'O3', customerId: 'C3', orderedAt: day(1) }),
    rec('return', { id: 'R1', orderId: 'O1', returnedAt: day(8), reason: 'Talla incorrecta' }), // customer through the order
    rec('return', { id: 'R2', customerId: 'C2', returnedAt: day(9), reason: 'Producto dañado' }),
    rec('return', { id: 'R3', customerId: 'C2' }), // no date: unplaced
    rec('invoice_change', { id: 'F1', customerId: 'C1', issuedAt: day(1), changeType: 'none' }),
    rec('invoice_change', { id: 'F2', customerId: 'C1', issuedAt: day(1), changedAt: day(3), changeType: 'Rectificación' }),
    rec('invoice_change', { id: 'F3', customerId: 'C2', issuedAt: day(1), changedAt: day(4), changeType: 'credit note' }),
    rec('invoice_change', { id: 'F4', customerId: 'C3', issuedAt: day(2), changeType: 'cancellation' }),
    // first responses 1, 2, 3, 4 h: p75 (type 7) = 3 h + 0.25 × 1 h = 3.25 h, so only the 4 h one is slow
    rec('ticket', { id: 'T1', customerId: 'C1', createdAt: day(10), firstResponseAt: day(10) + 1 * HOUR, type: 'Queja', category: 'delivery', channel: 'Email', reopens: 1, resolvedAt: day(11) }),
    rec('ticket', { id: 'T2', customerId: 'C2', createdAt: day(10), firstResponseAt: day(10) + 2 * HOUR, type: 'question', channel: 'email', reopens: 0, resolvedAt: day(11) }),
    rec('ticket', { id: 'T3', customerId: 'C3', createdAt: day(10), firstResponseAt: day(10) + 3 * HOUR, type: 'complaint', category: 'billing', channel: 'chat', contacts: 3, resolvedAt: day(12) }),
    rec('ticket', { id: 'T4', customerId: 'C1', createdAt: day(12), firstResponseSeconds: 4 * 3600, type: 'incident', fcr: false }),
    rec('call', { id: 'L1', customerId: 'C2', startedAt: day(13), abandoned: true }),
    rec('call', { id: 'L2', customerId: 'C3', startedAt: day(14), answered: true, fcr: false }),
    rec('onboarding', { customerId: 'C1', startedAt: day(15), success: false }),
    rec('onboarding', { customerId: 'C2', startedAt: day(15), success: true }),
    rec('customer', { id: 'C1' }),
  ];
  const derived = deriveExposures(datasetOf(records));
  const e = byId(derived.exposures);

  it('derives every family with its instants per customer', () => {
    expect([...e.keys()]).toEqual([
      'abandoned_call',
      'call_not_fcr',
      'complaint',
      'complaint:category=billing',
      'complaint:category=delivery',
      'contact:channel=chat',
      'contact:channel=email',
      'contact:channel=phone',
      'failed_installation',
      'invoice_change',
      'invoice_change:type=cancellation',
      'invoice_change:type=correction',
      'invoice_change:type=credit_note',
      'late_delivery',
      'reopened_ticket',
      'return',
      'return:reason=Producto dañado',
      'return:reason=Talla incorrecta',
      'slow_first_response',
      'ticket_not_fcr',
    ]);
    expect(times(e.get('return'), 'C1')).toEqual([day(8)]);
    expect(times(e.get('return'), 'C2')).toEqual([day(9)]);
    expect(derived.unplaced).toEqual({ return: 1 });
    expect(times(e.get('late_delivery'), 'C2')).toEqual([day(6, 1)]);
    expect(e.get('late_delivery')!.index.has('C1')).toBe(false);
    // a cancellation is broken out, not part of the family
    expect([...e.get('invoice_change')!.index.keys()].sort()).toEqual(['C1', 'C2']);
    expect(times(e.get('invoice_change:type=cancellation'), 'C3')).toEqual([day(2)]);
    expect(e.get('invoice_change')!.label).toBe('an invoice corrected or credited');
    expect(e.get('return:reason=Producto dañado')!.label).toBe('a return (reason: Producto dañado)');
    expect([...e.get('complaint')!.index.keys()].sort()).toEqual(['C1', 'C3']);
    expect([...e.get('reopened_ticket')!.index.keys()]).toEqual(['C1']);
    // reopened T1, three contacts T3, the flag on T4
    expect([...e.get('ticket_not_fcr')!.index.keys()].sort()).toEqual(['C1', 'C3']);
    expect(times(e.get('ticket_not_fcr'), 'C1')).toEqual([day(10), day(12)]);
    expect(times(e.get('slow_first_response'), 'C1')).toEqual([day(12)]);
    expect(derived.firstResponseThreshold).toEqual({ seconds: 3.25 * 3600, source: 'p75' });
    expect(times(e.get('contact:channel=email'), 'C1')).toEqual([day(10)]);
    expect(times(e.get('contact:channel=phone'), 'C2')).toEqual([day(13)]);
    expect(times(e.get('failed_installation'), 'C1')).toEqual([day(15)]);
    expect(e.get('failed_installation')!.index.has('C2')).toBe(false);
    expect(e.get('contact:channel=phone')!.sources).toEqual(['call']);
    expect(e.get('contact:channel=email')!.sources).toEqual(['ticket']);
  });

  it('knows which customers each kind holds, for the linked counts', () => {
    expect([...derived.customersByKind.get('return')!].sort()).toEqual(['C1', 'C2']);
    expect(derived.customersByKind.has('customer')).toBe(false);
  });

  it('takes a configured SLA instead of the 75th percentile', () => {
    const sla = deriveExposures(datasetOf(records), { slaFirstResponseSeconds: 1.5 * 3600, maxValues: 12 });
    expect(sla.firstResponseThreshold).toEqual({ seconds: 5400, source: 'sla' });
    expect([...byId(sla.exposures).get('slow_first_response')!.index.keys()].sort()).toEqual(['C1', 'C2', 'C3']);
  });

  it('keeps the most frequent values of a breakdown and drops a breakdown with a single value', () => {
    const many = [1, 1, 1, 2, 2, 3].map((r, i) => rec('return', { id: `R${i}`, customerId: 'C1', returnedAt: day(i + 1), reason: `r${r}` }));
    const two = byId(deriveExposures(datasetOf(many), { slaFirstResponseSeconds: null, maxValues: 2 }).exposures);
    expect([...two.keys()]).toEqual(['return', 'return:reason=r1', 'return:reason=r2']);
    expect(deriveExposures(datasetOf(many), { slaFirstResponseSeconds: null, maxValues: 2 }).truncated).toEqual({ 'return:reason': 1 });
    const single = [1, 2].map((i) => rec('return', { id: `R${i}`, customerId: 'C1', returnedAt: day(i), reason: 'same' }));
    expect([...byId(deriveExposures(datasetOf(single)).exposures).keys()]).toEqual(['return']);
  });

  it('gives nothing for kinds that are not there', () => {
    expect(deriveExposures(datasetOf([rec('survey', { id: 'S1', customerId: 'C1', nps: 9, submittedAt: day(1) })])).exposures).toEqual([]);
  });

  it('reads promises with a time of day as instants', () => {
    const orders = [
      rec('order', { id: 'A', customerId: 'C1', promisedAt: day(5, 10), deliveredAt: day(5, 11) }),
      rec('order', { id: 'B', customerId: 'C2', promisedAt: day(5, 15), deliveredAt: day(5, 14) }),
      rec('order', { id: 'C', customerId: 'C3', promisedAt: day(5, 18), deliveredAt: day(5, 17) }),
    ];
    // three different times of day: instants, so A (an hour after its promise) is late
    const late = byId(deriveExposures(datasetOf(orders)).exposures).get('late_delivery')!;
    expect([...late.index.keys()]).toEqual(['C1']);
  });
});
