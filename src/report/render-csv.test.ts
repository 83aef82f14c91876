import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Reject } from '../schema/normalize.js';
import { csvCell, csvLine, renderRejectsCsv } from './render-csv.js';

describe('csvCell', () => {
  it('leaves plain cells and numbers alone', () => {
    expect(csvCell('email')).toBe('email');
    expect(csvCell(3.5)).toBe('3.5');
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(0)).toBe('0');
  });
  it('writes null and undefined as empty cells', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
  it('quotes cells holding the delimiter, quotes or line breaks, doubling quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });
  it('quotes for the delimiter in use only', () => {
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('a,b', ';')).toBe('a,b');
    expect(csvCell('a\tb', '\t')).toBe('"a\tb"');
  });
  it('neutralises formulas, then quotes when needed', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });
});

describe('csvLine', () => {
  it('joins cells with the delimiter', () => {
    expect(csvLine(['a', 1, null, 'b,c', '-5'])).toBe('a,1,,"b,c",-5');
    expect(csvLine(['a', 'b;c', 2.5], ';')).toBe('a;"b;c";2.5');
  });
});

describe('renderRejectsCsv', () => {
  const rejects: Reject[] = [
    { input: 0, file: 'exports/nps.csv', line: 14, column: 'Puntuación', value: '11', reason: 'expected an NPS score 0-10, got "11"' },
    { input: 0, file: 'exports/nps.csv', line: 15, column: null, value: null, reason: 'too many fields (12, header has 9)' },
    { input: 1, file: 'dir with, comma/tickets.csv', line: 2, column: 'Comment "x"', value: 'multi\nline, "quoted"', reason: 'bad; really' },
    { input: 1, file: 'tickets.csv', line: 3, column: 'Importe', value: '-12.5', reason: 'negative' },
  ];

  it('writes a header and one line per reject', () => {
    const text = renderRejectsCsv(rejects.slice(0, 2));
    expect(text).toBe(
      'file,line,column,value,reason\n' +
        'exports/nps.csv,14,Puntuación,11,"expected an NPS score 0-10, got ""11"""\n' +
        'exports/nps.csv,15,,,"too many fields (12, header has 9)"\n',
    );
  });

  it('parses back with papaparse to the same values', () => {
    const parsed = Papa.parse<Record<string, string>>(renderRejectsCsv(rejects), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(['file', 'line', 'column', 'value', 'reason']);
    expect(parsed.data).toEqual(
      rejects.map((r) => ({ file: r.file, line: String(r.line), column: r.column ?? '', value: r.value ?? '', reason: r.reason })),
    );
  });

  it('a formula-like value comes back neutralised, the rest intact', () => {
    const injected: Reject[] = [
      { input: 0, file: 'x.csv', line: 9, column: '=cmd|" /C calc"!A0', value: '=2+5+cmd|" /C calc"!A0', reason: 'expected a number, got "=2+5"' },
      { input: 0, file: 'x.csv', line: 10, column: 'Cliente', value: '@SUM(1,2)', reason: 'x' },
    ];
    const parsed = Papa.parse<Record<string, string>>(renderRejectsCsv(injected), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      { file: 'x.csv', line: '9', column: `'=cmd|" /C calc"!A0`, value: `'=2+5+cmd|" /C calc"!A0`, reason: 'expected a number, got "=2+5"' },
      { file: 'x.csv', line: '10', column: 'Cliente', value: "'@SUM(1,2)", reason: 'x' },
    ]);
  });

  it('no rejects is the header alone', () => {
    expect(renderRejectsCsv([])).toBe('file,line,column,value,reason\n');
  });
});
