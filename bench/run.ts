/**
 * `npm run bench`: generates seeded survey and ticket exports into bench/data/ (git-ignored), runs
 * cxm and the peers it can find on the same files — DuckDB (through @duckdb/node-api), python3's
 * csv module, sqlite3 — and prints the median wall and user CPU time, rows/s, MB/s and peak RSS
 * over several runs, and the cxm/DuckDB ratio. Figures, never a pass/fail: BENCHMARKS.md records them.
 *
 *   npm run bench                      1M rows, 3 runs each
 *   npm run bench -- --rows 10000000   the flat-memory check
 *   npm run bench -- --runs 5 --only survey
 *
 * cxm runs with --threads 1 and --threads 2, interleaved, and the two outputs are compared byte
 * for byte.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from '../src/metrics/stats/random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = path.join(ROOT, 'bench/data');

interface Args {
  rows: number;
  runs: number;
  only: 'survey' | 'ticket' | null;
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

const SQLITE_SURVEY = (file: string) => `.mode csv
.import ${file} s
select channel, 100.0 * (sum(nps >= 9) - sum(nps <= 6)) / count(nps), 1.0 * sum(csat >= 4) / count(csat) from s group by channel;
`;

interface Row {
  tool: string;
  seconds: number;
  userSeconds: number;
  rssMb: number;
}

function runTool(tool: string, runs: number, fn: () => Measure | null): Row | null {
  const samples: Measure[] = [];
  for (let i = 0; i < runs; i++) {
    const m = fn();
    if (!m) return null;
    samples.push(m);
  }
  return {
    tool,
    seconds: median(samples.map((s) => s.seconds)),
    userSeconds: median(samples.map((s) => s.userSeconds)),
    rssMb: Math.max(...samples.map((s) => s.rssMb)),
  };
}

/** Several tools run in turn, `runs` rounds (A B A B…): a busy spell of the machine hits them alike. */
function runInterleaved(tools: [string, () => Measure | null][], runs: number): Row[] {
  const samples = tools.map(() => [] as Measure[]);
  for (let i = 0; i < runs; i++) {
    for (const [t, [, fn]] of tools.entries()) {
      const m = fn();
      if (m) samples[t]!.push(m);
    }
  }
  return tools.flatMap(([tool], t) => {
    const s = samples[t]!;
    if (s.length === 0) return [];
    return [{ tool, seconds: median(s.map((x) => x.seconds)), userSeconds: median(s.map((x) => x.userSeconds)), rssMb: Math.max(...s.map((x) => x.rssMb)) }];
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
    '| tool | median wall s | median user s | rows/s | MB/s | peak RSS MB | x DuckDB (wall) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.tool} | ${r.seconds.toFixed(2)} | ${r.userSeconds.toFixed(2)} | ${Math.round(records / r.seconds).toLocaleString('en-US')} | ${(bytes / 1e6 / r.seconds).toFixed(1)} | ${Math.round(r.rssMb)} | ${duck ? (r.seconds / duck.seconds).toFixed(2) : '—'} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  process.stdout.write(`cxm bench: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  process.stderr.write(`generating ${args.rows.toLocaleString('en-US')}-row files in ${path.relative(ROOT, DATA)}/ (cached)…\n`);
  const files = await generate(args.rows);
  const cxm = path.join(ROOT, 'bin/cxm.js');
  // DuckDB is not a devDependency: npm 11 writes a lock file without its per-platform optional
  // packages, and `npm ci` then refuses the lock. Install it for a benchmark run only.
  const hasDuckDb = existsSync(path.join(ROOT, 'node_modules/@duckdb/node-api'));
  if (!hasDuckDb) process.stderr.write('DuckDB is not installed: `npm install --no-save @duckdb/node-api@1.5` to compare against it\n');
  const duckScript = (file: string, sql: string) => {
    const script = path.join(DATA, `duck-${path.basename(file)}.mjs`);
    writeFileSync(script, DUCKDB_SCRIPT(file, sql));
    return script;
  };
  // The DuckDB script must resolve @duckdb/node-api from the project: run it from the root.
  const duck = (file: string, sql: string) => () => measure(process.execPath, ['--input-type=module', '-e', `process.chdir(${JSON.stringify(ROOT)}); await import(${JSON.stringify(duckScript(file, sql))});`]);

  if (args.only !== 'ticket') {
    const file = files.survey;
    const rows: Row[] = [];
    const add = (row: Row | null) => row && rows.push(row);
    const cxmRun = (threads: number) => () =>
      measure(process.execPath, [cxm, 'report', file, '--by', 'channel', '--metrics', 'nps,csat', '--format', 'json', '--threads', String(threads), '--out', path.join(DATA, `out-survey-${threads}.json`)]);
    rows.push(...runInterleaved([['cxm report --by channel (nps, csat) --threads 1', cxmRun(1)], ['cxm … --threads 2', cxmRun(2)]], args.runs));
    process.stderr.write(`survey outputs of --threads 1 and 2 ${sameBytes(path.join(DATA, 'out-survey-1.json'), path.join(DATA, 'out-survey-2.json')) ? 'identical' : 'DIFFER'}\n`);
    if (hasDuckDb) add(runTool('DuckDB (@duckdb/node-api)', args.runs, duck(file, SURVEY_SQL)));
    if (has('python3')) add(runTool('python3 csv.reader', args.runs, () => measure('python3', ['-c', PY_SURVEY, file])));
    if (has('sqlite3')) add(runTool('sqlite3 .import + query', 1, () => measure('sqlite3', [':memory:'], SQLITE_SURVEY(file))));
    printTable('Surveys: NPS + CSAT by channel', rows, args.rows, statSync(file).size);
  }
  if (args.only !== 'survey') {
    const file = files.ticket;
    const rows: Row[] = [];
    const add = (row: Row | null) => row && rows.push(row);
    const cxmRun = (threads: number) => () =>
      measure(process.execPath, [cxm, 'report', file, '--by', 'channel', '--metrics', 'first_response_time', '--format', 'json', '--threads', String(threads), '--out', path.join(DATA, `out-ticket-${threads}.json`)]);
    rows.push(...runInterleaved([['cxm report --by channel (first_response_time) --threads 1', cxmRun(1)], ['cxm … --threads 2', cxmRun(2)]], args.runs));
    process.stderr.write(`ticket outputs of --threads 1 and 2 ${sameBytes(path.join(DATA, 'out-ticket-1.json'), path.join(DATA, 'out-ticket-2.json')) ? 'identical' : 'DIFFER'}\n`);
    if (hasDuckDb) add(runTool('DuckDB (@duckdb/node-api)', args.runs, duck(file, TICKET_SQL)));
    printTable('Tickets: first-response median and p90 by channel', rows, args.rows, statSync(file).size);
  }
}

await main();
