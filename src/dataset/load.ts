/**
 * Reads inputs into a Dataset: sources (files -> raw rows) -> schema (kind, mapping, records) ->
 * dataset (accounting, de-duplication). The only orchestration of I/O below the CLI.
 */
import picomatch from 'picomatch';
import { CxmError, isCxmError } from '../errors.js';
import type { Config, FileConfig } from '../schema/config.js';
import { detectKind } from '../schema/detect.js';
import type { Scales } from '../schema/kinds.js';
import { TableNormalizer } from '../schema/normalize.js';
import type { RecordKind } from '../schema/records.js';
import { expandInputs } from '../sources/inputs.js';
import { readSource } from '../sources/read.js';
import type { Cell, Delimiter, Encoding, SourceInfo } from '../sources/types.js';
import { Dataset } from './dataset.js';

export interface LoadOptions {
  cwd: string;
  config: Config;
  /** Forces the kind of every input (`--kind`). */
  kind?: RecordKind;
  encoding?: Encoding;
  delimiter?: Delimiter;
  dateOrder?: 'dmy' | 'mdy' | 'ymd';
  /** `--tz`: time zone of local times without an offset. */
  timezone?: string;
  stdin?: NodeJS.ReadableStream;
  /** Called after each input, for progress on a terminal. */
  onInput?: (file: string, index: number, total: number) => void;
}

/** Default rating scales; the config overrides each. */
export function resolveScales(config: Config): Scales {
  const s = config.scales ?? {};
  return {
    csat: { min: s.csat?.min ?? 1, max: s.csat?.max ?? 5 },
    ces: { min: s.ces?.min ?? 1, max: s.ces?.max ?? 7 },
    review: { min: s.review?.min ?? 1, max: s.review?.max ?? 5 },
    frustration: { min: s.frustration?.min ?? 1, max: s.frustration?.max ?? 5 },
    social: { min: s.social?.min ?? 1, max: s.social?.max ?? 5 },
  };
}

/** The config entry for a file: the first whose `match` is its name, a path suffix, or a glob over the path. */
export function fileConfigFor(config: Config, file: string): FileConfig | undefined {
  const normalized = file.replace(/\\/g, '/');
  const base = normalized.split('/').pop() ?? normalized;
  return config.files?.find((entry) => {
    const match = entry.match.replace(/\\/g, '/');
    if (match === base || match === normalized || normalized.endsWith(`/${match}`)) return true;
    return picomatch.isMatch(normalized, match, { dot: true }) || picomatch.isMatch(base, match, { dot: true });
  });
}

export async function loadDataset(inputs: string[], options: LoadOptions): Promise<Dataset> {
  const files = await expandInputs(inputs, options.cwd);
  const dataset = new Dataset();
  const scales = resolveScales(options.config);
  for (const [index, file] of files.entries()) {
    await loadOne(dataset, file, options, scales);
    options.onInput?.(file, index, files.length);
  }
  return dataset;
}

async function loadOne(dataset: Dataset, file: string, options: LoadOptions, scales: Scales): Promise<void> {
  const fileConfig = fileConfigFor(options.config, file);
  if (fileConfig?.skip) {
    dataset.addInput(blankInput(file, 'skipped', `skipped by the config entry "${fileConfig.match}"`));
    return;
  }
  const timezone = fileConfig?.timezone ?? options.timezone ?? options.config.timezone ?? 'UTC';
  let input = -1;
  let normalizer: TableNormalizer | null = null;
  const sink = {
    header: (columns: string[], info: SourceInfo): 'skip' | void => {
      const detection = detectKind(columns, file, {
        kind: fileConfig?.kind ?? options.kind,
        columns: fileConfig?.columns ?? {},
        constants: Object.keys(fileConfig?.set ?? {}),
      });
      if (detection.status === 'unrecognised') {
        input = dataset.addInput({ ...blankInput(file, 'unrecognised', detection.reason), ...sourceFields(info) });
        return 'skip';
      }
      input = dataset.addInput({
        ...blankInput(file, 'read', null),
        ...sourceFields(info),
        kind: detection.match.kind,
      });
      normalizer = new TableNormalizer({
        input,
        source: info,
        header: columns,
        match: detection.match,
        options: {
          config: options.config,
          fileConfig,
          timezone,
          dateOrder: options.dateOrder ?? options.config.dateOrder,
          scales,
        },
        onRecord: (record) => dataset.add(record),
        onReject: (reject) => dataset.reject(reject),
      });
      dataset.inputs[input]!.plan = normalizer.plan;
    },
    row: (cells: Cell[], line: number) => normalizer?.push(cells, line),
    addColumns: (columns: string[]) => normalizer?.addColumns(columns),
    malformed: (line: number, _column: number | null, reason: string, raw: string) => {
      if (input < 0) return;
      dataset.reject({ input, file, line, column: null, value: raw.length > 60 ? `${raw.slice(0, 59)}…` : raw, reason });
    },
  };
  let info: SourceInfo;
  try {
    info = await readSource(file, sink, {
      encoding: fileConfig?.encoding ?? options.encoding,
      delimiter: fileConfig?.delimiter ?? options.delimiter,
      stdin: options.stdin,
    });
  } catch (error) {
    if (isCxmError(error)) throw error;
    throw new CxmError('INPUT_UNREADABLE', `could not be read (${(error as Error).message})`, {
      where: { file },
      hint: 'check that the file exists, is readable and is a CSV or JSON export',
      cause: error,
    });
  }
  (normalizer as TableNormalizer | null)?.end();
  if (input < 0) {
    // No header at all: an empty file.
    dataset.addInput({ ...blankInput(file, 'empty', 'the file is empty'), ...sourceFields(info) });
  }
}

function blankInput(file: string, status: 'read' | 'unrecognised' | 'skipped' | 'empty', reason: string | null) {
  return {
    file,
    kind: null,
    status,
    reason,
    format: null,
    encoding: null,
    delimiter: null,
    compressed: false,
    sourceNotes: [] as string[],
    plan: null,
  };
}

function sourceFields(info: SourceInfo) {
  return { format: info.format, encoding: info.encoding, delimiter: info.delimiter, compressed: info.compressed, sourceNotes: info.notes };
}
