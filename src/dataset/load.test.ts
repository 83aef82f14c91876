/**
 * loadDataset end to end on small files: what the normalizer's fast paths produce (records with
 * every field of their table, shared empty attributes, folded channels, sentinels, the zod gate)
 * and when a single export streams to a RecordStream instead of being kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CxRecord, RecordKind, SurveyRecord, TicketRecord } from '../schema/records.js';
import type { RecordStream } from './dataset.js';
import { loadDataset } from './load.js';

const dir = mkdtempSync(path.join(tmpdir(), 'cxm-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

const load = (files: string[], stream?: RecordStream) => loadDataset(files, { cwd: dir, config: {}, stream });

const SURVEYS = file(
  'encuestas.csv',
  [
    'response_id,submitted_at,channel,nps,csat,region',
    'R1,2025-01-05T10:00:00Z,Correo electrónico,9,5,North',
    'R2,2025-01-06T10:00:00Z,Correo electrónico,3,,',
    'R1,2025-01-07T10:00:00Z,web,10,4,South',
    'R3,,web,7,2,',
  ].join('\n'),
);

class Collect implements RecordStream {
  readonly records: CxRecord[] = [];
  constructor(private readonly kinds: RecordKind[]) {}
  claims(kind: RecordKind): boolean {
    return this.kinds.includes(kind);
  }
  add(record: CxRecord): void {
    this.records.push(record);
  }
}

describe('records as the normalizer builds them', () => {
  it('carry every field of their table (absent ones undefined), folded channels and attributes', async () => {
    const dataset = await load([SURVEYS]);
    const [r1, r2, r3] = dataset.records('survey') as SurveyRecord[];
    expect(r1).toEqual({ kind: 'survey', input: 0, line: 2, id: 'R1', submittedAt: Date.UTC(2025, 0, 5, 10), channel: 'email', nps: 9, csat: 5, attrs: { region: 'North' } });
    // The same field list on every record of the table, in the same order.
    expect(Object.keys(r2!)).toEqual(Object.keys(r1!));
    expect(r2!.channel).toBe('email'); // "Correo electrónico" folded again, from the converter's memory
    expect(r2!.csat).toBeUndefined();
    expect(r3!.submittedAt).toBeUndefined();
    // R1 again is a duplicate: the first row is kept.
    expect(dataset.inputs[0]).toMatchObject({ read: 4, accepted: 3, duplicate: 1, rejected: 0 });
  });

  it('share one frozen, empty, null-prototype attrs object when no unmapped cell has a value', async () => {
    const dataset = await load([SURVEYS]);
    const [r1, r2, r3] = dataset.records('survey');
    expect(r2!.attrs).toBe(r3!.attrs);
    expect(Object.isFrozen(r2!.attrs)).toBe(true);
    expect(Object.getPrototypeOf(r2!.attrs)).toBeNull();
    expect(Object.keys(r2!.attrs)).toEqual([]);
    expect(Object.getPrototypeOf(r1!.attrs)).toBeNull();
    expect(r1!.attrs).not.toBe(r2!.attrs);
  });

  it('reject through zod what the converters let through (a negative count, an instant past 2200)', async () => {
    const tickets = file(
      'tickets.csv',
      ['ticket_id,created_at,replies,satisfaction', 'T1,2025-02-01 10:00,2,5', 'T2,2025-02-01 11:00,-1,4', 'T3,2250-01-01 09:00,1,3', 'T4,2025-02-02 09:00,0,Offered'].join('\n'),
    );
    const dataset = await load([tickets]);
    expect(dataset.inputs[0]).toMatchObject({ read: 4, accepted: 2, rejected: 2 });
    expect(dataset.rejects.map((r) => [r.line, r.column, r.value, r.reason])).toEqual([
      [3, 'replies', '-1', 'expected a count of 0 or more'],
      [4, 'created_at', '2250-01-01 09:00', 'expected a date between 1900 and 2200'],
    ]);
    // A sentinel word in the CSAT column sets its flag instead of a score.
    const t4 = dataset.records('ticket').find((t) => t.id === 'T4') as TicketRecord;
    expect(t4.csat).toBeUndefined();
    expect(t4.csatOffered).toBe(true);
  });
});

describe('streaming a single export to a RecordStream', () => {
  it('hands over every accepted record once, counts duplicates, and keeps one sample per set of fields', async () => {
    const stream = new Collect(['survey']);
    const dataset = await load([SURVEYS], stream);
    expect(dataset.streamed('survey')).toBe(true);
    expect(stream.records.map((r) => r.id)).toEqual(['R1', 'R2', 'R3']);
    expect(dataset.inputs[0]).toMatchObject({ read: 4, accepted: 3, duplicate: 1, dateRange: [Date.UTC(2025, 0, 5, 10), Date.UTC(2025, 0, 6, 10)] });
    // R1 has every field, R2 no csat, R3 no submittedAt: three sets of defined fields, three samples.
    expect(dataset.records('survey').map((r) => r.id)).toEqual(['R1', 'R2', 'R3']);
    expect(dataset.kinds()).toEqual(['survey']);
  });

  it('keeps the records when the stream does not claim the kind', async () => {
    const stream = new Collect(['ticket']);
    const dataset = await load([SURVEYS], stream);
    expect(dataset.streamed('survey')).toBe(false);
    expect(stream.records).toEqual([]);
    expect(dataset.records('survey')).toHaveLength(3);
  });

  it('streams several inputs of one kind, de-duplicating across them (links between kinds have nothing to join)', async () => {
    const stream = new Collect(['survey']);
    const other = file('encuestas-2.csv', 'response_id,submitted_at,nps\nR9,2025-03-01,8\nR1,2025-03-02,7\n');
    const dataset = await load([SURVEYS, other], stream);
    expect(dataset.streamed('survey')).toBe(true);
    // R1 again in the second file is its duplicate: the first row of an id wins.
    expect(stream.records.map((r) => r.id)).toEqual(['R1', 'R2', 'R3', 'R9']);
    expect(dataset.inputs[1]).toMatchObject({ read: 2, accepted: 1, duplicate: 1 });
  });

  it('keeps the records of several inputs of different kinds', async () => {
    const stream = new Collect(['survey', 'ticket']);
    const tickets = file('tickets-2.csv', 'ticket_id,created_at,first_reply_at\nT1,2025-02-01 10:00,2025-02-01 11:00\n');
    const dataset = await load([SURVEYS, tickets], stream);
    expect(dataset.streamed('survey')).toBe(false);
    expect(dataset.streamed('ticket')).toBe(false);
    expect(stream.records).toEqual([]);
    expect(dataset.records('survey')).toHaveLength(3);
  });

  it('keeps the records of a table whose rows carry update times (the latest duplicate wins)', async () => {
    const stream = new Collect(['ticket']);
    const tickets = file('tickets-updated.csv', 'ticket_id,created_at,updated_at\nT1,2025-02-01,2025-02-02\nT1,2025-02-01,2025-02-05\n');
    const dataset = await load([tickets], stream);
    expect(dataset.streamed('ticket')).toBe(false);
    expect(dataset.records('ticket').map((t) => t.updatedAt)).toEqual([Date.UTC(2025, 1, 5)]);
  });
});
