/**
 * Typed records per kind, de-duplicated by id, and the row accounting: for every input,
 * `read = accepted + duplicate + rejected`. Overlapping re-exports are normal, so a second row
 * with an id already seen is a duplicate, not an error; when both rows carry an update time the
 * later one is kept.
 */
import { CxmError } from '../errors.js';
import type { Reject, TablePlan } from '../schema/normalize.js';
import { RECORD_KINDS, TIME_FIELD, type CxRecord, type RecordKind, type RecordOf } from '../schema/records.js';
import type { SourceInfo } from '../sources/types.js';
import { IdIndex, type IdList } from './id-index.js';

/** What a dataset read, as plain data for another thread: see `Dataset.exportInputs`. */
export interface InputsPart {
  inputs: InputSummary[];
  rejects: Reject[];
  samples: [number, [number | string, CxRecord][]][];
  ids: IdList;
}

/**
 * What a dataset holds of one streamed input, as plain data (typed arrays transferable): the part
 * of a file another thread read, merged into the main thread's dataset (`Dataset.absorbStreamed`).
 */
export interface StreamedPart {
  counts: Pick<InputSummary, 'read' | 'accepted' | 'duplicate' | 'rejected' | 'excluded' | 'dateRange'>;
  rejects: Reject[];
  /** The input's samples (one record per distinct set of defined fields), by signature, in order. */
  samples: [number | string, CxRecord][];
  ids: IdList;
}

export type InputStatus = 'read' | 'unrecognised' | 'skipped' | 'empty';

export interface InputSummary {
  file: string;
  kind: RecordKind | null;
  status: InputStatus;
  /** Why a file was unrecognised or skipped. */
  reason: string | null;
  format: SourceInfo['format'] | null;
  encoding: SourceInfo['encoding'];
  delimiter: SourceInfo['delimiter'];
  compressed: boolean;
  sourceNotes: string[];
  plan: TablePlan | null;
  read: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  /** Rejected on purpose by a config exclusion (part of `rejected`). */
  excluded: number;
  /** Earliest and latest instant of the kind's time field among accepted rows. */
  dateRange: [number, number] | null;
}

/** Rejects kept in memory per input; the count is always exact. */
const MAX_REJECTS_KEPT = 100_000;

/**
 * Takes the accepted records of a kind as they are read, so that the dataset need not keep them:
 * the engine's one-pass metrics (`MetricStream`, analysis/engine.ts) on a single large export.
 */
export interface RecordStream {
  /** Whether the records of a table of `kind` may go to the stream instead of into the dataset. */
  claims(kind: RecordKind): boolean;
  /** One accepted record (duplicates by id are counted and never reach the stream). */
  add(record: CxRecord): void;
}

/** A kind whose records go to a stream: what the dataset keeps of them. */
interface StreamedKind {
  stream: RecordStream;
  /** Ids seen, for de-duplication: a streamed record cannot be replaced, so update times are refused. */
  ids: IdIndex;
  /** One record per table and distinct set of defined fields (see `Dataset.records`). */
  samples: Map<number, Map<number | string, CxRecord>>;
  /** The input whose samples map was looked up last, and that map: rows come a table at a time. */
  lastInput: number;
  lastSamples: Map<number | string, CxRecord> | null;
  list: CxRecord[] | null;
}

/** 2^i for the field positions a signature number can hold exactly. */
const BITS = Array.from({ length: 52 }, (_, i) => 2 ** i);

/** Which fields of a record are defined: a bit per field in key order (records of a table share it). */
function signature(record: CxRecord): number | string {
  const fields = record as unknown as Record<string, unknown>;
  let mask = 0;
  let i = 0;
  let extra = '';
  for (const key in fields) {
    if (fields[key] !== undefined) {
      if (i < 52) mask += BITS[i]!;
      else extra += `,${key}`;
    }
    i++;
  }
  return extra === '' ? mask : `${mask}${extra}`;
}

export class Dataset {
  readonly inputs: InputSummary[] = [];
  readonly rejects: Reject[] = [];
  private readonly byKind = new Map<RecordKind, CxRecord[]>();
  private readonly ids = new Map<RecordKind, IdIndex>();
  private readonly streams = new Map<RecordKind, StreamedKind>();
  /** The kind of the last record added, and its lists: rows come a table at a time. */
  private lastKind: RecordKind | null = null;
  private lastList: CxRecord[] = [];
  private lastIds = new IdIndex();
  /** Held records replaced in place by a newer duplicate (`add`), for `hasField`'s cache. */
  private replaced = 0;
  /** Per kind, the fields some record defines, and the list, length and replacement count they were read from. */
  private readonly definedFields = new Map<RecordKind, { list: readonly CxRecord[]; length: number; replaced: number; fields: Set<string> }>();
  /** The streamed kind of the last streamed record added, and what the dataset keeps of it. */
  private lastStreamedKind: RecordKind | null = null;
  private lastStreamed: StreamedKind | null = null;

  addInput(summary: Omit<InputSummary, 'read' | 'accepted' | 'duplicate' | 'rejected' | 'excluded' | 'dateRange'>): number {
    this.inputs.push({ ...summary, read: 0, accepted: 0, duplicate: 0, rejected: 0, excluded: 0, dateRange: null });
    return this.inputs.length - 1;
  }

  /**
   * From now on, the records of `kind` go to `stream` instead of being kept: de-duplicated by id
   * (the first row of an id wins: a kind whose rows carry update times must not be streamed), and
   * counted as usual. Only before the first record of the kind.
   */
  streamTo(kind: RecordKind, stream: RecordStream): void {
    if ((this.byKind.get(kind)?.length ?? 0) > 0 || this.streams.has(kind)) {
      throw new CxmError('INTERNAL', `records of kind ${kind} cannot be streamed: some are already held`);
    }
    this.streams.set(kind, { stream, ids: new IdIndex(false), samples: new Map(), lastInput: -1, lastSamples: null, list: null });
    if (this.lastKind === kind) this.lastKind = null;
  }

  /** Whether the records of `kind` went to a stream (then `records(kind)` holds samples only). */
  streamed(kind: RecordKind): boolean {
    return this.streams.has(kind);
  }

  /** Adds a normalized record, or counts it as a duplicate of one already held. */
  add(record: CxRecord): void {
    const input = this.inputs[record.input]!;
    input.read++;
    if (record.kind !== this.lastKind) {
      if (record.kind === this.lastStreamedKind) {
        this.addStreamed(this.lastStreamed!, input, record);
        return;
      }
      const streamed = this.streams.get(record.kind);
      if (streamed) {
        this.lastStreamedKind = record.kind;
        this.lastStreamed = streamed;
        this.addStreamed(streamed, input, record);
        return;
      }
      this.lastKind = record.kind;
      let list = this.byKind.get(record.kind);
      if (!list) this.byKind.set(record.kind, (list = []));
      let seen = this.ids.get(record.kind);
      if (!seen) this.ids.set(record.kind, (seen = new IdIndex()));
      this.lastList = list;
      this.lastIds = seen;
    }
    const list = this.lastList;
    if (record.id !== undefined) {
      const seen = this.lastIds;
      const at = seen.getOrAdd(record.id, list.length);
      if (at !== undefined) {
        const held = list[at]!;
        if (record.updatedAt !== undefined && held.updatedAt !== undefined && record.updatedAt > held.updatedAt) {
          // The newer row replaces the one held: the held row's input now counts it as the duplicate.
          list[at] = record;
          this.replaced++;
          const heldInput = this.inputs[held.input]!;
          heldInput.accepted--;
          heldInput.duplicate++;
          input.accepted++;
          this.widen(input, record);
        } else {
          input.duplicate++;
        }
        return;
      }
    }
    list.push(record);
    input.accepted++;
    this.widen(input, record);
  }

  private addStreamed(streamed: StreamedKind, input: InputSummary, record: CxRecord): void {
    if (record.id !== undefined && streamed.ids.getOrAdd(record.id, 0) !== undefined) {
      input.duplicate++;
      return;
    }
    if (record.updatedAt !== undefined) {
      throw new CxmError('INTERNAL', `a streamed ${record.kind} record carries an update time: the latest of its duplicates could not be kept`);
    }
    input.accepted++;
    this.widen(input, record);
    let samples = streamed.lastInput === record.input ? streamed.lastSamples : null;
    if (!samples) {
      samples = streamed.samples.get(record.input) ?? null;
      if (!samples) streamed.samples.set(record.input, (samples = new Map()));
      streamed.lastInput = record.input;
      streamed.lastSamples = samples;
    }
    // The first record of each distinct set of fields (a handful per table) is a sample.
    const sig = signature(record);
    if (!samples.has(sig)) {
      samples.set(sig, record);
      streamed.list = null;
    }
    streamed.stream.add(record);
  }

  /** One streamed input's share of this dataset (see `StreamedPart`). */
  exportStreamed(kind: RecordKind, input: number): StreamedPart {
    const streamed = this.streams.get(kind);
    if (!streamed) throw new CxmError('INTERNAL', `exportStreamed: ${kind} is not streamed`);
    const { read, accepted, duplicate, rejected, excluded, dateRange } = this.inputs[input]!;
    return {
      counts: { read, accepted, duplicate, rejected, excluded, dateRange },
      rejects: this.rejects.filter((r) => r.input === input),
      samples: [...(streamed.samples.get(input) ?? new Map<number | string, CxRecord>())],
      ids: streamed.ids.exportIds(),
    };
  }

  /**
   * Adds a part of input `input` read by another thread after what this dataset read of it, as if
   * its rows had come next: counts, rejects, new samples, ids. Returns how many of its ids this
   * dataset held already: rows that would have been duplicates here, whose records the other
   * thread's stream took; the caller must then not use the result.
   */
  absorbStreamed(kind: RecordKind, input: number, part: StreamedPart): number {
    const streamed = this.streams.get(kind);
    if (!streamed) throw new CxmError('INTERNAL', `absorbStreamed: ${kind} is not streamed`);
    const held = streamed.ids.mergeIds(part.ids);
    const summary = this.inputs[input]!;
    summary.read += part.counts.read;
    summary.accepted += part.counts.accepted;
    summary.duplicate += part.counts.duplicate;
    summary.rejected += part.counts.rejected;
    summary.excluded += part.counts.excluded;
    const range = part.counts.dateRange;
    if (range) {
      if (!summary.dateRange) summary.dateRange = [range[0], range[1]];
      else summary.dateRange = [Math.min(summary.dateRange[0], range[0]), Math.max(summary.dateRange[1], range[1])];
    }
    for (const reject of part.rejects) {
      if (this.rejects.length >= MAX_REJECTS_KEPT) break;
      this.rejects.push(reject.input === input ? reject : { ...reject, input });
    }
    let samples = streamed.samples.get(input);
    if (!samples) streamed.samples.set(input, (samples = new Map()));
    for (const [sig, record] of part.samples) {
      if (samples.has(sig)) continue;
      samples.set(sig, record.input === input ? record : { ...record, input });
      streamed.list = null;
    }
    return held;
  }

  /**
   * Everything this dataset read, as plain data for another thread's dataset (`absorbInputs`):
   * when every input is of `kind`, streamed, or holds no records.
   */
  exportInputs(kind: RecordKind): InputsPart {
    const streamed = this.streams.get(kind);
    return {
      inputs: this.inputs,
      rejects: this.rejects,
      samples: streamed ? [...streamed.samples].map(([input, samples]) => [input, [...samples]]) : [],
      ids: streamed ? streamed.ids.exportIds() : new IdIndex(false).exportIds(),
    };
  }

  /**
   * Appends the inputs another thread read (`exportInputs`), after this dataset's own, as if they
   * had been read next. Returns how many of their ids this dataset held already: rows that would
   * have been duplicates here, whose records the other thread's stream took; the caller must then
   * not use the result.
   */
  absorbInputs(kind: RecordKind, part: InputsPart): number {
    const streamed = this.streams.get(kind);
    if (!streamed) throw new CxmError('INTERNAL', `absorbInputs: ${kind} is not streamed`);
    const held = streamed.ids.mergeIds(part.ids);
    const base = this.inputs.length;
    this.inputs.push(...part.inputs);
    for (const reject of part.rejects) {
      if (this.rejects.length >= MAX_REJECTS_KEPT) break;
      this.rejects.push({ ...reject, input: reject.input + base });
    }
    for (const [input, samples] of part.samples) {
      streamed.samples.set(input + base, new Map(samples.map(([sig, record]) => [sig, { ...record, input: record.input + base }])));
    }
    streamed.lastInput = -1;
    streamed.lastSamples = null;
    streamed.list = null;
    return held;
  }

  reject(reject: Reject): void {
    const input = this.inputs[reject.input]!;
    input.read++;
    input.rejected++;
    if (reject.excluded) input.excluded++;
    if (this.rejects.length < MAX_REJECTS_KEPT) this.rejects.push(reject);
  }

  private widen(input: InputSummary, record: CxRecord): void {
    const t = (record as unknown as Record<string, unknown>)[TIME_FIELD[record.kind]];
    if (typeof t !== 'number') return;
    if (!input.dateRange) input.dateRange = [t, t];
    else {
      if (t < input.dateRange[0]) input.dateRange[0] = t;
      if (t > input.dateRange[1]) input.dateRange[1] = t;
    }
  }

  /**
   * Accepted records of one kind, in input order (a replaced duplicate takes the original's place).
   * For a kind that went to a stream, one record per table and distinct set of defined fields, in
   * order of first appearance: enough to tell whether the kind has records, and which fields they carry
   * (what a streamed metric's `unavailable()` may ask), not to count or compute.
   */
  records<K extends RecordKind>(kind: K): readonly RecordOf<K>[] {
    const streamed = this.streams.get(kind);
    if (streamed) {
      streamed.list ??= [...streamed.samples.values()].flatMap((samples) => [...samples.values()]);
      return streamed.list as unknown as RecordOf<K>[];
    }
    return (this.byKind.get(kind) ?? []) as unknown as RecordOf<K>[];
  }

  /**
   * Whether some record of `kind` (of `records(kind)`) has a value for `field`: what a metric's
   * `unavailable()` asks, metric after metric. The fields defined are read in one pass over the
   * records and kept until the records change, instead of a pass per question.
   */
  hasField(kind: RecordKind, field: string): boolean {
    const list = this.records(kind) as readonly CxRecord[];
    // A name every object answers through its prototype (`constructor`): asked of the records themselves.
    if (field in Object.prototype) return list.some((record) => (record as unknown as Record<string, unknown>)[field] !== undefined);
    let known = this.definedFields.get(kind);
    if (!known || known.list !== list || known.length !== list.length || known.replaced !== this.replaced) {
      const fields = new Set<string>();
      // Records of a table share their keys, in order: the key at each position, and whether it
      // is in `fields` already, spare a Set lookup per key and record.
      const names: string[] = [];
      const added: boolean[] = [];
      for (const record of list) {
        const values = record as unknown as Record<string, unknown>;
        let i = 0;
        for (const key in values) {
          if (names[i] !== key) {
            names[i] = key;
            added[i] = fields.has(key);
          }
          if (!added[i] && values[key] !== undefined) {
            fields.add(key);
            added[i] = true;
          }
          i++;
        }
      }
      known = { list, length: list.length, replaced: this.replaced, fields };
      this.definedFields.set(kind, known);
    }
    return known.fields.has(field);
  }

  kinds(): RecordKind[] {
    return RECORD_KINDS.filter((kind) => this.records(kind).length > 0);
  }

  /** Totals over all inputs. */
  totals(): { read: number; accepted: number; duplicate: number; rejected: number } {
    const t = { read: 0, accepted: 0, duplicate: 0, rejected: 0 };
    for (const input of this.inputs) {
      t.read += input.read;
      t.accepted += input.accepted;
      t.duplicate += input.duplicate;
      t.rejected += input.rejected;
    }
    return t;
  }
}

/**
 * Fails (exit 3) when any input rejected more than `maxRate` of its rows. Rows a config rule
 * excludes on purpose don't count.
 */
/** 0.02% stays 0.02%, not 0.0%: a share that fails a run must not print as nothing. */
function formatShare(share: number): string {
  const pct = share * 100;
  return `${pct >= 1 || pct === 0 ? pct.toFixed(1) : pct.toPrecision(2)}%`;
}

export function assertRejectRate(dataset: Dataset, maxRate: number): void {
  const over = dataset.inputs.filter((input) => {
    const counted = input.rejected - input.excluded;
    const base = input.read - input.excluded;
    return counted > 0 && base > 0 && counted / base > maxRate;
  });
  if (over.length === 0) return;
  const lines = over.map((input) => {
    const counted = input.rejected - input.excluded;
    const share = counted / (input.read - input.excluded);
    const first = dataset.rejects.find((r) => r.file === input.file && !r.excluded);
    const example = first ? `; first: line ${first.line}${first.column ? `, column "${first.column}"` : ''}: ${first.reason}` : '';
    return `${input.file}: ${counted} of ${input.read - input.excluded} rows rejected (${formatShare(share)})${example}`;
  });
  throw new CxmError('TOO_MANY_REJECTS', `too many rejected rows (allowed: ${(maxRate * 100).toFixed(1)}% per file):\n  ${lines.join('\n  ')}`, {
    hint: 'see every reject with `cxm inspect` or --rejects rejects.csv; fix the mapping in the config, or raise --max-reject-rate',
  });
}
