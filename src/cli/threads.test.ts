import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputSizes, parseThreads, workersFor, workersToPrestart } from './threads.js';

describe('parseThreads', () => {
  it('defaults to the cores, less those the load average shows busy', () => {
    expect(parseThreads({}, {}, 2, 0.3)).toEqual({ threads: 2, minBytes: undefined, note: null });
    // 2 cores, load 1.2: round(2 - 1.2) = 1 idle core.
    expect(parseThreads({}, {}, 2, 1.2).threads).toBe(1);
    expect(parseThreads({}, {}, 2, 1.2).note).toMatch(/lowered from 2 to 1 thread: the load average is 1.20 on 2 cores/);
    // 8 cores, load 2.6: round(5.4) = 5.
    expect(parseThreads({}, {}, 8, 2.6).threads).toBe(5);
    expect(parseThreads({}, {}, 2, 7).threads).toBe(1);
  });

  it('takes --threads as given, whatever the load', () => {
    expect(parseThreads({ threads: '2' }, {}, 2, 7)).toEqual({ threads: 2, minBytes: undefined, note: null });
    expect(parseThreads({ threads: '1' }, {}, 8, 0).threads).toBe(1);
  });

  it('rejects anything but a whole number from 1 to 64', () => {
    for (const bad of ['0', '65', '1.5', 'two', '', '-1']) expect(() => parseThreads({ threads: bad }, {}, 2)).toThrow(/--threads: must be a whole number from 1 to 64/);
  });

  it('reads CXM_PARALLEL_MIN_BYTES', () => {
    expect(parseThreads({}, { CXM_PARALLEL_MIN_BYTES: '1' }, 2).minBytes).toBe(1);
    expect(parseThreads({}, { CXM_PARALLEL_MIN_BYTES: 'lots' }, 2).minBytes).toBeUndefined();
  });
});

describe('workersToPrestart (from the raw command line, before anything loads)', () => {
  const MiB = 1024 * 1024;
  const sizes: Record<string, number[]> = {
    'big.csv': [60 * MiB],
    'small.csv': [1 * MiB],
    'a.csv': [5 * MiB],
    'b.csv': [5 * MiB],
    // folders: the sizes of their data files
    'exports/': [3 * MiB, 4 * MiB, 2 * MiB],
    'few/': [1 * MiB, 2 * MiB],
    'one-big/': [60 * MiB],
    'empty/': [],
  };
  const sizeOf = (arg: string) => sizes[arg] ?? null; // anything else: names nothing
  const argv = (...args: string[]) => ['node', 'cxm', ...args];

  it('starts cores − 1 workers for one export of at least 8 MiB, whatever options surround it', () => {
    expect(workersToPrestart(argv('report', 'big.csv', '--by', 'channel', '--metrics', 'nps,csat'), {}, 2, 0, sizeOf)).toBe(1);
    expect(workersToPrestart(argv('check', '--require', 'nps >= 30', 'big.csv'), {}, 4, 0, sizeOf)).toBe(3);
    expect(workersToPrestart(argv('export', 'big.csv', '--threads=3'), {}, 2, 0, sizeOf)).toBe(2);
  });

  it('starts none for other commands, --threads 1, a busy machine, small inputs or no file argument', () => {
    expect(workersToPrestart(argv('inspect', 'big.csv'), {}, 2, 0, sizeOf)).toBe(0);
    expect(workersToPrestart(argv('report', 'big.csv', '--threads', '1'), {}, 2, 0, sizeOf)).toBe(0);
    expect(workersToPrestart(argv('report', 'big.csv'), {}, 2, 1.6, sizeOf)).toBe(0); // round(2 − 1.6) = 0 → 1 thread
    expect(workersToPrestart(argv('report', 'small.csv'), {}, 2, 0, sizeOf)).toBe(0);
    expect(workersToPrestart(argv('report', 'few/'), {}, 2, 0, sizeOf)).toBe(0); // 3 MiB in all
    expect(workersToPrestart(argv('report', 'empty/'), {}, 2, 0, sizeOf)).toBe(0);
    expect(workersToPrestart(argv('report', 'big.csv', '--threads', 'many'), {}, 2, 0, sizeOf)).toBe(0); // the real parse reports it
  });

  it('counts several files together, one worker per file at most, and honours CXM_PARALLEL_MIN_BYTES', () => {
    // a.csv + b.csv = 10 MiB ≥ 8 MiB: two files on 4 cores → min(4, 2) − 1 = 1 worker.
    expect(workersToPrestart(argv('report', 'a.csv', 'b.csv'), {}, 4, 0, sizeOf)).toBe(1);
    expect(workersToPrestart(argv('report', 'small.csv'), { CXM_PARALLEL_MIN_BYTES: '1000' }, 2, 0, sizeOf)).toBe(1);
  });

  it('counts the data files of a folder (the usual input) as files named one by one', () => {
    // 3 + 4 + 2 = 9 MiB in 3 files: min(4, 3) − 1 = 2 workers on 4 cores, 1 on 2.
    expect(workersToPrestart(argv('report', 'exports/', '--by', 'channel'), {}, 4, 0, sizeOf)).toBe(2);
    expect(workersToPrestart(argv('export', 'exports/'), {}, 2, 0, sizeOf)).toBe(1);
    // A folder holding one large export: split like the file itself.
    expect(workersToPrestart(argv('check', 'one-big/'), {}, 4, 0, sizeOf)).toBe(3);
    // A small folder beside a file: counted together (1 + 2 + 5 = 8 MiB, 3 files).
    expect(workersToPrestart(argv('report', 'few/', 'a.csv'), {}, 2, 0, sizeOf)).toBe(1);
  });
});


describe('workersFor and inputSizes (the early start, from the command line or from loadInputs)', () => {
  it('sizes a file, a folder’s data files, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cxm-threads-'));
    try {
      writeFileSync(join(dir, 'a.csv'), 'abc');
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'b.json'), '[1,2]');
      writeFileSync(join(dir, 'notes.md'), 'not data');
      expect(await inputSizes(join(dir, 'a.csv'))).toEqual([3]);
      expect([...(await inputSizes(dir))!].sort()).toEqual([3, 5]);
      expect(await inputSizes(join(dir, 'missing.csv'))).toBeNull();
      expect(await inputSizes('-')).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts the sizes together, one worker per file at most, none below the split size or on one thread', () => {
    const MiB = 1024 * 1024;
    const settings = (threads: number) => ({ threads, minBytes: undefined, note: null });
    expect(workersFor(settings(4), [[3 * MiB, 4 * MiB], null, [2 * MiB]])).toBe(2); // 9 MiB, 3 files
    expect(workersFor(settings(4), [[9 * MiB]])).toBe(3); // one file: split in 4
    expect(workersFor(settings(4), [[7 * MiB], null])).toBe(0); // below 8 MiB
    expect(workersFor(settings(1), [[60 * MiB]])).toBe(0);
    expect(workersFor({ threads: 2, minBytes: 10, note: null }, [[10]])).toBe(1);
  });
});
