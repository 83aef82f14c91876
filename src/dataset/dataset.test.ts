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
