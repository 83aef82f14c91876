import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countLineBreaks, parseCsvStream } from './csv.js';
import { bufferSource, countLineBreakBytes, findCsvSplits, readCsvRange, type CsvRange } from './split.js';
import type { Cell, RawRowSink, SourceInfo } from './types.js';

const split = (text: string, parts = 2, newline: '\n' | '\r' = '\n', scanBytes?: number) =>
  findCsvSplits(bufferSource(Buffer.from(text, 'utf8')), parts, newline, { scanBytes });

/** The quotes in text[0, end). */
const quotes = (text: string, end: number) => text.slice(0, end).split('"').length - 1;

describe('findCsvSplits', () => {
  it('splits a plain LF file at the first newline after the middle, with the line there', () => {
    // header (8 bytes "id,name\n") + 10 rows of 8 bytes "N,xxxxx\n" = 88 bytes; middle 44;
    // rows start at 8, 16, 24, 32, 40, 48: the newline ending the row at 40 is byte 47, so the
    // range starts at 48, on line 7 (header line 1, rows on lines 2..11; the row at 48 is the 6th).
    const text = 'id,name\n' + Array.from({ length: 10 }, (_, i) => `${i},xxxxx\n`).join('');
    expect(text.length).toBe(88);
    const s = split(text)!;
    expect(s.headerEnd).toBe(8);
    expect(s.headerBreaks).toBe(1);
    expect(s.points).toEqual([{ offset: 48, line: 7 }]);
  });

  it('never splits inside a quoted field holding newlines', () => {
    // Every row's note spans three lines; the middle (byte 69 of 138) falls inside a note.
    const row = (i: number) => `${i},"a\nb\nc"\n`; // 10 bytes, 3 lines
    const text = 'id,note\n' + Array.from({ length: 13 }, (_, i) => row(i % 10)).join('');
    const s = split(text)!;
    const at = s.points[0]!.offset;
    expect(quotes(text, at) % 2).toBe(0);
    expect(text[at - 1]).toBe('\n');
    expect(text[at - 2]).toBe('"');
    // Rows start at 8 + 10k: the first at or after 69 is 78 (k = 7), on line 2 + 3 * 7 = 23.
    expect(s.points[0]).toEqual({ offset: 78, line: 23 });
  });

  it('counts doubled quotes inside a field as two, keeping the parity', () => {
    const text = 'id,q\n' + Array.from({ length: 20 }, (_, i) => `${i},"say ""hi""\n there"\n`).join('');
    const s = split(text)!;
    const at = s.points[0]!.offset;
    expect(quotes(text, at) % 2).toBe(0);
    expect(text.slice(at).startsWith(`${text.slice(at).split(',')[0]},"say`)).toBe(true);
    expect(s.points[0]!.line).toBe(countLineBreaks(text, 0, at) + 1);
  });

  it('counts CRLF once and a lone CR once, as the reader does', () => {
    // Rows alternate CRLF and LF endings; one quoted field holds a lone CR.
    const rows = Array.from({ length: 30 }, (_, i) => (i === 10 ? `${i},"x\ry"\r\n` : i % 2 ? `${i},v\r\n` : `${i},v\n`));
    const text = 'id,v\r\n' + rows.join('');
    const s = split(text)!;
    const at = s.points[0]!.offset;
    expect(text[at - 1]).toBe('\n');
    expect(s.points[0]!.line).toBe(countLineBreaks(text, 0, at) + 1);
    expect(s.headerBreaks).toBe(1);
  });

  it('splits old-Mac files after a CR, never between a CR and an LF', () => {
    const text = 'id,v\r' + Array.from({ length: 20 }, (_, i) => `${i},v\r`).join('');
    const s = split(text, 2, '\r')!;
    const at = s.points[0]!.offset;
    expect(text[at - 1]).toBe('\r');
    expect(s.points[0]!.line).toBe(countLineBreaks(text, 0, at) + 1);
    // With a CR LF pair where the split would fall, the split moves to the next record.
    const mixed = 'id,v\r' + Array.from({ length: 20 }, (_, i) => `${i},v\r\n`).join('');
    const m = split(mixed, 2, '\r');
    expect(m).toBeNull();
  });

  it('moves past one big quoted field that spans the middle', () => {
    const text = 'id,body\n1,a\n2,"' + 'x\n'.repeat(50) + '"\n3,b\n4,c\n';
    const s = split(text)!;
    const at = s.points[0]!.offset;
    expect(text.slice(at)).toBe('3,b\n4,c\n');
    // Line 1 the header, 2 row 1, row 2 from line 3 over its 50 quoted newlines to line 53: row 3 on 54.
    expect(s.points[0]!.line).toBe(54);
  });

  it('returns null when no newline follows the middle', () => {
    expect(split('id,v\n1,' + 'x'.repeat(100))).toBeNull();
    expect(split('id,v\n1,"open\n2,x\n3,y\n')).toBeNull(); // the quote never closes: no even newline after it
  });

  it('skips blank lines and an Excel sep= line before the header', () => {
    const text = '\n sep=;\nid;v\n' + Array.from({ length: 10 }, (_, i) => `${i};v\n`).join('');
    const s = split(text)!;
    expect(s.headerEnd).toBe(text.indexOf('id;v\n') + 5);
    expect(s.headerBreaks).toBe(3);
  });

  it('finds several boundaries in order for more parts', () => {
    const text = 'id,v\n' + Array.from({ length: 100 }, (_, i) => `${i % 10},v\n`).join('');
    const s = split(text, 4)!;
    expect(s.points).toHaveLength(3);
    const offsets = s.points.map((p) => p.offset);
    expect([...offsets].sort((a, b) => a - b)).toEqual(offsets);
    for (const p of s.points) expect(p.line).toBe(countLineBreaks(text, 0, p.offset) + 1);
  });

  it('puts the first boundary at firstShare of the bytes, and stops after maxPoints', () => {
    // 'id,v\n' (5 bytes) + 100 rows "N,v\n" (4 bytes each) = 405 bytes; rows start at 5 + 4k.
    const text = 'id,v\n' + Array.from({ length: 100 }, (_, i) => `${i % 10},v\n`).join('');
    const source = bufferSource(Buffer.from(text));
    // 0.6 * 405 = 243: the next row start at or after it is 245 (k = 60, line 62).
    expect(findCsvSplits(source, 2, '\n', { firstShare: 0.6 })!.points).toEqual([{ offset: 245, line: 62 }]);
    // 3 parts, first share 0.5: targets 202 and 202 + 101 = 303; rows start at 205 (k = 50) and 305 (k = 75).
    expect(findCsvSplits(source, 3, '\n', { firstShare: 0.5 })!.points).toEqual([
      { offset: 205, line: 52 },
      { offset: 305, line: 77 },
    ]);
    expect(findCsvSplits(source, 3, '\n', { firstShare: 0.5, maxPoints: 1 })!.points).toEqual([{ offset: 205, line: 52 }]);
  });

  it('agrees with a char-by-char reference on random CSV, whatever the chunk size', () => {
    let splits = 0;
    const field = fc.oneof(
      fc.constantFrom('a', 'bb', '', 'x y'),
      fc.array(fc.constantFrom('a', '""', '\n', '\r\n', '\r', ',', 'é'), { maxLength: 6 }).map((parts) => `"${parts.join('')}"`),
    );
    const ending = fc.constantFrom('\n', '\r\n');
    const row = fc.tuple(fc.array(field, { minLength: 1, maxLength: 3 }), ending).map(([cells, end]) => cells.join(',') + end);
    fc.assert(
      fc.property(fc.array(row, { minLength: 2, maxLength: 40 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 2, max: 4 }), (rows, scan, parts) => {
        const text = 'h1,h2\n' + rows.join('');
        const buf = Buffer.from(text, 'utf8');
        const s = findCsvSplits(bufferSource(buf), parts, '\n', { scanBytes: scan });
        if (s === null) return;
        expect(s.headerEnd).toBe(6);
        let last = s.headerEnd;
        for (const p of s.points) {
          expect(p.offset).toBeGreaterThan(last);
          last = p.offset;
          const before = buf.subarray(0, p.offset);
          expect(buf[p.offset - 1]).toBe(0x0a);
          expect(before.toString('latin1').split('"').length % 2).toBe(1); // an even number of quotes
          const decoded = before.toString('utf8');
          expect(p.line).toBe(countLineBreaks(decoded, 0, decoded.length) + 1); // the reader's own count
          expect(countLineBreakBytes(before)).toBe(p.line - 1);
          splits++;
        }
      }),
      { numRuns: 300 },
    );
    expect(splits).toBeGreaterThan(100);
  });
});

function collect(): { sink: RawRowSink; rows: [number, Cell[]][]; bad: [number, string][]; header: string[][] } {
  const rows: [number, Cell[]][] = [];
  const bad: [number, string][] = [];
  const header: string[][] = [];
  return {
    rows,
    bad,
    header,
    sink: {
      header: (columns) => {
        header.push(columns);
      },
      row: (cells, line) => rows.push([line, cells]),
      malformed: (line, _c, reason) => bad.push([line, reason]),
    },
  };
}

const info = (): SourceInfo => ({ file: 't.csv', format: 'csv', encoding: 'utf-8', delimiter: ',', compressed: false, notes: [] });

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

describe('readCsvRange', () => {
  it('reads a later range with the header and the whole file line numbers, rejects included', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => (i === 30 ? `${i},"multi\nline",z\n` : i === 33 ? `${i},too,many,fields\n` : `${i},v,w\n`));
    const text = 'id,a,b\n' + rows.join('');
    const dir = mkdtempSync(join(tmpdir(), 'cxm-split-'));
    const file = join(dir, 'x.csv');
    writeFileSync(file, text);
    const s = split(text)!;
    const whole = collect();
    await parseCsvStream(once(text), { delimiter: ',', newline: '\n' }, whole.sink, info());
    const range: CsvRange = {
      encoding: 'utf-8',
      dialect: { delimiter: ',', newline: '\n' },
      headerEnd: s.headerEnd,
      headerBreaks: s.headerBreaks,
      start: s.points[0]!.offset,
      end: text.length,
      line: s.points[0]!.line,
    };
    const part = collect();
    const result = await readCsvRange(file, range, part.sink, info());
    expect(result).toEqual({ prefixRecords: 0, replaced: false });
    expect(part.header).toEqual([['id', 'a', 'b']]);
    const from = s.points[0]!.line;
    expect(part.rows).toEqual(whole.rows.filter(([line]) => line >= from));
    expect(part.bad).toEqual(whole.bad.filter(([line]) => line >= from));
    // Row 33 (the file's line 36: header 1, rows 0..29 on 2..31, row 30 on 32-33, 31 on 34, 32 on 35) is the malformed one.
    expect(part.bad.map(([line]) => line)).toEqual([36]);
  });
});
