/**
 * Header matching and kind detection: which record kind a file holds and which column means which
 * canonical field. Pure: headers and a file name in, a mapping out.
 */
import { CxmError } from '../errors.js';
import { KINDS, normalizeHeader, type FieldSpec } from './fields.js';
import { RECORD_KINDS, type RecordKind } from './records.js';

export interface ColumnMapping {
  /** Column index in the header. */
  column: number;
  header: string;
  field: string;
  spec: FieldSpec;
  /** `alias` (matched a known header) or `config` (the user's mapping). */
  via: 'alias' | 'config';
}

export interface KindMatch {
  kind: RecordKind;
  mappings: ColumnMapping[];
  score: number;
  /** Human-readable reason, e.g. `headers: Puntuación->nps, Fecha->submittedAt; file name "encuestas"`. */
  why: string;
}

export type Detection =
  | { status: 'recognised'; match: KindMatch }
  | { status: 'unrecognised'; reason: string };

/** Alias lookup tables, built once: normalized alias -> position in the field's alias list. */
const ALIAS_INDEX: ReadonlyMap<RecordKind, ReadonlyMap<string, Map<string, number>>> = new Map(
  RECORD_KINDS.map((kind) => {
    const perField = new Map<string, Map<string, number>>();
    for (const [field, spec] of Object.entries(KINDS[kind].fields)) {
      const aliases = new Map<string, number>();
      spec.aliases.forEach((alias, i) => {
        const key = normalizeHeader(alias);
        if (!aliases.has(key)) aliases.set(key, i);
      });
      // The field's own name is an alias too, split (`wait_seconds`) or as written (`waitSeconds`).
      aliases.set(normalizeHeader(field.replace(/([A-Z])/g, ' $1')), -1);
      aliases.set(normalizeHeader(field), -1);
      perField.set(field, aliases);
    }
    return [kind, perField];
  }),
);

/**
 * Maps columns to the fields of one kind. Explicit config mappings come first; then each field,
 * heaviest first, takes the unused column whose header is its earliest alias. A column serves at
 * most one field, and a field at most one column.
 */
export function mapColumns(kind: RecordKind, header: readonly string[], explicit: Readonly<Record<string, string | null>> = {}): ColumnMapping[] {
  const spec = KINDS[kind];
  const normalized = header.map(normalizeHeader);
  const used = new Set<number>();
  const mapped = new Set<string>();
  const out: ColumnMapping[] = [];

  const explicitByNorm = new Map<string, string | null>();
  for (const [column, field] of Object.entries(explicit)) explicitByNorm.set(normalizeHeader(column), field);
  normalized.forEach((norm, column) => {
    if (!explicitByNorm.has(norm)) return;
    used.add(column);
    const field = explicitByNorm.get(norm);
    if (field === null || field === undefined) return;
    const fieldSpec = spec.fields[field];
    if (!fieldSpec) {
      throw new CxmError('INVALID_CONFIG', `column "${header[column]}" is mapped to "${field}", which is not a field of ${kind} records`, {
        where: { field },
        hint: `fields of ${kind}: ${Object.keys(spec.fields).join(', ')}`,
      });
    }
    mapped.add(field);
    out.push({ column, header: header[column] ?? '', field, spec: fieldSpec, via: 'config' });
  });

  const fields = Object.entries(spec.fields).sort(([, a], [, b]) => (b.weight ?? 1) - (a.weight ?? 1));
  const aliasIndex = ALIAS_INDEX.get(kind)!;
  for (const [field, fieldSpec] of fields) {
    if (mapped.has(field)) continue;
    const aliases = aliasIndex.get(field)!;
    let best = -1;
    let bestRank = Infinity;
    normalized.forEach((norm, column) => {
      if (used.has(column)) return;
      const rank = aliases.get(norm);
      if (rank !== undefined && rank < bestRank) {
        best = column;
        bestRank = rank;
      }
    });
    if (best >= 0) {
      used.add(best);
      mapped.add(field);
      out.push({ column: best, header: header[best] ?? '', field, spec: fieldSpec, via: 'alias' });
    }
  }
  return out.sort((a, b) => a.column - b.column);
}

/** Does the mapping satisfy one of the kind's `needs` groups? */
export function meetsNeeds(kind: RecordKind, mappings: readonly ColumnMapping[], constants: readonly string[] = []): boolean {
  const have = new Set([...mappings.map((m) => m.field), ...constants]);
  return KINDS[kind].needs.some((group) => group.every((field) => have.has(field)));
}

function fileHintScore(kind: RecordKind, fileName: string): number {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const words = new Set(normalizeHeader(base.replace(/\.[a-z0-9]+$/i, '')).split(' '));
  const joined = ` ${[...words].join(' ')} `;
  return KINDS[kind].fileHints.some((hint) => (hint.includes(' ') ? joined.includes(` ${hint} `) : words.has(hint))) ? 2 : 0;
}

/**
 * Decides the kind of a table from its headers (and file-name hints such as `devoluciones` or
 * `tickets`). A kind is a candidate when its `needs` are met; the best score wins. When two kinds
 * score the same and the file name does not settle it, it is an error that asks for `--kind`.
 */
export function detectKind(
  header: readonly string[],
  fileName: string,
  options: { kind?: RecordKind; columns?: Readonly<Record<string, string | null>>; constants?: readonly string[] } = {},
): Detection {
  const kinds: readonly RecordKind[] = options.kind ? [options.kind] : RECORD_KINDS;
  const candidates: KindMatch[] = [];
  for (const kind of kinds) {
    const mappings = mapColumns(kind, header, options.columns);
    if (!options.kind && !meetsNeeds(kind, mappings, options.constants)) continue;
    const fieldScore = mappings.reduce((sum, m) => sum + (m.spec.weight ?? 1), 0);
    const hint = fileHintScore(kind, fileName);
    const score = fieldScore + hint;
    const why = [
      options.kind ? `kind given (--kind or config)` : '',
      mappings.length ? `headers: ${mappings.slice(0, 6).map((m) => `${m.header}->${m.field}`).join(', ')}${mappings.length > 6 ? ', …' : ''}` : '',
      hint ? `file name suggests ${KINDS[kind].label}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    candidates.push({ kind, mappings, score, why });
  }
  if (options.kind) {
    const match = candidates[0]!;
    if (!meetsNeeds(match.kind, match.mappings, options.constants)) {
      const needs = KINDS[match.kind].needs.map((g) => g.join(' + ')).join(' or ');
      throw new CxmError('AMBIGUOUS_KIND', `read as ${match.kind} records, but no column was recognised as ${needs}`, {
        where: { file: fileName },
        hint: `map the columns in the config: {"files": [{"match": "${fileName.split(/[\\/]/).pop()}", "kind": "${match.kind}", "columns": {"<header>": "<field>"}}]}`,
      });
    }
    return { status: 'recognised', match };
  }
  if (candidates.length === 0) {
    return { status: 'unrecognised', reason: 'no header matches the fields any record kind needs (not a survey, ticket, call, order, return, invoice, customer, social, employee-feedback, deal or onboarding export)' };
  }
  candidates.sort((a, b) => b.score - a.score || RECORD_KINDS.indexOf(a.kind) - RECORD_KINDS.indexOf(b.kind));
  // A weak match is not enough to call a file a record table: a low score, or id columns alone
  // (a bare `id` fits every kind, and weighs 3 for returns, invoices and deals) with no file-name hint.
  const strong = candidates.filter(
    (c) => c.score >= 3 && (c.mappings.some((m) => m.spec.type !== 'id') || fileHintScore(c.kind, fileName) > 0),
  );
  const [best, second] = strong;
  if (!best) {
    const guess = candidates[0]!;
    return { status: 'unrecognised', reason: `too few recognisable columns (best guess ${guess.kind}: ${guess.why || 'no headers'})` };
  }
  if (second && second.score === best.score) {
    throw new CxmError('AMBIGUOUS_KIND', `the headers fit both ${best.kind} and ${second.kind} records equally well`, {
      where: { file: fileName },
      hint: `say which with --kind ${best.kind} (or ${second.kind}), or in the config: {"files": [{"match": "${fileName.split(/[\\/]/).pop()}", "kind": "${best.kind}"}]}`,
    });
  }
  return { status: 'recognised', match: best };
}
