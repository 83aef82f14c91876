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

export class Dataset {
  readonly inputs: InputSummary[] = [];
  readonly rejects: Reject[] = [];
  private readonly byKind = new Map<RecordKind, CxRecord[]>();
  private readonly ids = new Map<RecordKind, Map<string, number>>();

  addInput(summary: Omit<InputSummary, 'read' | 'accepted' | 'duplicate' | 'rejected' | 'excluded' | 'dateRange'>): number {
    this.inputs.push({ ...summary, read: 0, accepted: 0, duplicate: 0, rejected: 0, excluded: 0, dateRange: null });
    return this.inputs.length - 1;
  }

  /** Adds a normalized record, or counts it as a duplicate of one already held. */
  add(record: CxRecord): void {
    const input = this.inputs[record.input]!;
    input.read++;
    let list = this.byKind.get(record.kind);
    if (!list) {
      list = [];
      this.byKind.set(record.kind, list);
    }
    if (record.id !== undefined) {
      let seen = this.ids.get(record.kind);
      if (!seen) {
        seen = new Map();
        this.ids.set(record.kind, seen);
      }
      const at = seen.get(record.id);
      if (at !== undefined) {
        const held = list[at]!;
        if (record.updatedAt !== undefined && held.updatedAt !== undefined && record.updatedAt > held.updatedAt) {
          // The newer row replaces the one held: the held row's input now counts it as the duplicate.
          list[at] = record;
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
      seen.set(record.id, list.length);
    }
    list.push(record);
    input.accepted++;
    this.widen(input, record);
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

  /** Accepted records of one kind, in input order (a replaced duplicate takes the original's place). */
  records<K extends RecordKind>(kind: K): readonly RecordOf<K>[] {
    return (this.byKind.get(kind) ?? []) as unknown as RecordOf<K>[];
  }

  kinds(): RecordKind[] {
    return RECORD_KINDS.filter((kind) => (this.byKind.get(kind)?.length ?? 0) > 0);
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
