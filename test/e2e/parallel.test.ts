/**
 * `--threads`: one large streamed CSV read by several threads (analysis/parallel.ts) must print
 * byte for byte what one thread prints, rejects and their line numbers included, and fall back to
 * one thread where it cannot be sure. CXM_PARALLEL_MIN_BYTES=1 makes fixture-sized files split;
 * `--debug` says whether a run was split (`N ranges`) or why it was not (`one thread: …`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO, cxm, tempDir } from './run.js';

const env = { CXM_PARALLEL_MIN_BYTES: '1' };
const NOW = ['--now', '2026-01-01'];

/** Runs `args` with --threads 1 and --threads 2; both must succeed (or fail) alike and print the same. */
function both(args: string[], cwd?: string) {
  const one = cxm([...args, ...NOW, '--threads', '1', '--debug'], { env, cwd });
  const two = cxm([...args, ...NOW, '--threads', '2', '--debug'], { env, cwd });
  return { one, two };
}

const CHANNELS = ['email', 'web', 'phone', 'chat'];

/** A survey export: `rows` answers R1…, one a minute from 2025-03-01, with `edit` changing row i's line. */
function surveyCsv(rows: number, edit: (i: number, line: string) => string = (_i, line) => line, eol = '\n'): string {
  const lines = ['response_id,submitted_at,customer_id,channel,nps,csat,comment'];
  for (let i = 1; i <= rows; i++) {
    const at = new Date(Date.UTC(2025, 2, 1) + i * 60_000).toISOString().slice(0, 19) + 'Z';
    const comment = i % 7 === 0 ? `"slow, ""really""${eol}slow"` : i % 5 === 0 ? 'fine' : '';
    lines.push(edit(i, `R${i},${at},C${i % 300},${CHANNELS[i % 4]},${i % 11},${1 + (i % 5)},${comment}`));
  }
  return lines.join(eol) + eol;
}

describe('cxm report --threads', () => {
  it('splits the demo survey export and prints the same report as one thread', () => {
    const file = path.join(DEMO, 'encuestas_nps.csv');
    const { one, two } = both(['report', file, '--metrics', 'nps,csat', '--by', 'channel', '--period', 'month', '--format', 'json']);
    expect(one.code).toBe(0);
    expect(two.code).toBe(0);
    expect(two.stderr).toMatch(/2 ranges on 2 threads/);
    expect(one.stderr).not.toMatch(/ranges on/);
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(two.stdout) as { metrics: { id: string; n: number }[] };
    expect(report.metrics.length).toBeGreaterThan(0);
  });

  it('keeps rejects and their line numbers in both halves (--rejects identical), CRLF and quoted newlines included', () => {
    const dir = tempDir('cxm-par-');
    // 6,000 rows, CRLF, every 7th comment spans two lines. Bad values in both halves: an NPS of
    // 15 on row 100 and row 5,000, a row with too many fields at row 4,500.
    const text = surveyCsv(
      6000,
      (i, line) => (i === 100 || i === 5000 ? line.replace(/,(\d+),(\d),/, ',15,$2,') : i === 4500 ? `${line},x,y` : line),
      '\r\n',
    );
    writeFileSync(path.join(dir, 'answers.csv'), text);
    const args = ['report', 'answers.csv', '--metrics', 'nps,csat', '--by', 'channel', '--format', 'json'];
    const one = cxm([...args, ...NOW, '--threads', '1', '--rejects', 'r1.csv'], { env, cwd: dir });
    const two = cxm([...args, ...NOW, '--threads', '2', '--rejects', 'r2.csv', '--debug'], { env, cwd: dir });
    expect(one.code).toBe(0);
    expect(two.stderr).toMatch(/2 ranges on 2 threads/);
    expect(two.stdout).toBe(one.stdout);
    const r1 = readFileSync(path.join(dir, 'r1.csv'), 'utf8');
    expect(readFileSync(path.join(dir, 'r2.csv'), 'utf8')).toBe(r1);
    // Row i starts on line 1 + i + floor((i - 1) / 7): each 7th row before it took two lines.
    // Row 100: 1 + 100 + 14 = 115; row 4,500: 1 + 4,500 + 642 = 5,143; row 5,000: 1 + 5,000 + 714 = 5,715.
    const lines = r1
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((row) => Number(row.split(',')[1]));
    expect(lines).toEqual([115, 5143, 5715]);
  });

  it('falls back to one thread on an id in both halves (a duplicate across ranges)', () => {
    const dir = tempDir('cxm-par-');
    writeFileSync(path.join(dir, 'answers.csv'), surveyCsv(6000, (i, line) => (i === 5500 ? line.replace(/^R5500,/, 'R10,') : line)));
    const { one, two } = both(['report', 'answers.csv', '--metrics', 'nps,csat', '--by', 'channel', '--format', 'json'], dir);
    expect(two.stderr).toMatch(/one thread: an id of range 2 occurs in an earlier range/);
    expect(two.stdout).toBe(one.stdout);
    const report = JSON.parse(two.stdout) as { inputs: { files: { duplicate: number }[] } };
    expect(JSON.stringify(report)).toMatch(/"duplicate":1\b/);
  });

  it('falls back when only the second half proves the date order', () => {
    const dir = tempDir('cxm-par-');
    // Day-first dates, all with a day <= 12 (ambiguous) until row 4,000, then 13th-28th days.
    const lines = ['response_id,submitted_at,channel,nps'];
    for (let i = 1; i <= 6000; i++) {
      const day = i < 4000 ? 1 + (i % 12) : 13 + (i % 16);
      lines.push(`R${i},${String(day).padStart(2, '0')}/${String(1 + (i % 12)).padStart(2, '0')}/2025,${CHANNELS[i % 4]},${i % 11}`);
    }
    writeFileSync(path.join(dir, 'answers.csv'), lines.join('\n') + '\n');
    const { one, two } = both(['report', 'answers.csv', '--metrics', 'nps', '--by', 'channel', '--period', 'month', '--format', 'json'], dir);
    expect(one.code).toBe(0);
    expect(two.stderr).toMatch(/one thread: the first range failed|one thread: range 2 decided its columns differently/);
    expect(two.stdout).toBe(one.stdout);
  });

  it('splits a ticket export (durations) and prints the same as one thread', () => {
    const dir = tempDir('cxm-par-');
    const lines = ['ticket_id,created_at,first_reply_at,solved_at,channel,status'];
    for (let i = 1; i <= 8000; i++) {
      const created = Date.UTC(2025, 0, 1) + i * 600_000;
      const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
      lines.push(`T${i},${iso(created)},${iso(created + ((i * 7919) % 86_400) * 1000)},${iso(created + ((i * 104_729) % 900_000) * 1000)},${CHANNELS[i % 4]},solved`);
    }
    writeFileSync(path.join(dir, 'tickets.csv'), lines.join('\n') + '\n');
    const { one, two } = both(['report', 'tickets.csv', '--metrics', 'first_response_time,resolution_time', '--by', 'channel', '--period', 'week', '--format', 'json'], dir);
    expect(one.code).toBe(0);
    expect(two.stderr).toMatch(/2 ranges on 2 threads/);
    expect(two.stdout).toBe(one.stdout);
  });

  it('export --threads 2 writes the same rows as --threads 1', () => {
    const dir = tempDir('cxm-par-');
    writeFileSync(path.join(dir, 'answers.csv'), surveyCsv(6000));
    const { one, two } = both(['export', 'answers.csv', '--metrics', 'nps,csat', '--by', 'channel', '--period', 'week'], dir);
    expect(one.code).toBe(0);
    expect(two.stderr).toMatch(/2 ranges on 2 threads/);
    expect(two.stdout).toBe(one.stdout);
  });

  it('several files of one kind: one group of files per thread, the same report', () => {
    const dir = tempDir('cxm-par-');
    writeFileSync(path.join(dir, 'a.csv'), surveyCsv(3000, (i, line) => (i === 20 ? line.replace(/,(\d+),(\d),/, ',15,$2,') : line)));
    writeFileSync(path.join(dir, 'b.csv'), surveyCsv(3000, (i, line) => (i === 30 ? line.replace(/,(\d+),(\d),/, ',99,$2,') : line)).replace(/\nR(\d+),/g, '\nS$1,'));
    const args = ['report', 'a.csv', 'b.csv', '--metrics', 'nps,csat', '--by', 'channel', '--format', 'json'];
    const one = cxm([...args, ...NOW, '--threads', '1', '--rejects', 'r1.csv'], { env, cwd: dir });
    const two = cxm([...args, ...NOW, '--threads', '2', '--rejects', 'r2.csv', '--debug'], { env, cwd: dir });
    expect(one.code).toBe(0);
    expect(two.stderr).toMatch(/2 files in 2 groups on 2 threads/);
    expect(two.stdout).toBe(one.stdout);
    const rejects = readFileSync(path.join(dir, 'r1.csv'), 'utf8');
    expect(readFileSync(path.join(dir, 'r2.csv'), 'utf8')).toBe(rejects);
    // Row 20 of a.csv and row 30 of b.csv, each on line 1 + i + floor((i - 1) / 7): 23 and 35.
    expect(rejects).toMatch(/a\.csv,23,/);
    expect(rejects).toMatch(/b\.csv,35,/);
  });

  it('several files that overlap (re-exports): one thread, the later rows counted as duplicates', () => {
    const dir = tempDir('cxm-par-');
    writeFileSync(path.join(dir, 'a.csv'), surveyCsv(3000));
    writeFileSync(path.join(dir, 'b.csv'), surveyCsv(3500));
    const { one, two } = both(['report', 'a.csv', 'b.csv', '--metrics', 'nps,csat', '--by', 'channel', '--format', 'json'], dir);
    expect(one.code).toBe(0);
    expect(two.stderr).toMatch(/one thread: an id of group 2 occurs in an earlier file/);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stdout).toMatch(/"duplicate": 3000\b/);
  });

  it('files of several kinds: one thread, as before', () => {
    const { one, two } = both(['report', DEMO, '--format', 'json']);
    expect(one.code).toBe(0);
    expect(two.stderr).not.toMatch(/groups on/);
    expect(two.stdout).toBe(one.stdout);
  });

  it('rejects --threads 0', () => {
    const r = cxm(['report', path.join(DEMO, 'csat_survey.csv'), '--threads', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads: must be a whole number from 1 to 64/);
  });
});
