import { describe, expect, it } from 'vitest';
import type { Cell, SourceInfo } from '../sources/types.js';
import { parseConfig } from './config.js';
import { detectKind } from './detect.js';
import { SCALES } from './test-support.js';
import { TableNormalizer, type Reject } from './normalize.js';

const SOURCE: SourceInfo = { file: 'tickets.csv', format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, notes: [] };

/** What became of one row: its record (without `line`) or its reject (without `line`). */
type Outcome = { line: number; record: Record<string, unknown> } | { line: number; reject: Omit<Reject, 'line' | 'input' | 'file'> };

/** Normalizes `rows` (line = index + 2) as one table and returns every row's outcome, in order. */
function normalize(header: string[], rows: Cell[][]): Outcome[] {
  const detection = detectKind(header, SOURCE.file);
  if (detection.status !== 'recognised') throw new Error(`not recognised: ${detection.reason}`);
  const out: Outcome[] = [];
  const normalizer = new TableNormalizer({
    input: 0,
    source: SOURCE,
    header,
    match: detection.match,
    options: { config: parseConfig({}, 'test'), fileConfig: undefined, timezone: 'UTC', dateOrder: undefined, scales: SCALES },
    onRecord: (record) => {
      const { line, ...rest } = record as unknown as Record<string, unknown>;
      out.push({ line: line as number, record: rest });
    },
    onReject: ({ line, input: _input, file: _file, ...rest }) => out.push({ line, reject: rest }),
  });
  rows.forEach((row, i) => normalizer.push(row, i + 2));
  normalizer.end();
  return out;
}

const HEADER = ['Ticket ID', 'Created at', 'Channel', 'Priority', 'Replies', 'FCR', 'CSAT', 'First reply time in minutes'];
const BASE: Cell[] = ['T1', '2025-03-01T10:00:00Z', 'Email', 'High', '2', 'yes', '4', '30'];

/**
 * Texts on and around the edges of each repeating column (category, count, boolean, score with its
 * sentinels, duration): blanks, blank tokens, padding, out-of-range and malformed values, values
 * zod must decide (a negative or fractional count passes the number parser but not the schema).
 * Each text once per column, so its first row goes through the converter and the field check.
 */
const EDGES: [column: number, text: string][] = [
  [2, 'Correo electrónico'],
  [2, ' Chat '],
  [2, 'WEB'],
  [2, ''],
  [2, 'n/a'],
  [2, '-'],
  [3, 'urgent'],
  [3, 'Low '],
  [3, 'NA'],
  [4, '0'],
  [4, '-1'],
  [4, '2.5'],
  [4, '1e3'],
  [4, 'many'],
  [4, ' 7 '],
  [4, '#N/A'],
  [5, 'no'],
  [5, 'Y'],
  [5, 'true'],
  [5, 'maybe'],
  [5, '1'],
  [6, '5'],
  [6, '0'],
  [6, '6'],
  [6, '4.5'],
  [6, 'Offered'],
  [6, 'unoffered'],
  [6, 'Very satisfied'],
  [6, 'nope'],
  [6, ' 3'],
  [7, '90'],
  [7, '1:30'],
  [7, '1h 30m'],
  [7, '-5'],
  [7, 'soon'],
  [7, ''],
];

function edgeRows(): Cell[][] {
  return EDGES.map(([column, text], i) => {
    const row = [...BASE];
    row[0] = `T${100 + i}`;
    row[column] = text;
    return row;
  });
}

/** An outcome without its line, to compare the same row read twice. */
function body(outcome: Outcome): unknown {
  return 'record' in outcome ? { record: { ...outcome.record, id: undefined } } : { reject: outcome.reject };
}

describe('TableNormalizer: texts remembered per column', () => {
  it('reads a text again exactly as it read it the first time (values, blanks, sentinels, rejects and their reasons)', () => {
    const rows = edgeRows();
    // The same rows twice: the second pass finds every repeating cell's text already read.
    const out = normalize(HEADER, [...rows, ...rows]);
    expect(out).toHaveLength(2 * rows.length);
    for (let i = 0; i < rows.length; i++) {
      expect(out[i]!.line).toBe(i + 2);
      expect(out[rows.length + i]!.line).toBe(rows.length + i + 2);
      expect(body(out[rows.length + i]!), `${HEADER[EDGES[i]![0]]} = ${JSON.stringify(EDGES[i]![1])}`).toEqual(body(out[i]!));
    }
  });

  it('agrees with a table where every text is new (no remembered value can help)', () => {
    const rows = edgeRows();
    const twice = normalize(HEADER, [...rows, ...rows]).slice(rows.length);
    // Each edge row alone after the base row: only the base row's texts repeat. The converters are
    // decided from the sample, so each table holds the whole edge sample too (ahead, under other ids).
    for (let i = 0; i < rows.length; i++) {
      const alone = normalize(HEADER, [...rows.map((r, k) => (k === i ? [...BASE] : r)), rows[i]!]);
      expect(body(alone[alone.length - 1]!), `${HEADER[EDGES[i]![0]]} = ${JSON.stringify(EDGES[i]![1])}`).toEqual(body(twice[i]!));
    }
  });

  it('gives the values and reasons expected of each text', () => {
    const rows = edgeRows();
    const out = normalize(HEADER, [...rows, ...rows]);
    const at = (text: string, column: number, pass: number) => out[pass * rows.length + EDGES.findIndex(([c, t]) => c === column && t === text)]!;
    for (const pass of [0, 1]) {
      expect(at('Correo electrónico', 2, pass)).toMatchObject({ record: { channel: 'email', priority: 'High', replies: 2, fcr: true, csat: 4, firstResponseSeconds: 1800 } });
      expect(at(' Chat ', 2, pass)).toMatchObject({ record: { channel: 'chat' } });
      expect(at('n/a', 2, pass)).toMatchObject({ record: { channel: undefined } });
      expect(at('-1', 4, pass)).toMatchObject({ reject: { column: 'Replies', value: '-1', reason: 'expected a count of 0 or more' } });
      expect(at('2.5', 4, pass)).toMatchObject({ reject: { column: 'Replies', value: '2.5', reason: 'expected a whole number' } });
      expect(at(' 7 ', 4, pass)).toMatchObject({ record: { replies: 7 } });
      expect(at('Offered', 6, pass)).toMatchObject({ record: { csat: undefined, csatOffered: true } });
      expect(at('6', 6, pass)).toMatchObject({ reject: { column: 'CSAT', value: '6' } });
      // Labels are read only when every text of the sample is a known label ("nope" is not).
      expect(at('Very satisfied', 6, pass)).toMatchObject({ reject: { column: 'CSAT', reason: 'expected a CSAT 1-5, got "Very satisfied"' } });
      // 1:30 in a minutes column: 1 h 30 min = 5400 s; 1h 30m the same.
      expect(at('1:30', 7, pass)).toMatchObject({ record: { firstResponseSeconds: 5400 } });
      expect(at('1h 30m', 7, pass)).toMatchObject({ record: { firstResponseSeconds: 5400 } });
    }
    const reasons = (pass: number) => out.slice(pass * rows.length, (pass + 1) * rows.length).flatMap((o) => ('reject' in o ? [o.reject.reason] : []));
    expect(reasons(1)).toEqual(reasons(0));
    expect(reasons(0).length).toBeGreaterThanOrEqual(6); // -1, 2.5, many, maybe, 6, nope, 0 (CSAT), -5, soon…
  });

  it('keeps reading correctly past the texts it remembers per column (4096)', () => {
    // 5000 distinct reply counts, then the same again: the column stops remembering at 4096 texts.
    const rows: Cell[][] = [];
    for (let pass = 0; pass < 2; pass++) {
      for (let n = 0; n < 5000; n++) rows.push([`T${pass}-${n}`, '2025-03-01T10:00:00Z', 'Email', 'High', String(n), 'yes', '4', '30']);
    }
    const out = normalize(HEADER, rows);
    expect(out).toHaveLength(10_000);
    // Row k (line k + 2) holds k mod 5000 replies.
    out.forEach((o, k) => expect(o).toMatchObject({ line: k + 2, record: { replies: k % 5000 } }));
  });

  it('reads ids as trimmed text, with or without padding at either end', () => {
    // [cell, id]: printable ASCII at both ends is taken as it is; anything else is trimmed as before.
    const IDS: [string, string | undefined][] = [
      ['T1', 'T1'],
      [' T2', 'T2'],
      ['T3 ', 'T3'],
      ['\u00a0T4', 'T4'],
      ['T5\u3000', 'T5'],
      ['\tT6\t', 'T6'],
      ['Ñ7', 'Ñ7'],
      ['T8ñ', 'T8ñ'],
      ['9', '9'],
      ['~', '~'],
      ['"T10"', '"T10"'],
      [' n/a ', undefined],
    ];
    const out = normalize(
      HEADER,
      IDS.map(([id]) => [id, ...BASE.slice(1)]),
    );
    expect(out.map((o) => ('record' in o ? o.record.id : o.reject))).toEqual(IDS.map(([, id]) => id));
  });
});
