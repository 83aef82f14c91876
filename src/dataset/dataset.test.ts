import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CxmError } from '../errors.js';
import type { Reject } from '../schema/normalize.js';
import type { CxRecord, RecordKind } from '../schema/records.js';
import { Dataset, assertRejectRate } from './dataset.js';

function input(dataset: Dataset, file: string, kind: RecordKind = 'ticket'): number {
  return dataset.addInput({
    file,
    kind,
    status: 'read',
    reason: null,
    format: 'csv',
    encoding: 'utf-8',
    delimiter: ',',
    compressed: false,
    sourceNotes: [],
    plan: null,
  });
}

let nextLine = 2;
function ticket(inputIndex: number, fields: { id?: string; updatedAt?: number; createdAt?: number; line?: number } = {}): CxRecord {
  const record: Record<string, unknown> = { kind: 'ticket', input: inputIndex, line: fields.line ?? nextLine++, attrs: Object.create(null) };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && k !== 'line') record[k] = v;
  return record as unknown as CxRecord;
}

function rejectRow(inputIndex: number, file: string, line: number, excluded = false): Reject {
  return { input: inputIndex, file, line, column: 'Fecha', value: 'x', reason: 'expected a date', ...(excluded ? { excluded: true } : {}) };
}

function counts(dataset: Dataset, i: number) {
  const { read, accepted, duplicate, rejected, excluded } = dataset.inputs[i]!;
  return { read, accepted, duplicate, rejected, excluded };
}

describe('Dataset accounting', () => {
  it('read = accepted + duplicate + rejected per input', () => {
    const ds = new Dataset();
    const a = input(ds, 'a.csv');
    const b = input(ds, 'b.csv');
    ds.add(ticket(a, { id: 'T1' }));
    ds.add(ticket(a, { id: 'T2' }));
    ds.add(ticket(a, { id: 'T1' })); // duplicate within the file
    ds.reject(rejectRow(a, 'a.csv', 5));
    ds.add(ticket(b, { id: 'T2' })); // duplicate across files
    ds.add(ticket(b, { id: 'T3' }));
    expect(counts(ds, a)).toEqual({ read: 4, accepted: 2, duplicate: 1, rejected: 1, excluded: 0 });
    expect(counts(ds, b)).toEqual({ read: 2, accepted: 1, duplicate: 1, rejected: 0, excluded: 0 });
    expect(ds.totals()).toEqual({ read: 6, accepted: 3, duplicate: 2, rejected: 1 });
    expect(ds.records('ticket').map((r) => r.id)).toEqual(['T1', 'T2', 'T3']);
    expect(ds.rejects).toHaveLength(1);
  });

  it('a later row without a newer update time is the duplicate; the first row is kept', () => {
    const ds = new Dataset();
    const a = input(ds, 'a.csv');
    ds.add(ticket(a, { id: 'T1', updatedAt: 200, line: 2 }));
    ds.add(ticket(a, { id: 'T1', updatedAt: 100, line: 3 })); // older
    ds.add(ticket(a, { id: 'T1', updatedAt: 200, line: 4 })); // same time
    ds.add(ticket(a, { id: 'T1', line: 5 })); // no time
    expect(ds.records('ticket')).toHaveLength(1);
    expect(ds.records('ticket')[0]!.line).toBe(2);
    expect(counts(ds, a)).toMatchObject({ read: 4, accepted: 1, duplicate: 3 });
  });

  it('a held row without an update time is not replaced by a later row with one', () => {
    const ds = new Dataset();
    const a = input(ds, 'a.csv');
    ds.add(ticket(a, { id: 'T1', line: 2 }));
    ds.add(ticket(a, { id: 'T1', updatedAt: 500, line: 3 }));
    expect(ds.records('ticket')[0]!.line).toBe(2);
  });

  it('the newer updatedAt replaces the held record in place and moves the duplicate to the older row’s input', () => {
    const ds = new Dataset();
    const old = input(ds, 'export-jan.csv');
    const fresh = input(ds, 'export-feb.csv');
    ds.add(ticket(old, { id: 'T1', updatedAt: 100, createdAt: 1000, line: 2 }));
    ds.add(ticket(old, { id: 'T2', updatedAt: 100, createdAt: 2000, line: 3 }));
    ds.add(ticket(fresh, { id: 'T1', updatedAt: 300, createdAt: 1500, line: 7 }));
    expect(counts(ds, old)).toEqual({ read: 2, accepted: 1, duplicate: 1, rejected: 0, excluded: 0 });
    expect(counts(ds, fresh)).toEqual({ read: 1, accepted: 1, duplicate: 0, rejected: 0, excluded: 0 });
    const held = ds.records('ticket');
    expect(held.map((r) => [r.id, r.input, r.line])).toEqual([
      ['T1', fresh, 7],
      ['T2', old, 3],
    ]);
    expect(ds.totals()).toEqual({ read: 3, accepted: 2, duplicate: 1, rejected: 0 });
  });

  it('a newer row in the same file replaces the older one; the file counts one accepted, one duplicate', () => {
    const ds = new Dataset();
    const a = input(ds, 'a.csv');
    ds.add(ticket(a, { id: 'T1', updatedAt: 100, line: 2 }));
    ds.add(ticket(a, { id: 'T1', updatedAt: 200, line: 3 }));
    expect(counts(ds, a)).toMatchObject({ read: 2, accepted: 1, duplicate: 1 });
    expect(ds.records('ticket')[0]!.line).toBe(3);
  });

  it('records without ids never collide', () => {
    const ds = new Dataset();
    const a = input(ds, 'a.csv');
    for (let i = 0; i < 5; i++) ds.add(ticket(a, { createdAt: 1000 }));
    expect(ds.records('ticket')).toHaveLength(5);
    expect(counts(ds, a)).toMatchObject({ read: 5, accepted: 5, duplicate: 0 });
  });

  it('the same id in two kinds is two records', () => {
    const ds = new Dataset();
    const t = input(ds, 'tickets.csv', 'ticket');
    const o = input(ds, 'orders.csv', 'order');
    ds.add(ticket(t, { id: '42' }));
    ds.add({ kind: 'order', input: o, line: 2, id: '42', attrs: Object.create(null) } as CxRecord);
    expect(ds.records('ticket')).toHaveLength(1);
    expect(ds.records('order')).toHaveLength(1);
    expect(ds.kinds()).toEqual(['ticket', 'order']);
    expect(ds.records('call')).toEqual([]);
  });

  it('dateRange spans the accepted rows’ time field', () => {
    const ds = new Dataset();
    const a = input(ds, 'a.csv');
    const b = input(ds, 'b.csv');
    ds.add(ticket(a, { id: '1', createdAt: 5000 }));
    ds.add(ticket(a, { id: '2', createdAt: 1000 }));
    ds.add(ticket(a, { id: '3' })); // untimed: not in the range
    ds.add(ticket(a, { id: '4', createdAt: 9000 }));
    ds.add(ticket(a, { id: '1', createdAt: 100 })); // duplicate: not in the range
    expect(ds.inputs[a]!.dateRange).toEqual([1000, 9000]);
    expect(ds.inputs[b]!.dateRange).toBeNull();
    ds.add(ticket(b, { id: '9' }));
    expect(ds.inputs[b]!.dateRange).toBeNull();
  });

  it('excluded rejects are counted as rejected and as excluded', () => {
    const ds = new Dataset();
    const a = input(ds, 'a.csv');
    ds.reject(rejectRow(a, 'a.csv', 2, true));
    ds.reject(rejectRow(a, 'a.csv', 3));
    expect(counts(ds, a)).toEqual({ read: 2, accepted: 0, duplicate: 0, rejected: 2, excluded: 1 });
  });
});

describe('assertRejectRate', () => {
  function withRejects(read: number, rejected: number, excluded = 0): Dataset {
    const ds = new Dataset();
    const a = input(ds, 'exports/nps.csv');
    for (let i = 0; i < read - rejected; i++) ds.add(ticket(a, { id: `T${i}` }));
    for (let i = 0; i < rejected; i++) ds.reject(rejectRow(a, 'exports/nps.csv', 100 + i, i < excluded));
    return ds;
  }

  it('passes at or under the allowed share', () => {
    expect(() => assertRejectRate(withRejects(100, 5), 0.05)).not.toThrow();
    expect(() => assertRejectRate(withRejects(100, 0), 0)).not.toThrow();
    expect(() => assertRejectRate(new Dataset(), 0)).not.toThrow();
  });

  it('fails over the allowed share with TOO_MANY_REJECTS (exit 3) naming the file and the first reject', () => {
    let error: unknown;
    try {
      assertRejectRate(withRejects(100, 6), 0.05);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CxmError);
    const e = error as CxmError;
    expect(e.code).toBe('TOO_MANY_REJECTS');
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain('allowed: 5.0% per file');
    expect(e.message).toContain('exports/nps.csv: 6 of 100 rows rejected (6.0%); first: line 100, column "Fecha": expected a date');
    expect(e.hint).toContain('--max-reject-rate');
  });

  it('rows excluded by the config are not counted, neither as rejects nor in the base', () => {
    // 10 rejected, 8 of them excluded on purpose: 2 of 92 = 2.2%
    expect(() => assertRejectRate(withRejects(100, 10, 8), 0.05)).not.toThrow();
    // 10 rejected, 2 excluded: 8 of 98 = 8.2%
    expect(() => assertRejectRate(withRejects(100, 10, 2), 0.05)).toThrow(/8 of 98 rows rejected \(8\.2%\); first: line 102/);
  });

  it('a file of excluded rows only passes even at 0', () => {
    expect(() => assertRejectRate(withRejects(3, 3, 3), 0)).not.toThrow();
  });

  it('zero tolerance fails on one reject', () => {
    expect(() => assertRejectRate(withRejects(1000, 1), 0)).toThrow(expect.objectContaining({ code: 'TOO_MANY_REJECTS' }));
  });
});

describe('Dataset accounting property', () => {
  type Op =
    | { op: 'add'; input: number; kind: 'ticket' | 'call'; id: string | null; updatedAt: number | null }
    | { op: 'reject'; input: number; excluded: boolean };

  const INPUTS = 4;
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('add' as const),
        input: fc.nat(INPUTS - 1),
        kind: fc.constantFrom('ticket' as const, 'call' as const),
        id: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { nil: null }),
        updatedAt: fc.option(fc.nat(5), { nil: null }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('reject' as const), input: fc.nat(INPUTS - 1), excluded: fc.boolean() }) },
  );

  it('read = accepted + duplicate + rejected for every input; one held record per distinct id plus every id-less one', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const ds = new Dataset();
        for (let i = 0; i < INPUTS; i++) input(ds, `f${i}.csv`);
        const distinct = new Set<string>();
        let idless = 0;
        const reads = new Array<number>(INPUTS).fill(0);
        ops.forEach((o, line) => {
          reads[o.input]!++;
          if (o.op === 'reject') {
            ds.reject(rejectRow(o.input, `f${o.input}.csv`, line, o.excluded));
            return;
          }
          const record: Record<string, unknown> = { kind: o.kind, input: o.input, line, attrs: Object.create(null) };
          if (o.id !== null) {
            record.id = o.id;
            distinct.add(`${o.kind}:${o.id}`);
          } else idless++;
          if (o.updatedAt !== null) record.updatedAt = o.updatedAt;
          ds.add(record as unknown as CxRecord);
        });
        const held = [...ds.records('ticket'), ...ds.records('call')];
        expect(held.length).toBe(distinct.size + idless);
        ds.inputs.forEach((s, i) => {
          expect(s.read).toBe(reads[i]);
          expect(s.read).toBe(s.accepted + s.duplicate + s.rejected);
          expect(s.accepted).toBeGreaterThanOrEqual(0);
          // what an input counts as accepted is exactly what is held from it
          expect(s.accepted).toBe(held.filter((r) => r.input === i).length);
        });
        // no id is held twice within a kind
        for (const kind of ['ticket', 'call'] as const) {
          const ids = ds.records(kind).flatMap((r) => (r.id === undefined ? [] : [r.id]));
          expect(new Set(ids).size).toBe(ids.length);
        }
        const totals = ds.totals();
        expect(totals.read).toBe(ops.length);
        expect(totals.accepted).toBe(held.length);
      }),
      { numRuns: 500 },
    );
  });

  it('the held record of an id carries the greatest update time seen when every row has one', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ input: fc.nat(INPUTS - 1), updatedAt: fc.nat(20) }), { minLength: 1, maxLength: 30 }), (rows) => {
        const ds = new Dataset();
        for (let i = 0; i < INPUTS; i++) input(ds, `f${i}.csv`);
        rows.forEach((r, line) => ds.add(ticket(r.input, { id: 'X', updatedAt: r.updatedAt, line })));
        const max = Math.max(...rows.map((r) => r.updatedAt));
        const first = rows.findIndex((r) => r.updatedAt === max);
        const held = ds.records('ticket');
        expect(held).toHaveLength(1);
        expect(held[0]!.updatedAt).toBe(max);
        expect(held[0]!.line).toBe(first); // the first row with the greatest time wins ties
      }),
      { numRuns: 300 },
    );
  });
});

describe('Dataset streamed samples', () => {
  /** Every field a table of tickets has (a record is a copy of its table's template), defined where `mask` says. */
  const OPTIONAL = ['createdAt', 'channel', 'priority', 'status', 'group'] as const;
  function shaped(inputIndex: number, line: number, mask: number): CxRecord {
    const record: Record<string, unknown> = { kind: 'ticket', input: inputIndex, line, attrs: Object.create(null), id: `T${line}` };
    OPTIONAL.forEach((field, bit) => (record[field] = mask & (1 << bit) ? (field === 'createdAt' ? line : 'x') : undefined));
    return record as unknown as CxRecord;
  }
  const noStream = { claims: () => true, add: () => {} };

  it('keeps the first record of each distinct set of defined fields per input, over many sets and alternating inputs', () => {
    const ds = new Dataset();
    input(ds, 'a.csv');
    input(ds, 'b.csv');
    ds.streamTo('ticket', noStream);
    // 400 rows over 2 inputs, alternating in runs of 7, with 13 shapes in a scrambled order.
    const expected = new Map<number, Map<number, number>>([
      [0, new Map()],
      [1, new Map()],
    ]);
    let state = 3;
    const rows = [0, 0];
    for (let line = 2; line < 402; line++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const inputIndex = Math.floor(line / 7) % 2;
      const mask = [0, 31, 1, 2, 3, 5, 8, 13, 21, 30, 16, 4, 7][(state >>> 10) % 13]!;
      const seen = expected.get(inputIndex)!;
      if (!seen.has(mask)) seen.set(mask, line);
      rows[inputIndex]!++;
      ds.add(shaped(inputIndex, line, mask));
    }
    const lines = ds.records('ticket').map((r) => r.line);
    // Input 0's samples, then input 1's (the order the inputs first streamed), each in order of first appearance.
    expect(lines).toEqual([...expected.get(0)!.values(), ...expected.get(1)!.values()]);
    expect(expected.get(0)!.size).toBe(13);
    expect(expected.get(1)!.size).toBe(13);
    // Lines 2-6 go to input 0, 7-13 to input 1, … 399-401 to input 1 (⌊399/7⌋ = 57, odd): 201 and 199 rows, ids all distinct.
    expect(rows).toEqual([201, 199]);
    expect(ds.inputs.map((s) => s.accepted)).toEqual(rows);
  });

  it('a set of fields absorbed from another thread into the input being read keeps the absorbed sample', () => {
    const main = new Dataset();
    input(main, 'a.csv');
    main.streamTo('ticket', noStream);
    main.add(shaped(0, 2, 1)); // sample of shape 1
    main.add(shaped(0, 3, 3)); // sample of shape 3
    const other = new Dataset();
    input(other, 'a.csv');
    other.streamTo('ticket', noStream);
    other.add(shaped(0, 100, 7)); // shape 7 first seen by the other thread
    other.add(shaped(0, 101, 1)); // shape 1 again: main's sample stays
    expect(main.absorbStreamed('ticket', 0, other.exportStreamed('ticket', 0))).toBe(0);
    main.add(shaped(0, 4, 7)); // shape 7 again, after the absorbed one: not a new sample
    main.add(shaped(0, 5, 15)); // a new shape
    main.add(shaped(0, 6, 3));
    expect(main.records('ticket').map((r) => r.line)).toEqual([2, 3, 100, 5]);
    expect(main.inputs[0]).toMatchObject({ read: 7, accepted: 7, duplicate: 0 });
  });
});

describe('Dataset.hasField', () => {
  const ask = (ds: Dataset, kind: RecordKind, field: string) => ds.records(kind).some((r) => (r as unknown as Record<string, unknown>)[field] !== undefined);

  it('answers as a scan of the records does, over tables whose records hold their keys in different orders', () => {
    const ds = new Dataset();
    const FIELDS = ['createdAt', 'channel', 'priority', 'status', 'group', 'csat', 'type'];
    let state = 11;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8;
    // Three tables, each with its own order of (some of) the fields; a field is defined on a few
    // rows only, or on none (`type` is never defined, `csat` in one table on one row).
    const layouts = [FIELDS.slice(0, 5), ['status', 'group', 'createdAt', 'csat'], ['channel', 'type', 'priority', 'createdAt', 'group', 'status']];
    layouts.forEach((fields, table) => {
      const at = input(ds, `t${table}.csv`);
      for (let row = 0; row < 300; row++) {
        const record: Record<string, unknown> = { kind: 'ticket', input: at, line: row + 2, attrs: Object.create(null), id: `T${table}-${row}` };
        for (const field of fields) record[field] = field === 'type' ? undefined : field === 'csat' ? (row === 250 ? 4 : undefined) : next() % 50 === 0 ? 'x' : undefined;
        ds.add(record as unknown as CxRecord);
      }
    });
    for (const field of [...FIELDS, 'id', 'kind', 'attrs', 'updatedAt', 'nope']) expect(ds.hasField('ticket', field), field).toBe(ask(ds, 'ticket', field));
    expect(['csat', 'type', 'updatedAt'].map((f) => ds.hasField('ticket', f))).toEqual([true, false, false]);
    expect(ds.hasField('call', 'csat')).toBe(false); // no call records
  });

  it('names every object has through its prototype are asked of the records themselves', () => {
    const ds = new Dataset();
    const at = input(ds, 'a.csv');
    ds.add(ticket(at, { id: 'T1' }));
    expect(ds.hasField('ticket', 'constructor')).toBe(true); // as records.some(r => r.constructor !== undefined)
    expect(ds.hasField('ticket', 'toString')).toBe(ask(ds, 'ticket', 'toString'));
  });

  it('follows the records as they change: appended, replaced by a newer duplicate, streamed samples', () => {
    const ds = new Dataset();
    const at = input(ds, 'a.csv');
    ds.add(ticket(at, { id: 'T1', updatedAt: 1 }));
    expect(ds.hasField('ticket', 'createdAt')).toBe(false);
    ds.add(ticket(at, { id: 'T2', createdAt: 5 }));
    expect(ds.hasField('ticket', 'createdAt')).toBe(true); // appended
    ds.add(ticket(at, { id: 'T2', createdAt: 6, updatedAt: 9 })); // T2 held without an update time: a duplicate, nothing replaced
    expect(ds.hasField('ticket', 'updatedAt')).toBe(true);
    const other = new Dataset();
    const b = input(other, 'b.csv');
    other.add(ticket(b, { id: 'T1', createdAt: 3, updatedAt: 1 }));
    expect(other.hasField('ticket', 'createdAt')).toBe(true);
    other.add(ticket(b, { id: 'T1', updatedAt: 2 })); // newer: replaces the only record, which had the createdAt
    expect(other.records('ticket')).toHaveLength(1);
    expect(other.hasField('ticket', 'createdAt')).toBe(false);
    const streamed = new Dataset();
    const c = input(streamed, 'c.csv');
    streamed.streamTo('ticket', { claims: () => true, add: () => {} });
    streamed.add(ticket(c, { id: 'T1' }));
    expect(streamed.hasField('ticket', 'createdAt')).toBe(false);
    streamed.add(ticket(c, { id: 'T2', createdAt: 4 }));
    expect(streamed.hasField('ticket', 'createdAt')).toBe(true); // a new sample
  });
});
