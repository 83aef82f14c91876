import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEADERS } from '../../scripts/demo/output.js';
import { CxmError } from '../errors.js';
import { detectKind, mapColumns, meetsNeeds, type Detection, type KindMatch } from './detect.js';
import { KINDS, normalizeHeader } from './fields.js';
import { RECORD_KINDS, type RecordKind } from './records.js';

const REAL = fileURLToPath(new URL('../../../shared/data/real/', import.meta.url));

/** The header of a real export: its first line only, split as the sources layer would (BOM dropped, cells trimmed, blanks named `column_N`). */
function realHeader(path: string, delimiter = ','): string[] {
  const fd = openSync(join(REAL, path), 'r');
  try {
    const buffer = Buffer.alloc(16_384);
    const size = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, size).toString('utf8');
    const end = text.search(/\r?\n/);
    expect(end).toBeGreaterThan(0);
    return text
      .slice(0, end)
      .replace(/^\uFEFF/, '')
      .split(delimiter)
      .map((h, i) => (h.trim() === '' ? `column_${i + 1}` : h.trim()));
  } finally {
    closeSync(fd);
  }
}

function recognised(detection: Detection): KindMatch {
  if (detection.status !== 'recognised') throw new Error(`expected a recognised file, got: ${detection.reason}`);
  return detection.match;
}

/** header -> field for every mapped column. */
function fieldsOf(match: KindMatch | readonly { header: string; field: string }[]): Record<string, string> {
  const mappings = 'mappings' in match ? match.mappings : match;
  return Object.fromEntries(mappings.map((m) => [m.header, m.field]));
}

function thrown(fn: () => unknown): CxmError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CxmError) return error;
    throw error;
  }
  throw new Error('expected a CxmError');
}

describe('normalizeHeader', () => {
  it('folds case, accents, spaces and punctuation', () => {
    expect(normalizeHeader('Fecha de Creación')).toBe('fecha de creacion');
    expect(normalizeHeader('fecha_de_creacion')).toBe('fecha de creacion');
    expect(normalizeHeader(' FECHA-DE-CREACIÓN ')).toBe('fecha de creacion');
    expect(normalizeHeader('Fecha de Creación')).toBe(normalizeHeader('fecha_de_creacion'));
  });

  it('turns the ordinal º into o', () => {
    expect(normalizeHeader('Nº devolución')).toBe('no devolucion');
    expect(normalizeHeader('Nº pedido')).toBe('no pedido');
    // the degree sign people type instead is dropped, which the `n pedido` aliases catch
    expect(normalizeHeader('N° pedido')).toBe('n pedido');
  });

  it('handles the headers of real exports', () => {
    expect(normalizeHeader('answered (Y/N)')).toBe('answered y n');
    expect(normalizeHeader('speed of answer(seconds)')).toBe('speed of answer seconds');
    expect(normalizeHeader('Espera (s)')).toBe('espera s');
    expect(normalizeHeader('Ticket #')).toBe('ticket');
    expect(normalizeHeader('Manual Tagging of Categories [list]')).toBe('manual tagging of categories list');
    expect(normalizeHeader('satisfaction_rating.score')).toBe('satisfaction rating score');
    expect(normalizeHeader('Puntuación')).toBe('puntuacion');
    expect(normalizeHeader('Ñandú')).toBe('nandu');
  });

  it('an empty or punctuation-only header is empty', () => {
    expect(normalizeHeader('')).toBe('');
    expect(normalizeHeader(' #/ ')).toBe('');
  });
});

describe('mapColumns', () => {
  it('maps Spanish headers through the alias tables', () => {
    const mapping = mapColumns('return', ['Nº devolución', 'Nº pedido', 'Fecha devolución', 'Motivo']);
    expect(fieldsOf(mapping)).toEqual({ 'Nº devolución': 'id', 'Nº pedido': 'orderId', 'Fecha devolución': 'returnedAt', Motivo: 'reason' });
    expect(mapping.map((m) => m.column)).toEqual([0, 1, 2, 3]);
    expect(mapping.every((m) => m.via === 'alias')).toBe(true);
  });

  it('a column serves one field, even when it is an alias of two', () => {
    // `vru entry` is an alias of both startedAt and startedAtTime: only one of them gets it
    const mapping = mapColumns('call', ['call id', 'vru entry']);
    expect(mapping.filter((m) => m.header === 'vru entry')).toHaveLength(1);
    expect(fieldsOf(mapping)).toEqual({ 'call id': 'id', 'vru entry': 'startedAt' });
  });

  it('a field takes one column: the one matching its earliest alias', () => {
    const mapping = mapColumns('ticket', ['Fecha', 'Created at', 'Ticket ID']);
    expect(fieldsOf(mapping)).toEqual({ 'Created at': 'createdAt', 'Ticket ID': 'id' });
  });

  it('heavier fields choose first', () => {
    // `Satisfacción` could be csat; `Espera (s)` is wait (weight 2) before hold can claim `espera`
    const mapping = mapColumns('call', ['Espera (s)', 'Espera en retención (s)', 'Satisfacción']);
    expect(fieldsOf(mapping)).toEqual({ 'Espera (s)': 'waitSeconds', 'Espera en retención (s)': 'holdSeconds', Satisfacción: 'csat' });
  });

  it('the canonical field name is an alias too', () => {
    expect(fieldsOf(mapColumns('call', ['wait_seconds', 'talkSeconds']))).toEqual({ wait_seconds: 'waitSeconds', talkSeconds: 'talkSeconds' });
  });

  it('an explicit config mapping wins over the aliases', () => {
    const mapping = mapColumns('survey', ['Puntuación', 'Nota final'], { 'Nota final': 'nps' });
    expect(fieldsOf(mapping)).toEqual({ 'Nota final': 'nps' });
    expect(mapping[0]!.via).toBe('config');
    expect(mapping[0]!.column).toBe(1);
  });

  it('config headers are matched after normalizing', () => {
    const mapping = mapColumns('survey', ['Puntuación'], { puntuacion: 'csat' });
    expect(fieldsOf(mapping)).toEqual({ Puntuación: 'csat' });
  });

  it('a config mapping to null keeps the column out of every field', () => {
    const mapping = mapColumns('survey', ['Puntuación', 'Nota'], { Puntuación: null });
    expect(fieldsOf(mapping)).toEqual({ Nota: 'nps' });
  });

  it('an unknown field in a config mapping is INVALID_CONFIG naming the field and listing the valid ones', () => {
    const error = thrown(() => mapColumns('survey', ['Puntuación'], { Puntuación: 'npsScore' }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('column "Puntuación" is mapped to "npsScore", which is not a field of survey records');
    expect(error.where.field).toBe('npsScore');
    expect(error.hint).toContain('nps, ');
    expect(error.hint).toMatch(/^fields of survey: id, submittedAt, /);
  });

  it('a config mapping for a header the file does not have is ignored', () => {
    expect(fieldsOf(mapColumns('survey', ['Nota'], { Missing: 'nps' }))).toEqual({ Nota: 'nps' });
  });
});

describe('meetsNeeds', () => {
  it('needs one of the groups; constants count as mapped', () => {
    expect(meetsNeeds('onboarding', mapColumns('onboarding', ['customer_id']))).toBe(false);
    expect(meetsNeeds('onboarding', mapColumns('onboarding', ['customer_id', 'started_at']))).toBe(true);
    expect(meetsNeeds('onboarding', mapColumns('onboarding', ['customer_id']), ['startedAt'])).toBe(true);
    expect(meetsNeeds('survey', mapColumns('survey', ['comment']))).toBe(false);
    expect(meetsNeeds('survey', mapColumns('survey', ['ces']))).toBe(true);
  });
});

describe('detectKind: the real exports in shared/data/real', () => {
  it('telco-churn -> customer', () => {
    const match = recognised(detectKind(realHeader('telco-churn/Telco-Customer-Churn.csv'), 'Telco-Customer-Churn.csv'));
    expect(match.kind).toBe('customer');
    expect(fieldsOf(match)).toEqual({
      customerID: 'id',
      tenure: 'tenureMonths',
      Contract: 'plan',
      MonthlyCharges: 'monthlyRevenue',
      TotalCharges: 'revenue',
      Churn: 'churned',
    });
  });

  it('support-tickets -> ticket', () => {
    const match = recognised(detectKind(realHeader('support-tickets/customer_support_tickets.csv'), 'customer_support_tickets.csv'));
    expect(match.kind).toBe('ticket');
    expect(fieldsOf(match)).toMatchObject({
      'Ticket ID': 'id',
      'Ticket Type': 'type',
      'Ticket Status': 'status',
      'Ticket Priority': 'priority',
      'Ticket Channel': 'channel',
      'Customer Satisfaction Rating': 'csat',
    });
  });

  it('zendesk-plum -> ticket, with the precomputed durations in minutes', () => {
    const match = recognised(detectKind(realHeader('zendesk-plum/DA Assignment.csv'), 'DA Assignment.csv'));
    expect(match.kind).toBe('ticket');
    const fields = fieldsOf(match);
    expect(fields).toMatchObject({
      Id: 'id',
      'Requester id': 'customerId',
      'Satisfaction Score': 'csat',
      'Full resolution time in minutes': 'resolutionSeconds',
      'Full resolution time in minutes within business hours': 'resolutionBusinessSeconds',
      'First reply time in minutes within business hours': 'firstResponseBusinessSeconds',
      'Created at': 'createdAt',
      'Updated at': 'updatedAt',
      'Solved at': 'resolvedAt',
      Reopens: 'reopens',
      Replies: 'replies',
      Via: 'channel',
    });
    expect(match.mappings.find((m) => m.field === 'resolutionSeconds')!.spec.unit).toBe('min');
  });

  it('call-center-pwc -> call, with separate date and time', () => {
    const match = recognised(detectKind(realHeader('call-center-pwc/01 Call-Center-Dataset.csv'), '01 Call-Center-Dataset.csv'));
    expect(match.kind).toBe('call');
    expect(fieldsOf(match)).toMatchObject({
      'call id': 'id',
      'answered (Y/N)': 'answered',
      'speed of answer(seconds)': 'waitSeconds',
      date: 'startedAt',
      time: 'startedAtTime',
      'talk duration': 'talkSeconds',
      'satisfaction rating': 'csat',
      agent: 'agent',
    });
  });

  it('comcast-complaints -> ticket', () => {
    const match = recognised(detectKind(realHeader('comcast-complaints/Comcast_telecom_complaints_data.csv'), 'Comcast_telecom_complaints_data.csv'));
    expect(match.kind).toBe('ticket');
    expect(fieldsOf(match)).toEqual({
      'Ticket #': 'id',
      'Customer Complaint': 'subject',
      Date: 'createdAt',
      Time: 'createdAtTime',
      'Received Via': 'channel',
      Status: 'status',
    });
  });

  it('cfpb-complaints-sample -> ticket; `State` (the US state) is not the ticket status', () => {
    const match = recognised(detectKind(realHeader('cfpb-complaints-sample/complaints.csv'), 'complaints.csv'));
    expect(match.kind).toBe('ticket');
    expect(fieldsOf(match)).toEqual({ 'Date received': 'createdAt', Issue: 'category', 'Submitted via': 'channel', 'Complaint ID': 'id' });
  });

  it('olist-classified -> order (the blank first header is column_1)', () => {
    const header = realHeader('olist-classified/olist_classified_public_dataset.csv');
    expect(header[0]).toBe('column_1');
    const match = recognised(detectKind(header, 'olist_classified_public_dataset.csv'));
    expect(match.kind).toBe('order');
    expect(fieldsOf(match)).toMatchObject({
      id: 'id',
      order_purchase_timestamp: 'orderedAt',
      order_estimated_delivery_date: 'promisedAt',
      order_delivered_customer_date: 'deliveredAt',
      order_products_value: 'amount',
      review_score: 'reviewScore',
    });
  });

  it('olist-sample: orders -> order, reviews -> survey (csat from review_score), customers -> customer', () => {
    const orders = recognised(detectKind(realHeader('olist-sample/olist_orders_dataset.csv'), 'olist_orders_dataset.csv'));
    expect(orders.kind).toBe('order');
    expect(fieldsOf(orders)).toEqual({
      order_id: 'id',
      customer_id: 'customerId',
      order_status: 'status',
      order_purchase_timestamp: 'orderedAt',
      order_delivered_customer_date: 'deliveredAt',
      order_estimated_delivery_date: 'promisedAt',
    });
    const reviews = recognised(detectKind(realHeader('olist-sample/olist_order_reviews_dataset.csv'), 'olist_order_reviews_dataset.csv'));
    expect(reviews.kind).toBe('survey');
    expect(fieldsOf(reviews)).toEqual({
      review_id: 'id',
      order_id: 'orderId',
      review_score: 'csat',
      review_comment_message: 'comment',
      review_creation_date: 'submittedAt',
    });
    const customers = recognised(detectKind(realHeader('olist-sample/olist_customers_dataset.csv'), 'olist_customers_dataset.csv'));
    expect(customers.kind).toBe('customer');
    expect(fieldsOf(customers)).toEqual({ customer_id: 'id' });
  });

  it('olist-sample: products and the category translation are unrecognised', () => {
    expect(detectKind(realHeader('olist-sample/olist_products_dataset.csv'), 'olist_products_dataset.csv').status).toBe('unrecognised');
    expect(detectKind(realHeader('olist-sample/product_category_name_translation.csv'), 'product_category_name_translation.csv').status).toBe('unrecognised');
  });

  it.each([
    ['carpentries-nps/2017-10-longterm/longterm_October2017.csv', 'Likely-To-Recommend'],
    ['carpentries-nps/2020-01-longterm/20200326-longterm-other_questions-no-open.csv', 'recommendation_score'],
    ['carpentries-nps/2020-12-longterm/2020-12-long-term-other_questions-no-open.csv', 'recommendation_score'],
  ])('carpentries data %s -> survey with nps from %s', (path, column) => {
    const match = recognised(detectKind(realHeader(path), path.split('/').pop()!));
    expect(match.kind).toBe('survey');
    expect(fieldsOf(match)).toEqual({ [column]: 'nps' });
  });

  it.each([
    'carpentries-nps/2020-01-longterm/2020-longterm-answer-key.csv',
    'carpentries-nps/2020-01-longterm/2020-longterm-column-names.csv',
    'carpentries-nps/2020-12-longterm/2020-12-longterm-answer-key.csv',
    'carpentries-nps/2020-12-longterm/2020-12-longterm-column-names.csv',
    'carpentries-nps/2020-12-longterm/2020-12-longterm-questions.csv',
  ])('carpentries side file %s is unrecognised, not an error', (path) => {
    const detection = detectKind(realHeader(path), path.split('/').pop()!);
    expect(detection.status).toBe('unrecognised');
    if (detection.status === 'unrecognised') expect(detection.reason).toMatch(/no header matches/);
  });

  it('bank-call-center-1999 (tab separated) -> call', () => {
    const header = realHeader('bank-call-center-1999/data_anonymous_bank_february.txt', '\t');
    expect(header).toHaveLength(17);
    const match = recognised(detectKind(header, 'data_anonymous_bank_february.txt'));
    expect(match.kind).toBe('call');
    expect(fieldsOf(match)).toEqual({
      'vru+line': 'queue',
      call_id: 'id',
      customer_id: 'customerId',
      date: 'startedAt',
      vru_entry: 'startedAtTime',
      q_time: 'waitSeconds',
      ser_time: 'talkSeconds',
      server: 'agent',
    });
  });
});

describe('detectKind: the demo exports (scripts/demo/output.ts)', () => {
  const split = (line: string) => line.split(line.includes(';') ? ';' : ',');

  it('the headers tested here are the ones the generator writes', () => {
    expect(HEADERS).toEqual({
      customers: 'customer_id,signup_date,segment,plan,monthly_revenue,status,churn_date,region',
      returns: 'Nº devolución;Nº pedido;Cliente;Fecha devolución;Motivo;Importe;Producto;Unidades',
      nps: 'ID respuesta;Fecha;Cliente;Canal;Tipo de encuesta;Segmento;Puntuación;Comentario;Estado',
      csat: 'response_id,submitted_at,customer_id,ticket_id,channel,csat,ces,comment',
      calls: 'ID llamada,Fecha,Hora,Cliente,Cola,Atendida,Espera (s),Conversación (s),Espera en retención (s),Postllamada (s),Resuelta en primer contacto,Agente,Satisfacción',
      invoices: 'invoice_id,issued_at,customer_id,order_id,change_type,changed_at,reason,amount',
      social: 'post_id,posted_at,platform,type,rating,likes,shares,comments,text',
      employee: 'submitted_at,team,area,frustration,comment',
      deals: 'deal_id,customer_id,created_at,closed_at,stage,amount',
      onboarding: 'customer_id,started_at,installed_at,success,attempts',
    });
  });

  it('devoluciones.csv -> return', () => {
    const match = recognised(detectKind(split(HEADERS.returns), 'devoluciones.csv'));
    expect(match.kind).toBe('return');
    expect(fieldsOf(match)).toEqual({
      'Nº devolución': 'id',
      'Nº pedido': 'orderId',
      Cliente: 'customerId',
      'Fecha devolución': 'returnedAt',
      Motivo: 'reason',
      Importe: 'amount',
      Producto: 'product',
      Unidades: 'units',
    });
    expect(match.why).toContain('file name suggests returns');
  });

  it('encuestas_nps.csv -> survey with nps, surveyType and status', () => {
    const match = recognised(detectKind(split(HEADERS.nps), 'encuestas_nps.csv'));
    expect(match.kind).toBe('survey');
    expect(fieldsOf(match)).toEqual({
      'ID respuesta': 'id',
      Fecha: 'submittedAt',
      Cliente: 'customerId',
      Canal: 'channel',
      'Tipo de encuesta': 'surveyType',
      Segmento: 'segment',
      Puntuación: 'nps',
      Comentario: 'comment',
      Estado: 'status',
    });
  });

  it('llamadas.csv -> call', () => {
    const match = recognised(detectKind(split(HEADERS.calls), 'llamadas.csv'));
    expect(match.kind).toBe('call');
    expect(fieldsOf(match)).toEqual({
      'ID llamada': 'id',
      Fecha: 'startedAt',
      Hora: 'startedAtTime',
      Cliente: 'customerId',
      Cola: 'queue',
      Atendida: 'answered',
      'Espera (s)': 'waitSeconds',
      'Conversación (s)': 'talkSeconds',
      'Espera en retención (s)': 'holdSeconds',
      'Postllamada (s)': 'wrapSeconds',
      'Resuelta en primer contacto': 'fcr',
      Agente: 'agent',
      Satisfacción: 'csat',
    });
  });

  it.each([
    ['customers.csv', 'customers', 'customer', { customer_id: 'id', signup_date: 'since', churn_date: 'churnedAt', monthly_revenue: 'monthlyRevenue', segment: 'segment', plan: 'plan', status: 'status' }],
    ['csat_survey.csv', 'csat', 'survey', { response_id: 'id', submitted_at: 'submittedAt', ticket_id: 'ticketId', csat: 'csat', ces: 'ces', comment: 'comment', channel: 'channel' }],
    ['invoice_changes.csv', 'invoices', 'invoice_change', { invoice_id: 'id', issued_at: 'issuedAt', changed_at: 'changedAt', change_type: 'changeType', order_id: 'orderId', amount: 'amount' }],
    ['social_mentions.csv', 'social', 'social', { post_id: 'id', posted_at: 'postedAt', platform: 'platform', type: 'postKind', rating: 'rating', likes: 'likes', text: 'text' }],
    ['employee_feedback.csv', 'employee', 'employee_feedback', { submitted_at: 'submittedAt', team: 'team', area: 'area', frustration: 'rating', comment: 'text' }],
    ['deals.csv', 'deals', 'deal', { deal_id: 'id', customer_id: 'customerId', created_at: 'createdAt', closed_at: 'closedAt', stage: 'stage', amount: 'amount' }],
    ['onboarding.csv', 'onboarding', 'onboarding', { customer_id: 'customerId', started_at: 'startedAt', installed_at: 'firstValueAt', success: 'success', attempts: 'attempts' }],
  ] as const)('%s -> %s', (file, key, kind, fields) => {
    const header = split(HEADERS[key]);
    const match = recognised(detectKind(header, file));
    expect(match.kind).toBe(kind);
    expect(fieldsOf(match)).toMatchObject(fields);
    // the file name only confirms: the headers alone say the same
    expect(recognised(detectKind(header, 'export.csv')).kind).toBe(kind);
  });

  it('customers.csv keeps region as an attribute', () => {
    const match = recognised(detectKind(split(HEADERS.customers), 'customers.csv'));
    expect(match.mappings.some((m) => m.header === 'region')).toBe(false);
  });

  it('orders.ndjson keys -> order', () => {
    const keys = ['order_id', 'customer_id', 'ordered_at', 'channel', 'amount', 'promised_date', 'delivered_at', 'status', 'items'];
    const match = recognised(detectKind(keys, 'orders.ndjson'));
    expect(match.kind).toBe('order');
    expect(fieldsOf(match)).toEqual({
      order_id: 'id',
      customer_id: 'customerId',
      ordered_at: 'orderedAt',
      channel: 'channel',
      amount: 'amount',
      promised_date: 'promisedAt',
      delivered_at: 'deliveredAt',
      status: 'status',
      items: 'units',
    });
  });

  it('tickets.json flattened keys -> ticket, nested metrics included', () => {
    const keys = [
      'id', 'created_at', 'updated_at', 'solved_at', 'first_reply_at', 'type', 'priority', 'status', 'via.channel', 'requester_external_id',
      'group', 'assignee', 'category', 'metrics.replies', 'metrics.reopens', 'satisfaction_rating.score', 'subject',
    ];
    const match = recognised(detectKind(keys, 'tickets.json'));
    expect(match.kind).toBe('ticket');
    expect(fieldsOf(match)).toEqual({
      id: 'id',
      created_at: 'createdAt',
      updated_at: 'updatedAt',
      solved_at: 'resolvedAt',
      first_reply_at: 'firstResponseAt',
      type: 'type',
      priority: 'priority',
      status: 'status',
      'via.channel': 'channel',
      requester_external_id: 'customerId',
      group: 'group',
      assignee: 'agent',
      category: 'category',
      'metrics.replies': 'replies',
      'metrics.reopens': 'reopens',
      'satisfaction_rating.score': 'csat',
      subject: 'subject',
    });
  });
});

describe('detectKind: ties, weak matches and --kind', () => {
  it('equal scores are AMBIGUOUS_KIND with a hint naming --kind', () => {
    // `id` + `created at` fit orders (orderedAt) and customers (since) equally well
    const error = thrown(() => detectKind(['id', 'created at'], 'exports/export.csv'));
    expect(error.code).toBe('AMBIGUOUS_KIND');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('the headers fit both order and customer records equally well');
    expect(error.where.file).toBe('exports/export.csv');
    expect(error.hint).toContain('--kind order');
    expect(error.hint).toContain('"match": "export.csv"');
  });

  it('a file-name hint settles a tie', () => {
    expect(recognised(detectKind(['id', 'created at'], 'orders.csv')).kind).toBe('order');
    expect(recognised(detectKind(['id', 'created at'], 'exports/clientes.csv')).kind).toBe('customer');
  });

  it('--kind settles a tie', () => {
    const match = recognised(detectKind(['id', 'created at'], 'export.csv', { kind: 'customer' }));
    expect(match.kind).toBe('customer');
    expect(fieldsOf(match)).toEqual({ id: 'id', 'created at': 'since' });
    expect(match.why).toContain('kind given');
  });

  it('an id column alone is not a record table (no tie, no error)', () => {
    const detection = detectKind(['id'], 'data.csv');
    expect(detection.status).toBe('unrecognised');
    if (detection.status === 'unrecognised') expect(detection.reason).toMatch(/^too few recognisable columns/);
    expect(detectKind(['id', 'name'], 'lookup.csv').status).toBe('unrecognised');
    expect(detectKind(['return id'], 'data.csv').status).toBe('unrecognised');
  });

  it('an id column with a file-name hint is a record table', () => {
    expect(recognised(detectKind(['return id'], 'devoluciones.csv')).kind).toBe('return');
    expect(recognised(detectKind(['customer_id'], 'customers.csv')).kind).toBe('customer');
  });

  it('a file matching nothing is unrecognised', () => {
    const detection = detectKind(['foo', 'bar'], 'x.csv');
    expect(detection).toEqual({ status: 'unrecognised', reason: expect.stringMatching(/^no header matches the fields any record kind needs/) });
    expect(detectKind([], 'empty.csv').status).toBe('unrecognised');
  });

  it('--kind whose needs are not met is AMBIGUOUS_KIND with a config hint', () => {
    const error = thrown(() => detectKind(['foo', 'bar'], 'exports/x.csv', { kind: 'call' }));
    expect(error.code).toBe('AMBIGUOUS_KIND');
    expect(error.message).toBe('read as call records, but no column was recognised as id or startedAt');
    expect(error.hint).toContain('"kind": "call"');
    expect(error.hint).toContain('"columns"');
  });

  it('--kind with a config mapping and constants', () => {
    const columns = { outcome: null, vru_entry: 'startedAt' };
    const match = recognised(detectKind(['outcome', 'vru_entry', 'ser_time'], 'bank.txt', { kind: 'call', columns }));
    expect(fieldsOf(match)).toEqual({ vru_entry: 'startedAt', ser_time: 'talkSeconds' });
    expect(match.mappings.find((m) => m.header === 'vru_entry')!.via).toBe('config');
    // onboarding needs customerId + startedAt; a constant from the config supplies startedAt
    expect(detectKind(['customer_id', 'attempts'], 'x.csv').status).not.toBe('recognised');
    expect(recognised(detectKind(['customer_id', 'attempts'], 'x.csv', { constants: ['startedAt'] })).kind).toBe('onboarding');
  });

  it('the why names the mapped headers', () => {
    const match = recognised(detectKind(['Puntuación', 'Fecha'], 'encuestas.csv'));
    expect(match.why).toBe('headers: Puntuación->nps, Fecha->submittedAt; file name suggests survey answers');
  });
});

describe('alias tables', () => {
  it('every kind has an id field among its fields and needs only known fields', () => {
    for (const kind of RECORD_KINDS) {
      const spec = KINDS[kind];
      expect(Object.keys(spec.fields)).toContain(spec.idField);
      for (const group of spec.needs) for (const field of group) expect(Object.keys(spec.fields), `${kind}.needs`).toContain(field);
    }
  });

  it('time-of-day fields complete a timestamp field of their kind', () => {
    for (const kind of RECORD_KINDS) {
      for (const [field, spec] of Object.entries(KINDS[kind].fields)) {
        if (spec.type !== 'time_of_day') continue;
        expect(KINDS[kind].fields[spec.completes ?? ''], `${kind}.${field}`).toMatchObject({ type: 'timestamp' });
      }
    }
  });

  it('no alias normalizes to the empty string', () => {
    const empty: string[] = [];
    for (const kind of RECORD_KINDS as readonly RecordKind[]) {
      for (const [field, spec] of Object.entries(KINDS[kind].fields)) {
        for (const alias of spec.aliases) if (normalizeHeader(alias) === '') empty.push(`${kind}.${field}: ${JSON.stringify(alias)}`);
      }
    }
    expect(empty).toEqual([]);
  });
});
