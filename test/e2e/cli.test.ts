/**
 * The command-line contract, end to end: help and version, usage errors and exit codes, colour
 * (NO_COLOR, FORCE_COLOR, --no-color), a broken pipe, atomic `--out`, and `-` for stdin. Most
 * invocations are cheap; they start together in `beforeAll` and the tests read their results.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectEntry } from '../../src/report/inputs.js';
import type { ReportModel } from '../../src/report/model.js';
import { demo } from './independent.js';
import { ROOT, cxmAsync, cxmRun, tempDir, type RunResult } from './run.js';

interface Invocation {
  args: string[];
  env?: Record<string, string | undefined>;
  input?: Buffer;
}

function run({ args, env, input }: Invocation): Promise<RunResult> {
  return cxmRun(args, { env, input });
}

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const DEALS = 'fixtures/demo/deals.csv';
const CSAT = 'fixtures/demo/csat_survey.csv';
const ESC = '\u001b[';
const tmp = tempDir('cxm-cli-');

/** Every invocation of this file but the broken pipe, by name. */
const INVOCATIONS = {
  help: { args: ['--help'] },
  helpShort: { args: ['-h'] },
  version: { args: ['--version'] },
  versionShort: { args: ['-V'] },
  reportHelp: { args: ['report', '--help'] },
  helpReport: { args: ['help', 'report'] },
  inspectHelp: { args: ['inspect', '--help'] },
  metricsHelp: { args: ['metrics', '--help'] },
  metricsJson: { args: ['metrics', '--format', 'json'] },
  configHelp: { args: ['config', '--help'] },
  configSchemaHelp: { args: ['config', 'schema', '--help'] },
  configCheckHelp: { args: ['config', 'check', '--help'] },
  // usage errors
  noCommand: { args: [] },
  configNoSub: { args: ['config'] },
  unknownOption: { args: ['--bogus'] },
  unknownCommand: { args: ['bogus'] },
  unknownReportOption: { args: ['report', '--bogus', DEALS] },
  badFormat: { args: ['report', '--format', 'xml', DEALS] },
  badInspectFormat: { args: ['inspect', '--format', 'csv', DEALS] },
  badPeriod: { args: ['report', '--period', 'fortnight', DEALS] },
  badKind: { args: ['report', '--kind', 'tweet', DEALS] },
  missingValue: { args: ['report', DEALS, '--format'] },
  badTz: { args: ['report', '--tz', 'Mars/Olympus', DEALS] },
  badRate: { args: ['report', '--max-reject-rate', '2', DEALS] },
  badDelimiter: { args: ['report', '--delimiter', 'x', DEALS] },
  badSince: { args: ['report', '--since', 'someday', DEALS] },
  untilBeforeSince: { args: ['report', '--since', '2025-07-01', '--until', '2025-06-01', DEALS] },
  badShowRejects: { args: ['inspect', '--show-rejects', 'many', DEALS] },
  missingConfig: { args: ['report', '--config', 'no-such-config.json', DEALS] },
  // input errors
  missingInput: { args: ['report', 'no-such-dir'] },
  missingInputDebug: { args: ['report', 'no-such-dir', '--debug'] },
  strict: { args: ['report', 'fixtures/demo/encuestas_nps.csv', '--strict'] },
  // colour
  colourDefault: { args: ['report', CSAT], env: { NO_COLOR: undefined, FORCE_COLOR: undefined } },
  colourForced: { args: ['report', CSAT], env: { NO_COLOR: undefined, FORCE_COLOR: '1' } },
  colourNoColorWins: { args: ['report', CSAT], env: { NO_COLOR: '1', FORCE_COLOR: '1' } },
  colourFlagWins: { args: ['report', CSAT, '--no-color'], env: { NO_COLOR: undefined, FORCE_COLOR: '1' } },
  colourForceZero: { args: ['report', CSAT], env: { NO_COLOR: undefined, FORCE_COLOR: '0' } },
  colourJson: { args: ['report', CSAT, '--format', 'json'], env: { NO_COLOR: undefined, FORCE_COLOR: '1' } },
  colourOut: { args: ['report', CSAT, '--out', path.join(tmp, 'coloured.txt')], env: { NO_COLOR: undefined, FORCE_COLOR: '1' } },
  colourInspect: { args: ['inspect', CSAT], env: { NO_COLOR: undefined, FORCE_COLOR: '1' } },
  // --out
  outInspect: { args: ['inspect', CSAT, '--format', 'json', '--out', path.join(tmp, 'out', 'inspect.json')] },
  outOntoDirectory: { args: ['report', CSAT, '--out', path.join(tmp, 'out', 'a-directory')] },
  outMissingFolder: { args: ['report', CSAT, '--out', path.join(tmp, 'no-such-folder', 'report.txt')] },
  // stdin
  stdinReport: { args: ['report', '-', '--format', 'json'], input: readFileSync(path.join(ROOT, CSAT)) },
  stdinReturns: { args: ['inspect', '-', '--format', 'json'], input: readFileSync(path.join(ROOT, 'fixtures/demo/devoluciones.csv')) },
  stdinNps: { args: ['inspect', '-', '--format', 'json'], input: readFileSync(path.join(ROOT, 'fixtures/demo/encuestas_nps.csv')) },
} satisfies Record<string, Invocation>;

type Name = keyof typeof INVOCATIONS;
const results = new Map<Name, RunResult>();
const r = (name: Name): RunResult => results.get(name)!;

beforeAll(async () => {
  mkdirSync(path.join(tmp, 'out', 'a-directory'), { recursive: true });
  writeFileSync(path.join(tmp, 'out', 'a-directory', 'keep.txt'), 'keep');
  writeFileSync(path.join(tmp, 'out', 'inspect.json'), 'the previous file');
  const names = Object.keys(INVOCATIONS) as Name[];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < names.length) {
        const name = names[next++]!;
        results.set(name, await run(INVOCATIONS[name]));
      }
    }),
  );
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Lines of the `Examples:` block of a help text. */
function examples(help: string): string[] {
  const block = help.split('\nExamples:\n')[1] ?? '';
  return block.split('\n').filter((line) => line.startsWith('  cxm '));
}

describe('help', () => {
  it('cxm --help: purpose, every command, exit codes, examples; on stdout, exit 0', () => {
    const h = r('help');
    expect(h.code).toBe(0);
    expect(h.stderr).toBe('');
    expect(h.stdout).toMatch(/^Usage: cxm \[options\] \[command\]\n\nCustomer-experience metrics/);
    for (const command of ['report', 'inspect', 'metrics', 'config']) expect(h.stdout).toMatch(new RegExp(`\\n  ${command} `));
    expect(h.stdout).toContain('Exit codes: 0 ok, 1 a KPI check failed, 2 bad usage or config, 3 input unreadable or too many rejected rows, 4 internal error.');
    expect(examples(h.stdout).length).toBeGreaterThanOrEqual(3);
    expect(r('helpShort').stdout).toBe(h.stdout);
  });

  it.each([
    ['reportHelp', 'report [options] [inputs...]', /^Compute every customer-experience metric/m, ['-f, --format <format>', '-o, --out <file>', '--metrics <ids>', '--period <unit>', '--by <field>', '--since <when>', '--until <when>', '--tz <zone>', '--config <file>']],
    ['inspectHelp', 'inspect [options] [inputs...]', /^Show how cxm reads each input/m, ['-f, --format <format>', '--show-rejects <n>', '--rejects <file>', '--encoding <name>', '--delimiter <char>', '--date-order <order>']],
    ['metricsHelp', 'metrics [options]', /^List the metric catalogue/m, ['-f, --format <format>']],
    ['configHelp', 'config [options] [command]', /^Work with the mapping and settings file/m, ['-h, --help']],
    ['configSchemaHelp', 'config schema [options]', /^Print the JSON Schema of the config file/m, ['-o, --out <file>']],
    ['configCheckHelp', 'config check [options] [file]', /^Validate a config file/m, ['-h, --help']],
  ] as const)('%s: usage, purpose, options and at least two examples', (name, usage, purpose, options) => {
    const h = r(name);
    expect(h.code).toBe(0);
    expect(h.stderr).toBe('');
    expect(h.stdout.startsWith(`Usage: cxm ${usage}\n`)).toBe(true);
    expect(h.stdout).toMatch(purpose);
    for (const option of options) expect(h.stdout).toContain(`  ${option}`);
    expect(examples(h.stdout).length, h.stdout).toBeGreaterThanOrEqual(2);
  });

  it('options show their defaults', () => {
    const squash = (text: string) => text.replace(/\s+/g, ' ');
    // the formats the issue names, and any added since (html)
    expect(squash(r('reportHelp').stdout)).toMatch(/\(choices: "table", "json", "csv", "md"(, "\w+")*, default: "table"\)/);
    expect(squash(r('reportHelp').stdout)).toContain('(default: "0.05")');
    expect(squash(r('inspectHelp').stdout)).toContain('(choices: "table", "json", default: "table")');
    expect(squash(r('inspectHelp').stdout)).toContain('--show-rejects <n> rejects listed per file (default: "20")');
    expect(squash(r('metricsHelp').stdout)).toContain('(choices: "table", "json", "md", default: "table")');
  });

  it('cxm metrics --format json says which metrics are computed while reading (streaming)', () => {
    const out = r('metricsJson');
    expect(out.code).toBe(0);
    const metrics = (JSON.parse(out.stdout) as { metrics: { id: string; streaming: boolean }[] }).metrics;
    const streaming = new Map(metrics.map((m) => [m.id, m.streaming]));
    // nps: counts per answer; backlog: a snapshot (every ticket, every period); fcr: decides from values what counts as resolved.
    expect([streaming.get('nps'), streaming.get('backlog'), streaming.get('fcr')]).toEqual([true, false, false]);
  });

  it('cxm help report prints what cxm report --help prints', () => {
    expect(r('helpReport').code).toBe(0);
    expect(r('helpReport').stdout).toBe(r('reportHelp').stdout);
  });

  it('--version and -V print the package.json version', () => {
    for (const name of ['version', 'versionShort'] as const) {
      expect(r(name).code).toBe(0);
      expect(r(name).stdout).toBe(`${pkg.version}\n`);
      expect(r(name).stderr).toBe('');
    }
  });
});

describe('usage errors exit 2 with one clear line, nothing on stdout', () => {
  it.each([
    ['noCommand', /^Usage: cxm \[options\] \[command\]/],
    ['configNoSub', /^Usage: cxm config \[options\] \[command\]/],
    ['unknownOption', /^cxm: error: unknown option '--bogus'\n/],
    ['unknownCommand', /^cxm: error: unknown command 'bogus'\n/],
    ['unknownReportOption', /^cxm: error: unknown option '--bogus'\n/],
    ['badFormat', /^cxm: error: option '-f, --format <format>' argument 'xml' is invalid\. Allowed choices are table, json, csv, md(, \w+)*\.\n/],
    ['badInspectFormat', /^cxm: error: option '-f, --format <format>' argument 'csv' is invalid\. Allowed choices are table, json\.\n/],
    ['badPeriod', /^cxm: error: option '--period <unit>' argument 'fortnight' is invalid\. Allowed choices are day, week, month, quarter, year\.\n/],
    ['badKind', /^cxm: error: option '--kind <kind>' argument 'tweet' is invalid\. Allowed choices are survey, ticket, call/],
    ['missingValue', /^cxm: error: option '-f, --format <format>' argument missing\n/],
    ['badTz', /^cxm: invalid option --tz: must be an IANA time zone such as Europe\/Madrid or UTC, got "Mars\/Olympus"\nhint: /],
    ['badRate', /^cxm: invalid option --max-reject-rate: must be a share between 0 and 1 \(0\.05 = 5%\), got "2"\nhint: /],
    ['badDelimiter', /^cxm: invalid option --delimiter: must be one of , ; tab \|, got "x"\nhint: /],
    ['badSince', /^cxm: invalid option --since: must be a date \(2025-03-01\) or a relative range .*got "someday"\nhint: /],
    ['untilBeforeSince', /^cxm: invalid option --until: must be after --since\nhint: /],
    ['badShowRejects', /^cxm: invalid option --show-rejects: must be a whole number \(0 or more\), got "many"\nhint: /],
    ['missingConfig', /^cxm: cannot read the config file no-such-config\.json: no such file\nhint: /],
  ] as const)('%s', (name, message) => {
    const result = r(name);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('input errors exit 3', () => {
  it('a missing input names it', () => {
    expect(r('missingInput').code).toBe(3);
    expect(r('missingInput').stderr).toMatch(/^cxm: no-such-dir: no such file or directory\nhint: /);
    expect(r('missingInput').stdout).toBe('');
  });

  it('with --debug, the stack trace names the TypeScript sources, not the bundle the code runs from', () => {
    const { code, stderr } = r('missingInputDebug');
    expect(code).toBe(3);
    expect(stderr).toMatch(/^cxm: no-such-dir: no such file or directory\nhint: /m);
    // expandInputs throws it: its frame maps back through dist/cxm's source map to src/sources/inputs.ts.
    expect(stderr).toMatch(/at expandInputs \(.*src\/sources\/inputs\.ts:\d+:\d+\)/);
    expect(stderr).not.toMatch(/at expandInputs \(.*dist\/cxm\//);
  });

  it('--strict fails on the two rejected NPS scores, naming file, line and column', () => {
    expect(r('strict').code).toBe(3);
    expect(r('strict').stdout).toBe('');
    expect(r('strict').stderr).toMatch(/fixtures\/demo\/encuestas_nps\.csv: 2 of 8846 rows rejected/);
    expect(r('strict').stderr).toContain('line 3610, column "Puntuación"');
  });
});

describe('colour obeys NO_COLOR, FORCE_COLOR and --no-color', () => {
  it('not a terminal and no FORCE_COLOR: no colour', () => {
    expect(r('colourDefault').code).toBe(0);
    expect(r('colourDefault').stdout).toContain('Customer satisfaction (CSAT)');
    expect(r('colourDefault').stdout).not.toContain(ESC);
  });

  it('FORCE_COLOR=1 colours the table, and the same text remains once the escapes are removed', () => {
    const coloured = r('colourForced').stdout;
    expect(coloured).toContain(ESC);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(r('colourDefault').stdout);
    expect(r('colourInspect').stdout).toContain(ESC);
  });

  it('NO_COLOR beats FORCE_COLOR, --no-color beats both, FORCE_COLOR=0 means none', () => {
    for (const name of ['colourNoColorWins', 'colourFlagWins', 'colourForceZero'] as const) {
      expect(r(name).code, name).toBe(0);
      expect(r(name).stdout, name).toBe(r('colourDefault').stdout);
    }
  });

  it('JSON and files written with --out are never coloured', () => {
    expect(r('colourJson').stdout).not.toContain(ESC);
    expect(r('colourOut').code, r('colourOut').stderr).toBe(0);
    expect(r('colourOut').stdout).toBe('');
    expect(readFileSync(path.join(tmp, 'coloured.txt'), 'utf8')).toBe(r('colourDefault').stdout);
  });
});

describe('a broken pipe', () => {
  it('cxm report … | head -1 exits 0 quietly', async () => {
    // ~900 KB of CSV: far more than a pipe buffers, so cxm is still writing when the reader leaves
    const child = cxmAsync(['report', 'fixtures/demo/llamadas.csv', '--period', 'day', '--by', 'queue', '--format', 'csv']);
    child.stdin.end();
    const err: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let first = '';
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString('utf8');
      child.stdout.destroy();
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    expect(first).toMatch(/^period_start,period_end,period,queue,metric,/);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(Buffer.concat(err).toString('utf8')).toBe('');
  });
});

describe('--out writes atomically', () => {
  it('replaces the previous file whole and prints nothing', () => {
    expect(r('outInspect').code).toBe(0);
    expect(r('outInspect').stdout).toBe('');
    const written = JSON.parse(readFileSync(path.join(tmp, 'out', 'inspect.json'), 'utf8')) as { inputs: InspectEntry[] };
    expect(written.inputs[0]).toMatchObject({ file: CSAT, kind: 'survey', read: 853 });
  });

  it('a target it cannot replace (a directory) fails with exit 3, leaving it and no temporary file behind', () => {
    expect(r('outOntoDirectory').code, r('outOntoDirectory').stderr).toBe(3);
    expect(r('outOntoDirectory').stdout).toBe('');
    expect(r('outOntoDirectory').stderr).toMatch(/^cxm: cannot write .*a-directory: .*\nhint: .*previous file.* left as it was/);
    expect(readdirSync(path.join(tmp, 'out', 'a-directory'))).toEqual(['keep.txt']);
    // every run of this file that wrote into out/ has finished: only what was put there remains
    expect(readdirSync(path.join(tmp, 'out')).sort()).toEqual(['a-directory', 'inspect.json']);
  });

  it('a missing folder fails with exit 3 and creates nothing', () => {
    expect(r('outMissingFolder').code).toBe(3);
    expect(r('outMissingFolder').stderr).toMatch(/^cxm: cannot write .*report\.txt: the folder does not exist\n/);
    expect(existsSync(path.join(tmp, 'no-such-folder'))).toBe(false);
  });
});

describe('- reads stdin', () => {
  it('report -: the CSAT survey piped in gives the same CSAT as the file', () => {
    expect(r('stdinReport').code).toBe(0);
    const model = JSON.parse(r('stdinReport').stdout) as ReportModel;
    expect(model.inputs).toEqual([expect.objectContaining({ file: '-', kind: 'survey', format: 'csv', read: 853, accepted: 853 })]);
    const scores = demo().csat.rows.map((row) => Number(row['csat']));
    // README: 76.6% satisfied (n = 853)
    const satisfied = scores.filter((s) => s >= 4).length;
    expect(satisfied).toBe(653);
    const csat = model.metrics.find((m) => m.id === 'csat' && m.segment === null && m.period === null)!;
    expect(csat.n).toBe(853);
    expect(Math.abs(csat.value! - satisfied / 853)).toBeLessThan(1e-12);
  });

  it('inspect -: a Windows-1252, semicolon file is sniffed from the bytes alone', () => {
    expect(r('stdinReturns').code).toBe(0);
    const [entry] = (JSON.parse(r('stdinReturns').stdout) as { inputs: InspectEntry[] }).inputs;
    expect(entry).toMatchObject({ file: '-', kind: 'return', encoding: 'windows-1252', delimiter: ';', read: 567, accepted: 567, rejected: 0, date_order: 'dmy' });
    expect(entry!.mapping).toMatchObject({ 'Nº devolución': 'id', Importe: 'amount' });
  });

  it('inspect -: rejects carry the physical line of the stream, named "-"', () => {
    expect(r('stdinNps').code).toBe(0);
    const [entry] = (JSON.parse(r('stdinNps').stdout) as { inputs: InspectEntry[] }).inputs;
    expect(entry).toMatchObject({ file: '-', kind: 'survey', encoding: 'utf-8-bom', read: 8846, accepted: 8844, rejected: 2 });
    expect(entry!.rejects.map((x) => [x.file, x.line, x.column, x.value])).toEqual([
      ['-', 3610, 'Puntuación', '11'],
      ['-', 6097, 'Puntuación', '-1'],
    ]);
  });
});
