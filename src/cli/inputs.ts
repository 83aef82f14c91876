/**
 * The first steps every reading command shares: validate the common options, load the dataset,
 * write `--rejects`, and enforce `--max-reject-rate`.
 */
import type { Dataset, RecordStream } from '../dataset/dataset.js';
import { oneLine } from '../report/text.js';
import { isInteractive, stderrLine, writeFileAtomic } from './io.js';
import { parseCommonOptions, type CommonOptions } from './options.js';

export interface LoadedInputs {
  options: CommonOptions;
  dataset: Dataset;
}

export async function loadInputs(
  inputs: string[],
  raw: Record<string, unknown>,
  settings: {
    enforceRejectRate?: boolean;
    /** Where the records of a single large export may go instead of the dataset (see `MetricStream`), given the parsed options. */
    stream?: (options: CommonOptions) => RecordStream | undefined;
  } = {},
): Promise<LoadedInputs> {
  const options = await parseCommonOptions(raw, process.cwd());
  const { loadDataset } = await import('../dataset/load.js');
  const { assertRejectRate } = await import('../dataset/dataset.js');
  const progress = isInteractive();
  const dataset = await loadDataset(inputs.length ? inputs : ['.'], {
    cwd: process.cwd(),
    config: options.config,
    kind: options.kind,
    encoding: options.encoding,
    delimiter: options.delimiter,
    dateOrder: options.dateOrder,
    timezone: options.timezone,
    sheet: options.sheet,
    stdin: process.stdin,
    stream: settings.stream?.(options),
    onInput: progress ? (file, i, n) => process.stderr.write(`\r\u001b[Kcxm: read ${i + 1}/${n} ${oneLine(file.slice(-60), 60)}`) : undefined,
  });
  if (progress) process.stderr.write('\r\u001b[K');
  if (options.rejects) {
    const { renderRejectsCsv } = await import('../report/render-csv.js');
    await writeFileAtomic(options.rejects, renderRejectsCsv(dataset.rejects));
    stderrLine(`cxm: wrote ${dataset.rejects.length} rejected row${dataset.rejects.length === 1 ? '' : 's'} to ${options.rejects}`);
  }
  if (settings.enforceRejectRate !== false) assertRejectRate(dataset, options.maxRejectRate);
  return { options, dataset };
}
