/**
 * The bad inputs too big (or too odd) to commit under `fixtures/bad/`: written into a temporary
 * directory by `bad-inputs.test.ts` before it runs. Each generator is deterministic (no clock, no
 * unseeded randomness), so a failure reproduces with the same bytes.
 *
 * What they exercise: a 20 MB single field, 10,000 columns, 100,000-deep JSON (inside a record, as
 * the whole document, on an NDJSON line), a Windows-1252 byte after 1.5 MiB of ASCII (plain and
 * gzip), 2,000 rows with 6% rejects, a directory with no files, a dangling symlink (a file that
 * vanished), a file with mode 000, file names with terminal control sequences, and FIFOs (a stream
 * that is written in part and then closed: a truncated transfer).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Paths of the generated inputs, with what each should produce (see the test). */
export interface BigCorpus {
  dir: string;
  /** 20 MiB quoted comment on line 2, then a good row (line 3) and nps 42 (line 4). */
  hugeField: string;
  /** 10,000 columns (response_id, nps + 9,998 extras), 20 rows, nps 42 on line 8. */
  wide: string;
  /** A record whose `meta` nests 100,000 objects; the second record (line 2) has nps 99. */
  deepObject: string;
  /** The whole document is 100,000 nested arrays: no record at all. */
  deepArray: string;
  /** NDJSON whose line 2 nests 100,000 objects. */
  deepNdjson: string;
  /** 1.5 MiB of ASCII rows (more than the 1 MiB sniffing sample), then one row with Windows-1252 `ó` and `á`. */
  late1252: string;
  /** The same, gzip-compressed (the encoding cannot be checked up front). */
  late1252Gz: string;
  /** 2,000 survey rows, 120 of them (6%) with nps 11: over the default 5% reject limit. */
  manyRejects: string;
  /** Physical lines of the rejected rows of `manyRejects`, in order. */
  manyRejectLines: number[];
  /** A directory with nothing in it. */
  emptyDir: string;
  /** A symlink to a file that does not exist (the export was moved away). */
  dangling: string;
  /** A readable survey file with mode 000. */
  unreadable: string;
  /** A JSON scalar (exit 3) whose file name holds ESC [31m and BEL. */
  controlNameBroken: string;
  /** A good survey file whose file name holds an OSC title sequence. */
  controlNameOk: string;
}

const SURVEY_HEADER = 'response_id,submitted_at,nps,comment\n';

export function writeBigCorpus(dir: string): BigCorpus {
  mkdirSync(dir, { recursive: true });
  const at = (name: string) => path.join(dir, name);

  const hugeField = at('huge-field-20mb.csv');
  writeFileSync(hugeField, `response_id,nps,comment\n1,9,"${'x'.repeat(20 * 1024 * 1024)}"\n2,7,ok\n3,42,bad\n`);

  const wide = at('columns-10000.csv');
  {
    const extras = Array.from({ length: 9_998 }, (_, i) => `extra_${i}`);
    const lines = [['response_id', 'nps', ...extras].join(',')];
    for (let r = 1; r <= 20; r++) {
      const cells = Array.from({ length: 9_998 }, (_, i) => String((i * 31 + r) % 97));
      lines.push([String(r), r === 7 ? '42' : String(r % 11), ...cells].join(','));
    }
    writeFileSync(wide, `${lines.join('\n')}\n`);
  }

  const depth = 100_000;
  const deepObject = at('json-object-100000-deep.json');
  writeFileSync(deepObject, `[{"response_id":"1","nps":9,"meta":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}},\n{"response_id":"2","nps":99}]\n`);
  const deepArray = at('json-array-100000-deep.json');
  writeFileSync(deepArray, `${'['.repeat(depth)}${']'.repeat(depth)}\n`);
  const deepNdjson = at('ndjson-100000-deep.ndjson');
  writeFileSync(deepNdjson, `{"response_id":"1","nps":9}\n{"response_id":"2","nps":7,"m":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}\n`);

  const late1252 = at('late-windows-1252.csv');
  const late1252Gz = at('late-windows-1252.csv.gz');
  {
    const rows: string[] = [SURVEY_HEADER];
    let size = SURVEY_HEADER.length;
    let i = 1;
    while (size < 1.5 * 1024 * 1024) {
      const row = `${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i % 11},plain ascii comment number ${i}\n`;
      rows.push(row);
      size += row.length;
      i++;
    }
    const bytes = Buffer.concat([Buffer.from(rows.join('')), Buffer.from(`${i},2024-02-01,9,Atenci\xf3n r\xe1pida\n`, 'latin1')]);
    writeFileSync(late1252, bytes);
    writeFileSync(late1252Gz, gzipSync(bytes));
  }

  const manyRejects = at('six-percent-rejects.csv');
  const manyRejectLines: number[] = [];
  {
    const rows = [SURVEY_HEADER];
    for (let i = 1; i <= 2_000; i++) {
      // 6%: ids 1..2000 whose remainder mod 50 is 0, 7 or 33 -> 120 rows.
      const bad = i % 50 === 0 || i % 50 === 7 || i % 50 === 33;
      if (bad) manyRejectLines.push(i + 1);
      rows.push(`${i},2024-03-${String((i % 28) + 1).padStart(2, '0')},${bad ? 11 : i % 11},c${i}\n`);
    }
    writeFileSync(manyRejects, rows.join(''));
  }

  const emptyDir = at('empty-dir');
  mkdirSync(emptyDir);

  const dangling = at('vanished-export.csv');
  symlinkSync(at('no-such-target.csv'), dangling);

  const unreadable = at('mode-000.csv');
  writeFileSync(unreadable, `${SURVEY_HEADER}1,2024-01-15,9,fine\n`);
  chmodSync(unreadable, 0o000);

  const controlNameBroken = at('evil-\u001b[31m-name-\u0007.json');
  writeFileSync(controlNameBroken, '42\n');
  const controlNameOk = at('evil-\u001b]0;pwned\u0007-title.csv');
  writeFileSync(controlNameOk, `${SURVEY_HEADER}1,2024-01-15,9,fine\n2,2024-01-16,42,bad\n3,2024-01-17,7,ok\n`);

  return {
    dir,
    hugeField,
    wide,
    deepObject,
    deepArray,
    deepNdjson,
    late1252,
    late1252Gz,
    manyRejects,
    manyRejectLines,
    emptyDir,
    dangling,
    unreadable,
    controlNameBroken,
    controlNameOk,
  };
}

/** Makes a named pipe (POSIX `mkfifo`); returns false where that is not possible (Windows). */
export function makeFifo(file: string): boolean {
  if (process.platform === 'win32') return false;
  return spawnSync('mkfifo', [file]).status === 0;
}

/**
 * Writes `parts` into a FIFO once a reader has opened it, then closes it: the reader sees a stream
 * that simply stops (a transfer cut short). Opening for writing waits for the reader.
 */
export async function feedFifo(file: string, parts: (string | Buffer)[]): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (const part of parts) await handle.write(typeof part === 'string' ? Buffer.from(part) : part);
  } finally {
    await handle.close();
  }
}
