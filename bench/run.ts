/**
 * `npm run bench`: generates seeded survey and ticket exports into bench/data/ (git-ignored), runs
 * cxm and the peers it can find on the same files — DuckDB (through @duckdb/node-api), python3's
 * csv module, Miller 6 (`mlr`, Debian's package `miller`), sqlite3 — and prints the median wall and user CPU time, rows/s, MB/s and peak RSS
 * over several runs, and the cxm/DuckDB ratio. Figures, never a pass/fail: BENCHMARKS.md records them.
 *
 *   npm run bench                      1M rows, 3 runs each
 *   npm run bench -- --rows 10000000   the flat-memory check
 *   npm run bench -- --runs 5 --only survey
 *   npm run bench -- --only folder     the survey rows as a folder of 4 files
 *
 * All tools run interleaved, one run each per round (the machine is shared: a busy spell then
 * hits them alike); the table gives the median and the fastest run. cxm runs with --threads 1 and
 * --threads 2, and the two outputs are compared byte for byte. A last row runs papaparse alone,
 * as cxm drives it, doing nothing with the records: the floor under a one-thread cxm run.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/metrics/stats/random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = path.join(ROOT, 'bench/data');

interface Args {
  rows: number;
  runs: number;
  only: 'survey' | 'ticket' | 'folder' | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { rows: 1_000_000, runs: 3, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rows') args.rows = Number(argv[++i]);
    else if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--only') args.only = argv[++i] as Args['only'];
  }
  if (!Number.isInteger(args.rows) || args.rows < 1000) throw new Error('--rows must be a whole number >= 1000');
  return args;
}

const CHANNELS = ['email', 'web', 'phone', 'chat', 'app', 'store'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const COMMENTS = ['', '', '', 'fast and friendly', '"the delivery was late, again"', '"slow, but solved"', 'great product', 'nobody answered my emails'];

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

async function writeLines(file: string, header: string, rows: number, line: (i: number, rng: Random) => string): Promise<void> {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const rng = new Random(20261122);
  const out = createWriteStream(`${file}.tmp`);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write(`${header}\n`);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `${line(i, rng)}\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
  const { renameSync } = await import('node:fs');
  renameSync(`${file}.tmp`, file);
}

const START = Date.UTC(2025, 0, 1);
const YEAR = 365 * 86_400_000;

/**
 * The survey file as a folder of `parts` files of consecutive rows, each with the header: the
 * usual input of `cxm report exports/` (one record per line in the generated file, so lines are
 * records).
 */
async function splitIntoFolder(file: string, parts: number, rows: number): Promise<string> {
  const dir = file.replace(/\.csv$/, `-${parts}-files`);
  if (existsSync(dir)) return dir;
  const { createInterface } = await import('node:readline');
  const { createReadStream, renameSync } = await import('node:fs');
  mkdirSync(`${dir}.tmp`, { recursive: true });
  const per = Math.ceil(rows / parts);
  let header: string | null = null;
  let out: ReturnType<typeof createWriteStream> | null = null;
  let n = 0;
  const close = (stream: ReturnType<typeof createWriteStream>) => new Promise<void>((r) => stream.end(() => r()));
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (header === null) {
      header = line;
      continue;
    }
    if (n % per === 0) {
      if (out) await close(out);
      out = createWriteStream(path.join(`${dir}.tmp`, `part-${n / per + 1}.csv`));
      out.write(`${header}\n`);
    }
    if (!out!.write(`${line}\n`)) await new Promise<void>((r) => out!.once('drain', () => r()));
    n++;
  }
  if (out) await close(out);
  renameSync(`${dir}.tmp`, dir);
  return dir;
}

async function generate(rows: number): Promise<{ survey: string; ticket: string }> {
  const survey = path.join(DATA, `survey-${rows}.csv`);
  const ticket = path.join(DATA, `ticket-${rows}.csv`);
  await writeLines(survey, 'response_id,submitted_at,customer_id,channel,nps,csat,comment', rows, (i, rng) => {
    const nps = rng.int(11);
    const csat = 1 + rng.int(5);
    return `R${i},${iso(START + rng.int(YEAR / 1000) * 1000)},C${rng.int(200_000)},${CHANNELS[rng.int(CHANNELS.length)]},${nps},${csat},${COMMENTS[rng.int(COMMENTS.length)]}`;
  });
  await writeLines(ticket, 'ticket_id,created_at,first_reply_at,solved_at,channel,priority,status', rows, (i, rng) => {
    const created = START + rng.int(YEAR / 1000) * 1000;
    const reply = created + Math.round(60_000 * Math.exp(rng.normal() * 1.2 + 4));
    const solved = reply + Math.round(60_000 * Math.exp(rng.normal() * 1.1 + 6));
    return `T${i},${iso(created)},${iso(reply)},${iso(solved)},${CHANNELS[rng.int(CHANNELS.length)]},${PRIORITIES[rng.int(4)]},solved`;
  });
  return { survey, ticket };
}

interface Measure {
  seconds: number;
  /** CPU time in user mode, all threads: steadier than wall time on a shared machine. */
  userSeconds: number;
  rssMb: number;
}

/** Runs a command under /usr/bin/time for wall seconds, user CPU seconds and peak RSS (KB). */
function measure(command: string, args: string[], stdin?: string): Measure | null {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %M', command, ...args], { encoding: 'utf8', input: stdin, maxBuffer: 64 << 20 });
  const lines = result.stderr.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  const m = /^([\d.]+) ([\d.]+) (\d+)$/.exec(last);
  if (result.status !== 0 || !m) {
    process.stderr.write(`  ${command} failed (exit ${result.status}): ${result.stderr.slice(-400)}\n`);
    return null;
  }
  return { seconds: Number(m[1]), userSeconds: Number(m[2]), rssMb: Number(m[3]) / 1024 };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

const DUCKDB_SCRIPT = (file: string, sql: string) => `
import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(':memory:');
const c = await instance.connect();
const r = await c.runAndReadAll(${JSON.stringify(sql.replace('FILE', file))});
process.stdout.write(JSON.stringify(r.getRowObjectsJson()).slice(0, 200) + '\\n');
`;

const SURVEY_SQL = `select channel,
  100.0 * (count(*) filter (where nps >= 9) - count(*) filter (where nps <= 6)) / count(nps) as nps,
  count(*) filter (where csat >= 4) * 1.0 / count(csat) as csat
from read_csv('FILE', header = true) group by channel order by channel`;

const TICKET_SQL = `select channel,
  median(epoch(first_reply_at) - epoch(created_at)) as frt_median,
  quantile_cont(epoch(first_reply_at) - epoch(created_at), 0.9) as frt_p90
from read_csv('FILE', header = true) group by channel order by channel`;

const PY_SURVEY = `
import csv, sys
agg = {}
with open(sys.argv[1], newline='') as f:
    r = csv.reader(f); next(r)
    for row in r:
        a = agg.setdefault(row[3], [0, 0, 0, 0, 0])
        if row[4] != '':
            s = int(row[4]); a[0] += 1
            if s >= 9: a[1] += 1
            elif s <= 6: a[2] += 1
        if row[5] != '':
            a[3] += 1
            if int(row[5]) >= 4: a[4] += 1
for k, a in sorted(agg.items()):
    print(k, 100.0 * (a[1] - a[2]) / a[0], a[4] / a[3])
`;

/**
 * Miller (`mlr`): flags per row, sums and counts per channel, then the two ratios. Blank cells
 * count in neither (Miller's stats1 skips a record without the field), as in the SQL above.
 */
const MLR_SURVEY = (file: string) => [
  '--icsv', '--ojson',
  'put', 'if (is_not_empty($nps)) { $pr = $nps >= 9 ? 1 : 0; $de = $nps <= 6 ? 1 : 0 } if (is_not_empty($csat)) { $sat = $csat >= 4 ? 1 : 0 }',
  'then', 'stats1', '-a', 'sum,count', '-f', 'pr,de,sat', '-g', 'channel',
  'then', 'put', '$nps = 100 * ($pr_sum - $de_sum) / $pr_count; $csat = $sat_sum / $sat_count',
  'then', 'cut', '-o', '-f', 'channel,nps,csat', 'then', 'sort', '-f', 'channel',
  file,
];

/** Miller: first-response seconds per row, then the interpolated median and p90 per channel (as DuckDB's quantile_cont). */
const MLR_TICKET = (file: string) => [
  '--icsv', '--ojson',
  'put', 'if (is_not_empty($first_reply_at) && is_not_empty($created_at)) { $frt = strptime($first_reply_at, "%Y-%m-%dT%H:%M:%SZ") - strptime($created_at, "%Y-%m-%dT%H:%M:%SZ") }',
  'then', 'stats1', '-i', '-a', 'median,p90', '-f', 'frt', '-g', 'channel',
  'then', 'sort', '-f', 'channel',
  file,
];

const SQLITE_SURVEY = (file: string) => `.mode csv
.import ${file} s
select channel, 100.0 * (sum(nps >= 9) - sum(nps <= 6)) / count(nps), 1.0 * sum(csat >= 4) / count(csat) from s group by channel;
`;

interface Row {
  tool: string;
  seconds: number;
  /** The fastest run: on a shared machine, the run least disturbed by others. */
  minSeconds: number;
  userSeconds: number;
  rssMb: number;
}

/**
 * Every tool runs once per round, in turn, for `runs` rounds (A B C A B C…): a busy spell of the
 * shared machine then hits all of them alike, and the ratios stay fair. A tool that fails once is
 * dropped from the table.
 */
function runInterleaved(tools: [string, () => Measure | null][], runs: number): Row[] {
  const samples = tools.map(() => [] as Measure[]);
  const failed = new Set<number>();
  for (let i = 0; i < runs; i++) {
    for (const [t, [, fn]] of tools.entries()) {
      if (failed.has(t)) continue;
      const m = fn();
      if (m) samples[t]!.push(m);
      else failed.add(t);
    }
  }
  return tools.flatMap(([tool], t) => {
    const s = samples[t]!;
    if (s.length === 0 || failed.has(t)) return [];
    const seconds = s.map((x) => x.seconds);
    return [{ tool, seconds: median(seconds), minSeconds: Math.min(...seconds), userSeconds: median(s.map((x) => x.userSeconds)), rssMb: Math.max(...s.map((x) => x.rssMb)) }];
  });
}

/** Whether the files hold the same bytes (the thread counts must not change a byte of the report). */
function sameBytes(a: string, b: string): boolean {
  return readFileSync(a).equals(readFileSync(b));
}

function printTable(title: string, rows: Row[], records: number, bytes: number): void {
  const duck = rows.find((r) => r.tool.startsWith('DuckDB'));
  const lines = [
    `\n${title} — ${records.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB`,
    '| tool | median wall s | min wall s | median user s | rows/s | MB/s | peak RSS MB | x DuckDB (median wall) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.tool} | ${r.seconds.toFixed(2)} | ${r.minSeconds.toFixed(2)} | ${r.userSeconds.toFixed(2)} | ${Math.round(records / r.seconds).toLocaleString('en-US')} | ${(bytes / 1e6 / r.seconds).toFixed(1)} | ${Math.round(r.rssMb)} | ${duck ? (r.seconds / duck.seconds).toFixed(2) : '—'} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * The tokenizer alone, as cxm drives it (papaparse's Parser fed 64 KiB of decoded text at a time,
 * one `step` callback per record), doing nothing with the records: the floor under any cxm run on
 * one thread, since every byte goes through it.
 */
const TOKENIZER_FLOOR_SCRIPT = `
import { openSync, readSync } from 'node:fs';
import Papa from 'papaparse';
let records = 0;
const parser = new Papa.Parser({ delimiter: ',', newline: '\\n', quoteChar: '"', step: () => { records++; } });
const fd = openSync(process.argv[1], 'r');
const buf = Buffer.allocUnsafe(65536);
const decoder = new TextDecoder();
let partial = '';
for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) {
  const text = partial + decoder.decode(buf.subarray(0, n), { stream: true });
  partial = text.slice(parser.parse(text, 0, true).meta.cursor);
}
parser.parse(partial + decoder.decode(), 0, false);
process.stdout.write(records + ' records\\n');
`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.stdout.write(`cxm bench: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  process.stderr.write(`generating ${args.rows.toLocaleString('en-US')}-row files in ${path.relative(ROOT, DATA)}/ (cached)…\n`);
  const files = await generate(args.rows);
  const cxm = path.join(ROOT, 'bin/cxm.js');
  // DuckDB is a devDependency, pinned to a version whose eight per-platform binding packages are
  // all on the registry (with one missing, npm writes a lock file that `npm ci` refuses). An
  // install with --omit=dev has none: the table then goes without it.
  const hasDuckDb = existsSync(path.join(ROOT, 'node_modules/@duckdb/node-api'));
  if (!hasDuckDb) process.stderr.write('DuckDB is not installed (a devDependency: `npm ci` installs it) — the table goes without it\n');
  if (!has('mlr')) process.stderr.write('Miller is not installed: `apt-get install miller` (Debian) to compare against it\n');
  const script = (name: string, text: string) => {
    const file = path.join(DATA, name);
    writeFileSync(file, text);
    return file;
  };
  // The scripts must resolve @duckdb/node-api and papaparse from the project: run them from the root.
  const nodeScript = (file: string, ...argv: string[]) => () =>
    measure(process.execPath, ['--input-type=module', '-e', `process.chdir(${JSON.stringify(ROOT)}); process.argv.splice(1, Infinity, ...${JSON.stringify(argv)}); await import(${JSON.stringify(file)});`]);
  const duck = (file: string, sql: string) => nodeScript(script(`duck-${path.relative(DATA, file).replace(/[^\w.-]+/g, '_')}.mjs`, DUCKDB_SCRIPT(file, sql)));
  const floor = (file: string) => nodeScript(script('tokenizer-floor.mjs', TOKENIZER_FLOOR_SCRIPT), file);
  /** cxm on one and two threads over `input` (a file or a folder), each writing out-`tag`-N.json. */
  const cxmTools = (input: string, metrics: string, tag: string, label: string): [string, () => Measure | null][] => {
    const run = (threads: number) => () =>
      measure(process.execPath, [cxm, 'report', input, '--by', 'channel', '--metrics', metrics, '--format', 'json', '--threads', String(threads), '--out', path.join(DATA, `out-${tag}-${threads}.json`)]);
    return [
      [`${label} --threads 1`, run(1)],
      ['cxm … --threads 2', run(2)],
    ];
  };
  /** The thread count must not change a byte of the report. */
  const compareOutputs = (tag: string) =>
    process.stderr.write(`${tag} outputs of --threads 1 and 2 ${sameBytes(path.join(DATA, `out-${tag}-1.json`), path.join(DATA, `out-${tag}-2.json`)) ? 'identical' : 'DIFFER'}\n`);

  for (const kind of ['survey', 'ticket'] as const) {
    if (args.only !== null && args.only !== kind) continue;
    const file = files[kind];
    const metrics = kind === 'survey' ? 'nps,csat' : 'first_response_time';
    const tools = cxmTools(file, metrics, kind, `cxm report --by channel (${metrics.replace(',', ', ')})`);
    if (hasDuckDb) tools.push(['DuckDB (@duckdb/node-api)', duck(file, kind === 'survey' ? SURVEY_SQL : TICKET_SQL)]);
    if (kind === 'survey' && has('python3')) tools.push(['python3 csv.reader', () => measure('python3', ['-c', PY_SURVEY, file])]);
    if (has('mlr')) tools.push(['Miller 6 (mlr)', () => measure('mlr', kind === 'survey' ? MLR_SURVEY(file) : MLR_TICKET(file))]);
    tools.push(['papaparse alone, 1 thread (the tokenizer floor: parse, nothing else)', floor(file)]);
    const rows = runInterleaved(tools, args.runs);
    compareOutputs(kind);
    // sqlite stores every row before the query: one run is enough to place it.
    if (kind === 'survey' && has('sqlite3')) {
      const sqlite = runInterleaved([['sqlite3 .import + query (1 run)', () => measure('sqlite3', [':memory:'], SQLITE_SURVEY(file))]], 1);
      rows.push(...sqlite);
    }
    printTable(kind === 'survey' ? 'Surveys: NPS + CSAT by channel' : 'Tickets: first-response median and p90 by channel', rows, args.rows, statSync(file).size);
  }

  // The same survey rows as a folder of 4 exports: several files share the threads whole.
  if (args.only === null || args.only === 'folder') {
    const dir = await splitIntoFolder(files.survey, 4, args.rows);
    const tools = cxmTools(dir, 'nps,csat', 'folder', 'cxm report FOLDER --by channel (nps, csat)');
    if (hasDuckDb) tools.push(["DuckDB (@duckdb/node-api), read_csv('FOLDER/*.csv')", duck(path.join(dir, '*.csv'), SURVEY_SQL)]);
    const rows = runInterleaved(tools, args.runs);
    compareOutputs('folder');
    const bytes = readdirSync(dir).reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
    printTable('Surveys as a folder of 4 files: NPS + CSAT by channel', rows, args.rows, bytes);
  }
}

await main();
