/**
 * `cxm inspect fixtures/demo` end to end: what each demo file is read as (kind, format, encoding,
 * delimiter), the mapping of its key columns, its date order, and its row accounting, checked
 * against the demo README and against counts taken from the raw files by `independent.ts`; the
 * two rejected NPS scores with their physical line and column; `--format json` in the shape
 * DESIGN.md gives; `--rejects FILE` as CSV.
 */
import Papa from 'papaparse';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectEntry } from '../../src/report/inputs.js';
import { demo, lineOf, type Row } from './independent.js';
import { cxmRun, tempDir, type RunResult } from './run.js';

const tmp = tempDir('cxm-inspect-');
const REJECTS = path.join(tmp, 'rejects.csv');
let json: RunResult;
let table: RunResult;
let limited: RunResult;
let inputs: InspectEntry[];

beforeAll(async () => {
  [json, table, limited] = await Promise.all([
    cxmRun(['inspect', 'fixtures/demo', '--format', 'json', '--rejects', REJECTS]),
    cxmRun(['inspect', 'fixtures/demo']),
    cxmRun(['inspect', 'fixtures/demo/encuestas_nps.csv', '--format', 'json', '--show-rejects', '1']),
  ]);
  inputs = (JSON.parse(json.stdout) as { inputs: InspectEntry[] }).inputs;
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const entry = (name: string): InspectEntry => {
  const found = inputs.find((i) => i.file === `fixtures/demo/${name}`);
  if (!found) throw new Error(`${name} not inspected`);
  return found;
};

/** The physical line of the first occurrence of `id` in encuestas_nps.csv (header = line 1). */
const npsLine = (id: string) => lineOf(demo().nps.text, `${id};`);

describe('cxm inspect fixtures/demo --format json', () => {
  it('prints { "inputs": [...] } with the DESIGN.md fields on every entry, and exits 0 despite the rejects', () => {
    expect(json.code).toBe(0);
    expect(Object.keys(JSON.parse(json.stdout) as object)).toEqual(['inputs']);
    expect(inputs.map((i) => path.basename(i.file))).toEqual([
      'csat_survey.csv',
      'customers.csv',
      'deals.csv',
      'devoluciones.csv',
      'employee_feedback.csv',
      'encuestas_nps.csv',
      'invoice_changes.csv',
      'llamadas.csv',
      'onboarding.csv',
      'orders.ndjson',
      'social_mentions.csv',
      'tickets.json',
    ]);
    for (const i of inputs) {
      expect(Object.keys(i)).toEqual(
        expect.arrayContaining(['file', 'kind', 'format', 'encoding', 'delimiter', 'read', 'accepted', 'duplicate', 'rejected', 'mapping', 'unmapped', 'date_order', 'rejects']),
      );
      expect(i.read, i.file).toBe(i.accepted + i.duplicate + i.rejected);
    }
  });

  it('reads each file as its kind', () => {
    const kinds = Object.fromEntries(inputs.map((i) => [path.basename(i.file), i.kind]));
    expect(kinds).toEqual({
      'csat_survey.csv': 'survey',
      'customers.csv': 'customer',
      'deals.csv': 'deal',
      'devoluciones.csv': 'return',
      'employee_feedback.csv': 'employee_feedback',
      'encuestas_nps.csv': 'survey',
      'invoice_changes.csv': 'invoice_change',
      'llamadas.csv': 'call',
      'onboarding.csv': 'onboarding',
      'orders.ndjson': 'order',
      'social_mentions.csv': 'social',
      'tickets.json': 'ticket',
    });
  });

  it('sniffs the dialects the README describes', () => {
    expect(entry('devoluciones.csv')).toMatchObject({ format: 'csv', encoding: 'windows-1252', delimiter: ';' });
    expect(entry('devoluciones.csv').notes).toContain('line endings CRLF');
    expect(entry('encuestas_nps.csv')).toMatchObject({ format: 'csv', encoding: 'utf-8-bom', delimiter: ';' });
    expect(entry('orders.ndjson')).toMatchObject({ format: 'ndjson', encoding: 'utf-8', delimiter: null });
    // {"tickets":[…],"next_page":null,"count":N}: records from the wrapping object's array
    expect(entry('tickets.json')).toMatchObject({ format: 'json', delimiter: null });
    expect(entry('tickets.json').notes).toContain('records from property "tickets"');
    for (const name of ['csat_survey.csv', 'customers.csv', 'llamadas.csv', 'invoice_changes.csv']) {
      expect(entry(name), name).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ',' });
    }
  });

  it('maps the key columns, Spanish headers and nested JSON keys included', () => {
    expect(entry('encuestas_nps.csv').mapping).toMatchObject({
      'ID respuesta': 'id',
      Fecha: 'submittedAt',
      Cliente: 'customerId',
      Canal: 'channel',
      'Puntuación': 'nps',
      Estado: 'status',
    });
    expect(entry('devoluciones.csv').mapping).toMatchObject({
      'Nº devolución': 'id',
      'Nº pedido': 'orderId',
      Cliente: 'customerId',
      'Fecha devolución': 'returnedAt',
      Importe: 'amount',
    });
    expect(entry('llamadas.csv').mapping).toMatchObject({
      'ID llamada': 'id',
      Fecha: 'startedAt',
      Hora: 'startedAtTime',
      Atendida: 'answered',
      'Espera (s)': 'waitSeconds',
      'Conversación (s)': 'talkSeconds',
      'Satisfacción': 'csat',
    });
    expect(entry('tickets.json').mapping).toMatchObject({
      id: 'id',
      created_at: 'createdAt',
      solved_at: 'resolvedAt',
      first_reply_at: 'firstResponseAt',
      'via.channel': 'channel',
      'metrics.reopens': 'reopens',
      'satisfaction_rating.score': 'csat',
    });
    expect(entry('csat_survey.csv').mapping).toMatchObject({ ticket_id: 'ticketId', csat: 'csat', ces: 'ces' });
    expect(entry('orders.ndjson').mapping).toMatchObject({ order_id: 'id', promised_date: 'promisedAt', delivered_at: 'deliveredAt' });
    expect(entry('customers.csv').unmapped).toEqual(['region']);
  });

  it('decides the date order per file: day-first for the Spanish files, ISO elsewhere', () => {
    expect(entry('devoluciones.csv').date_order).toBe('dmy');
    expect(entry('encuestas_nps.csv').date_order).toBe('dmy');
    expect(entry('llamadas.csv').date_order).toBe('dmy');
    expect(entry('csat_survey.csv').date_order).toBe('ymd');
    expect(entry('tickets.json').date_order).toBe('ymd');
  });

  it('accounts for every row of every file: the README row counts, 3 duplicate tickets, 2 rejected NPS scores', () => {
    const counts = Object.fromEntries(inputs.map((i) => [path.basename(i.file), [i.read, i.accepted, i.duplicate, i.rejected]]));
    expect(counts).toEqual({
      'csat_survey.csv': [853, 853, 0, 0],
      'customers.csv': [2000, 2000, 0, 0],
      'deals.csv': [278, 278, 0, 0],
      'devoluciones.csv': [567, 567, 0, 0],
      'employee_feedback.csv': [388, 388, 0, 0],
      'encuestas_nps.csv': [8846, 8844, 0, 2],
      'invoice_changes.csv': [7891, 7891, 0, 0],
      'llamadas.csv': [2331, 2331, 0, 0],
      'onboarding.csv': [889, 889, 0, 0],
      'orders.ndjson': [7891, 7891, 0, 0],
      'social_mentions.csv': [722, 722, 0, 0],
      'tickets.json': [2123, 2120, 3, 0],
    });
    // and the independent parse agrees on the rows read
    const d = demo();
    expect(d.nps.rows).toHaveLength(8846);
    expect(d.returns.rows).toHaveLength(567);
    expect(d.calls.rows).toHaveLength(2331);
    expect(d.orders).toHaveLength(7891);
    expect(d.ticketsRaw).toHaveLength(2123);
    // ids 41093, 41094, 41095 appear twice each: 2,123 − 2,120 distinct = 3
    expect(d.ticketsRaw.length - new Set(d.ticketsRaw.map((t) => t.id)).size).toBe(3);
  });

  it('rejects the two out-of-range scores with file, line, column "Puntuación", value and reason', () => {
    // ENC-003608 is record 3,608: line 3,609 plus one for the quoted line break in ENC-002585
    expect(npsLine('ENC-003608')).toBe(3610);
    expect(npsLine('ENC-006095')).toBe(6097);
    expect(entry('encuestas_nps.csv').rejects).toEqual([
      { file: 'fixtures/demo/encuestas_nps.csv', line: npsLine('ENC-003608'), column: 'Puntuación', value: '11', reason: expect.stringMatching(/0-10.*"11"/) },
      { file: 'fixtures/demo/encuestas_nps.csv', line: npsLine('ENC-006095'), column: 'Puntuación', value: '-1', reason: expect.stringMatching(/0-10.*"-1"/) },
    ]);
    for (const i of inputs) if (!i.file.endsWith('encuestas_nps.csv')) expect(i.rejects, i.file).toEqual([]);
  });

  it('--rejects FILE writes every reject as CSV and says so on stderr', () => {
    expect(json.stderr).toBe(`cxm: wrote 2 rejected rows to ${REJECTS}\n`);
    const parsed = Papa.parse<Row>(readFileSync(REJECTS, 'utf8'), { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(['file', 'line', 'column', 'value', 'reason']);
    expect(parsed.data.map((r) => [r['file'], Number(r['line']), r['column'], r['value']])).toEqual([
      ['fixtures/demo/encuestas_nps.csv', 3610, 'Puntuación', '11'],
      ['fixtures/demo/encuestas_nps.csv', 6097, 'Puntuación', '-1'],
    ]);
    for (const r of parsed.data) expect(r['reason']).toMatch(/expected a whole score 0-10/);
  });

  it('--show-rejects limits the rejects listed, not the rejects counted', () => {
    expect(limited.code).toBe(0);
    const [only] = (JSON.parse(limited.stdout) as { inputs: InspectEntry[] }).inputs;
    expect(only!.rejected).toBe(2);
    expect(only!.rejects).toHaveLength(1);
    expect(only!.rejects[0]!.line).toBe(3610);
  });
});

describe('cxm inspect fixtures/demo (table)', () => {
  it('summarises every file and lists the rejects by line and column', () => {
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
    const text = table.stdout;
    expect(text).toMatch(/fixtures\/demo\/tickets\.json\s+│ ticket\s+│\s+2,123 │\s+2,120 │\s+3 │\s+0 │/);
    expect(text).toMatch(/fixtures\/demo\/encuestas_nps\.csv\s+│ survey\s+│\s+8,846 │\s+8,844 │\s+0 │\s+2 │/);
    expect(text).toContain('12 inputs: 34,779 rows read = 34,774 accepted + 3 duplicate + 2 rejected');
    expect(text).toMatch(/format\s+csv, windows-1252, delimiter semicolon/);
    expect(text).toMatch(/format\s+csv, utf-8-bom, delimiter semicolon/);
    expect(text).toMatch(/Fecha devolución -> returnedAt \(date dd\/mm\/yyyy/);
    expect(text).toContain('line 3610, column "Puntuación": expected a whole score 0-10, got "11"');
    expect(text).toContain('line 6097, column "Puntuación": expected a whole score 0-10, got "-1"');
  });
});
