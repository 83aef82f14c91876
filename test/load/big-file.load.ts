/**
 * Issue #9, load: a ~2 GB survey CSV, generated here (never committed), goes through the built
 * `cxm report --metrics nps,csat --by channel` (the streaming path, BENCHMARKS.md) with peak
 * memory under 300 MB, the row accounting intact and NPS/CSAT equal to what the generator counted.
 *
 * Opt-in, and outside `npm test`: `CXM_LOAD=1 npm run test:load` (several minutes).
 *   CXM_LOAD_BYTES=200000000   a smaller file (default 2 GiB)
 *   CXM_LOAD_THREADS=2         pass `--threads 2` (only if `cxm report --help` lists --threads)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../e2e/run.js';
import { type Expected, type Tally, writeSurveyFile } from './survey-file.js';

const ENABLED = process.env.CXM_LOAD === '1';
const TARGET_BYTES = Number(process.env.CXM_LOAD_BYTES ?? 2 * 1024 ** 3);
const THREADS = process.env.CXM_LOAD_THREADS;
const RSS_LIMIT_MB = 300;

interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  peakRssMb: number;
  /** How the peak was taken: GNU time's %M (the kernel's ru_maxrss), or /proc VmHWM polling. */
  method: '/usr/bin/time -f %M' | '/proc/PID/status VmHWM';
  wallSeconds: number;
}

/** Runs the built cxm and takes its peak resident set size. */
function runMeasured(args: string[]): Promise<Measured> {
  const viaTime = existsSync('/usr/bin/time');
  const command = viaTime ? '/usr/bin/time' : process.execPath;
  const argv = viaTime ? ['-f', '%M', process.execPath, BIN, ...args] : [BIN, ...args];
  const started = performance.now();
  const child = spawn(command, argv, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // Without GNU time: the high-water mark the kernel keeps for the process, read until it exits.
  let hwmKb = 0;
  const poll = viaTime
    ? null
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
        } catch {
          // the process has exited between two polls
        }
      }, 20);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (poll) clearInterval(poll);
      const wallSeconds = (performance.now() - started) / 1000;
      if (viaTime) {
        const lines = stderr.trimEnd().split('\n');
        const kb = Number(lines.pop());
        stderr = lines.join('\n');
        resolve({ code, stdout, stderr, peakRssMb: kb / 1024, method: '/usr/bin/time -f %M', wallSeconds });
      } else {
        resolve({ code, stdout, stderr, peakRssMb: hwmKb / 1024, method: '/proc/PID/status VmHWM', wallSeconds });
      }
    });
  });
}

interface MetricRow {
  id: string;
  value: number | null;
  n: number;
  segment: Record<string, string> | null;
  detail: Record<string, unknown>;
}

const HOW_TO = 'set CXM_LOAD=1 to run: CXM_LOAD=1 npm run test:load (several minutes, ~2 GB in the temp folder)';

describe.skipIf(!ENABLED)(`2 GB survey CSV, streamed in flat memory (${HOW_TO})`, () => {
  let dir = '';
  let file = '';
  let rejects = '';
  let expected: Expected;
  let run: Measured;
  let report: { metrics: MetricRow[]; inputs: { read: number; accepted: number; duplicate: number; rejected: number }[]; totals: Record<string, number> };

  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist/src/cli/main.js'))) throw new Error('build first: npm run build');
    dir = mkdtempSync(path.join(tmpdir(), 'cxm-load-'));
    file = path.join(dir, 'survey-big.csv');
    rejects = path.join(dir, 'rejects.csv');
    const args = ['report', file, '--metrics', 'nps,csat', '--by', 'channel', '--format', 'json', '--rejects', rejects];
    if (THREADS) {
      const help = spawnSync(process.execPath, [BIN, 'report', '--help'], { encoding: 'utf8' }).stdout;
      if (!help.includes('--threads')) throw new Error('CXM_LOAD_THREADS is set but `cxm report` has no --threads option');
      args.push('--threads', THREADS);
    }
    const genStarted = performance.now();
    expected = await writeSurveyFile(file, TARGET_BYTES);
    const genSeconds = (performance.now() - genStarted) / 1000;
    expect(statSync(file).size).toBe(expected.bytes);
    run = await runMeasured(args);
    console.log(
      [
        `load: ${file}: ${(expected.bytes / 1e9).toFixed(2)} GB (${expected.bytes.toLocaleString('en-US')} bytes), ` +
          `${expected.rows.toLocaleString('en-US')} rows, ${expected.lines.toLocaleString('en-US')} lines, generated in ${genSeconds.toFixed(1)} s`,
        `load: cxm ${args.join(' ')}`,
        `load: exit ${run.code}, wall ${run.wallSeconds.toFixed(1)} s, peak RSS ${run.peakRssMb.toFixed(1)} MB (${run.method}), ` +
          `${Math.round(expected.rows / run.wallSeconds).toLocaleString('en-US')} rows/s, ${(expected.bytes / 1e6 / run.wallSeconds).toFixed(1)} MB/s`,
      ].join('\n'),
    );
    if (run.code !== 0) console.log(`load: stderr: ${run.stderr.slice(-2000)}`);
    report = run.code === 0 ? JSON.parse(run.stdout) : { metrics: [], inputs: [], totals: {} };
  }, 60 * 60_000);

  // Also on failure: the file is 2 GB.
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 with peak RSS under 300 MB', () => {
    expect(run.stderr).not.toMatch(/cxm: .*error/i);
    expect(run.code).toBe(0);
    expect(run.peakRssMb).toBeGreaterThan(0);
    expect(run.peakRssMb).toBeLessThan(RSS_LIMIT_MB);
  });

  it('accounts for every row: accepted + duplicate + rejected = rows written', () => {
    expect(report.inputs).toHaveLength(1);
    const input = report.inputs[0]!;
    expect(input.read).toBe(expected.rows);
    expect(input.duplicate).toBe(expected.duplicates);
    expect(input.rejected).toBe(expected.rejectLines.length);
    expect(input.accepted).toBe(expected.rows - expected.duplicates - expected.rejectLines.length);
    expect(input.accepted + input.duplicate + input.rejected).toBe(expected.rows);
    expect(report.totals).toEqual({ read: input.read, accepted: input.accepted, duplicate: input.duplicate, rejected: input.rejected });
  });

  it('rejects exactly the planted lines, each for its nps', () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(rejects, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => Number(r.line))).toEqual(expected.rejectLines);
    expect(rows.map((r) => r.column)).toEqual(expected.rejectLines.map(() => 'nps'));
    expect(rows.map((r) => r.value)).toEqual(['11', 'abc', '-3', '7.5', '12', 'ten', '99']);
  });

  const check = (metrics: MetricRow[], segment: Record<string, string> | null, tally: Tally, label: string) => {
    const key = JSON.stringify(segment);
    const nps = metrics.find((m) => m.id === 'nps' && JSON.stringify(m.segment) === key);
    const csat = metrics.find((m) => m.id === 'csat' && JSON.stringify(m.segment) === key);
    expect(nps, `nps ${label}`).toBeDefined();
    expect(csat, `csat ${label}`).toBeDefined();
    const n = tally.promoters + tally.passives + tally.detractors;
    expect({ n: nps!.n, promoters: nps!.detail.promoters, passives: nps!.detail.passives, detractors: nps!.detail.detractors }, label).toEqual({
      n,
      promoters: tally.promoters,
      passives: tally.passives,
      detractors: tally.detractors,
    });
    // NPS = 100 × (promoters − detractors) / n from exact counts; JSON keeps 12 significant digits.
    expect(nps!.value, label).toBeCloseTo((100 * (tally.promoters - tally.detractors)) / n, 8);
    expect({ n: csat!.n, positive: csat!.detail.positive }, label).toEqual({ n: tally.csatN, positive: tally.csatPositive });
    expect(csat!.value, label).toBeCloseTo(tally.csatPositive / tally.csatN, 10);
  };

  it('reports NPS and CSAT overall equal to the generator’s own counts', () => {
    check(report.metrics, null, expected.overall, 'overall');
  });

  it('reports NPS and CSAT by channel equal to the generator’s own counts', () => {
    const channels = Object.keys(expected.byChannel).sort();
    expect(channels).toHaveLength(8);
    const reported = [...new Set(report.metrics.filter((m) => m.segment).map((m) => m.segment!.channel))].sort();
    expect(reported).toEqual(channels);
    for (const channel of channels) check(report.metrics, { channel }, expected.byChannel[channel]!, `channel=${channel}`);
  });
});
