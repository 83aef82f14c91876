/**
 * `--threads N` (report, export, check): how many threads may read one large export whose kind
 * streams (analysis/parallel.ts). `CXM_PARALLEL_MIN_BYTES` lowers the size from which a file is
 * split (tests force splitting small fixtures with it).
 */
import { statSync } from 'node:fs';
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
 * How many workers to start ahead for inputs of these sizes (per input: a file's size, or the
 * sizes of a folder's data files; null: it names nothing readable, and counts for nothing): 0
 * below the split size or on one thread; else one per file at most, threads − 1 in all.
 */
export function workersFor(settings: ThreadSettings, inputs: readonly (readonly number[] | null)[]): number {
  let bytes = 0;
  let files = 0;
  for (const sizes of inputs) {
    if (sizes === null) continue;
    for (const size of sizes) bytes += size;
    files += sizes.length;
  }
  if (settings.threads < 2 || files === 0 || bytes < (settings.minBytes ?? PARALLEL_MIN_BYTES)) return 0;
  return Math.min(settings.threads, files > 1 ? files : settings.threads) - 1;
}

/**
 * What `workersFor` needs to know of one input path: `[size]` for a regular file, the sizes of a
 * folder's data files (sources/inputs.ts `dataFileSizesSync`, loaded only when a folder is named),
 * null for anything else (stdin's `-`, a missing path). Synchronous stats: it runs before the
 * command's own modules load.
 */
export async function inputSizes(path: string): Promise<readonly number[] | null> {
  try {
    const info = statSync(path);
    if (info.isFile()) return [info.size];
    if (info.isDirectory()) return (await import('../sources/inputs.js')).dataFileSizesSync(path);
  } catch {
    // unreadable: the command reports it
  }
  return null;
}

/**
 * How many workers to start before anything else is loaded, from the raw command line: for
 * `report`, `export` or `check` whose inputs (a guess: every argument that `sizesOf` finds to be
 * a file or a folder of data files) add up to the split size (`workersFor`). 0 when in doubt. The
 * workers load their modules while this thread loads its own (~0.2-0.4 s saved); `loadInputs`
 * tops them up once the inputs are known, and those no job needs are stopped (or die with the
 * process: they are unref'd).
 */
export function workersToPrestart(argv: readonly string[], env: NodeJS.ProcessEnv, cores: number, load: number, sizesOf: (arg: string) => readonly number[] | null): number {
  if (!THREADED_COMMANDS.has(argv[2] ?? '')) return 0;
  let rawThreads: string | undefined;
  const inputs: (readonly number[] | null)[] = [];
  for (let i = 3; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--threads') rawThreads = argv[++i];
    else if (arg.startsWith('--threads=')) rawThreads = arg.slice('--threads='.length);
    else if (!arg.startsWith('-')) inputs.push(sizesOf(arg));
  }
  try {
    return workersFor(parseThreads(rawThreads === undefined ? {} : { threads: rawThreads }, env, cores, load), inputs);
  } catch {
    return 0; // reported by the real parse
  }
}
