/**
 * A worker thread of analysis/parallel.ts: finds the record boundaries of the file (the same
 * scan on every thread gives the same boundaries), tells the main thread where its range ends
 * (worker 0), reads its own range through the usual loader into its own dataset and
 * `MetricStream`, and posts back what the main thread merges (`WorkerResult`), the id set's
 * typed arrays transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from '../dataset/load.js';
import { idListBuffers } from '../dataset/id-index.js';
import { metricById } from '../metrics/registry.js';
import type { RecordKind } from '../schema/records.js';
import { fileSource, findCsvSplits, type CsvRange, type RangeReadInfo } from '../sources/split.js';
import { MetricStream } from './engine.js';
import type { WorkerFilesJob, WorkerFilesResult, WorkerJob, WorkerResult, WorkerSplit } from './parallel.js';
import { resolve } from 'node:path';

const loaded = performance.now();

/** This worker's range, or null when the file has no boundary for it. */
function rangeOf(job: WorkerJob): CsvRange | null {
  const source = fileSource(resolve(job.load.cwd, job.file), job.size);
  let split;
  try {
    split = findCsvSplits(source, job.parts, job.dialect.newline, { firstShare: job.firstShare, maxPoints: job.index + 2 });
  } finally {
    source.close();
  }
  if (job.index === 0) parentPort!.postMessage({ type: 'split', end: split?.points[0]?.offset ?? null } satisfies WorkerSplit);
  const start = split?.points[job.index];
  if (!split || !start) return null;
  const last = job.index === job.parts - 2;
  const end = last ? job.size : split.points[job.index + 1]?.offset;
  if (end === undefined) return null;
  return { encoding: job.encoding, dialect: job.dialect, headerEnd: split.headerEnd, headerBreaks: split.headerBreaks, start: start.offset, end, line: start.line };
}

/** The worker's own `MetricStream`, from the engine options the main thread sent (metrics by id). */
function streamOf(sent: WorkerJob['engine']): MetricStream {
  const { metricIds, ...engine } = sent;
  const metrics = metricIds.map((id) => {
    const metric = metricById(id);
    if (!metric) throw new Error(`unknown metric ${id}`);
    return metric;
  });
  return new MetricStream({ ...engine, metrics });
}

async function run(job: WorkerJob): Promise<{ result: WorkerResult; transfer: ArrayBuffer[] }> {
  const range = rangeOf(job);
  const scanned = performance.now();
  if (!range) return { result: { type: 'result', ok: false, error: 'no record boundary for this range' }, transfer: [] };
  const stream = streamOf(job.engine);
  let header: string[] | null = null;
  let kind: RecordKind | null = null;
  let decidedAtEnd = false;
  let readInfo: RangeReadInfo = { prefixRecords: 0, replaced: false };
  const dataset = await loadDataset([job.file], {
    ...job.load,
    stream,
    split: {
      csv: () => undefined,
      header: (_file, columns, k) => {
        header = [...columns];
        kind = k;
      },
      end: (_file, atEnd) => {
        decidedAtEnd = atEnd;
      },
    },
    range: { range, info: job.info, read: (r) => (readInfo = r) },
  });
  const read = performance.now();
  const input = dataset.inputs[0];
  const streamed = kind !== null && dataset.streamed(kind);
  const part = streamed ? dataset.exportStreamed(kind!, 0) : null;
  const transfer = part ? idListBuffers(part.ids) : [];
  return {
    result: {
      type: 'result',
      ok: true,
      header,
      kind,
      streamed,
      decidedAtEnd,
      plan: input?.plan ?? null,
      notes: input?.sourceNotes ?? [],
      prefixRecords: readInfo.prefixRecords,
      replaced: readInfo.replaced,
      part,
      state: streamed ? stream.exportState() : null,
      timing: `worker ${job.index}: modules ${Math.round(loaded)} ms, scan ${Math.round(scanned - loaded)} ms, read ${Math.round(read - scanned)} ms, export ${Math.round(performance.now() - read)} ms`,
    },
    transfer,
  };
}

/** A group of whole files (several inputs of one streamed kind). */
async function runFiles(job: WorkerFilesJob): Promise<{ result: WorkerFilesResult; transfer: ArrayBuffer[] }> {
  const stream = streamOf(job.engine);
  // The main thread looked at every file's header already (oneStreamableKind).
  const dataset = await loadDataset(job.files, { ...job.load, stream, oneKind: true });
  const read = performance.now();
  const kinds = [...new Set(dataset.inputs.filter((i) => i.kind !== null).map((i) => i.kind!))];
  if (kinds.length > 1) return { result: { type: 'result', ok: false, error: `several kinds: ${kinds.join(', ')}` }, transfer: [] };
  const kind = kinds[0] ?? null;
  const streamed = kind !== null && dataset.streamed(kind);
  const part = dataset.exportInputs(kind ?? 'survey');
  const transfer = idListBuffers(part.ids);
  return {
    result: {
      type: 'result',
      ok: true,
      kind,
      streamed,
      part,
      state: streamed ? stream.exportState() : null,
      timing: `${job.files.length} files: modules ${Math.round(loaded)} ms, read ${Math.round(read - loaded)} ms`,
    },
    transfer,
  };
}

function start(job: WorkerJob | WorkerFilesJob): void {
  ('mode' in job ? runFiles(job) : run(job)).then(
    ({ result, transfer }) => {
      try {
        parentPort!.postMessage(result, transfer);
      } catch (error) {
        parentPort!.postMessage({ type: 'result', ok: false, error: `cannot send the result: ${(error as Error).message}` } satisfies WorkerResult | WorkerFilesResult);
      }
    },
    (error: unknown) => parentPort!.postMessage({ type: 'result', ok: false, error: error instanceof Error ? error.message : String(error) } satisfies WorkerResult),
  );
}

// Started ahead of its job (`prestartWorkers`): its modules load while the main thread starts up.
const data = workerData as WorkerJob | WorkerFilesJob | null;
if (data === null) parentPort!.once('message', (job: WorkerJob | WorkerFilesJob) => start(job));
else start(data);
