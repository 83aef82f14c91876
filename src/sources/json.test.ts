import { describe, expect, it } from 'vitest';
import { blankInfo, chunksOf, collect } from '../../fixtures/sources/collect.js';
import { isCxmError } from '../errors.js';
import { parseJsonStream, parseNdjsonStream } from './json.js';

async function readJson(text: string, chunkSize = 0, skip = false) {
  const sink = collect({ skip });
  const info = blankInfo('test.json');
  await parseJsonStream(chunksOf(text, chunkSize), sink, info);
  return { ...sink.result, notes: info.notes };
}

async function readNdjson(text: string, chunkSize = 0) {
  const sink = collect();
  const info = blankInfo('test.ndjson');
  await parseNdjsonStream(chunksOf(text, chunkSize), sink, info);
  return { ...sink.result, notes: info.notes };
}

/** Rows as objects keyed by the final column list, for readable expectations. */
function objects(r: Awaited<ReturnType<typeof readJson>>) {
  const columns = [...(r.header ?? []), ...r.added.flat()];
  return r.rows.map(({ cells }) => Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? null])));
}

describe('parseJsonStream: arrays of objects', () => {
  it('keeps JSON types and the line each object starts on', async () => {
    const text = '[\n  {"id": 1, "ok": true, "score": 9.5, "note": null, "name": "Ana"},\n  {"id": 2,\n   "ok": false}\n]\n';
    for (const size of [0, 1, 5]) {
      const r = await readJson(text, size);
      expect(r.header).toEqual(['id', 'ok', 'score', 'note', 'name']);
      expect(r.rows).toEqual([
        { cells: [1, true, 9.5, null, 'Ana'], line: 2 },
        { cells: [2, false, null, null, null], line: 3 },
      ]);
      expect(r.malformed).toEqual([]);
    }
  });

  it('flattens nested objects, joins arrays of scalars, keeps arrays of objects as JSON', async () => {
    const text = JSON.stringify([
      {
        id: 7,
        via: { channel: 'email', source: { from: { address: 'a@b.c' } } },
        satisfaction_rating: { score: 'good', comment: null },
        tags: ['billing', 'vip', 3, true, null],
        comments: [{ author: 1, body: 'hi, "there"' }, { author: 2 }],
        matrix: [[1, 2], [3]],
        empty: [],
        blank: {},
      },
    ]);
    const r = await readJson(text);
    expect(objects(r)).toEqual([
      {
        id: 7,
        'via.channel': 'email',
        'via.source.from.address': 'a@b.c',
        'satisfaction_rating.score': 'good',
        'satisfaction_rating.comment': null,
        tags: 'billing|vip|3|true|',
        comments: '[{"author":1,"body":"hi, \\"there\\""},{"author":2}]',
        matrix: '[[1,2],[3]]',
        empty: '',
      },
    ]);
    expect(JSON.parse(objects(r)[0]!.comments as string)).toEqual([{ author: 1, body: 'hi, "there"' }, { author: 2 }]);
  });

  it('keeps integers beyond 2^53 as strings instead of rounding them', async () => {
    const r = await readJson('[{"id": 12345678901234567891, "n": 42, "f": 1e3}]');
    expect(r.rows[0]!.cells).toEqual(['12345678901234567891', 42, 1000]);
  });

  it('reads the same from any chunking, minified or not', async () => {
    const records = Array.from({ length: 30 }, (_, i) => ({ id: i, t: `a}b]c{${i}`, n: { x: [i, 'y'] } }));
    const minified = JSON.stringify(records);
    const whole = await readJson(minified);
    for (const size of [1, 3, 64]) expect((await readJson(minified, size)).rows).toEqual(whole.rows);
    expect(whole.rows).toHaveLength(30);
    expect(whole.rows.every((r) => r.line === 1)).toBe(true);
    const pretty = await readJson(JSON.stringify(records, null, 2), 7);
    expect(pretty.rows.map((r) => r.cells)).toEqual(whole.rows.map((r) => r.cells));
    expect(pretty.rows[1]!.line).toBe(2 + 10); // each pretty record takes 10 lines
  });

  it('reports non-object elements as malformed and goes on', async () => {
    const r = await readJson('[1, "x", {"a": 1}, [2, [3]], null, {"a": 2}]');
    expect(r.rows.map((x) => x.cells)).toEqual([[1], [2]]);
    expect(r.malformed.map((m) => [m.reason, m.raw])).toEqual([
      ['array element 1 is a number, not an object', '1'],
      ['array element 2 is a string, not an object', '"x"'],
      ['array element 4 is an array, not an object', '[2,[3]]'],
      ['array element 5 is null, not an object', 'null'],
    ]);
  });

  it('calls header with no columns for an array of only scalars, and nothing for []', async () => {
    const scalars = await readJson('[1,2]');
    expect(scalars.header).toEqual([]);
    expect(scalars.malformed).toHaveLength(2);
    const empty = await readJson('[]');
    expect(empty.calls).toEqual([]);
    expect(empty.notes).toContain('no records');
  });
});

describe('parseJsonStream: wrapper objects', () => {
  it('reads the records of a Zendesk-style page', async () => {
    const text = '{"tickets": [{"id": 1, "via": {"channel": "web"}}, {"id": 2}], "next_page": null, "count": 2}';
    const r = await readJson(text);
    expect(objects(r)).toEqual([
      { id: 1, 'via.channel': 'web' },
      { id: 2, 'via.channel': null },
    ]);
    expect(r.notes).toContain('records from property "tickets"');
  });

  it('takes the first property holding an array of objects', async () => {
    const text = '{\n "meta": {"page": 1},\n "ids": [1, 2],\n "results": [\n  {"a": 1},\n  {"a": 2}\n ],\n "data": [{"b": 1}]\n}';
    const r = await readJson(text);
    expect(r.rows).toEqual([
      { cells: [1], line: 5 },
      { cells: [2], line: 6 },
    ]);
    expect((await readJson('{"data": [{"x": true}]}')).rows[0]!.cells).toEqual([true]);
  });

  it('reads an object with no array of objects as one record', async () => {
    const r = await readJson('{"id": 5, "tags": ["a", "b"], "owner": {"name": "Bo"}}');
    expect(objects(r)).toEqual([{ id: 5, tags: 'a|b', 'owner.name': 'Bo' }]);
    expect(r.notes).toContain('a single object: read as one record');
  });

  it('reads an empty page as no records, not as one', async () => {
    const r = await readJson('{"tickets": [], "next_page": null, "count": 0}');
    expect(r.rows).toEqual([]);
    expect(r.notes).toContain('property "tickets" holds an empty list: no records');
  });

  it('refuses a top-level scalar', async () => {
    const error = await readJson('  "just a string"').catch((e: unknown) => e);
    expect(isCxmError(error) && error.code).toBe('INPUT_MALFORMED');
    expect((error as Error).message).toMatch(/^test\.json:1: the JSON is a string, not records/);
  });
});

describe('parseJsonStream: columns', () => {
  it('takes the header from the first 1,000 records and announces later keys before their row', async () => {
    const records: Record<string, unknown>[] = Array.from({ length: 1200 }, (_, i) => ({ id: i }));
    records[500]!.early = 'x';
    records[1100]!.late = 'y';
    records[1150]!.later = { deep: 1 };
    const r = await readJson(JSON.stringify(records).replace(/\},\{/g, '},\n{'));
    expect(r.header).toEqual(['id', 'early']);
    expect(r.added).toEqual([['late'], ['later.deep']]);
    const at = r.calls.indexOf('add:late');
    expect(r.calls[at + 1]).toBe('row:1101');
    expect(r.rows[1100]!.cells).toEqual([1100, null, 'y']);
    expect(r.rows[1150]!.cells).toEqual([1150, null, null, 1]);
    expect(r.rows).toHaveLength(1200);
  });

  it('makes __proto__, constructor and prototype ordinary columns and pollutes nothing', async () => {
    const r = await readJson('[{"__proto__": {"polluted": 1}, "a": 1}, {"__proto__": 5, "constructor": "c", "prototype": {"x": 2}}]');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.header).toEqual(['__proto__.polluted', 'a', '__proto__', 'constructor', 'prototype.x']);
    expect(r.rows.map((x) => x.cells)).toEqual([
      [1, 1, null, null, null],
      [null, null, 5, 'c', 2],
    ]);
  });

  it('stops when the header is skipped', async () => {
    const r = await readJson(JSON.stringify(Array.from({ length: 3000 }, (_, i) => ({ i }))), 0, true);
    expect(r.headerCalls).toBe(1);
    expect(r.rows).toEqual([]);
  });
});

describe('parseJsonStream: hostile and broken input', () => {
  it('survives 100,000 levels of nesting, quickly', async () => {
    const depth = 100_000;
    const started = Date.now();
    const arrays = await readJson(`[{"id": 1, "deep": ${'['.repeat(depth)}${']'.repeat(depth)}}]`);
    expect(arrays.rows[0]!.cells[0]).toBe(1);
    expect((arrays.rows[0]!.cells[1] as string).length).toBe(2 * depth);

    const objectsDeep = await readJson(`[{"id": 2, "a": ${'{"a": '.repeat(depth)}1${'}'.repeat(depth)}}]`);
    expect(objectsDeep.rows).toHaveLength(1);
    const columns = objectsDeep.header!;
    expect(columns[1]).toBe(Array.from({ length: 32 }, () => 'a').join('.'));
    expect(objectsDeep.rows[0]!.cells[1]).toMatch(/^\{"a":\{"a":/);

    const topLevel = await readJson(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(topLevel.malformed[0]!.reason).toBe('array element 1 is an array, not an object');
    expect(topLevel.malformed[0]!.raw.length).toBeLessThanOrEqual(1001);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('delivers the records before trailing garbage and reports the garbage with its line', async () => {
    const sameLine = await readJson('[{"a": 1}, {"a": 2}] trailing');
    expect(sameLine.rows.map((x) => x.cells)).toEqual([[1], [2]]);
    expect(sameLine.malformed).toEqual([
      { line: 1, column: null, reason: 'unexpected text after the end of the JSON array', raw: 'trailing' },
    ]);
    const later = await readJson('[\n{"a": 1}\n]\n\n<html>\nmore\nlines\n', 2);
    expect(later.rows).toHaveLength(1);
    expect(later.malformed[0]).toMatchObject({ line: 5, raw: '<html>' });
    expect(later.malformed[0]!.reason).toBe(
      'unexpected text after the end of the JSON array; reading stopped here: the remaining 2 lines were not read',
    );
  });

  it('reports invalid JSON inside the array with the record it loses and the lines left', async () => {
    const r = await readJson('[\n{"a": 1},\n{"a": 2,,\n "b": 3},\n{"a": 4}\n]\n');
    expect(r.rows.map((x) => x.cells)).toEqual([[1]]);
    expect(r.malformed).toHaveLength(1);
    expect(r.malformed[0]!.line).toBe(3);
    expect(r.malformed[0]!.reason).toBe(
      "invalid JSON (expected an object key); the record starting on line 3 is lost; reading stopped here: the remaining 3 lines were not read",
    );
  });

  it('reports a truncated file', async () => {
    const r = await readJson('[{"a": 1}, {"a": 2, "b": ');
    expect(r.rows).toHaveLength(1);
    expect(r.malformed[0]!.reason).toMatch(/^the JSON ends early \(.*\): the file looks truncated; the record starting on line 1 is incomplete$/);
  });

  it('says an empty file is empty and calls nothing', async () => {
    const r = await readJson('  \n');
    expect(r.calls).toEqual([]);
    expect(r.notes).toEqual(['empty file']);
  });
});

describe('parseNdjsonStream', () => {
  it('reads one object per line with physical lines, and goes on after a bad line', async () => {
    const text = '{"id": 1, "via": {"channel": "chat"}}\r\n\n{"id": 2, oops}\n[1, 2]\n{"id": 3, "tags": ["x"]}\n{"id": 4}';
    for (const size of [0, 1, 4]) {
      const r = await readNdjson(text, size);
      expect(r.header).toEqual(['id', 'via.channel', 'tags']);
      expect(r.rows).toEqual([
        { cells: [1, 'chat', null], line: 1 },
        { cells: [3, null, 'x'], line: 5 },
        { cells: [4, null, null], line: 6 },
      ]);
      expect(r.malformed.map((m) => [m.line, m.reason, m.raw])).toEqual([
        [3, 'invalid JSON (expected an object key)', '{"id": 2, oops}'],
        [4, 'line holds an array, not an object', '[1, 2]'],
      ]);
    }
  });

  it('rejects two values on one line and keeps prototype keys harmless', async () => {
    const r = await readNdjson('{"a": 1} {"a": 2}\n{"__proto__": {"polluted": true}}\n');
    expect(r.malformed[0]!.line).toBe(1);
    expect(r.rows).toEqual([{ cells: [true], line: 2 }]);
    expect(r.header).toEqual(['__proto__.polluted']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handles deep nesting on a line', async () => {
    const r = await readNdjson(`{"d": ${'['.repeat(100_000)}${']'.repeat(100_000)}}\n`);
    expect(r.rows).toHaveLength(1);
  });

  it('says an empty file is empty', async () => {
    const r = await readNdjson('\n\n');
    expect(r.calls).toEqual([]);
    expect(r.notes).toEqual(['empty file']);
  });
});

describe('parseJsonStream: not JSON at all', () => {
  it('throws INPUT_MALFORMED naming the file and line', async () => {
    const error = await readJson('\n<!DOCTYPE html>\n<html></html>\n').catch((e: unknown) => e);
    expect(isCxmError(error) && error.code).toBe('INPUT_MALFORMED');
    expect((error as Error).message).toBe('test.json:2: not JSON: expected a value');
  });
});
