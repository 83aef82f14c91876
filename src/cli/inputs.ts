/**
 * The first steps every reading command shares: validate the common options, load the dataset,
 * write `--rejects`, and enforce `--max-reject-rate`.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { MetricStream } from '../analysis/engine.js';
import type { Dataset, RecordStream } from '../dataset/dataset.js';
import { inputSizes, parseThreads, workersFor, type ThreadSettings } from './threads.js';
import { oneLine } from '../report/text.js';
import { isInteractive, stderrLine, writeFileAtomic } from './io.js';
import { parseCommonOptions, type CommonOptions } from './options.js';

export interface LoadedInputs {
  options: CommonOptions;
  dataset: Dataset;
}

/**
 * Starts the worker threads early (tops up those `main` started from the raw command line) when
 * the inputs, files or folders, reach the split size in all; none when an input is not there.
 */
async function prestart(inputs: string[], raw: Record<string, unknown>): Promise<void> {
  let settings: ThreadSettings;
  try {
    settings = parseThreads(raw, process.env, availableParallelism(), loadavg()[0]);
  } catch {
    return; // reported by the real parse
  }
  if (settings.threads < 2 || inputs.length === 0) return;
  const sizes: (readonly number[] | null)[] = [];
  for (const input of inputs) sizes.push(await inputSizes(input));
  if (sizes.includes(null)) return;
  const count = workersFor(settings, sizes);
  if (count > 0) (await import('../analysis/worker-pool.js')).prestartWorkers(count);
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
