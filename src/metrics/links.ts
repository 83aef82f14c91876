/**
 * Lookups between record kinds that metrics share: returns and invoice changes by order id.
 * Built once per dataset; read-only afterwards.
 */
import type { Dataset } from '../dataset/dataset.js';
import type { CxRecord, RecordKind } from '../schema/records.js';
import type { Links } from './types.js';

/** Where a record finds the `--by` fields it lacks: the kind of its parent record, and the lookup. */
export interface SegmentParent {
  kind: RecordKind;
  of(record: CxRecord): CxRecord | undefined;
}

const ticketIndex = new WeakMap<Dataset, Map<string, CxRecord>>();

/**
 * The parent a record of `kind` inherits `--by` fields from, or null: a ticket event reads group,
 * channel, priority… from the ticket with its id (status rows rarely repeat them). Null for every
 * other kind, and when no ticket is loaded, so their segment readers stay as they are. The ticket
 * index is built on first use, once per dataset.
 */
export function segmentParent(links: Links, kind: RecordKind): SegmentParent | null {
  if (kind !== 'ticket_event') return null;
  let tickets = ticketIndex.get(links.dataset);
  if (!tickets) {
    tickets = new Map();
    for (const t of links.dataset.records('ticket')) if (t.kind === 'ticket' && t.id !== undefined && !tickets.has(t.id)) tickets.set(t.id, t);
    ticketIndex.set(links.dataset, tickets);
  }
  if (tickets.size === 0) return null;
  const index = tickets;
  return { kind: 'ticket', of: (record) => (record.kind === 'ticket_event' && record.ticketId !== undefined ? index.get(record.ticketId) : undefined) };
}

function groupBy(records: readonly CxRecord[], key: (record: CxRecord) => string | undefined): Map<string, CxRecord[]> {
  const out = new Map<string, CxRecord[]>();
  for (const record of records) {
    const k = key(record);
    if (k === undefined) continue;
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(record);
  }
  return out;
}

export function buildLinks(dataset: Dataset): Links {
  return {
    dataset,
    returnsByOrder: groupBy(dataset.records('return'), (r) => (r.kind === 'return' ? r.orderId : undefined)),
    invoiceChangesByOrder: groupBy(dataset.records('invoice_change'), (r) => (r.kind === 'invoice_change' ? r.orderId : undefined)),
    surveyedTickets: new Set(
      dataset
        .records('survey')
        .filter((r) => r.csat !== undefined && r.ticketId !== undefined)
        .map((r) => r.ticketId!),
    ),
  };
}
