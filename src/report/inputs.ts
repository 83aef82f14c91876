/**
 * The `inputs` part of every report model: what each file was read as and its row accounting
 * (DESIGN.md). `cxm inspect` adds the mapping, the unmapped columns, the date order and the first
 * rejects of each file.
 */
import type { Dataset, InputSummary } from '../dataset/dataset.js';
import type { Reject } from '../schema/normalize.js';

export interface InputEntry {
  file: string;
  kind: string | null;
  status: InputSummary['status'];
  reason: string | null;
  format: string | null;
  encoding: string | null;
  delimiter: string | null;
  compressed: boolean;
  read: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  excluded: number;
  date_range: [string, string] | null;
}

export interface InspectEntry extends InputEntry {
  why: string | null;
  mapping: Record<string, string>;
  columns: { column: string; field: string; reading: string; via: string }[];
  unmapped: string[];
  dropped: string[];
  date_order: string | null;
  notes: string[];
  rejects: RejectEntry[];
}

export interface RejectEntry {
  file: string;
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function inputEntry(input: InputSummary): InputEntry {
  return {
    file: input.file,
    kind: input.kind,
    status: input.status,
    reason: input.reason,
    format: input.format,
    encoding: input.encoding,
    delimiter: input.delimiter,
    compressed: input.compressed,
    read: input.read,
    accepted: input.accepted,
    duplicate: input.duplicate,
    rejected: input.rejected,
    excluded: input.excluded,
    date_range: input.dateRange ? [isoDay(input.dateRange[0]), isoDay(input.dateRange[1])] : null,
  };
}

export function rejectEntry(reject: Reject): RejectEntry {
  return { file: reject.file, line: reject.line, column: reject.column, value: reject.value, reason: reject.reason };
}

/** The model `cxm inspect` prints: every input with its plan and its first `maxRejects` rejects. */
export function buildInspectModel(dataset: Dataset, maxRejects = 20): { inputs: InspectEntry[] } {
  const rejectsByFile = new Map<string, RejectEntry[]>();
  for (const reject of dataset.rejects) {
    let list = rejectsByFile.get(reject.file);
    if (!list) rejectsByFile.set(reject.file, (list = []));
    if (list.length < maxRejects) list.push(rejectEntry(reject));
  }
  return {
    inputs: dataset.inputs.map((input) => {
      const plan = input.plan;
      const mapping: Record<string, string> = Object.create(null);
      for (const column of plan?.columns ?? []) mapping[column.header] = column.field;
      return {
        ...inputEntry(input),
        why: plan?.why ?? null,
        mapping: { ...mapping },
        columns: (plan?.columns ?? []).map((c) => ({ column: c.header, field: c.field, reading: c.reading, via: c.via })),
        unmapped: plan?.unmapped ?? [],
        dropped: plan?.dropped ?? [],
        date_order: plan?.dateOrder ?? null,
        notes: [...input.sourceNotes, ...(plan?.notes ?? [])],
        rejects: rejectsByFile.get(input.file) ?? [],
      };
    }),
  };
}
