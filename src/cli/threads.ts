/**
 * `--threads N` (report, export, check): how many threads may read one large export whose kind
 * streams (analysis/parallel.ts). `CXM_PARALLEL_MIN_BYTES` lowers the size from which a file is
 * split (tests force splitting small fixtures with it).
 */
import { Option } from 'commander';
import { PARALLEL_MIN_BYTES } from '../analysis/worker-pool.js';
import { invalidOption } from './options.js';

export function threadsOption(): Option {
  return new Option(
    '--threads <n>',
    'threads for a large CSV export (or several exports of one kind) whose metrics stream (e.g. nps, csat, first_response_time): 1 reads on one thread; the output is byte for byte the same on any number (default: the cores the load average shows idle)',
  );
}

export interface ThreadSettings {
  threads: number;
  minBytes: number | undefined;
  /** Why the default was lowered (for --debug), or null. */
  note: string | null;
}

/**
 * `--threads` (a whole number from 1 to 64), and CXM_PARALLEL_MIN_BYTES from the environment.
 * The default is the cores, less those the 1-minute load average shows busy (`load`): a second
 * thread on a core another process keeps busy only adds the cost of starting it. The output is
 * the same on any number of threads.
 */
export function parseThreads(raw: Record<string, unknown>, env: NodeJS.ProcessEnv, cores: number, load = 0): ThreadSettings {
  let threads = Math.max(1, Math.min(cores, 64));
  let note: string | null = null;
  const idle = Math.max(1, Math.round(cores - load));
  if (raw.threads === undefined && idle < threads) {
    note = `default lowered from ${threads} to ${idle} thread${idle === 1 ? '' : 's'}: the load average is ${load.toFixed(2)} on ${cores} cores`;
    threads = idle;
  }
  if (raw.threads !== undefined) {
    const text = String(raw.threads).trim();
    const n = Number(text);
    if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 1 || n > 64) throw invalidOption('--threads', 'a whole number from 1 to 64', raw.threads);
    threads = n;
  }
  const min = env.CXM_PARALLEL_MIN_BYTES;
  const minBytes = min !== undefined && /^\d+$/.test(min.trim()) ? Number(min) : undefined;
  return { threads, minBytes, note };
}

/** The commands that may read a large export on several threads. */
const THREADED_COMMANDS = new Set(['report', 'export', 'check']);

/**
 * How many workers to start before anything else is loaded, from the raw command line: for
 * `report`, `export` or `check` whose inputs (a guess: every argument naming an existing regular
 * file, or a directory's data files as `sizesOf` finds them) add up to the split size. 0 when in
 * doubt. The workers load their modules while this thread loads its own (~0.2-0.4 s saved);
 * `loadInputs` tops them up once the inputs are known, and those no job needs are stopped (or
 * die with the process: they are unref'd).
 *
 * `sizesOf(arg)`: the sizes of the files an argument stands for (one for a file, those of its
 * data files for a directory), or null when it names nothing readable.
 */
export function workersToPrestart(argv: readonly string[], env: NodeJS.ProcessEnv, cores: number, load: number, sizesOf: (arg: string) => readonly number[] | null): number {
  if (!THREADED_COMMANDS.has(argv[2] ?? '')) return 0;
  let rawThreads: string | undefined;
  let bytes = 0;
  let files = 0;
  for (let i = 3; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--threads') rawThreads = argv[++i];
    else if (arg.startsWith('--threads=')) rawThreads = arg.slice('--threads='.length);
    else if (!arg.startsWith('-')) {
      const sizes = sizesOf(arg);
      if (sizes !== null) {
        for (const size of sizes) bytes += size;
        files += sizes.length;
      }
    }
  }
  let settings: ThreadSettings;
  try {
    settings = parseThreads(rawThreads === undefined ? {} : { threads: rawThreads }, env, cores, load);
  } catch {
    return 0; // reported by the real parse
  }
  if (settings.threads < 2 || files === 0 || bytes < (settings.minBytes ?? PARALLEL_MIN_BYTES)) return 0;
  return Math.min(settings.threads, files > 1 ? files : settings.threads) - 1;
}
