/**
 * Reads inputs into a Dataset: sources (files -> raw rows) -> schema (kind, mapping, records) ->
 * dataset (accounting, de-duplication). The only orchestration of I/O below the CLI.
 */
import { resolve as resolvePath } from 'node:path';
import { createRequire } from 'node:module';
import type Picomatch from 'picomatch';
import { CxmError, isCxmError } from '../errors.js';
import type { Config, FileConfig } from '../schema/config.js';
import { detectKind, mapColumns, meetsNeeds } from '../schema/detect.js';
import type { Scales } from '../schema/kinds.js';
import { TableNormalizer, type Reject } from '../schema/normalize.js';
import { RECORD_KINDS, type RecordKind } from '../schema/records.js';
import { expandInputs } from '../sources/inputs.js';
import type { CsvDialect } from '../sources/csv.js';
import { readSource, type ReadLimit } from '../sources/read.js';
import { readCsvRange, type CsvRange, type RangeReadInfo } from '../sources/split.js';
import type { Cell, Delimiter, Encoding, SourceInfo } from '../sources/types.js';
import { splitExtension } from '../sources/sniff.js';
import type { WorkbookSink } from '../sources/xlsx.js';
import { Dataset, type RecordStream } from './dataset.js';

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
  /** `--sheet`: read only this sheet of each workbook. */
  sheet?: string;
  stdin?: NodeJS.ReadableStream;
  /** Called after each input, for progress on a terminal. */
  onInput?: (file: string, index: number, total: number) => void;
  /**
   * Where the records of a single-table input may go instead of the dataset (the engine's
   * one-pass metrics): used only when the inputs are one CSV or JSON file whose rows carry no
   * update time (the latest of duplicate rows could not be kept), and the stream claims its kind.
   */
  stream?: RecordStream;
  /**
   * Several files with `stream`: the caller has already seen (`oneStreamableKind`) that they hold
   * one kind without update times, so their headers are not read a second time.
   */
  oneKind?: boolean;
  /** Splitting one CSV file across threads (analysis/parallel.ts), main-thread side. */
  split?: SplitHooks;
  /** Worker side: read only this byte range of the (single) CSV file, with the dialect the main thread sniffed. */
  range?: { range: CsvRange; info: SourceInfo; read?: (result: RangeReadInfo) => void };
}

/** What the splitting of one CSV file learns while the main thread reads its first range. */
export interface SplitHooks {
  /** A plain CSV file is about to be tokenized: may return a byte limit (ReadSourceOptions.onCsv). */
  csv(file: string, info: SourceInfo, dialect: CsvDialect): ReadLimit | undefined;
  /** The table's header: its kind (null: not read) and whether its records go to the stream. */
  header(file: string, header: readonly string[], kind: RecordKind | null, streamed: boolean): void;
  /** The table was read; `decidedAtEnd`: its column decisions were taken only at its end (still buffering rows). */
  end(file: string, decidedAtEnd: boolean): void;
}

/** What kind detection is told about a table besides its headers. */
interface DetectOptions {
  kind: RecordKind | undefined;
  columns: Readonly<Record<string, string | null>>;
  constants: string[];
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

let picomatchLib: typeof Picomatch | undefined;

/** picomatch loads when a config entry's `match` is a pattern: most runs have none. */
function picomatch(): typeof Picomatch {
  return (picomatchLib ??= createRequire(import.meta.url)('picomatch') as typeof Picomatch);
}

/** The config entry for a file: the first whose `match` is its name, a path suffix, or a glob over the path. */
export function fileConfigFor(config: Config, file: string): FileConfig | undefined {
  const normalized = file.replace(/\\/g, '/');
  const base = normalized.split('/').pop() ?? normalized;
  return config.files?.find((entry) => {
    const match = entry.match.replace(/\\/g, '/');
    if (match === base || match === normalized || normalized.endsWith(`/${match}`)) return true;
    return picomatch().isMatch(normalized, match, { dot: true }) || picomatch().isMatch(base, match, { dot: true });
  });
}

export async function loadDataset(inputs: string[], options: LoadOptions): Promise<Dataset> {
  const files = await expandInputs(inputs, options.cwd);
  const dataset = new Dataset();
  const scales = resolveScales(options.config);
  // Streaming needs tables of one kind: links between kinds then have nothing to join. Several
  // files stream when a look at their headers shows that they all hold that one kind.
  const single = files.length === 1 || (options.stream && (options.oneKind || (await oneStreamableKind(files, options)))) ? options : { ...options, stream: undefined };
  for (const [index, file] of files.entries()) {
    await loadOne(dataset, file, single, scales);
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
  // One file may hold several tables (a workbook's sheets, `book.xlsx#Sheet`): each is its own
  // input, found in the config by its own name first, then by the file's.
  const configFor = (table: string): FileConfig | undefined =>
    table === file ? fileConfig : (fileConfigFor(options.config, table) ?? fileConfig);
  const detectOptions = (config: FileConfig | undefined): DetectOptions => ({
    kind: config?.kind ?? options.kind,
    columns: config?.columns ?? {},
    constants: Object.keys(config?.set ?? {}),
  });
  let input = -1;
  let table = file;
  let columns: string[] = [];
  let spreadsheet = false;
  // A workbook's rejects name their cells' column letters: xlsx.ts loads for workbooks only, on the
  // same extensions that make readSource read one (a CSV run and its worker threads start without it).
  const { ext } = splitExtension(file === '-' ? '' : file);
  const columnLetter = ext === '.xlsx' || ext === '.xls' ? (await import('../sources/xlsx.js')).columnLetter : null;
  let normalizer: TableNormalizer | null = null;
  const sink: WorkbookSink = {
    header: (header: string[], info: SourceInfo): 'skip' | void => {
      (normalizer as TableNormalizer | null)?.end();
      normalizer = null;
      table = info.file;
      columns = [...header];
      spreadsheet = info.format === 'xlsx';
      const config = configFor(table);
      if (config?.skip) {
        input = dataset.addInput({ ...blankInput(table, 'skipped', `skipped by the config entry "${config.match}"`), ...sourceFields(info) });
        return 'skip';
      }
      if (header.length === 0) {
        input = dataset.addInput({ ...blankInput(table, 'empty', 'the sheet is empty'), ...sourceFields(info) });
        return 'skip';
      }
      const detection = detectKind(header, table, detectOptions(config));
      if (detection.status === 'unrecognised') {
        input = dataset.addInput({ ...blankInput(table, 'unrecognised', detection.reason), ...sourceFields(info) });
        return 'skip';
      }
      input = dataset.addInput({
        ...blankInput(table, 'read', null),
        ...sourceFields(info),
        kind: detection.match.kind,
      });
      const kind = detection.match.kind;
      const updated = detection.match.mappings.some((m) => m.field === 'updatedAt') || 'updatedAt' in (config?.set ?? {});
      if (options.stream && info.format !== 'xlsx' && !updated && !dataset.streamed(kind) && dataset.records(kind).length === 0 && options.stream.claims(kind)) {
        dataset.streamTo(kind, options.stream);
      }
      options.split?.header(file, header, kind, dataset.streamed(kind));
      normalizer = new TableNormalizer({
        input,
        source: info,
        header,
        match: detection.match,
        options: {
          config: options.config,
          fileConfig: config,
          timezone: config?.timezone ?? options.timezone ?? options.config.timezone ?? 'UTC',
          dateOrder: options.dateOrder ?? options.config.dateOrder,
          scales,
        },
        onRecord: (record) => dataset.add(record),
        onReject: (reject) => dataset.reject(spreadsheet && columnLetter ? withColumnLetter(reject, columns, columnLetter) : reject),
      });
      dataset.inputs[input]!.plan = normalizer.plan;
    },
    headerRow: (rows: string[][], info: SourceInfo) => pickHeaderRow(rows, info.file, detectOptions(configFor(info.file))),
    row: (cells: Cell[], line: number) => normalizer?.push(cells, line),
    addColumns: (added: string[]) => {
      columns.push(...added);
      normalizer?.addColumns(added);
    },
    malformed: (line: number, _column: number | null, reason: string, raw: string) => {
      if (input < 0) return;
      dataset.reject({ input, file: table, line, column: null, value: raw.length > 60 ? `${raw.slice(0, 59)}…` : raw, reason });
    },
  };
  let info: SourceInfo;
  try {
    if (options.range) {
      const { range, info: given } = options.range;
      info = { ...given, notes: [] };
      const result = await readCsvRange(resolvePath(options.cwd, file), range, sink, info);
      options.range.read?.(result);
    } else {
      info = await readSource(file, sink, {
        onCsv: options.split ? (source, dialect) => options.split!.csv(file, source, dialect) : undefined,
        encoding: fileConfig?.encoding ?? options.encoding,
        delimiter: fileConfig?.delimiter ?? options.delimiter,
        sheet: options.sheet,
        stdin: options.stdin,
        cwd: options.cwd,
      });
    }
  } catch (error) {
    if (isCxmError(error)) throw error;
    throw new CxmError('INPUT_UNREADABLE', `could not be read (${(error as Error).message})`, {
      where: { file },
      hint: 'check that the file exists, is readable and is a CSV or JSON export',
      cause: error,
    });
  }
  const last = normalizer as TableNormalizer | null;
  last?.end();
  options.split?.end(file, last?.decidedAtEnd ?? false);
  // The decoder may switch encodings mid-stream (a Windows-1252 byte after the sniffed sample):
  // report what the file turned out to be.
  if (input >= 0 && dataset.inputs[input]!.file === file) dataset.inputs[input]!.encoding = info.encoding;
  if (input < 0) {
    // No header at all: an empty file.
    dataset.addInput({ ...blankInput(file, 'empty', 'the file is empty'), ...sourceFields(info) });
  }
}

/**
 * Whether several inputs may all stream: every one is a CSV or JSON file (no stdin, no
 * workbook) whose header is recognised as one and the same kind (or that is skipped, empty or
 * unrecognised: it adds no records), none maps or sets an update time (the latest of duplicate
 * rows could not be kept). Reads the head of each file (sniffing, header); a header that fails
 * (an ambiguous kind) answers no, and the real read reports it.
 */
export async function oneStreamableKind(files: readonly string[], options: LoadOptions): Promise<boolean> {
  let kind: RecordKind | null = null;
  for (const file of files) {
    if (file === '-' || /\.xlsx?$/i.test(file)) return false;
    const fileConfig = fileConfigFor(options.config, file);
    if (fileConfig?.skip) continue;
    let found: { kind: RecordKind; updated: boolean } | null | 'bad' = null;
    const sink: WorkbookSink = {
      header: (header: string[], info: SourceInfo): 'skip' => {
        if (info.format === 'xlsx' || header.length === 0) return 'skip';
        const detection = detectKind(header, info.file, {
          kind: fileConfig?.kind ?? options.kind,
          columns: fileConfig?.columns ?? {},
          constants: Object.keys(fileConfig?.set ?? {}),
        });
        if (detection.status === 'recognised') {
          const updated = detection.match.mappings.some((m) => m.field === 'updatedAt') || 'updatedAt' in (fileConfig?.set ?? {});
          found = { kind: detection.match.kind, updated };
        }
        return 'skip';
      },
      headerRow: () => -1,
      row: () => {},
      malformed: () => {},
    };
    try {
      const info = await readSource(file, sink, {
        encoding: fileConfig?.encoding ?? options.encoding,
        delimiter: fileConfig?.delimiter ?? options.delimiter,
        cwd: options.cwd,
      });
      if (info.format === 'xlsx') found = 'bad';
    } catch {
      return false;
    }
    const seen = found as { kind: RecordKind; updated: boolean } | null | 'bad';
    if (seen === 'bad') return false;
    if (seen === null) continue;
    if (seen.updated || (kind !== null && seen.kind !== kind)) return false;
    kind = seen.kind;
  }
  return kind !== null;
}

/**
 * Spreadsheets: which of a sheet's top rows is the header, a title block may sit above it. The
 * first row that kind detection recognises (or that is ambiguous between kinds, or names a column
 * of the config: the header() call then reports it); else the row whose headers match the most
 * aliases of any one kind; else -1 (the reader's own choice).
 */
function pickHeaderRow(rows: readonly string[][], file: string, detect: DetectOptions): number {
  let best = -1;
  let bestHits = 0;
  for (const [i, cells] of rows.entries()) {
    if (cells.every((c) => c === '')) continue;
    try {
      if (detect.kind) {
        if (meetsNeeds(detect.kind, mapColumns(detect.kind, cells, detect.columns), detect.constants)) return i;
      } else if (detectKind(cells, file, detect).status === 'recognised') {
        return i;
      }
    } catch (error) {
      if (isCxmError(error)) return i;
      throw error;
    }
    const hits = Math.max(...RECORD_KINDS.map((kind) => mapColumns(kind, cells).length));
    if (hits > bestHits) {
      best = i;
      bestHits = hits;
    }
  }
  return best;
}

/** A spreadsheet reject names its cell's column letter too: `Puntuación (D)`, with the row as its line. */
function withColumnLetter(reject: Reject, columns: readonly string[], columnLetter: (index: number) => string): Reject {
  if (reject.column === null) return reject;
  const index = columns.indexOf(reject.column);
  return index < 0 ? reject : { ...reject, column: `${reject.column} (${columnLetter(index)})` };
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
