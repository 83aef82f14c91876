/**
 * The first steps every reading command shares: validate the common options, load the dataset,
 * write `--rejects`, and enforce `--max-reject-rate`.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { MetricStream } from '../analysis/engine.js';
import type { Dataset, RecordStream } from '../dataset/dataset.js';
import { parseThreads } from './threads.js';
import { oneLine } from '../report/text.js';
import { isInteractive, stderrLine, writeFileAtomic } from './io.js';
import { parseCommonOptions, type CommonOptions } from './options.js';

export interface LoadedInputs {
  options: CommonOptions;
  dataset: Dataset;
}

/** Starts the worker threads early when the inputs are files of at least the split size in all. */
async function prestart(inputs: string[], raw: Record<string, unknown>): Promise<void> {
  let threads: number;
  let minBytes: number | undefined;
  try {
    ({ threads, minBytes } = parseThreads(raw, process.env, availableParallelism(), loadavg()[0]));
  } catch {
    return; // reported by the real parse
  }
  if (threads < 2 || inputs.length === 0) return;
  const { statSync } = await import('node:fs');
  let bytes = 0;
  for (const input of inputs) {
    try {
      const info = statSync(input);
      if (!info.isFile()) return;
      bytes += info.size;
    } catch {
      return;
    }
  }
  const { PARALLEL_MIN_BYTES, prestartWorkers } = await import('../analysis/parallel.js');
  if (bytes >= (minBytes ?? PARALLEL_MIN_BYTES)) prestartWorkers(Math.min(threads, inputs.length > 1 ? inputs.length : threads) - 1);
}

export async function loadInputs(
  inputs: string[],
  raw: Record<string, unknown>,
  settings: {
    enforceRejectRate?: boolean;
    /** Where the records of a single large export may go instead of the dataset (see `MetricStream`), given the parsed options. */
    stream?: (options: CommonOptions) => RecordStream | undefined;
    /**
     * With `stream`: may read one large export on several threads (`--threads`, analysis/parallel.ts).
     * `stream` is then called again for each attempt; the last stream it returned is the one fed.
     */
    threads?: boolean;
  } = {},
): Promise<LoadedInputs> {
  // A large export that may be read on several threads: the workers start now, and load their
  // modules while this thread loads its own and reads the config (analysis/parallel.ts).
  if (settings.stream && settings.threads) await prestart(inputs, raw);
  const options = await parseCommonOptions(raw, process.cwd());
  const { loadDataset } = await import('../dataset/load.js');
  const { assertRejectRate } = await import('../dataset/dataset.js');
  const progress = isInteractive();
  const loadOptions = {
    cwd: process.cwd(),
    config: options.config,
    kind: options.kind,
    encoding: options.encoding,
    delimiter: options.delimiter,
    dateOrder: options.dateOrder,
    timezone: options.timezone,
    sheet: options.sheet,
    stdin: process.stdin,
    onInput: progress ? (file: string, i: number, n: number) => process.stderr.write(`\r\u001b[Kcxm: read ${i + 1}/${n} ${oneLine(file.slice(-60), 60)}`) : undefined,
  };
  const files = inputs.length ? inputs : ['.'];
  let dataset: Dataset;
  const { threads, minBytes, note } = parseThreads(raw, process.env, availableParallelism(), loadavg()[0]);
  if (note && options.debug && settings.threads) stderrLine(`cxm: threads: ${note}`);
  if (settings.stream && settings.threads && threads > 1) {
    const { loadParallel } = await import('../analysis/parallel.js');
    const makeStream = () => settings.stream!(options) as MetricStream | undefined;
    const loaded = await loadParallel(files, loadOptions, { threads, minBytes, makeStream });
    dataset = loaded.dataset;
    if (options.debug) for (const note of loaded.notes) stderrLine(`cxm: threads: ${note}`);
  } else {
    dataset = await loadDataset(files, { ...loadOptions, stream: settings.stream?.(options) });
  }
  if (progress) process.stderr.write('\r\u001b[K');
  if (options.rejects) {
    const { renderRejectsCsv } = await import('../report/render-csv.js');
    await writeFileAtomic(options.rejects, renderRejectsCsv(dataset.rejects));
    stderrLine(`cxm: wrote ${dataset.rejects.length} rejected row${dataset.rejects.length === 1 ? '' : 's'} to ${options.rejects}`);
  }
  if (settings.enforceRejectRate !== false) assertRejectRate(dataset, options.maxRejectRate);
  return { options, dataset };
}
