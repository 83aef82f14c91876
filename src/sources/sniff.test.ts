import { describe, expect, it } from 'vitest';
import {
  firstInvalidUtf8,
  sniffBinary,
  sniffDelimiter,
  sniffEncoding,
  sniffFormat,
  sniffNewline,
  splitExtension,
  utf8IncompleteTail,
} from './sniff.js';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('sniffEncoding', () => {
  it('recognises byte-order marks', () => {
    expect(sniffEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), true)).toBe('utf-8-bom');
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00]), true)).toBe('utf-16le');
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x61]), true)).toBe('utf-16be');
  });

  it('tells valid UTF-8 from Windows-1252', () => {
    expect(sniffEncoding(Buffer.from('id,name\n1,plain\n'), true)).toBe('utf-8');
    expect(sniffEncoding(Buffer.from('Teléfono,Año\n'), true)).toBe('utf-8');
    expect(sniffEncoding(latin1('Tel\xe9fono,A\xf1o\n'), true)).toBe('windows-1252');
  });

  it('does not blame a character cut by the end of a partial sample', () => {
    const bytes = Buffer.from('nombre,Teléfono €');
    const cut = bytes.subarray(0, bytes.length - 1); // € is 3 bytes: keep 2
    expect(sniffEncoding(cut, false)).toBe('utf-8');
    expect(sniffEncoding(cut, true)).toBe('windows-1252');
  });

  it('finds UTF-16 without a byte-order mark', () => {
    expect(sniffEncoding(Buffer.from('id,name\n1,Ana\n', 'utf16le'), true)).toBe('utf-16le');
    const be = Buffer.from('id,name\n1,Ana\n', 'utf16le').swap16();
    expect(sniffEncoding(be, true)).toBe('utf-16be');
  });
});

describe('utf8IncompleteTail / firstInvalidUtf8', () => {
  it('counts the bytes of a sequence cut at the end', () => {
    expect(utf8IncompleteTail(Buffer.from('abc'))).toBe(0);
    expect(utf8IncompleteTail(Buffer.from('é'))).toBe(0);
    expect(utf8IncompleteTail(Buffer.from('é').subarray(0, 1))).toBe(1);
    expect(utf8IncompleteTail(Buffer.from('€').subarray(0, 2))).toBe(2);
    expect(utf8IncompleteTail(Buffer.from('😀').subarray(0, 3))).toBe(3);
    expect(utf8IncompleteTail(latin1('abc\xe9'))).toBe(1); // could still be a lead byte
  });

  it('locates the first invalid byte', () => {
    expect(firstInvalidUtf8(Buffer.from('ok é €'))).toBe(-1);
    expect(firstInvalidUtf8(latin1('Jos\xe9,1'))).toBe(3);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    expect(firstInvalidUtf8(Buffer.from('€').subarray(0, 2))).toBe(-1); // cut, not invalid
  });
});

describe('sniffBinary', () => {
  it('flags NUL bytes, ZIP archives and control-byte soup', () => {
    expect(sniffBinary(Buffer.from([0x61, 0x2c, 0x00, 0x62]), 'utf-8')).toMatch(/binary file, not CSV\/JSON.*NUL/);
    expect(sniffBinary(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]), 'utf-8')).toMatch(/ZIP archive.*xlsx/);
    expect(sniffBinary(Buffer.from([1, 2, 3, 4, 5, 6, 0x61, 0x62]), 'utf-8')).toMatch(/mostly control bytes/);
  });

  it('accepts text, including UTF-16 with its NULs', () => {
    expect(sniffBinary(Buffer.from('a,b\r\n1,2\t3\x1a'), 'utf-8')).toBeNull();
    expect(sniffBinary(Buffer.from('a,b\n', 'utf16le'), 'utf-16le')).toBeNull();
  });
});

describe('sniffDelimiter', () => {
  it('picks the comma for ordinary CSV, even with commas inside quotes', () => {
    expect(sniffDelimiter('id,name,city\n1,Ana,"Madrid; Spain"\n2,Bo,Oslo\n').delimiter).toBe(',');
  });

  it('picks ; for a Spanish file with decimal commas', () => {
    const result = sniffDelimiter('importe;iva\n1,5;2,3\n10,25;0,21\n');
    expect(result.delimiter).toBe(';');
    expect(result.note).toMatch(/^delimiter ';' \(2 fields in 3 of 3 records/);
  });

  it('picks ; even when every record splits evenly on the decimal commas', () => {
    const result = sniffDelimiter('1,5;2,3\n4,5;6,7\n');
    expect(result.delimiter).toBe(';');
    expect(result.note).toContain('decimal commas');
  });

  it('keeps quoted delimiters out of the count', () => {
    expect(sniffDelimiter('"a,b";"c,d"\n"e,f";"g,h"\n"i";"j"\n').delimiter).toBe(';');
  });

  it('picks tab and pipe', () => {
    expect(sniffDelimiter('call_id\tdate\tq_time\n1\t990201\t12\n2\t990201\t0\n').delimiter).toBe('\t');
    expect(sniffDelimiter('a|b|c\n1|2|3\n4|5|6\n').delimiter).toBe('|');
  });

  it('prefers the most consistent field count over the largest', () => {
    // Commas in free text split half the records into 7 fields; ';' gives 3 fields every time.
    const text = 'id;comment;score\n1;a, b, c, d, e, f;2\n2;fine;5\n3;u, v, w, x, y, z;1\n';
    const result = sniffDelimiter(text);
    expect(result.delimiter).toBe(';');
    expect(result.note).toBe("delimiter ';' (3 fields in 4 of 4 records; ',' gave 6 fields in 2 of 4)");
  });

  it('ignores a last record cut short when the sample is partial', () => {
    const text = 'a;b;c\n1;2;3\n4;5;6\n7;8';
    expect(sniffDelimiter(text, { partial: true }).note).toContain('3 fields in 3 of 3 records');
    expect(sniffDelimiter(text).note).toContain('3 fields in 3 of 4 records');
  });

  it('counts fields per line in a file mixing CRLF and LF', () => {
    const text = 'id,at,nps\r\n1,2024-01-15,9\n2,2024-01-16,7\r\n3,2024-01-17,8\n';
    expect(sniffDelimiter(text).note).toBe("delimiter ',' (3 fields in 4 of 4 records)");
  });

  it("takes Excel's sep= line at its word", () => {
    expect(sniffDelimiter('sep=;\nid;nps\n1;9,5\n')).toEqual({ delimiter: ';', note: "delimiter ';' (from Excel's sep= line)" });
    expect(sniffDelimiter('sep=|\r\na|b\n').delimiter).toBe('|');
    expect(sniffDelimiter('sepal=1,2\n3,4\n').delimiter).toBe(',');
  });

  it('uses the preferred delimiter on a tie, and says when there is none', () => {
    expect(sniffDelimiter('a,b\tc\n1,2\t3\n', { preferred: '\t' }).delimiter).toBe('\t');
    expect(sniffDelimiter('a,b\tc\n1,2\t3\n').delimiter).toBe(',');
    const single = sniffDelimiter('comment\nfine\ngood\n');
    expect(single.delimiter).toBe(',');
    expect(single.note).toMatch(/no delimiter found: read as one column/);
  });
});

describe('sniffNewline', () => {
  it('counts line endings outside quoted fields', () => {
    expect(sniffNewline('a,b\n1,2\n')).toEqual({ newline: '\n', crlf: false });
    expect(sniffNewline('a,b\r\n1,2\r\n')).toEqual({ newline: '\n', crlf: true });
    expect(sniffNewline('a,b\r1,2\r3,4\r')).toEqual({ newline: '\r', crlf: false });
    // The olist reviews file: LF records, CRLF only inside quoted comments.
    expect(sniffNewline('id,text\n1,"a\r\nb\r\nc"\n2,"d\r\ne"\n3,f\n')).toEqual({ newline: '\n', crlf: false });
  });
});

describe('sniffFormat', () => {
  it('trusts .csv/.tsv and NDJSON extensions', () => {
    expect(sniffFormat('a.csv', '[{"a":1}]').format).toBe('csv');
    expect(sniffFormat('a.TSV.gz', 'x\ty').format).toBe('csv');
    expect(sniffFormat('a.jsonl', '{"a":1}').format).toBe('ndjson');
    expect(sniffFormat('a.ndjson.gz', '{"a":1}').format).toBe('ndjson');
  });

  it('reads .json as an array, an object or NDJSON by content', () => {
    expect(sniffFormat('a.json', '  [\n {"a": 1}]')).toMatchObject({ format: 'json', shape: 'array' });
    expect(sniffFormat('a.json', '{\n "tickets": [')).toMatchObject({ format: 'json', shape: 'object' });
    expect(sniffFormat('a.json', '{"a":1}\n{"a":2}\n')).toMatchObject({ format: 'ndjson' });
    expect(sniffFormat('a.json', '{"tickets":[{"a":1}]}\n')).toMatchObject({ format: 'json', shape: 'object' });
  });

  it('sniffs .txt and stdin: CSV unless it clearly starts like JSON', () => {
    expect(sniffFormat('-', '[{"a":1}]').format).toBe('json');
    expect(sniffFormat('-', 'id,name\n').format).toBe('csv');
    expect(sniffFormat('export.txt', '[id],[name]\n1,Ana\n').format).toBe('csv');
    expect(sniffFormat('export.txt', '{"a":1}\n{"a":2}\n').format).toBe('ndjson');
    expect(sniffFormat('book.xlsx', '').format).toBe('xlsx');
  });

  it('splits extensions', () => {
    expect(splitExtension('dir.v2/Data.CSV.gz')).toEqual({ ext: '.csv', gzip: true });
    expect(splitExtension('README')).toEqual({ ext: '', gzip: false });
    expect(splitExtension('.hidden')).toEqual({ ext: '', gzip: false });
  });
});
