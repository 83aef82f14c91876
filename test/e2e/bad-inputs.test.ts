/**
 * Hardening: every malformed input in `fixtures/bad/` (see its README.md), plus the big and odd
 * ones `bad-corpus.ts` writes at run time, goes through the built `cxm` the way a user runs it.
 *
 * For each input: the documented exit code (0 with the rejects listed; 2 when the user must say
 * something — date order, kind; 3 when the input cannot be read, holds no data for a report, or
 * rejects exceed the allowed share), a one-line `cxm: …` message on stderr naming the file, never a
 * stack trace nor "internal error", no hang (every spawn is killed after 20 s and the test asserts
 * it finished), and for files that are read: `read = accepted + duplicate + rejected` and the
 * expected rejects, with their physical line and column.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectEntry } from '../../src/report/inputs.js';
import { feedFifo, makeFifo, writeBigCorpus, type BigCorpus } from './bad-corpus.js';
import { ROOT, cxmRun, tempDir } from './run.js';

const BAD = path.join(ROOT, 'fixtures/bad');
const SPAWN_TIMEOUT_MS = 20_000;
const ESC = '\u001b';
const BEL = '\u0007';

// ---------------------------------------------------------------------------------------------
// Running cxm

interface Ran {
  args: string[];
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  /** Runs once the process is started (e.g. writes into a FIFO it reads). */
  during?: () => Promise<void>;
}

/**
 * The harness's `cxmRun`, killed after 20 s (`timedOut` says whether it had to), with the
 * arguments kept for messages and `during` started once the process is.
 */
function run(args: string[], options: RunOptions = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    cxmRun(args, { cwd: options.cwd ?? BAD, env: options.env, input: options.input, timeoutMs: SPAWN_TIMEOUT_MS }).then(
      (r) => resolve({ args, ...r, timedOut: r.timedOut === true }),
      reject,
    );
    options.during?.().catch(reject);
  });
}

// ---------------------------------------------------------------------------------------------
// Assertions every run shares

/** Finished on its own within 20 s, without a crash, a stack trace or "internal error". */
function expectClean(r: Ran): void {
  const what = `cxm ${r.args.join(' ')}`;
  expect(r.timedOut, `${what} did not finish within ${SPAWN_TIMEOUT_MS / 1000} s`).toBe(false);
  expect(r.signal, `${what} was killed by a signal`).toBeNull();
  expect(r.stderr, `${what}: stack trace on stderr`).not.toMatch(/^\s+at\s/m);
  expect(r.stderr, `${what}: internal error`).not.toMatch(/internal error/i);
  expect(r.stderr, `${what}: stack overflow`).not.toMatch(/call stack|RangeError|TypeError/);
  expect(r.code, `${what}: exit 4 is a bug\n${r.stderr}`).not.toBe(4);
}

/** A refusal: the documented code, nothing on stdout, one `cxm: ` message naming the file once. */
function expectFailure(r: Ran, code: number, file: string, message: RegExp): void {
  expectClean(r);
  expect(r.code, `cxm ${r.args.join(' ')}\n${r.stderr}`).toBe(code);
  expect(r.stdout).toBe('');
  const first = r.stderr.split('\n')[0] ?? '';
  expect(first).toMatch(/^cxm: /);
  expect(r.stderr).toContain(file);
  expect(r.stderr).toMatch(message);
  expect(first.split(file).length - 1, `the file is named more than once in: ${first}`).toBeLessThanOrEqual(1);
}

/** No terminal control bytes: ESC (CSI, OSC) and BEL. */
function expectNoControls(text: string, where: string): void {
  expect(text.includes(ESC), `${where} holds ESC (\\x1b)`).toBe(false);
  expect(text.includes(BEL), `${where} holds BEL (\\x07)`).toBe(false);
}

function expectAccounting(entry: { file: string; read: number; accepted: number; duplicate: number; rejected: number }): void {
  expect(entry.read, `${entry.file}: read = accepted + duplicate + rejected`).toBe(entry.accepted + entry.duplicate + entry.rejected);
  for (const n of [entry.read, entry.accepted, entry.duplicate, entry.rejected]) expect(n).toBeGreaterThanOrEqual(0);
}

/** `cxm inspect … --format json`, exit 0, accounting checked for every input. */
async function inspectJson(args: string[], options: RunOptions = {}): Promise<{ r: Ran; inputs: InspectEntry[] }> {
  const r = await run(['inspect', ...args, '--format', 'json'], options);
  expectClean(r);
  expect(r.code, `cxm ${r.args.join(' ')}\n${r.stderr}`).toBe(0);
  const model = JSON.parse(r.stdout) as { inputs: InspectEntry[] };
  expect(model.inputs.length).toBeGreaterThan(0);
  for (const entry of model.inputs) expectAccounting(entry);
  return { r, inputs: model.inputs };
}

interface ReportModelLike {
  inputs: { file: string; read: number; accepted: number; duplicate: number; rejected: number }[];
  metrics: { id: string; value: number | null; n: number; segment: Record<string, string> | null; detail: Record<string, unknown> }[];
  totals: { read: number; accepted: number; duplicate: number; rejected: number };
}

async function reportJson(args: string[], options: RunOptions = {}): Promise<ReportModelLike> {
  const r = await run(['report', ...args, '--format', 'json'], options);
  expectClean(r);
  expect(r.code, `cxm ${r.args.join(' ')}\n${r.stderr}`).toBe(0);
  const model = JSON.parse(r.stdout) as ReportModelLike;
  for (const entry of model.inputs) expectAccounting(entry);
  expectAccounting({ file: 'totals', ...model.totals });
  return model;
}

// ---------------------------------------------------------------------------------------------
// The committed corpus: what `cxm inspect <file> --format json` must say

type ExpectedReject = [line: number, column: string | null, reason: RegExp];

interface ReadCase {
  file: string;
  fault: string;
  args?: string[];
  status?: InspectEntry['status'];
  kind?: string | null;
  read?: number;
  accepted?: number;
  duplicate?: number;
  /** Defaults to the number of `rejects` when those are given. */
  rejected?: number;
  /** The first rejects, in order: line, column, reason. */
  rejects?: ExpectedReject[];
  check?: (entry: InspectEntry) => void;
}

interface FailCase {
  file: string;
  fault: string;
  args?: string[];
  code: 2 | 3;
  message: RegExp;
}

/** Any wording that names the valid range. */
const NPS_RANGE = /0-10/;
const noteMatching = (entry: InspectEntry, pattern: RegExp) => expect(entry.notes.some((n) => pattern.test(n)), `notes: ${entry.notes.join(' | ')}`).toBe(true);

const READ_CASES: ReadCase[] = [
  { file: 'unbalanced-quote.csv', fault: 'a quoted field that never closes', read: 3, accepted: 2, rejects: [[4, null, /unbalanced quote/]] },
  { file: 'ragged-rows.csv', fault: 'short rows (padded) and a row with extra fields', read: 5, accepted: 4, rejects: [[4, null, /row has 6 fields, header has 4/]] },
  {
    file: 'invalid-utf8.csv',
    fault: 'bytes that are not UTF-8',
    accepted: 3,
    rejected: 0,
    check: (e) => {
      expect(e.encoding).toBe('windows-1252');
      noteMatching(e, /not valid UTF-8.*offset/);
    },
  },
  // The same Spanish survey as UTF-16LE, with and without a byte-order mark: the same expectations.
  ...[
    ['utf16le-bom.csv', 'UTF-16LE with a byte-order mark'],
    ['utf16le-no-bom.csv', 'UTF-16LE without a byte-order mark'],
  ].map(([file, fault]): ReadCase => ({
    file: file!,
    fault: fault!,
    kind: 'survey',
    accepted: 3,
    rejected: 0,
    check: (e) => {
      expect(e.encoding).toBe('utf-16le');
      expect(e.mapping['Puntuación']).toBe('nps');
    },
  })),
  {
    file: 'utf8-bom-header.csv',
    fault: 'a UTF-8 byte-order mark before the first header',
    accepted: 2,
    rejected: 0,
    check: (e) => {
      expect(e.mapping['response_id']).toBe('id');
      expect(Object.keys(e.mapping).some((k) => k.includes('\uFEFF'))).toBe(false);
    },
  },
  {
    file: 'duplicate-headers.csv',
    fault: 'the same header twice',
    accepted: 2,
    rejected: 0,
    check: (e) => {
      expect(e.mapping['nps']).toBe('nps');
      expect(e.unmapped).toContain('nps_2');
    },
  },
  {
    file: 'empty-headers.csv',
    fault: 'empty header cells',
    accepted: 2,
    rejected: 0,
    check: (e) => expect(e.unmapped).toEqual(['column_1', 'column_3']),
  },
  { file: 'header-only.csv', fault: 'a header and no rows', status: 'read', read: 0, check: (e) => noteMatching(e, /header only/) },
  { file: 'empty.csv', fault: 'zero bytes', status: 'empty', kind: null, read: 0 },
  { file: 'only-blank-lines.csv', fault: 'nothing but blank lines', status: 'empty', kind: null, read: 0 },
  { file: 'json-trailing-garbage.json', fault: 'text after the closing ]', accepted: 2, rejects: [[5, null, /after the end of the JSON/]] },
  {
    file: 'json-nested-deep.json',
    fault: 'a value nested 100,000 arrays deep inside a record',
    accepted: 1,
    rejected: 0,
    check: (e) => expect(e.unmapped).toContain('meta'),
  },
  {
    file: 'proto-keys.json',
    fault: '__proto__, constructor and prototype keys',
    accepted: 3,
    rejected: 0,
    check: (e) => {
      for (const key of ['__proto__', 'constructor', 'prototype', '__proto__.polluted', 'constructor.prototype.polluted']) expect(e.unmapped).toContain(key);
    },
  },
  {
    file: 'proto-keys.csv',
    fault: '__proto__, constructor and prototype headers',
    accepted: 2,
    rejected: 0,
    check: (e) => expect(e.unmapped).toEqual(['__proto__', 'constructor', 'prototype']),
  },
  {
    file: 'numbers-1e309.csv',
    fault: 'amounts beyond the largest double',
    kind: 'order',
    accepted: 4,
    rejects: [
      [3, 'amount', /range|finite/],
      [4, 'amount', /range|finite/],
    ],
  },
  {
    file: 'nan-infinity.csv',
    fault: 'NaN, Infinity and -Infinity scores',
    accepted: 5,
    rejects: [
      [3, 'nps', /not a number|0-10/],
      [4, 'nps', /finite|0-10/],
      [7, 'nps', /finite|0-10/],
    ],
  },
  { file: 'nps-9.5.csv', fault: 'an NPS of 9.5', accepted: 4, rejects: [[3, 'nps', /whole/]] },
  { file: 'nps-minus-1.csv', fault: 'an NPS of -1', accepted: 4, rejects: [[3, 'nps', NPS_RANGE]] },
  { file: 'nps-11.csv', fault: 'an NPS of 11', accepted: 4, rejects: [[3, 'nps', NPS_RANGE]] },
  { file: 'date-0000-00-00.csv', fault: 'the zero date 0000-00-00', accepted: 3, rejects: [[3, 'submitted_at', /not a real date|between 1900 and 2200/]] },
  {
    file: 'date-31-02-2024.csv',
    fault: '31/02/2024 and 29/02/2023 (no such days)',
    accepted: 3,
    rejects: [
      [3, 'submitted_at', /not a real date \(February 2024 has 29 days\)/],
      [5, 'submitted_at', /not a real date \(February 2023 has 28 days\)/],
    ],
    check: (e) => expect(e.date_order).toBe('dmy'),
  },
  {
    // Documented: resolved-before-created rows are kept; the metrics leave the negative durations out (see the report test).
    file: 'resolved-before-created.csv',
    fault: 'a ticket resolved before it was created',
    kind: 'ticket',
    accepted: 3,
    rejected: 0,
  },
  { file: 'future-dates.csv', fault: 'dates in 2099 and 9999', accepted: 3, rejects: [[4, 'submitted_at', /between 1900 and 2200/]] },
  {
    file: 'mixed-date-orders.csv',
    fault: 'day-first and month-first dates, settled by --date-order dmy',
    args: ['--date-order', 'dmy'],
    accepted: 2,
    rejects: [[3, 'submitted_at', /month 13/]],
    check: (e) => expect(e.date_order).toBe('dmy'),
  },
  {
    file: 'ambiguous-dates.csv',
    fault: 'only days ≤ 12, settled by --date-order dmy',
    args: ['--date-order', 'dmy'],
    accepted: 4,
    rejected: 0,
    check: (e) => expect(e.date_order).toBe('dmy'),
  },
  {
    file: 'bom-in-middle.csv',
    fault: 'two exports concatenated: a second BOM and header on line 4',
    accepted: 3,
    check: (e) => {
      expect(e.rejected).toBeLessThanOrEqual(1);
      for (const r of e.rejects) expect(r.line).toBe(4);
      expect(e.rejects.some((r) => (r.value ?? '').includes('\uFEFF'))).toBe(false);
    },
  },
  {
    file: 'crlf-mixed-lf.csv',
    fault: 'CRLF and LF line endings mixed',
    accepted: 4,
    rejects: [[5, 'nps', NPS_RANGE]],
    check: (e) => expect(e.rejects[0]!.value).toBe('42'),
  },
  {
    file: 'lone-cr.csv',
    fault: 'old-Mac CR line endings',
    accepted: 3,
    rejects: [[3, 'nps', NPS_RANGE]],
    check: (e) => expect(e.rejects[0]!.value).toBe('42'),
  },
  {
    file: 'semicolon-decimal-comma.csv',
    fault: '; delimiter, decimal commas and thousands dots',
    kind: 'order',
    accepted: 3,
    rejected: 0,
    check: (e) => {
      expect(e.delimiter).toBe(';');
      expect(e.mapping['importe']).toBe('amount');
      expect(e.columns.find((c) => c.column === 'importe')?.reading).toMatch(/decimal comma/);
    },
  },
  { file: 'quotes-in-unquoted-field.csv', fault: 'quote characters inside unquoted fields', accepted: 3, rejected: 0 },
  {
    // `1,9,"great" service` is one bad row: the rows after it must not vanish into its reject.
    file: 'malformed-quotes.csv',
    fault: 'a closing quote followed by more text',
    read: 5,
    accepted: 3,
    rejects: [
      [2, null, /quote/],
      [6, 'nps', NPS_RANGE],
    ],
  },
  {
    file: 'multiline-quoted.csv',
    fault: 'quoted fields spanning lines (line numbers stay physical)',
    accepted: 3,
    rejects: [
      [5, 'nps', NPS_RANGE],
      [7, 'nps', NPS_RANGE],
      [10, 'nps', NPS_RANGE],
    ],
  },
  { file: 'leading-blank-lines.csv', fault: 'blank lines before the header', accepted: 2, rejects: [[5, 'nps', NPS_RANGE]] },
  { file: 'very-long-line.csv', fault: 'a 325 kB line', accepted: 2, rejected: 0 },
  {
    file: 'control-chars-in-text.csv',
    fault: 'ESC[31m, OSC 8, OSC 0 and BEL in comments, a header and a score',
    accepted: 3,
    rejects: [[3, 'nps', /number|0-10/]],
  },
  { file: 'formula-injection.csv', fault: '=HYPERLINK(), +1, @SUM, =1+1 in cells', accepted: 4, rejects: [[5, 'nps', /number|0-10/]] },
  {
    file: 'ndjson-bad-line.ndjson',
    fault: 'an invalid line, an array line and a string line',
    read: 7,
    accepted: 4,
    rejects: [
      [3, null, /invalid JSON/],
      [4, null, /array, not an object/],
      [7, null, /string, not an object/],
    ],
  },
  {
    file: 'json-not-objects.json',
    fault: '[1,2,3]: an array of numbers',
    check: (e) => {
      expect(e.status).not.toBe('read');
      // The message should say what is wrong (the elements are not objects), not that no header matched.
      expect(`${e.reason ?? ''} ${e.notes.join(' ')}`).toMatch(/not an object|not objects|no objects/i);
    },
  },
  { file: 'json-empty-array.json', fault: '[]', status: 'empty', read: 0 },
  { file: 'wrapped-empty.json', fault: '{"tickets": [], …}: an empty page', read: 0, check: (e) => noteMatching(e, /empty list/) },
  { file: 'truncated.json', fault: 'a JSON array cut off mid-record', accepted: 2, rejects: [[4, null, /ends early|truncated/]] },
  { file: 'json-big-int-ids.json', fault: 'ids beyond 2^53 that differ only past double precision', accepted: 2, duplicate: 0, rejected: 0 },
  { file: 'json-duplicate-keys.json', fault: 'the same key twice in one object', accepted: 1, rejected: 0 },
  {
    file: 'unknown-columns.csv',
    fault: 'headers that fit no record kind',
    status: 'unrecognised',
    kind: null,
    read: 0,
    check: (e) => expect(e.reason).toMatch(/record kind/),
  },
  {
    file: 'ambiguous-kind.csv',
    fault: 'headers that fit two kinds, settled by --kind order',
    args: ['--kind', 'order'],
    kind: 'order',
    accepted: 2,
    rejected: 0,
  },
  { file: 'html-error-page.csv', fault: 'an HTML login page saved as .csv', status: 'unrecognised', read: 0 },
  { file: 'gz-named-not-gzip.csv.gz', fault: 'named .gz but not compressed', accepted: 2, rejected: 0, check: (e) => noteMatching(e, /not compressed/) },
  { file: 'duplicate-ids.csv', fault: 'the same response id twice', read: 4, accepted: 3, duplicate: 1, rejected: 0 },
  { file: 'only-delimiter-rows.csv', fault: 'rows of nothing but delimiters', read: 2, accepted: 2, rejected: 0, check: (e) => noteMatching(e, /only empty cells/) },
  {
    file: 'excel-sep-line.csv',
    fault: "Excel's sep=; first line",
    kind: 'survey',
    accepted: 3,
    rejected: 0,
    check: (e) => expect(e.delimiter).toBe(';'),
  },
  { file: 'id-600-chars.csv', fault: 'a 600-character id (the limit is 512)', accepted: 2, rejects: [[2, 'response_id', /512/]], check: (e) => expect(e.rejects[0]!.value!.length).toBeLessThanOrEqual(61) },
  { file: 'json-bom.json', fault: 'a UTF-8 byte-order mark before [', accepted: 2, rejected: 0, check: (e) => expect(e.encoding).toBe('utf-8-bom') },
  { file: 'empty.csv.gz', fault: 'gzip of zero bytes', status: 'empty', read: 0 },
  { file: 'utf16le-odd-byte.csv', fault: 'UTF-16LE cut in the middle of its last character', accepted: 2, rejected: 0, check: (e) => expect(e.encoding).toBe('utf-16le') },
  {
    file: 'spanish-1252-ok.csv',
    fault: 'control: a correct Windows-1252 ; CRLF export in Spanish',
    kind: 'survey',
    accepted: 3,
    rejected: 0,
    check: (e) => {
      expect(e.encoding).toBe('windows-1252');
      expect(e.delimiter).toBe(';');
      expect(e.mapping['Puntuación']).toBe('nps');
      expect(e.date_order).toBe('dmy');
    },
  },
];

const FAIL_CASES: FailCase[] = [
  { file: 'nul-bytes.csv', fault: 'NUL bytes in a row', code: 3, message: /NUL bytes/ },
  { file: 'random-binary.csv', fault: '4 KiB of random bytes', code: 3, message: /binary/ },
  { file: 'truncated.csv.gz', fault: 'a gzip stream cut at 60%', code: 3, message: /truncated/ },
  { file: 'double-gzip.csv.gz', fault: 'gzip inside gzip', code: 3, message: /compressed a second time/ },
  { file: 'xlsx-renamed.csv', fault: 'a ZIP (xlsx) renamed to .csv', code: 3, message: /ZIP/ },
  { file: 'json-scalar.json', fault: 'a bare number', code: 3, message: /json-scalar\.json:1: .*not records/ },
  { file: 'dir-without-data', fault: 'a folder holding notes.md and image.png only', code: 3, message: /no data files/ },
  { file: 'mixed-date-orders.csv', fault: 'one column with 13/01/2024 and 01/13/2024', code: 2, message: /column "submitted_at".*mixes day-first and month-first[\s\S]*--date-order/ },
  { file: 'ambiguous-dates.csv', fault: 'a date column whose days are all ≤ 12', code: 2, message: /column "submitted_at".*day-first or month-first[\s\S]*--date-order/ },
  { file: 'ambiguous-kind.csv', fault: 'headers (id, amount) that fit order and return equally', code: 2, message: /fit both order and return[\s\S]*--kind/ },
  { file: 'control-chars-in-header.csv', fault: 'ambiguous dates under a header holding ESC and BEL', code: 2, message: /day-first or month-first/ },
];

describe.concurrent('cxm inspect on fixtures/bad: files that are read', () => {
  for (const c of READ_CASES) {
    it(`${c.file}: ${c.fault} -> exit 0, ${c.rejects ? `rejects on line ${c.rejects.map((r) => r[0]).join(', ')}` : (c.status ?? 'read')}`, async () => {
      const { inputs } = await inspectJson([c.file, ...(c.args ?? [])]);
      expect(inputs).toHaveLength(1);
      const e = inputs[0]!;
      expect(e.file).toBe(c.file);
      if (c.status !== undefined) expect(e.status).toBe(c.status);
      else if (c.accepted !== undefined && c.accepted > 0) expect(e.status).toBe('read');
      if (c.kind !== undefined) expect(e.kind).toBe(c.kind);
      if (c.read !== undefined) expect(e.read).toBe(c.read);
      if (c.accepted !== undefined) expect(e.accepted).toBe(c.accepted);
      if (c.duplicate !== undefined) expect(e.duplicate).toBe(c.duplicate);
      const rejected = c.rejected ?? c.rejects?.length;
      if (rejected !== undefined) expect(e.rejected).toBe(rejected);
      if (c.rejects) {
        expect(e.rejects.map((r) => [r.line, r.column])).toEqual(c.rejects.map(([line, column]) => [line, column]));
        c.rejects.forEach(([, , reason], i) => expect(e.rejects[i]!.reason).toMatch(reason));
      }
      for (const r of e.rejects) {
        expect(r.file).toBe(c.file);
        expect(r.value ?? '').not.toMatch(/\r$/);
      }
      c.check?.(e);
    });
  }
});

describe.concurrent('cxm inspect on fixtures/bad: files refused with a message', () => {
  for (const c of FAIL_CASES) {
    it(`${c.file}: ${c.fault} -> exit ${c.code}, message names the file`, async () => {
      const r = await run(['inspect', c.file, ...(c.args ?? []), '--format', 'json']);
      expectFailure(r, c.code, c.file, c.message);
    });
  }

  it('control-chars-in-header.csv: the error message reaches the terminal without ESC or BEL', async () => {
    const r = await run(['inspect', 'control-chars-in-header.csv']);
    expectClean(r);
    expect(r.code).toBe(2);
    expectNoControls(r.stderr, 'stderr');
    expect(r.stderr).toContain('submitted_at');
  });
});

describe.concurrent('paths next to the inputs', () => {
  it('--config naming a missing file: exit 2, the path named once', async () => {
    const dir = tempDir('cxm-bad-config-');
    try {
      const missing = path.join(dir, 'missing.json');
      const r = await run(['inspect', 'nps-11.csv', '--config', missing]);
      expectFailure(r, 2, missing, /no such file|cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--config with a value of the wrong type: exit 2, zod's own English message (the bundle drops only zod's other locales)", async () => {
    const dir = tempDir('cxm-bad-config-');
    try {
      const config = path.join(dir, 'cxm.config.json');
      writeFileSync(config, '{"timezone": 5}');
      const r = await run(['inspect', 'nps-11.csv', '--config', config]);
      expectFailure(r, 2, config, /invalid configuration/);
      expect(r.stderr).toContain('timezone: Invalid input: expected string, received number');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--out into a folder that does not exist: exit 3, the path named once', async () => {
    const dir = tempDir('cxm-bad-out-');
    try {
      const out = path.join(dir, 'no-such-folder', 'inspect.json');
      const r = await run(['inspect', 'nps-11.csv', '--format', 'json', '--out', out]);
      expectFailure(r, 3, out, /does not exist|cannot write/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Report: exit 3 when there is no data, or too many rejects

describe.concurrent('cxm report on fixtures/bad', () => {
  const noData = ['empty.csv', 'only-blank-lines.csv', 'header-only.csv', 'json-empty-array.json', 'wrapped-empty.json', 'unknown-columns.csv', 'json-not-objects.json'];
  for (const file of noData) {
    it(`report ${file}: no records to report on -> exit 3 naming the file`, async () => {
      const r = await run(['report', file]);
      expectFailure(r, 3, file, /no (data|records|rows)|empty|unrecognised|not recogni[sz]ed/i);
    });
  }

  const tooMany: [file: string, line: number][] = [
    ['unbalanced-quote.csv', 4],
    ['ragged-rows.csv', 4],
    ['nps-9.5.csv', 3],
    ['nps-11.csv', 3],
    ['date-31-02-2024.csv', 3],
    ['ndjson-bad-line.ndjson', 3],
  ];
  for (const [file, line] of tooMany) {
    it(`report ${file}: rejects above 5% -> exit 3 naming the file and line ${line}`, async () => {
      const r = await run(['report', file]);
      expectFailure(r, 3, file, new RegExp(`too many rejected rows[\\s\\S]*${file.replace(/\./g, '\\.')}: \\d+ of \\d+ rows rejected[\\s\\S]*line ${line}\\b`));
    });
  }

  it('report nps-11.csv --max-reject-rate 0.25: within the allowed share -> exit 0, NPS over the 4 good rows', async () => {
    const model = await reportJson(['nps-11.csv', '--max-reject-rate', '0.25']);
    const nps = model.metrics.find((m) => m.id === 'nps' && m.segment === null);
    expect(nps?.n).toBe(4);
    expect(model.totals).toEqual({ read: 5, accepted: 4, duplicate: 0, rejected: 1 });
  });

  it('report resolved-before-created.csv: the negative duration is left out and counted, never averaged in', async () => {
    const model = await reportJson(['resolved-before-created.csv']);
    const resolution = model.metrics.find((m) => m.id === 'resolution_time' && m.segment === null);
    expect(resolution).toBeDefined();
    expect(resolution!.value).toBeGreaterThanOrEqual(0);
    expect(resolution!.n).toBe(2);
    expect(resolution!.detail.negative_excluded).toBe(1);
    expect(resolution!.detail.min as number).toBeGreaterThanOrEqual(0);
  });

  it('report json-duplicate-keys.json: the last of two equal keys wins, as in JSON.parse', async () => {
    const model = await reportJson(['json-duplicate-keys.json']);
    expect(model.metrics.find((m) => m.id === 'nps' && m.segment === null)?.value).toBe(100);
  });

  it('report proto-keys.json --by __proto__: a segment named __proto__ is data, not a prototype', async () => {
    const r = await run(['report', 'proto-keys.json', '--by', '__proto__', '--format', 'json']);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"__proto__": "p"');
    const model = JSON.parse(r.stdout) as ReportModelLike;
    const segments = model.metrics.filter((m) => m.segment !== null).map((m) => Object.prototype.hasOwnProperty.call(m.segment, '__proto__'));
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.every(Boolean)).toBe(true);
  });

  it('report spanish-1252-ok.csv --by channel: Windows-1252 channel names decoded and folded (Teléfono -> phone)', async () => {
    const model = await reportJson(['spanish-1252-ok.csv', '--by', 'channel']);
    const channels = model.metrics.filter((m) => m.id === 'nps' && m.segment).map((m) => m.segment!.channel);
    expect(channels.sort()).toEqual(['email', 'phone', 'web']);
  });

  it('report formula-injection.csv --format csv --by channel: no cell starts a spreadsheet formula', async () => {
    const r = await run(['report', 'formula-injection.csv', '--format', 'csv', '--by', 'channel', '--max-reject-rate', '1']);
    expectClean(r);
    expect(r.code).toBe(0);
    const cells = r.stdout.split(/\r?\n/).flatMap((line) => line.split(','));
    const dangerous = cells.filter((cell) => /^["]?[=+@\t\r-]/.test(cell) && !/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(cell));
    expect(dangerous).toEqual([]);
    expect(r.stdout).toMatch(/'=cmd/);
  });

  it('inspect formula-injection.csv --rejects FILE: the rejected value =1+1 is written neutralised', async () => {
    const dir = tempDir('cxm-bad-rejects-');
    try {
      const out = path.join(dir, 'rejects.csv');
      const r = await run(['inspect', 'formula-injection.csv', '--rejects', out, '--format', 'json']);
      expectClean(r);
      expect(r.code).toBe(0);
      const { readFileSync } = await import('node:fs');
      const text = readFileSync(out, 'utf8');
      expect(text).toContain("'=1+1");
      expect(text.split(/\r?\n/).slice(1).flatMap((l) => l.split(',')).some((cell) => /^[=+@]/.test(cell))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Terminal safety and prototype pollution

describe.concurrent('untrusted text and keys', () => {
  it('inspect control-chars-in-text.csv (table): no ESC or BEL reaches the terminal', async () => {
    const r = await run(['inspect', 'control-chars-in-text.csv']);
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('control-chars-in-text.csv');
    expect(r.stdout).toContain('red header');
    expectNoControls(r.stdout, 'stdout');
    expectNoControls(r.stderr, 'stderr');
  });

  it('report control-chars-in-text.csv --by comment (table and markdown): no ESC or BEL in segment labels', async () => {
    for (const format of ['table', 'md']) {
      const r = await run(['report', 'control-chars-in-text.csv', '--by', 'comment', '--max-reject-rate', '1', '--format', format]);
      expectClean(r);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('red text');
      expectNoControls(r.stdout, `report ${format} stdout`);
      expectNoControls(r.stderr, `report ${format} stderr`);
    }
  });

  it('proto-keys.json and proto-keys.csv in process: loadDataset keeps __proto__ as an attribute and pollutes no prototype', async () => {
    const { loadDataset } = await import('../../src/dataset/load.js');
    // Absolute paths: relative ones are resolved against the process's directory, not `cwd` (see the next test).
    const dataset = await loadDataset([path.join(BAD, 'proto-keys.json'), path.join(BAD, 'proto-keys.csv')], { cwd: BAD, config: {} });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object as unknown as Record<string, unknown>).polluted).toBeUndefined();
    const records = dataset.records('survey');
    expect(records).toHaveLength(5);
    const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
    const first = records[0]!.attrs as Record<string, string>;
    expect(own(first, '__proto__')).toBe(true);
    expect(first['__proto__']).toBe('p');
    expect(own(first, 'constructor')).toBe(true);
    const second = records[1]!.attrs as Record<string, string>;
    expect(second['__proto__.polluted']).toBe('yes');
    const third = records[2]!.attrs as Record<string, string>;
    expect(third['constructor.prototype.polluted']).toBe('yes');
    const fromCsv = records[3]!.attrs as Record<string, string>;
    expect(own(fromCsv, '__proto__')).toBe(true);
    expect(fromCsv['__proto__']).toBe('{"polluted":"yes"}');
    for (const record of records) expect(Object.getPrototypeOf(record.attrs) === null || Object.getPrototypeOf(record.attrs) === Object.prototype).toBe(true);
  });

  it('loadDataset resolves relative inputs against options.cwd (as expandInputs does), not the process directory', async () => {
    const { loadDataset } = await import('../../src/dataset/load.js');
    const dataset = await loadDataset(['proto-keys.json', 'dir-without-data/../proto-keys.csv'], { cwd: BAD, config: {} });
    expect(dataset.inputs.map((i) => [i.file, i.accepted])).toEqual([
      ['proto-keys.json', 3],
      ['dir-without-data/../proto-keys.csv', 2],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Generated at run time (bad-corpus.ts): too big or too odd to commit

describe.concurrent('generated bad inputs', () => {
  let big: BigCorpus;
  let dir: string;
  beforeAll(() => {
    dir = tempDir('cxm-bad-corpus-');
    big = writeBigCorpus(dir);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const readWithRejects: { name: string; file: (b: BigCorpus) => string; counts: [read: number, accepted: number, rejected: number]; rejects: [line: number, column: string][]; check?: (e: InspectEntry) => void }[] = [
    { name: 'a 20 MiB single quoted field: read, the rows after it keep their line numbers', file: (b) => b.hugeField, counts: [3, 2, 1], rejects: [[4, 'nps']] },
    { name: '10,000 columns: read, 9,998 kept as attributes', file: (b) => b.wide, counts: [20, 19, 1], rejects: [[8, 'nps']], check: (e) => expect(e.unmapped).toHaveLength(9_998) },
    { name: 'a record holding 100,000 nested objects: no stack overflow, the next record still read', file: (b) => b.deepObject, counts: [2, 1, 1], rejects: [[2, 'nps']] },
  ];
  for (const c of readWithRejects) {
    it(c.name, async () => {
      const { inputs } = await inspectJson([c.file(big)]);
      const e = inputs[0]!;
      expect([e.read, e.accepted, e.rejected]).toEqual(c.counts);
      expect(e.rejects.map((r) => [r.line, r.column])).toEqual(c.rejects);
      c.check?.(e);
    });
  }

  it('a document of 100,000 nested arrays: no stack overflow, no records', async () => {
    const { inputs } = await inspectJson([big.deepArray]);
    expect(inputs[0]!.status).not.toBe('read');
    expect(inputs[0]!.accepted).toBe(0);
  });

  it('an NDJSON line nesting 100,000 objects: no stack overflow', async () => {
    const { inputs } = await inspectJson([big.deepNdjson]);
    expect([inputs[0]!.read, inputs[0]!.accepted]).toEqual([2, 2]);
  });

  it('a Windows-1252 byte after 1.5 MiB of ASCII: the whole file is read as windows-1252', async () => {
    const { inputs } = await inspectJson([big.late1252]);
    const e = inputs[0]!;
    expect(e.encoding).toBe('windows-1252');
    expect(e.rejected).toBe(0);
    expect(e.accepted).toBe(e.read);
  });

  it('the same, gzip-compressed: the encoding reported in JSON agrees with the switch in the notes', async () => {
    const { inputs } = await inspectJson([big.late1252Gz]);
    const e = inputs[0]!;
    noteMatching(e, /switched to windows-1252/);
    expect(e.encoding).toBe('windows-1252');
  });

  it('2,000 rows with 6% rejects: inspect lists the first 20 with exact lines; report exits 3; --max-reject-rate 0.1 passes', async () => {
    const [inspect, report, relaxed] = await Promise.all([
      inspectJson([big.manyRejects]),
      run(['report', big.manyRejects]),
      run(['report', big.manyRejects, '--max-reject-rate', '0.1', '--format', 'json']),
    ]);
    const e = inspect.inputs[0]!;
    expect([e.read, e.accepted, e.rejected]).toEqual([2_000, 1_880, 120]);
    expect(e.rejects.map((r) => r.line)).toEqual(big.manyRejectLines.slice(0, 20));
    expectFailure(report, 3, path.basename(big.manyRejects), /120 of 2,?000 rows rejected \(6\.0%\)[\s\S]*line 8\b/);
    expectClean(relaxed);
    expect(relaxed.code).toBe(0);
  });

  it('a FIFO written in part and closed mid-field (a truncated stream): rows before the cut read, the cut row rejected', async () => {
    const fifo = path.join(dir, 'truncated-stream.csv');
    expect(makeFifo(fifo)).toBe(true);
    const { inputs } = await inspectJson([fifo], {
      during: () => feedFifo(fifo, ['response_id,nps,comment\n1,9,ok\n', '2,8,"the transfer stopped in the mid']),
    });
    const e = inputs[0]!;
    expect([e.read, e.accepted, e.rejected]).toEqual([2, 1, 1]);
    expect(e.rejects.map((r) => [r.line, r.reason.includes('unbalanced quote')])).toEqual([[3, true]]);
  });

  it('a FIFO carrying gzip that stops early: exit 3, truncated', async () => {
    const fifo = path.join(dir, 'truncated-stream.csv.gz');
    expect(makeFifo(fifo)).toBe(true);
    const { readFileSync } = await import('node:fs');
    const gz = readFileSync(path.join(BAD, 'truncated.csv.gz'));
    const r = await run(['inspect', fifo, '--format', 'json'], { during: () => feedFifo(fifo, [gz.subarray(0, 700)]) });
    expectFailure(r, 3, fifo, /truncated/);
  });

  it('stdin cut mid-field: read as "-", the cut row rejected on line 3', async () => {
    const { inputs } = await inspectJson(['-'], { input: 'response_id,nps\n1,9\n2,"x' });
    const e = inputs[0]!;
    expect(e.file).toBe('-');
    expect(e.rejects.map((r) => r.line)).toEqual([3]);
  });

  it.skipIf(process.getuid?.() === 0)('a file with mode 000: exit 3, permission denied (skipped when running as root: root reads anything)', async () => {
    const r = await run(['inspect', big.unreadable, '--format', 'json']);
    expectFailure(r, 3, big.unreadable, /permission denied/);
  });

  it('a directory with no files at all: exit 3, no data files', async () => {
    const r = await run(['inspect', big.emptyDir]);
    expectFailure(r, 3, big.emptyDir, /no data files/);
  });

  it('a dangling symlink (the export vanished): exit 3 naming it', async () => {
    const r = await run(['report', big.dangling]);
    expectFailure(r, 3, big.dangling, /no such file|does not exist/);
  });

  it('a directory holding a symlink to itself and a symlinked copy: the one real file is read once', async () => {
    const loop = path.join(dir, 'symlinked');
    const { mkdirSync, writeFileSync, symlinkSync } = await import('node:fs');
    mkdirSync(loop);
    writeFileSync(path.join(loop, 'scores.csv'), 'nps,comment\n9,a\n7,b\n');
    symlinkSync('.', path.join(loop, 'again'));
    symlinkSync('scores.csv', path.join(loop, 'copy.csv'));
    const [inspect, model] = await Promise.all([inspectJson([loop]), reportJson([loop])]);
    expect(inspect.inputs).toHaveLength(1);
    expect(model.totals.read).toBe(2);
    expect(model.metrics.find((m) => m.id === 'nps' && m.segment === null)?.n).toBe(2);
  });

  it('a file name holding ESC[31m and BEL, in an error message: stderr stays free of control bytes', async () => {
    const r = await run(['inspect', path.basename(big.controlNameBroken)], { cwd: dir });
    expectClean(r);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/not records/);
    expectNoControls(r.stderr, 'stderr');
  });

  it('a file name holding an OSC title sequence, in the inspect table: stdout stays free of control bytes', async () => {
    const r = await run(['inspect', path.basename(big.controlNameOk)], { cwd: dir });
    expectClean(r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('-title.csv');
    expectNoControls(r.stdout, 'stdout');
    expectNoControls(r.stderr, 'stderr');
  });
});
