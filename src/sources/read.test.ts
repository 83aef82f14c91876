import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../fixtures/sources/collect.js';
import { isCxmError, type CxmError } from '../errors.js';
import { expandInputs } from './inputs.js';
import { readSource } from './read.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cxm-read-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function read(path: string, options: Parameters<typeof readSource>[2] = {}) {
  const sink = collect();
  const info = await readSource(path, sink, options);
  return { ...sink.result, info };
}

async function failure(promise: Promise<unknown>): Promise<CxmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isCxmError(error)) throw new Error(`expected a CxmError, got ${String(error)}`);
  return error;
}

const FIXTURES = new URL('../../fixtures/sources/', import.meta.url).pathname;

describe('readSource: encodings', () => {
  it('drops a UTF-8 BOM before the first header name', async () => {
    const r = await read(await file('bom.csv', '\uFEFFid;Teléfono\r\n1;600 111 222\r\n'));
    expect(r.header).toEqual(['id', 'Teléfono']);
    expect(r.info.encoding).toBe('utf-8-bom');
    expect(r.info.delimiter).toBe(';');
    expect(r.info.notes).toContain('line endings CRLF');
  });

  it('decodes Windows-1252 bytes', async () => {
    // "Teléfono;Año\r\n600;Peña €5\r\n" as a Spanish Excel writes it
    const bytes = Buffer.from([
      ...Buffer.from('Tel'), 0xe9, ...Buffer.from('fono;A'), 0xf1, ...Buffer.from('o\r\n600;Pe'), 0xf1, 0x61, 0x20, 0x80,
      ...Buffer.from('5\r\n'),
    ]);
    const r = await read(await file('cp1252.csv', bytes));
    expect(r.info.encoding).toBe('windows-1252');
    expect(r.header).toEqual(['Teléfono', 'Año']);
    expect(r.rows[0]!.cells).toEqual(['600', 'Peña €5']);
    expect(r.info.notes).toContain('encoding windows-1252 (not valid UTF-8: byte 0xE9 at offset 3)');
  });

  it('decides over the whole file: an invalid byte after 3 MiB of ASCII still means Windows-1252', async () => {
    const ascii = 'id,name\n' + '1,plain ascii row here\n'.repeat(150_000);
    const bytes = Buffer.concat([Buffer.from(ascii), Buffer.from([0x32, 0x2c, 0x4a, 0x6f, 0x73, 0xe9, 0x0a])]);
    expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
    const r = await read(await file('late.csv', bytes));
    expect(r.info.encoding).toBe('windows-1252');
    expect(r.rows.at(-1)!.cells).toEqual(['2', 'José']);
    expect(r.info.notes.join('\n')).toContain(`byte 0xE9 at offset ${(ascii.length + 5).toLocaleString('en-US')}`);
  });

  it('does not blame UTF-8 for a character split between two reads', async () => {
    // An é straddles the end of the sniffed sample (the first MiB); the whole-file check then
    // reads 1 MiB blocks from the é on (offset MiB - 1), so a ñ straddles its first block.
    const MiB = 1024 * 1024;
    const first = Buffer.from('id,name\n1,' + 'x'.repeat(MiB - 11) + 'é\n');
    const second = Buffer.from('2,' + 'y'.repeat(2 * MiB - first.length - 4) + 'ñ\n');
    expect(first.indexOf('é') + 1).toBe(MiB);
    expect(first.length + second.indexOf('ñ') + 1).toBe(2 * MiB - 1);
    const r = await read(await file('split.csv', Buffer.concat([first, second])));
    expect(r.info.encoding).toBe('utf-8');
    expect(r.info.notes).toContain('encoding utf-8 (valid over the whole file)');
    expect(r.rows.map((x) => (x.cells[1] as string).slice(-1))).toEqual(['é', 'ñ']);
  });

  it('reads UTF-16LE and UTF-16BE with BOM', async () => {
    const text = '\uFEFFid\tnombre\r\n1\tMaría\r\n';
    const le = await read(await file('u16le.txt', Buffer.from(text, 'utf16le')));
    expect(le.info.encoding).toBe('utf-16le');
    expect(le.header).toEqual(['id', 'nombre']);
    expect(le.rows[0]!.cells).toEqual(['1', 'María']);
    const be = await read(await file('u16be.csv', Buffer.from(text, 'utf16le').swap16()));
    expect(be.info.encoding).toBe('utf-16be');
    expect(be.rows[0]!.cells).toEqual(['1', 'María']);
  });

  it('lets options.encoding and options.delimiter override the sniffers', async () => {
    const path = await file('forced.csv', Buffer.from([0x61, 0x3b, 0x62, 0x0a, 0x31, 0x3b, 0xe9, 0x0a]));
    const r = await read(path, { encoding: 'utf-8', delimiter: ',' });
    expect(r.info.encoding).toBe('utf-8');
    expect(r.header).toEqual(['a;b']);
    expect(r.rows[0]!.cells).toEqual(['1;\uFFFD']);
    expect(r.info.notes).toEqual(expect.arrayContaining(['encoding utf-8 (as given)', "delimiter ',' (as given)"]));
  });
});

describe('readSource: dialects and formats', () => {
  it('reads ; with decimal commas, tab .txt and | files', async () => {
    const semi = await read(await file('es.csv', 'producto;precio;iva\nA;1,5;0,21\nB;10,25;0,1\n'));
    expect(semi.info.delimiter).toBe(';');
    expect(semi.rows[0]!.cells).toEqual(['A', '1,5', '0,21']);
    const tab = await read(await file('calls.txt', 'call_id\tdate\tcomment\r\n1\t990201\tslow, rude\r\n2\t990201\tok\r\n'));
    expect(tab.info).toMatchObject({ format: 'csv', delimiter: '\t' });
    expect(tab.rows[0]!.cells).toEqual(['1', '990201', 'slow, rude']);
    const pipe = await read(await file('p.csv', 'a|b\n1|2\n'));
    expect(pipe.info.delimiter).toBe('|');
  });

  it('reads JSON, wrapped JSON and NDJSON files', async () => {
    const array = await read(await file('t.json', '[{"id": 1, "via": {"channel": "web"}}]'));
    expect(array.info).toMatchObject({ format: 'json', delimiter: null });
    expect(array.header).toEqual(['id', 'via.channel']);
    const wrapped = await read(join(FIXTURES, 'zendesk-page.json'));
    expect(wrapped.rows).toHaveLength(3);
    expect(wrapped.rows.map((r) => r.line)).toEqual([3, 12, 20]);
    const nd = await read(await file('t.jsonl', '{"a": 1}\n{"a": 2}\n'));
    expect(nd.info.format).toBe('ndjson');
    const ndByContent = await read(await file('t2.json', '{"a": 1}\n{"a": 2}\n'));
    expect(ndByContent.info.format).toBe('ndjson');
    expect(ndByContent.rows).toHaveLength(2);
  });

  it('reads a gzipped CSV and JSON', async () => {
    const csv = await read(await file('t.csv.gz', gzipSync('id,name\n1,Ana\n2,Bo\n')));
    expect(csv.info.compressed).toBe(true);
    expect(csv.rows.map((r) => r.cells)).toEqual([
      ['1', 'Ana'],
      ['2', 'Bo'],
    ]);
    const json = await read(await file('t.json.gz', gzipSync('[{"a": true}]')));
    expect(json.rows[0]!.cells).toEqual([true]);
  });

  it('reports a truncated gzip after delivering what it could', async () => {
    const full = gzipSync('id,n\n' + Array.from({ length: 50_000 }, (_, i) => `${i},${(i * 7919) % 104729}`).join('\n'));
    const path = await file('cut.csv.gz', full.subarray(0, Math.floor(full.length / 2)));
    const sink = collect();
    const error = await failure(readSource(path, sink, {}));
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.message).toBe(`${path}: the compressed data ends early (truncated gzip); the rows before the cut were read`);
    expect(error.hint).toMatch(/gzip -t/);
    expect(sink.result.rows.length).toBeGreaterThan(1000);
  });

  it('reports corrupt gzip data', async () => {
    const bytes = gzipSync('id\n1\n');
    bytes[12] = bytes[12]! ^ 0xff;
    bytes[13] = bytes[13]! ^ 0xff;
    const error = await failure(read(await file('bad.csv.gz', bytes)));
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.message).toMatch(/compressed data/);
  });
});

describe('readSource: stdin', () => {
  it('reads `-` from the stream it is given', async () => {
    const stdin = Readable.from([Buffer.from('id;na'), Buffer.from('me\n1;Ana\n')]);
    const r = await read('-', { stdin });
    expect(r.info).toMatchObject({ file: '-', format: 'csv', delimiter: ';', compressed: false });
    expect(r.rows[0]!.cells).toEqual(['1', 'Ana']);
  });

  it('recognises gzip and JSON on stdin by their content', async () => {
    const r = await read('-', { stdin: Readable.from([gzipSync('[{"a": 1}]')]) });
    expect(r.info).toMatchObject({ format: 'json', compressed: true });
    expect(r.rows[0]!.cells).toEqual([1]);
  });

  it('switches to Windows-1252 when an invalid byte comes after the first MiB of ASCII', async () => {
    const ascii = Buffer.from('id,name\n' + '1,ascii only\n'.repeat(120_000));
    const stdin = Readable.from([ascii, Buffer.from([0x32, 0x2c, 0x4a, 0x6f, 0x73, 0xe9, 0x0a])]);
    const r = await read('-', { stdin });
    expect(r.info.encoding).toBe('windows-1252');
    expect(r.rows.at(-1)!.cells).toEqual(['2', 'José']);
    expect(r.info.notes.join('\n')).toMatch(/encoding switched to windows-1252 at offset/);
  });

  it('needs the stream to be passed in', async () => {
    expect((await failure(read('-'))).code).toBe('INTERNAL');
  });
});

describe('readSource: what cannot be read', () => {
  it('refuses binary content with a clear message', async () => {
    const error = await failure(read(await file('photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]))));
    expect(error.code).toBe('INPUT_MALFORMED');
    expect(error.message).toMatch(/photo\.csv: looks like a binary file, not CSV\/JSON/);
    const zip = await failure(read(await file('renamed.csv', Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'))));
    expect(zip.message).toMatch(/ZIP archive/);
  });

  it('turns I/O errors into INPUT_UNREADABLE naming the file', async () => {
    const missing = await failure(read(join(dir, 'gone.csv')));
    expect(missing.code).toBe('INPUT_UNREADABLE');
    expect(missing.message).toBe(`${join(dir, 'gone.csv')}: the file does not exist (any more)`);
    expect(missing.hint).toBeTruthy();
    const directory = await failure(read(dir));
    expect(directory.message).toMatch(/is a directory, not a file$/);
  });

  it.skipIf(userInfo().uid === 0)('reports a file it may not read', async () => {
    const path = await file('secret.csv', 'a\n1\n');
    await chmod(path, 0o000);
    const error = await failure(read(path));
    expect(error.code).toBe('INPUT_UNREADABLE');
    expect(error.message).toMatch(/permission denied$/);
  });

  it('calls nothing for an empty file and says so', async () => {
    for (const name of ['empty.csv', 'empty.json', 'blank.txt']) {
      const r = await read(await file(name, name === 'blank.txt' ? '\n \n' : ''));
      expect(r.calls).toEqual([]);
      expect(r.info.notes).toContain('empty file');
    }
  });

  it('stops early when the sink skips the file', async () => {
    const path = await file('big.csv', 'a,b\n' + '1,2\n'.repeat(500_000));
    const sink = collect({ skip: true });
    const info = await readSource(path, sink, {});
    expect(sink.result.rows).toEqual([]);
    expect(info.delimiter).toBe(',');
  });

  it('resolves relative paths against options.cwd and shows them as given', async () => {
    await file('rel.csv', 'a\n1\n');
    const r = await read('rel.csv', { cwd: dir });
    expect(r.info.file).toBe('rel.csv');
    expect(r.rows).toHaveLength(1);
  });
});

describe('readSource: the real exports in /work/shared/data/real', () => {
  const REAL = '/work/shared/data/real';
  // Record counts from each folder's SOURCE.md.
  const expected: Record<string, number> = {
    'support-tickets/customer_support_tickets.csv': 8469,
    'zendesk-plum/DA Assignment.csv': 16476,
    'call-center-pwc/01 Call-Center-Dataset.csv': 5000,
    'bank-call-center-1999/data_anonymous_bank_february.txt': 33344,
    'comcast-complaints/Comcast_telecom_complaints_data.csv': 2224,
    'cfpb-complaints-sample/complaints.csv': 6664,
    'olist-classified/olist_classified_public_dataset.csv': 3584,
    'telco-churn/Telco-Customer-Churn.csv': 7043,
    'olist-sample/olist_order_reviews_dataset.csv': 3986,
  };
  // Start lines of the last record, from Python's csv module (reader.line_num).
  const lastLine: Record<string, number> = {
    'support-tickets/customer_support_tickets.csv': 29806,
    'cfpb-complaints-sample/complaints.csv': 10001,
    'olist-sample/olist_order_reviews_dataset.csv': 4177,
  };

  it('reads every file with the documented record counts and nothing malformed', async () => {
    const files = await expandInputs([REAL], REAL);
    const csv = files.filter((f) => /\.(csv|txt)$/.test(f));
    expect(csv.length).toBeGreaterThanOrEqual(Object.keys(expected).length);
    const counts: Record<string, number> = {};
    for (const path of csv) {
      const r = await read(path);
      const name = relative(REAL, path);
      counts[name] = r.rows.length;
      expect(r.malformed, name).toEqual([]);
      expect(r.header!.length, name).toBeGreaterThan(1);
      if (lastLine[name]) expect(r.rows.at(-1)!.line, name).toBe(lastLine[name]);
      if (name.startsWith('olist-classified')) expect(r.header![0]).toBe('column_1');
      if (name.startsWith('bank-call-center')) expect(r.info.delimiter).toBe('\t');
    }
    for (const [name, n] of Object.entries(expected)) expect(counts[name], name).toBe(n);
  });
});
