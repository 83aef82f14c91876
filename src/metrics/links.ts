/**
 * Lookups between record kinds that metrics share: returns and invoice changes by order id.
 * Built once per dataset; read-only afterwards.
 */
import type { Dataset } from '../dataset/dataset.js';
import type { CxRecord } from '../schema/records.js';
import type { Links } from './types.js';

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
