/**
 * Worker threads for one large streamed CSV file (issue 8): the file is split at record
 * boundaries (sources/split.ts); the main thread reads the first range through the usual loader,
 * each worker (parallel-worker.ts) reads one later range through the same loader, normaliser,
 * de-duplication and `MetricStream`, and hands back its accounting, rejects, samples, id set,
 * column decisions and accumulators, which are merged as if its rows had come after the main
 * thread's.
 *
 * Correctness first: the merged result must be byte-identical to one thread's. Whenever that is
 * not certain, the whole input is read again on one thread, and a note says why (`--debug`):
 * the kind does not stream; the encoding is not single-byte safe; a range's header, kind or
 * column decisions differ from the first range's (a date order only one range proves, a number
 * style); a range had to decide its columns at its very end; a range other than the last hit a
 * quote error (its end may not be a record boundary for papaparse); the reader noted something
 * in a later range (blank lines, repeated headers); an id occurs in two ranges (its second row is
 * a duplicate that a worker's stream already counted); a worker failed.
 */
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Dataset, InputsPart, StreamedPart } from '../dataset/dataset.js';
import { loadDataset, oneStreamableKind, type LoadOptions, type SplitHooks } from '../dataset/load.js';
import type { TablePlan } from '../schema/normalize.js';
import type { RecordKind } from '../schema/records.js';
import { expandInputs } from '../sources/inputs.js';
import type { ReadLimit } from '../sources/read.js';
import { splittable, type CsvRange } from '../sources/split.js';
import type { SourceInfo } from '../sources/types.js';
import type { EngineOptions, MetricStream, StreamState } from './engine.js';
import { PARALLEL_MIN_BYTES, stopWaitingWorkers, takeWaitingWorker } from './worker-pool.js';

export { PARALLEL_MIN_BYTES, prestartWorkers } from './worker-pool.js';

export interface ParallelOptions {
  /** Threads to use (1: the one-thread path, untouched). */
  threads: number;
  /** Smallest file split (default PARALLEL_MIN_BYTES). */
  minBytes?: number;
  /** A new stream for each attempt (a fallback starts over), or undefined when the run does not stream. */
  makeStream: () => MetricStream | undefined;
}

export interface ParallelLoad {
  dataset: Dataset;
  /** Why the run used one thread after all, or how it was split: for `--debug`. */
  notes: string[];
}

/** Engine options without the metric objects: what a worker is sent. */
export interface WorkerEngineOptions extends Omit<EngineOptions, 'metrics'> {
  metricIds: string[];
}

/**
 * What a worker is told: the file and the dialect the main thread sniffed, and which range is its
 * own: the worker finds the boundaries itself (`findCsvSplits`, the same on every thread), so
 * that the main thread starts reading at once; worker 0 posts the first boundary back.
 */
export interface WorkerJob {
  file: string;
  load: Omit<LoadOptions, 'stream' | 'split' | 'range' | 'stdin' | 'onInput'>;
  engine: WorkerEngineOptions;
  info: SourceInfo;
  encoding: CsvRange['encoding'];
  dialect: CsvRange['dialect'];
  size: number;
  /** Ranges in all (the main thread reads range 0) and the first range's share of the bytes. */
  parts: number;
  firstShare: number;
  /** This worker reads range `index + 1`. */
  index: number;
}

/** A worker that reads whole files (several inputs of one streamed kind): a contiguous group of them. */
export interface WorkerFilesJob {
  mode: 'files';
  files: string[];
  load: WorkerJob['load'];
  engine: WorkerEngineOptions;
}

/** A files worker's answer. */
export type WorkerFilesResult =
  | { type: 'result'; ok: false; error: string }
  | { type: 'result'; ok: true; kind: RecordKind | null; streamed: boolean; part: InputsPart; state: StreamState | null; timing: string };

/** Worker 0's first message: where the main thread's range ends (null: no boundary, no split). */
export interface WorkerSplit {
  type: 'split';
  end: number | null;
}

export type WorkerResult =
  | { type: 'result'; ok: false; error: string }
  | {
      type: 'result';
      ok: true;
      header: string[] | null;
      kind: RecordKind | null;
      streamed: boolean;
      decidedAtEnd: boolean;
      plan: TablePlan | null;
      notes: string[];
      prefixRecords: number;
      replaced: boolean;
      part: StreamedPart | null;
      state: StreamState | null;
      /** When the worker started reading and finished, for --debug. */
      timing: string;
    };

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

const QUOTE_REASON = /^(unbalanced quote|malformed quotes)/;

/** A plan as compared between ranges: which value proved a date order does not matter, only the order. */
function planKey(plan: TablePlan | null): string {
  if (!plan) return 'null';
  return JSON.stringify({ ...plan, columns: plan.columns.map((c) => ({ ...c, reading: c.reading.replace(/ \(proven by ".*"\)$/, ' (proven)') })) });
}

interface Running {
  worker: Worker;
  result: Promise<WorkerResult>;
}

/**
 * The main thread's range takes a little more than its share: a worker first loads its modules and
 * scans (0.06 when the worker started after the main thread's modules; 0.02 since it starts first:
 * BENCHMARKS.md, round 3).
 */
const FIRST_SHARE_BONUS = 0.02;

function startWorker(job: WorkerJob | WorkerFilesJob, onSplit: (message: WorkerSplit) => void): Running {
  const ready = takeWaitingWorker();
  const worker = ready ?? new Worker(new URL('./parallel-worker.js', import.meta.url), { workerData: job });
  if (ready) {
    worker.ref();
    worker.postMessage(job);
  }
  const result = new Promise<WorkerResult>((resolvePromise) => {
    let done = false;
    const finish = (r: WorkerResult) => {
      if (!done) {
        done = true;
        resolvePromise(r);
      }
    };
    worker.on('message', (message: WorkerResult | WorkerSplit) => {
      if (message.type === 'split') onSplit(message);
      else finish(message);
    });
    worker.once('error', (error) => finish({ type: 'result', ok: false, error: error.message }));
    worker.once('exit', (code) => finish({ type: 'result', ok: false, error: `the worker exited (${code}) without a result` }));
  });
  return { worker, result };
}

/**
 * Loads `inputs` into a dataset whose streamed kind goes to `makeStream()`'s stream, on several
 * threads when the input is one plain CSV file of at least `minBytes` whose kind streams. The
 * stream used is the last one `makeStream` returned.
 */
export async function loadParallel(inputs: string[], load: LoadOptions, options: ParallelOptions): Promise<ParallelLoad> {
  try {
    return await loadParallelOnce(inputs, load, options);
  } finally {
    await stopWaitingWorkers();
  }
}

async function loadParallelOnce(inputs: string[], load: LoadOptions, options: ParallelOptions): Promise<ParallelLoad> {
  const notes: string[] = [];
  const oneThread = async (why: string | null): Promise<ParallelLoad> => {
    if (why) notes.push(`one thread: ${why}`);
    return { dataset: await loadDataset(inputs, { ...load, stream: options.makeStream() }), notes };
  };
  if (options.threads <= 1) return oneThread(null);
  const files = await expandInputs(inputs, load.cwd);
  if (files.length > 1) return loadFiles(files, load, options, notes, oneThread);
  if (files.length !== 1 || files[0] === '-') return oneThread(files.length === 1 ? 'stdin is read on one thread' : null);
  const file = files[0]!;
  const path = resolve(load.cwd, file);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return oneThread(null);
    size = info.size;
  } catch {
    return oneThread(null);
  }
  const minBytes = options.minBytes ?? PARALLEL_MIN_BYTES;
  if (size < minBytes) return oneThread(null);
  const stream = options.makeStream();
  if (!stream) return oneThread(null);
  const job = jobOf(load, stream);
  if (!job) return oneThread('the settings cannot be sent to a worker thread');
  const { workerLoad, engineJob } = job;

  const running: Running[] = [];
  const timings: string[] = [];
  const started = performance.now();
  const stopAll = async () => {
    await Promise.all(running.map((r) => r.worker.terminate()));
  };
  let control: ReadLimit | undefined;
  /** The split was called off (the kind does not stream, the main thread read past the boundary). */
  let cancelled = false;
  let main: { header: string[]; kind: RecordKind | null; streamed: boolean } | null = null;
  let mainDecidedAtEnd = false;
  let release = () => {};
  const cancel = (why: string) => {
    release();
    if (cancelled) return;
    cancelled = true;
    notes.push(`one thread: ${why}`);
    if (control) control.limit = Infinity;
    void stopAll();
    running.length = 0;
  };
  const hooks: SplitHooks = {
    csv: (_file, info, dialect) => {
      if (!splittable(info.encoding)) {
        notes.push(`one thread: ${info.encoding} is not split`);
        return undefined;
      }
      const parts = Math.min(options.threads, 64);
      const firstShare = Math.min(0.9, 1 / parts + FIRST_SHARE_BONUS);
      // Every boundary lies at or after size * firstShare (split.ts): this thread reads that far
      // at once, then waits for worker 0's scan if it has not answered yet.
      let resolveReady!: () => void;
      const ready = new Promise<void>((r) => (resolveReady = r));
      release = resolveReady;
      control = { limit: Infinity, seen: 0, hold: Math.floor(size * firstShare), ready };
      const limit = control;
      for (let index = 0; index < parts - 1; index++) {
        const job: WorkerJob = { file, load: workerLoad, engine: engineJob, info: { ...info, notes: [] }, encoding: info.encoding!, dialect, size, parts, firstShare, index };
        running.push(
          startWorker(job, (message) => {
            release();
            if (cancelled) return;
            if (message.end === null) cancel('no record boundary found to split the file at');
            else if (limit.seen > message.end) cancel('the first range was read past the boundary before it was found');
            else {
              limit.limit = message.end;
              timings.push(`boundary at ${Math.round(performance.now() - started)} ms`);
            }
          }),
        );
      }
      // Worker 0 failing before it posted its boundary must not leave this thread waiting.
      void running[0]?.result.then(() => release());
      return control;
    },
    header: (_file, header, kind, streamed) => {
      main = { header: [...header], kind, streamed };
      if (!streamed && control) cancel('the kind of the file does not stream');
    },
    end: (_file, decidedAtEnd) => {
      mainDecidedAtEnd = decidedAtEnd;
    },
  };

  let dataset: Dataset;
  try {
    dataset = await loadDataset(inputs, { ...load, stream, split: hooks });
  } catch (error) {
    if (running.length === 0) throw error;
    await stopAll();
    // A decision taken at the end of the first range may fail where the whole file would not.
    return oneThread(`the first range failed (${(error as Error).message})`);
  }
  if (running.length === 0 || control === undefined || (control as ReadLimit).limit === Infinity) {
    // Read whole on this thread (no boundary came, or in time): the workers' work is not needed.
    if (!cancelled && running.length > 0) notes.push('one thread: the file was read before a boundary was found');
    await stopAll();
    return { dataset, notes };
  }

  timings.push(`first range read at ${Math.round(performance.now() - started)} ms`);
  const results = await Promise.all(running.map((r) => r.result));
  timings.push(`workers done at ${Math.round(performance.now() - started)} ms (${results.map((r) => (r.ok ? r.timing : '-')).join('; ')})`);
  await stopAll();
  const first = main as { header: string[]; kind: RecordKind | null; streamed: boolean } | null;
  const why = ((): string | null => {
    if (!first || !first.streamed || first.kind === null) return 'the kind of the file does not stream';
    if (mainDecidedAtEnd) return 'the first range decided its columns only at its end';
    if (dataset.rejects.length >= 100_000) return 'too many rejects to compare';
    if (dataset.rejects.some((r) => r.input === 0 && QUOTE_REASON.test(r.reason))) return 'a quote error in the first range';
    const plan = planKey(dataset.inputs[0]?.plan ?? null);
    for (const [i, r] of results.entries()) {
      const n = i + 2;
      if (!r.ok) return `range ${n} failed (${r.error})`;
      if (!r.streamed || r.kind !== first.kind) return `range ${n} was read as another kind`;
      if (JSON.stringify(r.header) !== JSON.stringify(first.header)) return `range ${n} was read with another header`;
      if (r.prefixRecords > 0) return `the header prefix of range ${n} held records`;
      if (r.decidedAtEnd) return `range ${n} decided its columns only at its end`;
      if (planKey(r.plan) !== plan) return `range ${n} decided its columns differently (a date order, a number style)`;
      if (r.notes.length > 0) return `range ${n}: ${r.notes.join('; ')}`;
      if (r.replaced) return `range ${n} replaced invalid bytes`;
      if (i + 1 < results.length && r.part!.rejects.some((reject) => QUOTE_REASON.test(reject.reason))) return `a quote error in range ${n}`;
    }
    return null;
  })();
  if (why) return oneThread(why);
  const kind = first!.kind!;
  for (const [i, r] of results.entries()) {
    if (!r.ok) return oneThread('internal');
    if (dataset.absorbStreamed(kind, 0, r.part!) > 0) return oneThread(`an id of range ${i + 2} occurs in an earlier range (a duplicate across ranges)`);
    try {
      stream.absorb(r.state!);
    } catch (error) {
      // An accumulator that cannot cross threads (acc-state.ts): the one-thread result is the answer.
      return oneThread(`the accumulators of range ${i + 2} could not be merged (${(error as Error).message})`);
    }
  }
  timings.push(`merged at ${Math.round(performance.now() - started)} ms`);
  notes.push(`${file}: ${results.length + 1} ranges on ${results.length + 1} threads (${timings.join(', ')})`);
  return { dataset, notes };
}

/** What every worker is told of the run, or null when it cannot cross threads. */
function jobOf(load: LoadOptions, stream: MetricStream): { workerLoad: WorkerJob['load']; engineJob: WorkerEngineOptions } | null {
  const { metrics, ...engine } = stream.engineOptions;
  const workerLoad: WorkerJob['load'] = {
    cwd: load.cwd,
    config: load.config,
    kind: load.kind,
    encoding: load.encoding,
    delimiter: load.delimiter,
    dateOrder: load.dateOrder,
    timezone: load.timezone,
    sheet: load.sheet,
  };
  const engineJob: WorkerEngineOptions = { ...engine, metricIds: metrics.map((m) => m.id) };
  try {
    structuredClone({ workerLoad, engineJob });
  } catch {
    return null;
  }
  return { workerLoad, engineJob };
}

/**
 * Several files of one streamed kind: contiguous groups of about equal bytes, the first read here,
 * each other by a worker through the usual loader; the workers' inputs are appended in file order.
 * An id in two groups (overlapping exports: the later row is a duplicate) reads everything again
 * on one thread.
 */
async function loadFiles(
  files: string[],
  load: LoadOptions,
  options: ParallelOptions,
  notes: string[],
  oneThread: (why: string | null) => Promise<ParallelLoad>,
): Promise<ParallelLoad> {
  if (files.includes('-')) return oneThread('stdin is read on one thread');
  const sizes: number[] = [];
  for (const file of files) {
    try {
      const info = await stat(resolve(load.cwd, file));
      if (!info.isFile()) return oneThread(null);
      sizes.push(info.size);
    } catch {
      return oneThread(null);
    }
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total < (options.minBytes ?? PARALLEL_MIN_BYTES)) return oneThread(null);
  if (!(await oneStreamableKind(files, load))) return oneThread(null);
  const stream = options.makeStream();
  if (!stream) return oneThread(null);
  const job = jobOf(load, stream);
  if (!job) return oneThread('the settings cannot be sent to a worker thread');
  // Contiguous groups of about equal bytes: a file goes to the group its middle byte falls in.
  const parts = Math.min(options.threads, files.length, 64);
  const groups: string[][] = [];
  let sum = 0;
  for (const [i, file] of files.entries()) {
    const at = Math.min(parts - 1, Math.floor(((sum + sizes[i]! / 2) / total) * parts));
    if (groups.length === 0 || (at > groups.length - 1 && groups.length < parts)) groups.push([file]);
    else groups[groups.length - 1]!.push(file);
    sum += sizes[i]!;
  }
  if (groups.length < 2) return oneThread('the files cannot be shared out');
  const started = performance.now();
  const running = groups.slice(1).map((group) => startWorker({ mode: 'files', files: group, load: job.workerLoad, engine: job.engineJob }, () => {}));
  const stopAll = () => Promise.all(running.map((r) => r.worker.terminate()));
  let dataset: Dataset;
  try {
    dataset = await loadDataset(groups[0]!, { ...load, stream, oneKind: true });
  } catch (error) {
    await stopAll();
    return oneThread(`the first files failed (${(error as Error).message})`);
  }
  const results = (await Promise.all(running.map((r) => r.result))) as unknown as WorkerFilesResult[];
  await stopAll();
  const kinds = new Set(dataset.inputs.filter((i) => i.kind !== null).map((i) => i.kind!));
  const kind = [...kinds][0];
  if (kinds.size !== 1 || !kind || !dataset.streamed(kind)) return oneThread('the first files did not stream one kind');
  for (const [i, r] of results.entries()) {
    if (!r.ok) return oneThread(`group ${i + 2} failed (${r.error})`);
    const accepted = r.part.inputs.some((input) => input.accepted > 0 || input.duplicate > 0);
    if ((r.kind !== null && r.kind !== kind) || (accepted && !r.streamed)) return oneThread(`group ${i + 2} did not stream the same kind`);
    if (dataset.absorbInputs(kind, r.part) > 0) return oneThread(`an id of group ${i + 2} occurs in an earlier file (a duplicate across files)`);
    if (r.state) {
      try {
        stream.absorb(r.state);
      } catch (error) {
        return oneThread(`the accumulators of group ${i + 2} could not be merged (${(error as Error).message})`);
      }
    }
  }
  notes.push(`${files.length} files in ${groups.length} groups on ${groups.length} threads (${Math.round(performance.now() - started)} ms; ${results.map((r) => (r.ok ? r.timing : '-')).join('; ')})`);
  return { dataset, notes };
}
