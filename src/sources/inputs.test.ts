import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCxmError, type CxmError } from '../errors.js';
import { dataFileSizesSync, expandInputs, isDataFile } from './inputs.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cxm-inputs-'));
  const files = [
    'exports/b.csv',
    'exports/a.csv',
    'exports/Z.CSV',
    'exports/nps.json',
    'exports/tickets.ndjson.gz',
    'exports/calls.txt',
    'exports/book.xlsx',
    'exports/~$book.xlsx',
    'exports/notes.md',
    'exports/.hidden.csv',
    'exports/.git/config.json',
    'exports/node_modules/pkg/data.csv',
    'exports/sub/c.tsv',
    'exports/sub/deeper/d.jsonl',
    'exports/a.csv.bak',
    'empty/README.md',
    'other/x.csv',
    'other/y.dat',
    'docs/readme.md',
  ];
  for (const f of files) {
    await mkdir(join(root, f, '..'), { recursive: true });
    await writeFile(join(root, f), 'a\n1\n');
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<CxmError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isCxmError(error)) throw new Error(`expected a CxmError, got ${String(error)}`);
  return error;
}

describe('expandInputs', () => {
  it('walks a directory for data files, sorted, skipping hidden files and node_modules', async () => {
    expect(await expandInputs(['exports'], root)).toEqual([
      'exports/Z.CSV',
      'exports/a.csv',
      'exports/b.csv',
      'exports/book.xlsx',
      'exports/calls.txt',
      'exports/nps.json',
      'exports/sub/c.tsv',
      'exports/sub/deeper/d.jsonl',
      'exports/tickets.ndjson.gz',
    ]);
  });

  it('keeps the spelling of the directory the user typed', async () => {
    const files = await expandInputs(['./other/'], root);
    expect(files).toEqual(['./other/x.csv']);
    const absolute = await expandInputs([join(root, 'other')], '/');
    expect(absolute).toEqual([join(root, 'other', 'x.csv')]);
  });

  it('keeps the order of the inputs and drops duplicates', async () => {
    const files = await expandInputs(['other/x.csv', '-', 'other', './other/x.csv', 'exports/sub', '-'], root);
    expect(files).toEqual(['other/x.csv', '-', 'exports/sub/c.tsv', 'exports/sub/deeper/d.jsonl']);
  });

  it('reads each real file once, whatever symlinks lead to it', async () => {
    const loop = join(root, 'loop');
    await mkdir(loop);
    await writeFile(join(loop, 'scores.csv'), 'nps\n9\n');
    await symlink('.', join(loop, 'again'));
    await symlink('scores.csv', join(loop, 'copy.csv'));
    await symlink('missing.csv', join(loop, 'dangling.csv'));
    expect(await expandInputs(['loop'], root)).toEqual(['loop/scores.csv']);
    expect(await expandInputs(['loop/copy.csv', 'loop'], root)).toEqual(['loop/copy.csv']);
  });

  it('reads a file named directly whatever its extension', async () => {
    expect(await expandInputs(['other/y.dat'], root)).toEqual(['other/y.dat']);
  });

  it('expands globs to the data files they match, sorted', async () => {
    expect(await expandInputs(['exports/**/*.{csv,tsv}'], root)).toEqual([
      'exports/a.csv',
      'exports/b.csv',
      'exports/sub/c.tsv',
    ]);
    expect(await expandInputs(['other/*'], root)).toEqual(['other/x.csv']);
    expect(await expandInputs([join(root, 'other', '*.csv')], '/')).toEqual([join(root, 'other', 'x.csv')]);
  });

  it('says when a path does not exist', async () => {
    const error = await failure(expandInputs(['exports/missing.csv'], root));
    expect(error.code).toBe('INPUT_NOT_FOUND');
    expect(error.message).toBe('exports/missing.csv: no such file or directory');
    expect(error.hint).toContain(root);
  });

  it('says when a glob matches nothing, or nothing readable', async () => {
    const none = await failure(expandInputs(['exports/*.parquet'], root));
    expect(none.code).toBe('INPUT_NOT_FOUND');
    expect(none.message).toBe('exports/*.parquet: no file matches this pattern');
    const docs = await failure(expandInputs(['docs/*'], root));
    expect(docs.code).toBe('NO_INPUT_DATA');
    expect(docs.message).toMatch(/^docs\/\*: matches 1 file\(s\) but none is a data file/);
  });

  it('names a directory without data files', async () => {
    const error = await failure(expandInputs(['empty'], root));
    expect(error.code).toBe('NO_INPUT_DATA');
    expect(error.message).toMatch(/^empty: no data files in this directory \(looked for \.csv/);
  });

  it('keeps - for stdin', async () => {
    expect(await expandInputs(['-'], root)).toEqual(['-']);
  });
});

describe('dataFileSizesSync', () => {
  it('sizes the text data files expandInputs would read, without workbooks, hidden files or node_modules', async () => {
    // exports/ holds Z.CSV, a.csv, b.csv, calls.txt, nps.json, tickets.ndjson.gz, sub/c.tsv and
    // sub/deeper/d.jsonl (each 4 bytes: "a\n1\n"); book.xlsx is a workbook, the rest are not data.
    await writeFile(join(root, 'exports', 'a.csv'), 'a\n1\n2\n3\n'); // 8 bytes
    try {
      const sizes = dataFileSizesSync(join(root, 'exports'));
      expect(sizes?.slice().sort((x, y) => x - y)).toEqual([4, 4, 4, 4, 4, 4, 4, 8]);
    } finally {
      await writeFile(join(root, 'exports', 'a.csv'), 'a\n1\n');
    }
  });

  it('is null past its limit of entries, or for a directory it cannot read', () => {
    expect(dataFileSizesSync(join(root, 'exports'), 5)).toBeNull();
    expect(dataFileSizesSync(join(root, 'no-such-folder'))).toBeNull();
    expect(dataFileSizesSync(join(root, 'empty'))).toEqual([]);
  });
});

describe('isDataFile', () => {
  it('knows the data extensions', () => {
    for (const yes of ['a.csv', 'A.TSV', 'b.txt.gz', 'c.json', 'd.ndjson', 'e.jsonl.gz', 'f.xlsx']) expect(isDataFile(yes), yes).toBe(true);
    for (const no of ['a.md', '.a.csv', '~$f.xlsx', 'f.xlsx.gz', 'csv', 'a.csv.bak']) expect(isDataFile(no), no).toBe(false);
  });
});
