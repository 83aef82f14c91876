import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blankInfo, chunksOf, collect } from '../../fixtures/sources/collect.js';
import { countLineBreaks, normalizeHeader, parseCsvStream, type CsvDialect } from './csv.js';

const COMMA: CsvDialect = { delimiter: ',', newline: '\n' };

async function parse(text: string, dialect: CsvDialect = COMMA, chunkSize = 0) {
  const sink = collect();
  const info = blankInfo();
  await parseCsvStream(chunksOf(text, chunkSize), dialect, sink, info);
  return { ...sink.result, notes: info.notes };
}

/** The same text in one piece, in 1-character chunks and in 7-character chunks must read the same. */
async function parseEveryWay(text: string, dialect: CsvDialect = COMMA) {
  const whole = await parse(text, dialect);
  for (const size of [1, 7]) {
    const chunked = await parse(text, dialect, size);
    expect({ ...chunked, info: null }).toEqual({ ...whole, info: null });
  }
  return whole;
}

const lines = (rows: { line: number }[]) => rows.map((r) => r.line);

describe('parseCsvStream: records and lines', () => {
  it('reads a header and rows with their physical lines', async () => {
    const r = await parseEveryWay('id,name\n1,Ana\n2,Bo\n');
    expect(r.header).toEqual(['id', 'name']);
    expect(r.rows).toEqual([
      { cells: ['1', 'Ana'], line: 2 },
      { cells: ['2', 'Bo'], line: 3 },
    ]);
    expect(r.malformed).toEqual([]);
  });

  it('counts the lines of quoted fields with embedded newlines', async () => {
    const text = 'id,text,score\n1,"first\nsecond\nthird",5\n2,plain,4\n3,"a\r\nb",3\n4,x,2';
    const r = await parseEveryWay(text);
    expect(lines(r.rows)).toEqual([2, 5, 6, 8]);
    expect(r.rows[0]!.cells[1]).toBe('first\nsecond\nthird');
    expect(r.rows[2]!.cells[1]).toBe('a\r\nb');
  });

  it('reads CRLF files without leaving a CR on the last field', async () => {
    const text = 'id,comment,score\r\n1,"multi\r\nline",5\r\n2,"quoted last","9"\r\n3,plain,7\r\n';
    const r = await parseEveryWay(text);
    expect(r.header).toEqual(['id', 'comment', 'score']);
    expect(r.rows.map((x) => x.cells)).toEqual([
      ['1', 'multi\r\nline', '5'],
      ['2', 'quoted last', '9'],
      ['3', 'plain', '7'],
    ]);
    expect(lines(r.rows)).toEqual([2, 4, 5]);
  });

  it('copes with a file mixing CRLF and LF line ends', async () => {
    const r = await parseEveryWay('a,b\n1,2\r\n3,4\n5,6\r\n');
    expect(r.rows.map((x) => x.cells)).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
    expect(lines(r.rows)).toEqual([2, 3, 4]);
  });

  it('reads lone-CR (old Mac) files', async () => {
    const r = await parseEveryWay('a,b\r1,"x\ry"\r2,z\r', { delimiter: ',', newline: '\r' });
    expect(r.rows.map((x) => x.cells)).toEqual([
      ['1', 'x\ry'],
      ['2', 'z'],
    ]);
    expect(lines(r.rows)).toEqual([2, 4]);
  });

  it('counts a lone CR inside a quoted field of an LF file as a line break', async () => {
    const r = await parseEveryWay('a,b\n1,"x\ry"\n2,z\n');
    expect(lines(r.rows)).toEqual([2, 4]);
  });

  it('skips blank lines but counts them, before and after the header', async () => {
    const r = await parseEveryWay('\n\nid,name\n1,Ana\n\n   \n2,Bo\n\n');
    expect(r.header).toEqual(['id', 'name']);
    expect(lines(r.rows)).toEqual([4, 7]);
    expect(r.notes).toContain('skipped 5 blank lines');
  });

  it('reads ; tab and | dialects', async () => {
    expect((await parseEveryWay('a;b\n1,5;2,3\n', { delimiter: ';', newline: '\n' })).rows[0]!.cells).toEqual(['1,5', '2,3']);
    expect((await parseEveryWay('a\tb\n1\t"x\ty"\n', { delimiter: '\t', newline: '\n' })).rows[0]!.cells).toEqual(['1', 'x\ty']);
    expect((await parseEveryWay('a|b\n1|2\n', { delimiter: '|', newline: '\n' })).rows[0]!.cells).toEqual(['1', '2']);
  });
});

describe('parseCsvStream: header names', () => {
  it('names empty headers column_N and suffixes duplicates', async () => {
    const r = await parse(',id,name,id,,name,id\n0,1,2,3,4,5,6\n');
    expect(r.header).toEqual(['column_1', 'id', 'name', 'id_2', 'column_5', 'name_2', 'id_3']);
  });

  it('never lets a BOM into the first header name', async () => {
    const r = await parse('\uFEFFid,name\n1,Ana\n');
    expect(r.header).toEqual(['id', 'name']);
  });

  it('normalizeHeader skips suffixes a real column already has', () => {
    expect(normalizeHeader(['a', 'a', 'a_2'])).toEqual(['a', 'a_3', 'a_2']);
    expect(normalizeHeader([' score ', ''])).toEqual(['score', 'column_2']);
  });
});

describe('parseCsvStream: ragged and broken records', () => {
  it('pads short rows with null and reports long ones', async () => {
    const r = await parseEveryWay('a,b,c\n1,2\n1,2,3,4\n5,6,7\n');
    expect(r.rows).toEqual([
      { cells: ['1', '2', null], line: 2 },
      { cells: ['5', '6', '7'], line: 4 },
    ]);
    expect(r.malformed).toEqual([{ line: 3, column: null, reason: 'row has 4 fields, header has 3', raw: '1,2,3,4' }]);
  });

  it('accepts extra cells that are all empty (a trailing delimiter)', async () => {
    const r = await parseEveryWay('a,b\n1,2,\n3,4,,\r\n');
    expect(r.rows.map((x) => x.cells)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(r.malformed).toEqual([]);
  });

  it('skips rows of only delimiters, as spreadsheets leave them', async () => {
    const r = await parseEveryWay('a;b;c\n1;2;3\n;;\n;;\n', { delimiter: ';', newline: '\n' });
    expect(r.rows).toHaveLength(1);
    expect(r.notes).toContain('skipped 2 rows with only empty cells');
  });

  it('reports an unbalanced quote at the line where it opens, and what it swallowed', async () => {
    const text = 'id,comment,score\n1,"fine",5\n2,ok,4\n3,"broken,3\n4,ok,2\n5,ok,1\n';
    const r = await parseEveryWay(text);
    expect(r.rows.map((x) => x.cells[0])).toEqual(['1', '2']);
    expect(r.malformed).toHaveLength(1);
    expect(r.malformed[0]).toMatchObject({
      line: 4,
      column: 2,
      reason: 'unbalanced quote: the quoted field opened here never closes, so the rest of the file (2 more lines) was read into it',
    });
    expect(r.malformed[0]!.raw).toBe('3,"broken,3\n4,ok,2\n5,ok,1');
  });

  it('gives the line of the opening quote even when earlier fields span lines', async () => {
    const r = await parse('a,b,c\n"x\ny","z\n');
    expect(r.malformed[0]).toMatchObject({ line: 3, column: 2 });
    expect(r.malformed[0]!.reason).toMatch(/never closes \(it runs to the end of the file\)/);
  });

  it('reports stray quotes (InvalidQuotes) as malformed rows', async () => {
    const r = await parseEveryWay('a,b\n1,"say "hi" now"\n2,ok\n');
    expect(r.malformed).toHaveLength(1);
    expect(r.malformed[0]!.line).toBe(2);
    expect(r.malformed[0]!.reason).toMatch(/^malformed quotes/);
    expect(r.rows.map((x) => x.cells)).toEqual([['2', 'ok']]);
  });

  it('rejects only the line of a stray closing quote and reads the lines it swallowed', async () => {
    // papaparse alone reads lines 2-5 as one record: "great" is closed only by the quote on line 5.
    const text = 'id,nps,comment\n1,9,"great" service\n2,7,ok\n3,8,"multi\nline"\n4,42,bad\n5,6,fine\n';
    const r = await parseEveryWay(text);
    expect(r.malformed).toEqual([
      {
        line: 2,
        column: null,
        reason: 'malformed quotes: a closing quote is followed by more text (a quote inside a quoted field must be doubled: "")',
        raw: '1,9,"great" service',
      },
    ]);
    expect(r.rows).toEqual([
      { cells: ['2', '7', 'ok'], line: 3 },
      { cells: ['3', '8', 'multi\nline'], line: 4 },
      { cells: ['4', '42', 'bad'], line: 6 },
      { cells: ['5', '6', 'fine'], line: 7 },
    ]);
  });

  it('rejects a quoted field spanning lines up to the line of its stray quote', async () => {
    const r = await parseEveryWay('a,b,c\n1,"multi\nline" x,3\n2,ok,4\n');
    expect(r.malformed.map((m) => [m.line, m.raw])).toEqual([[2, '1,"multi\nline" x,3']]);
    expect(r.rows).toEqual([{ cells: ['2', 'ok', '4'], line: 4 }]);
  });

  it('recovers from stray quotes on consecutive lines without recursion', async () => {
    const bad = Array.from({ length: 3000 }, (_, i) => `${i},"x" y`).join('\n');
    const r = await parse(`a,b\n${bad}\nlast,"ok"\n`);
    expect(r.malformed).toHaveLength(3000);
    expect(r.malformed.map((m) => m.line)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 2));
    expect(r.rows).toEqual([{ cells: ['last', 'ok'], line: 3002 }]);
  });

  it('skips Excel\'s sep= line, keeping the line count', async () => {
    const r = await parseEveryWay('sep=;\r\nid;nps\r\n1;9\r\n', { delimiter: ';', newline: '\n' });
    expect(r.header).toEqual(['id', 'nps']);
    expect(r.rows).toEqual([{ cells: ['1', '9'], line: 3 }]);
    expect(r.notes).toContain("skipped Excel's sep= line");
  });

  it('drops a BOM in the middle of the text and the header repeated by appended exports', async () => {
    const r = await parseEveryWay('id,nps\n1,9\n\uFEFFid,nps\n2,7\nid,nps\n');
    expect(r.rows).toEqual([
      { cells: ['1', '9'], line: 2 },
      { cells: ['2', '7'], line: 4 },
    ]);
    expect(r.notes).toContain('skipped 2 repeated header lines (exports appended to each other)');
  });

  it('clips the raw text of huge malformed records', async () => {
    const r = await parse(`a\n"${'x'.repeat(5000)}\n`);
    expect(r.malformed[0]!.raw.length).toBe(1001);
    expect(r.malformed[0]!.raw.endsWith('…')).toBe(true);
  });

  it('does not re-parse a runaway quoted field once per chunk', async () => {
    // 40 MB after an unbalanced quote, fed in 64 KiB chunks: quadratic re-parsing would take minutes.
    const chunk = 'x'.repeat(65535) + '\n';
    async function* source() {
      yield 'a,b\n1,"open\n';
      for (let i = 0; i < 640; i++) yield chunk;
    }
    const sink = collect();
    const started = Date.now();
    await parseCsvStream(source(), COMMA, sink, blankInfo());
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sink.result.malformed).toHaveLength(1);
    expect(sink.result.malformed[0]!.reason).toContain('(640 more lines)');
  });
});

describe('parseCsvStream: empty inputs and skipping', () => {
  it('gives zero rows for a header alone', async () => {
    const r = await parse('id,name\n');
    expect(r.header).toEqual(['id', 'name']);
    expect(r.rows).toEqual([]);
    expect(r.notes).toContain('header only: no rows');
  });

  it('calls nothing for an empty file or one of blank lines', async () => {
    for (const text of ['', '\n\n\r\n']) {
      const r = await parse(text);
      expect(r.calls).toEqual([]);
      expect(r.notes).toContain('empty file');
    }
  });

  it('stops reading, and closes the source, when the header is skipped', async () => {
    let pulled = 0;
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield i === 0 ? 'a,b\n' : '1,2\n'.repeat(100);
        }
      } finally {
        closed = true;
      }
    }
    const sink = collect({ skip: true });
    await parseCsvStream(source(), COMMA, sink, blankInfo());
    expect(sink.result.rows).toEqual([]);
    expect(pulled).toBeLessThan(3);
    expect(closed).toBe(true);
  });
});

describe('parseCsvStream: chunk boundaries never matter', () => {
  const cell = fc.oneof(
    fc.constantFrom('', 'x', 'a b', '1,5', 'say ""hi""', 'multi\nline', 'crlf\r\nline', 'é€😀'),
    fc.string({ maxLength: 6 }).filter((s) => !/["\r\n,]/.test(s)),
  );
  const quote = (s: string) => (/[",\r\n]/.test(s) || s.startsWith(' ') ? `"${s.replace(/"/g, '""')}"` : s);

  it('reads the same records and lines for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 9 }),
        async (rows, eol, size) => {
          const text = ['h1,h2,h3', ...rows.map((r) => r.map(quote).join(','))].join(eol) + eol;
          const whole = await parse(text);
          const chunked = await parse(text, COMMA, size);
          expect(chunked.rows).toEqual(whole.rows);
          expect(chunked.malformed).toEqual(whole.malformed);
          // Lines: each record starts after the line breaks of everything before it.
          let line = 2;
          const expected: number[] = [];
          for (const r of rows) {
            const raw = r.map(quote).join(',');
            if (r.every((c) => c.trim() === '')) {
              line += 1 + countLineBreaks(raw, 0, raw.length);
              continue;
            }
            expected.push(line);
            line += 1 + countLineBreaks(raw, 0, raw.length);
          }
          expect(lines(whole.rows)).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
