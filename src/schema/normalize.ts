/**
 * Rows -> records, one table at a time. The plan for a file (kind, column mapping, per-column
 * converters with their number style and date format) is decided once from a sample of the rows,
 * then every row goes through the same converters and the kind's zod schema, and ends as a record
 * or a reject with file, line, column, value and reason.
 *
 * Day-first vs month-first dates are decided per column from the values: rows are buffered until
 * every date column has shown a value that proves its order (a day above 12), so a file is never
 * silently swapped; a column that stays ambiguous to the end is an error asking for --date-order.
 */
import { CxmError } from '../errors.js';
import type { Cell, SourceInfo } from '../sources/types.js';
import type { Config, FileConfig } from './config.js';
import { DateOrderDecider, combineDateAndTime, inferDateFormat, parseDate, parseTimeOfDay, type DateFormat } from './dates.js';
import type { ColumnMapping, KindMatch } from './detect.js';
import { KINDS, normalizeHeader, type FieldSpec } from './fields.js';
import { recordSchema, type Scales } from './kinds.js';
import { compileFieldChecks } from './record-check.js';
import type { CxRecord, RecordKind } from './records.js';
import { DEFAULT_CHANNELS } from './channels.js';
import {
  durationUnitFromHeader,
  inferNumberStyle,
  inferScoreLabels,
  NPS_SCALE,
  parseScore,
  ScoreLabels,
  scoreParser,
  isBlank,
  isInvalid,
  parseBoolean,
  parseDuration,
  parseNumber,
  type Invalid,
  type NumberStyle,
} from './values.js';

export interface Reject {
  input: number;
  file: string;
  line: number;
  column: string | null;
  value: string | null;
  reason: string;
  /** Rows the config excludes on purpose: rejected, but not counted against --max-reject-rate. */
  excluded?: boolean;
}

export interface NormalizeOptions {
  config: Config;
  fileConfig: FileConfig | undefined;
  /** Time zone for local times (file config, then --tz, then config, then UTC). */
  timezone: string;
  dateOrder: 'dmy' | 'mdy' | 'ymd' | undefined;
  scales: Scales;
}

/** What `inspect` shows about a column: its field, how its values are read, and why. */
export interface ColumnPlan {
  header: string;
  field: string;
  type: FieldSpec['type'];
  via: 'alias' | 'config' | 'values';
  /** e.g. `dates dd/mm/yyyy HH:mm (day-first: proven by "31/01/2025")`, `decimal comma`, `minutes`. */
  reading: string;
}

export interface TablePlan {
  kind: RecordKind;
  why: string;
  columns: ColumnPlan[];
  unmapped: string[];
  /** Mappings dropped because the values did not fit the field (e.g. `Resolution time` is not a date). */
  dropped: string[];
  dateOrder: 'dmy' | 'mdy' | 'ymd' | null;
  notes: string[];
}

type Converter = (cell: Cell) => unknown;

interface BoundColumn {
  mapping: ColumnMapping;
  convert: Converter;
  /** The flags a sentinel word sets (`Offered` in a CSAT column), or undefined for any other text. */
  sentinel: ((text: string) => Readonly<Record<string, boolean | string>> | undefined) | null;
  /** True when the field's zod schema surely accepts the value (record-check.ts); else zod decides. */
  check: (value: unknown) => boolean;
  /** The cell's position in the row (`mapping.column`). */
  index: number;
  /** The field the column sets (`mapping.field`). */
  field: string;
  /**
   * The texts this column has already read, each with the value it sets (null: it sets nothing),
   * kept only for values that passed `check`: the same text through the same pure converter gives
   * the same value, which the same check accepts again. Only for the types whose columns repeat
   * their values ({@link REPEATING}); null for the others, and once {@link MEMO_LIMIT} texts are known.
   */
  known: Map<string, unknown> | null;
  /** `known` for one-character ASCII texts (`0`-`9`, `Y`), by char code: no hashing of the text. */
  knownChars: unknown[] | null;
}

const ANY = (): boolean => true;

/** `attrs` of a record whose unmapped cells are all blank: one shared, frozen, null-prototype object. */
const NO_ATTRS: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>);

/** Distinct texts remembered per column by {@link foldCache} and `known`: free text cannot grow them further. */
const MEMO_LIMIT = 4096;

/**
 * Field types whose converters are pure functions of the cell (the column's settings are fixed
 * once built) and whose columns usually repeat a few values: scores 0-10, CSAT 1-5, channels,
 * flags, small counts. Their rows remember each text's checked value (`BoundColumn.known`).
 */
const REPEATING: ReadonlySet<FieldSpec['type']> = new Set<FieldSpec['type']>(['category', 'enum', 'boolean', 'nps', 'score', 'number', 'money', 'count', 'duration']);

/**
 * `normalizeHeader` (NFKD, regexes) per distinct cell text rather than per cell: the columns it
 * runs on (channels, enum words, flags, sentinels, exclusions) hold few distinct values.
 */
function foldCache(): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    let folded = cache.get(text);
    if (folded === undefined) {
      folded = normalizeHeader(text);
      if (cache.size < MEMO_LIMIT) cache.set(text, folded);
    }
    return folded;
  };
}

/**
 * The same object, rebuilt so that its fields live inside it: V8 gives an object built key by key
 * only four in-object fields and puts the rest in a separate array, and its `{...copies}` inherit
 * that layout (about 80 more bytes per record). The JSON parser allocates objects with all their
 * fields in-object, so the template goes through it once (undefined values travel as null and
 * are put back).
 */
function inObject(template: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(template, (_key, value: unknown) => (value === undefined ? null : value))) as Record<string, unknown>;
  for (const key of Object.keys(template)) copy[key] = template[key];
  return copy;
}

/** The sentinel lookup of a column: folded text -> flags, skipping texts no key can match. */
function sentinelLookup(sentinels: Readonly<Record<string, Readonly<Record<string, boolean | string>>>>) {
  const map = new Map(Object.entries(sentinels));
  // Folding keeps a leading digit, so a number cannot be a sentinel unless some key starts with one.
  const digitKeys = [...map.keys()].some((key) => /^[0-9]/.test(key));
  const fold = foldCache();
  return (text: string) => {
    const c = text.charCodeAt(0);
    if (!digitKeys && c >= 48 && c <= 57) return undefined;
    return map.get(fold(text));
  };
}

/**
 * Sets `field` of `record`, for the bound column at `position`. One `record[field] = value` in the
 * row loop would store a different key for each column, which makes V8 look the field up in a
 * global cache per cell (a "megamorphic" keyed store: the hottest line of a 1M-row run); a store
 * site per column position sees one key per table, which V8 caches at the site. No generated code
 * (test/e2e/guarantees.test.ts: no code built from strings); columns past the twelfth share one site.
 */
function setField(position: number, record: Record<string, unknown>, field: string, value: unknown): void {
  switch (position) {
    case 0:
      record[field] = value;
      return;
    case 1:
      record[field] = value;
      return;
    case 2:
      record[field] = value;
      return;
    case 3:
      record[field] = value;
      return;
    case 4:
      record[field] = value;
      return;
    case 5:
      record[field] = value;
      return;
    case 6:
      record[field] = value;
      return;
    case 7:
      record[field] = value;
      return;
    case 8:
      record[field] = value;
      return;
    case 9:
      record[field] = value;
      return;
    case 10:
      record[field] = value;
      return;
    case 11:
      record[field] = value;
      return;
    default:
      record[field] = value;
  }
}

const SAMPLE_ROWS = 2_000;
/** Instants before 1900-01-02 (UTC+14 included) are placeholder dates, read as blanks. */
const PLACEHOLDER_DATE_LIMIT = Date.UTC(1900, 0, 2, 14);
/** Rows buffered at most while waiting for a date column to prove its order (bounded memory). */
const MAX_BUFFER_ROWS = 200_000;

function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell;
  if (cell instanceof Date) return cell.toISOString();
  return String(cell);
}

function truncate(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** Builds the lookup for a value map: normalized raw value -> canonical value. */
function valueMap(...maps: (Readonly<Record<string, string | number | boolean>> | undefined)[]): Map<string, string | number | boolean> {
  const out = new Map<string, string | number | boolean>();
  for (const map of maps) {
    if (!map) continue;
    for (const [raw, value] of Object.entries(map)) out.set(normalizeHeader(raw), value);
  }
  return out;
}

/**
 * Normalizes the rows of one table. Push rows with `push`, then call `end`; records and rejects
 * come out through the callbacks given to the constructor, in input order.
 */
export class TableNormalizer {
  readonly plan: TablePlan;
  private readonly kind: RecordKind;
  private readonly input: number;
  private readonly source: SourceInfo;
  private header: string[];
  private readonly options: NormalizeOptions;
  private readonly onRecord: (record: CxRecord) => void;
  private readonly onReject: (reject: Reject) => void;
  private readonly schema;
  /**
   * The kind schema's fields as "surely valid" predicates (record-check.ts), checked column by
   * column as the fields are set; a record with any doubt goes through `schema.safeParse`.
   */
  private readonly fieldChecks: Map<string, (value: unknown) => boolean> | null;
  /** Every record goes through zod (the template itself, a sentinel's flags, or the schema is in doubt). */
  private alwaysZod = false;
  private lineCheck: (value: unknown) => boolean = ANY;
  private attrsCheck: (value: unknown) => boolean = ANY;
  private buffer: { cells: Cell[]; line: number }[] | null = [];
  private bound: BoundColumn[] = [];
  private attrColumns: number[] = [];
  private deciders = new Map<number, DateOrderDecider>();
  private companions: { field: string; column: number; completes: string }[] = [];
  private readonly constants: Record<string, unknown>;
  private mappings: ColumnMapping[];
  /** Column index -> normalized raw values whose rows the config excludes, the header, and the column's folding. */
  private exclusions: [number, Set<string>, string, (text: string) => string][] = [];
  /**
   * Every record of the table starts as a copy of this object: every field the table can set, in
   * one order, so all its records share one hidden class with in-object fields (absent values are
   * undefined, which every reader treats as absent).
   */
  private template: Record<string, unknown> | null = null;

  constructor(args: {
    input: number;
    source: SourceInfo;
    header: string[];
    match: KindMatch;
    options: NormalizeOptions;
    onRecord: (record: CxRecord) => void;
    onReject: (reject: Reject) => void;
  }) {
    this.input = args.input;
    this.source = args.source;
    this.header = args.header;
    this.kind = args.match.kind;
    this.options = args.options;
    this.onRecord = args.onRecord;
    this.onReject = args.onReject;
    this.mappings = args.match.mappings;
    this.schema = recordSchema(this.kind, args.options.scales);
    this.fieldChecks = compileFieldChecks(this.schema);
    this.constants = Object.assign(Object.create(null), args.options.fileConfig?.set ?? {});
    const mapped = new Set(this.mappings.map((m) => m.column));
    this.plan = {
      kind: this.kind,
      why: args.match.why,
      columns: [],
      unmapped: args.header.filter((_, i) => !mapped.has(i)),
      dropped: [],
      dateOrder: null,
      notes: [],
    };
    const excludeSpec = args.options.fileConfig?.exclude ?? {};
    for (const [column, values] of Object.entries(excludeSpec)) {
      const index = args.header.findIndex((h) => normalizeHeader(h) === normalizeHeader(column));
      if (index < 0) {
        throw new CxmError('INVALID_CONFIG', `the config excludes rows by column "${column}", which this file does not have`, {
          where: { file: args.source.file },
          hint: `columns: ${args.header.slice(0, 12).join(', ')}${args.header.length > 12 ? ', …' : ''}`,
        });
      }
      this.exclusions.push([index, new Set(values.map(normalizeHeader)), args.header[index]!, foldCache()]);
    }
    for (const m of this.mappings) {
      if (m.spec.type === 'timestamp' && !this.options.dateOrder && !this.options.fileConfig?.dateOrder) {
        this.deciders.set(m.column, new DateOrderDecider());
      }
    }
  }

  /** Columns that appear after the header (JSON keys first seen late) are kept as attributes. */
  addColumns(columns: string[]): void {
    const start = this.header.length;
    this.header = [...this.header, ...columns];
    if (this.buffer === null) columns.forEach((_, i) => this.attrColumns.push(start + i));
    this.plan.unmapped.push(...columns);
  }

  push(cells: Cell[], line: number): void {
    if (this.buffer === null) {
      this.convertRow(cells, line);
      return;
    }
    this.buffer.push({ cells, line });
    for (const [column, decider] of this.deciders) {
      const cell = cells[column];
      if (typeof cell === 'string' && !isBlank(cell)) decider.feed(cell);
    }
    if (this.buffer.length >= SAMPLE_ROWS && this.datesSettled()) this.flush(false);
    else if (this.buffer.length >= MAX_BUFFER_ROWS) this.flush(false);
  }

  /** Whether the column decisions were taken at `end()`, on every row of the table (they had not settled before). */
  decidedAtEnd = false;

  end(): void {
    if (this.buffer !== null) {
      this.decidedAtEnd = true;
      this.flush(true);
    }
  }

  private datesSettled(): boolean {
    // A column whose sample holds no day/month value at all (ISO dates, typed date cells) has no
    // order to prove: waiting for a proof would only buffer rows.
    for (const decider of this.deciders.values()) if (decider.state === 'undecided' && decider.either !== undefined) return false;
    return true;
  }

  /** Decides the converters from the buffered sample, then drains the buffer through them. */
  private flush(atEnd: boolean): void {
    const rows = this.buffer ?? [];
    this.buildConverters(rows, atEnd);
    this.buffer = null;
    for (const row of rows) this.convertRow(row.cells, row.line);
  }

  private sampleOf(rows: { cells: Cell[] }[], column: number): string[] {
    const out: string[] = [];
    for (const row of rows) {
      const cell = row.cells[column];
      if (cell === null || cell === undefined) continue;
      if (typeof cell === 'string') {
        if (!isBlank(cell)) out.push(cell);
      } else out.push(cellText(cell));
      if (out.length >= 5_000 && !this.deciders.has(column)) break;
    }
    return out;
  }

  private buildConverters(rows: { cells: Cell[] }[], atEnd: boolean): void {
    const fileConfig = this.options.fileConfig;
    const timezone = this.options.timezone;
    const mapped = new Set<number>();
    const boundFields = new Set<string>();
    for (const mapping of this.mappings) {
      const sample = this.sampleOf(rows, mapping.column);
      let built = this.converterFor(mapping, sample, atEnd);
      if (built === null && mapping.via === 'alias') {
        // The header fits this field but the values don't (e.g. "First response time" holding
        // minutes rather than instants): try the kind's other fields with the same alias.
        const alternative = this.alternativeFor(mapping, sample, atEnd, boundFields);
        if (alternative) {
          built = alternative.built;
          mapping.field = alternative.field;
          mapping.spec = alternative.spec;
          this.plan.notes.push(`column "${mapping.header}": values fit ${alternative.field}, not the header's first meaning`);
        }
      }
      if (built === null) {
        this.plan.dropped.push(`${mapping.header} (as ${mapping.field}: ${this.lastDropReason})`);
        this.plan.unmapped.push(mapping.header);
        continue;
      }
      mapped.add(mapping.column);
      boundFields.add(mapping.field);
      if (mapping.spec.type === 'time_of_day') {
        this.companions.push({ field: mapping.field, column: mapping.column, completes: mapping.spec.completes ?? '' });
      }
      const sentinel = mapping.spec.sentinels ? sentinelLookup(mapping.spec.sentinels) : null;
      const repeating = REPEATING.has(mapping.spec.type);
      this.bound.push({
        mapping,
        convert: built.convert,
        sentinel,
        check: this.fieldChecks?.get(mapping.field) ?? ANY,
        index: mapping.column,
        field: mapping.field,
        known: repeating ? new Map() : null,
        knownChars: repeating ? new Array<unknown>(128).fill(undefined) : null,
      });
      this.plan.columns.push({ header: mapping.header, field: mapping.field, type: mapping.spec.type, via: mapping.via, reading: built.reading });
    }
    // A time-of-day column whose date column was not mapped is only an attribute.
    this.companions = this.companions.filter((c) => boundFields.has(c.completes));
    this.attrColumns = this.header.map((_, i) => i).filter((i) => !mapped.has(i));
    const template: Record<string, unknown> = { kind: this.kind, input: this.input, line: 0, attrs: NO_ATTRS };
    for (const key in this.constants) template[key] = this.constants[key];
    for (const column of this.bound) {
      if (!(column.mapping.field in template)) template[column.mapping.field] = undefined;
      for (const flags of Object.values(column.mapping.spec.sentinels ?? {})) {
        for (const key of Object.keys(flags)) if (!(key in template)) template[key] = undefined;
      }
    }
    for (const companion of this.companions) if (!(companion.completes in template)) template[companion.completes] = undefined;
    this.template = inObject(template);
    this.alwaysZod = !this.templateSurelyValid();
    if (fileConfig?.set) this.plan.notes.push(`set on every row: ${Object.entries(fileConfig.set).map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
    this.plan.notes.push(`local times read in ${timezone}`);
  }

  /**
   * Whether a record that keeps the template's values everywhere the columns set nothing surely
   * passes the schema: the constants, the base fields and the absent fields (undefined) as they
   * are, and every flag a sentinel can set. Then only the values the columns set need a check.
   */
  private templateSurelyValid(): boolean {
    const checks = this.fieldChecks;
    if (!checks) return false;
    const template = this.template!;
    for (const [field, check] of checks) if (!check(template[field])) return false;
    for (const column of this.bound) {
      for (const flags of Object.values(column.mapping.spec.sentinels ?? {})) {
        for (const [key, value] of Object.entries(flags)) if (!(checks.get(key) ?? ANY)(value)) return false;
      }
    }
    this.lineCheck = checks.get('line') ?? ANY;
    this.attrsCheck = checks.get('attrs') ?? ANY;
    return true;
  }

  private lastDropReason = '';

  private alternativeFor(mapping: ColumnMapping, sample: string[], atEnd: boolean, taken: Set<string>) {
    const norm = normalizeHeader(mapping.header);
    const fields = KINDS[this.kind].fields;
    for (const [field, spec] of Object.entries(fields)) {
      if (field === mapping.field || taken.has(field) || spec.type === mapping.spec.type) continue;
      if (this.mappings.some((m) => m.field === field)) continue;
      if (!spec.aliases.some((a) => normalizeHeader(a) === norm)) continue;
      const candidate: ColumnMapping = { ...mapping, field, spec };
      const built = this.converterFor(candidate, sample, atEnd);
      if (built) return { field, spec, built };
    }
    return null;
  }

  /**
   * Builds the converter of one column from its sample, or returns null when the values plainly
   * don't fit (more than half of the sample fails) and the mapping came from an alias.
   */
  private converterFor(mapping: ColumnMapping, sample: string[], atEnd: boolean): { convert: Converter; reading: string } | null {
    const spec = mapping.spec;
    const fileConfig = this.options.fileConfig;
    const config = this.options.config;
    const values = valueMap(config.values?.[mapping.field], fileConfig?.values?.[mapping.field]);
    const strict = mapping.via === 'config';
    const fits = (convert: Converter): boolean => {
      if (strict || sample.length === 0) return true;
      let bad = 0;
      const n = Math.min(sample.length, 500);
      for (let i = 0; i < n; i++) {
        const raw = sample[i]!;
        if (spec.sentinels && normalizeHeader(raw) in spec.sentinels) continue;
        const v = convert(raw);
        if (isInvalid(v)) {
          bad++;
          if (!this.lastDropReason || bad === 1) this.lastDropReason = `e.g. ${(v as Invalid).reason}`;
        }
      }
      return bad * 2 <= n;
    };
    const fold = foldCache();
    const mapValue = (cell: Cell): Cell => {
      if (values.size === 0 || cell === null) return cell;
      const hit = values.get(fold(cellText(cell)));
      return hit === undefined ? cell : hit;
    };

    switch (spec.type) {
      // convertRow hands converters no null and no blank text cell: a text cell that trimming
      // leaves as it was is therefore not blank either (isBlank trims first), and needs no second look.
      case 'id':
        return {
          convert: (cell) => {
            if (typeof cell === 'string') {
              // Printable ASCII at both ends (the common case): trimming would leave the cell as it is.
              const first = cell.charCodeAt(0);
              const last = cell.charCodeAt(cell.length - 1);
              if (first > 32 && first < 127 && last > 32 && last < 127) return cell;
            }
            const text = cellText(cell).trim();
            if (text === cell) return text;
            return isBlank(text) ? null : text;
          },
          reading: 'identifier',
        };
      case 'text':
        return { convert: (cell) => (typeof cell === 'string' ? cell : cell === null || isBlank(cellText(cell)) ? null : cellText(cell)), reading: 'text' };
      case 'category': {
        const channelLike = mapping.field === 'channel';
        const defaults = channelLike ? DEFAULT_CHANNELS : null;
        return {
          convert: (cell) => {
            const mappedCell = mapValue(cell);
            const text = cellText(mappedCell).trim();
            if (isBlank(text)) return null;
            if (mappedCell !== cell) return text;
            if (defaults) return defaults.get(normalizeHeader(text)) ?? text.toLowerCase();
            return text;
          },
          reading: channelLike ? 'category (channel names folded: "Correo electrónico" -> email)' : values.size ? 'category (value map from config)' : 'category',
        };
      }
      case 'enum': {
        const words = valueMap(spec.values as Record<string, string> | undefined);
        return {
          convert: (cell) => {
            const text = cellText(mapValue(cell)).trim();
            if (isBlank(text)) return null;
            const hit = words.get(normalizeHeader(text)) ?? (values.size ? values.get(normalizeHeader(text)) : undefined);
            // An unknown word leaves the field empty (the raw value stays an attribute): an enum
            // never rejects a row, it only limits what can be computed.
            return hit ?? null;
          },
          reading: `one of ${[...new Set(Object.values(spec.values ?? {}))].join(', ')}`,
        };
      }
      case 'boolean': {
        const words = valueMap(spec.values as Record<string, boolean> | undefined);
        const convert: Converter = (cell) => {
          const mappedCell = mapValue(cell);
          if (typeof mappedCell === 'boolean') return mappedCell;
          const hit = words.size ? words.get(normalizeHeader(cellText(mappedCell))) : undefined;
          if (hit !== undefined) return hit;
          return parseBoolean(mappedCell);
        };
        if (!fits(convert)) return null;
        return { convert, reading: 'yes/no' };
      }
      case 'number':
      case 'money':
      case 'count': {
        const style = this.numberStyle(sample);
        const convert: Converter = (cell) => parseNumber(mapValue(cell), style);
        if (!fits(convert)) return null;
        return { convert, reading: `number, decimal ${style.decimal === ',' ? 'comma' : 'point'}` };
      }
      case 'duration': {
        const unit = durationUnitFromHeader(mapping.header) ?? spec.unit ?? 's';
        const style = this.numberStyle(sample);
        const convert: Converter = (cell) => parseDuration(mapValue(cell), unit, style);
        if (!fits(convert)) return null;
        const unitName = { s: 'seconds', min: 'minutes', h: 'hours', d: 'days' }[unit];
        return { convert, reading: `duration (bare numbers in ${unitName})` };
      }
      case 'nps': {
        const convert: Converter = (cell) => parseScore(mapValue(cell), NPS_SCALE);
        if (!fits(convert)) return null;
        return { convert, reading: 'NPS 0-10' };
      }
      case 'score': {
        const scale = this.options.scales[spec.scale ?? 'csat'];
        const labelSet = inferScoreLabels(sample);
        let labels = labelSet?.labels;
        let labelNote = '';
        if (labelSet && (labelSet.min !== scale.min || labelSet.max !== scale.max)) {
          // Good/Bad answers on a 1-5 scale: good is the top, bad the bottom, so the satisfied
          // share is right (the mean is then only indicative).
          const rescale = (v: number) => scale.min + ((v - labelSet.min) * (scale.max - scale.min)) / (labelSet.max - labelSet.min);
          labels = new ScoreLabels(Object.fromEntries([...labelSet.labels.entries()].map(([k, v]) => [k, rescale(v)])));
          labelNote = `, ${labelSet.id} labels read as ${scale.min}-${scale.max}`;
        } else if (labelSet) labelNote = `, ${labelSet.id} labels`;
        const parse = scoreParser({ min: scale.min, max: scale.max, integer: false, label: spec.scale?.toUpperCase() ?? 'score', labels });
        const convert: Converter = (cell) => parse(mapValue(cell));
        if (!fits(convert)) return null;
        return { convert, reading: `score on ${scale.min}-${scale.max}${labelNote}` };
      }
      case 'time_of_day': {
        const convert: Converter = (cell) => (cell instanceof Date ? cell.getUTCHours() * 3600 + cell.getUTCMinutes() * 60 + cell.getUTCSeconds() : parseTimeOfDay(cell));
        if (!fits(convert)) return null;
        return { convert, reading: `time of day, completes ${spec.completes}` };
      }
      case 'timestamp':
        return this.timestampConverter(mapping, sample, atEnd, mapValue);
    }
  }

  private numberStyle(sample: string[]): NumberStyle {
    const forced = this.options.fileConfig?.decimal;
    if (forced) return { decimal: forced, note: 'decimal separator from the config' };
    return inferNumberStyle(sample, this.options.config.locale);
  }

  private timestampConverter(mapping: ColumnMapping, sample: string[], atEnd: boolean, mapValue: (cell: Cell) => Cell) {
    const explicitOrder = this.options.fileConfig?.dateOrder ?? this.options.dateOrder;
    const decider = this.deciders.get(mapping.column);
    const order = explicitOrder ?? (decider && (decider.state === 'dmy' || decider.state === 'mdy') ? decider.state : undefined);
    if (decider?.state === 'conflict') {
      throw new CxmError('AMBIGUOUS_DATE_ORDER', `mixes day-first and month-first dates (${decider.evidence()})`, {
        where: { file: this.source.file, column: mapping.header },
        hint: 'fix the export, or say which order the column uses with --date-order dmy|mdy (or "dateOrder" for this file in the config)',
      });
    }
    const inferred = inferDateFormat(sample, { order, locale: this.options.config.locale });
    if ('ambiguous' in inferred) {
      if (mapping.via === 'alias' && !looksLikeDates(sample)) {
        this.lastDropReason = inferred.reason;
        return null;
      }
      const example = sample[0] ?? '';
      throw new CxmError(
        'AMBIGUOUS_DATE_ORDER',
        `dates like "${truncate(example, 30)}" could be day-first or month-first, and ${atEnd ? 'no value in the file' : `none of the first ${MAX_BUFFER_ROWS.toLocaleString('en')} rows`} settles it`,
        {
          where: { file: this.source.file, column: mapping.header },
          hint: 'say which with --date-order dmy (31/12/2025) or --date-order mdy (12/31/2025), or "dateOrder" in the config',
        },
      );
    }
    if ('invalid' in inferred) {
      this.lastDropReason = inferred.reason;
      if (mapping.via === 'config') {
        throw new CxmError('INVALID_CONFIG', `mapped to ${mapping.field}, but its values are not dates (${inferred.reason})`, {
          where: { file: this.source.file, column: mapping.header },
          hint: 'map the column to another field, or fix the export',
        });
      }
      return null;
    }
    const format: DateFormat = inferred.format;
    const zone = this.options.timezone;
    if (format.order && format.order !== 'ymd') this.plan.dateOrder = format.order;
    else if (format.order === 'ymd' && !this.plan.dateOrder) this.plan.dateOrder = 'ymd';
    const convert: Converter = (cell) => {
      const value = parseDate(mapValue(cell), format, zone);
      // Help desks and spreadsheets write 1900-01-01 (or Excel's day 0) for "never happened":
      // Zendesk's "Solved at" on unsolved tickets. It is a blank, not an instant.
      return typeof value === 'number' && value < PLACEHOLDER_DATE_LIMIT ? null : value;
    };
    const proof = decider && !explicitOrder && decider.proof ? ` (proven by "${truncate(decider.proof, 24)}")` : explicitOrder ? ' (order from --date-order / config)' : '';
    return { convert, reading: `date ${format.label}${proof}` };
  }

  private convertRow(cells: Cell[], line: number): void {
    if (this.exclusions.length > 0) {
      for (const [column, values, header, fold] of this.exclusions) {
        const cell = cells[column];
        if (cell !== null && cell !== undefined && values.has(fold(cellText(cell)))) {
          this.onReject({ input: this.input, file: this.source.file, line, column: header, value: cellText(cell), reason: 'excluded by the config', excluded: true });
          return;
        }
      }
    }
    const record: Record<string, unknown> = { ...this.template! };
    record.line = line;
    let doubt = this.alwaysZod || !this.lineCheck(line);
    const bound = this.bound;
    for (let i = 0; i < bound.length; i++) {
      const column = bound[i]!;
      const cell = cells[column.index] ?? null;
      if (cell === null) continue;
      let known: Map<string, unknown> | null = null;
      if (typeof cell === 'string') {
        known = column.known;
        if (known !== null) {
          const hit = cell.length === 1 && cell.charCodeAt(0) < 128 ? column.knownChars![cell.charCodeAt(0)] : known.get(cell);
          if (hit !== undefined) {
            // Read and checked before: the same value, which the same check accepts.
            if (hit !== null) setField(i, record, column.field, hit);
            continue;
          }
        }
        if (isBlank(cell)) {
          if (known !== null) this.remember(column, cell, null);
          continue;
        }
        if (column.sentinel) {
          const flags = column.sentinel(cell);
          if (flags) {
            for (const key in flags) record[key] = flags[key];
            continue;
          }
        }
      }
      const value = column.convert(cell);
      if (value === null || value === undefined) {
        if (known !== null) this.remember(column, cell as string, null);
        continue;
      }
      if (isInvalid(value)) {
        this.reject(line, column.mapping.header, cellText(cell), (value as Invalid).reason);
        return;
      }
      setField(i, record, column.field, value);
      if (known !== null) {
        if (column.check(value)) this.remember(column, cell as string, value);
        else doubt = true;
      } else if (!doubt && !column.check(value)) doubt = true;
    }
    const companions = this.companions;
    for (let k = 0; k < companions.length; k++) {
      const companion = companions[k]!;
      const seconds = record[companion.field];
      const day = record[companion.completes];
      record[companion.field] = undefined;
      if (typeof seconds === 'number' && typeof day === 'number') {
        const at = combineDateAndTime(day, seconds, this.options.timezone);
        record[companion.completes] = at;
        if (!doubt && !(this.fieldChecks?.get(companion.completes) ?? ANY)(at)) doubt = true;
      }
    }
    let attrs: Record<string, string> | null = null;
    const attrColumns = this.attrColumns;
    for (let k = 0; k < attrColumns.length; k++) {
      const column = attrColumns[k]!;
      const cell = cells[column];
      if (cell === null || cell === undefined) continue;
      const text = cellText(cell);
      if (text === '' || isBlank(text)) continue;
      attrs ??= Object.create(null) as Record<string, string>;
      attrs[this.header[column] ?? `column_${column + 1}`] = text;
    }
    if (attrs !== null) {
      record.attrs = attrs;
      if (!doubt && !this.attrsCheck(attrs)) doubt = true;
    }
    if (doubt) {
      const checked = this.schema.safeParse(record);
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        const field = String(issue.path[0] ?? '');
        const column = this.bound.find((b) => b.mapping.field === field)?.mapping.header ?? field;
        const raw = this.bound.find((b) => b.mapping.field === field);
        this.reject(line, column, raw ? cellText(cells[raw.mapping.column] ?? null) : String(record[field] ?? ''), `${issue.message}${raw ? '' : ` (${field})`}`);
        return;
      }
    }
    this.onRecord(record as unknown as CxRecord);
  }

  /** Remembers what a text of `column` sets (see `BoundColumn.known`); a column with too many distinct texts stops remembering. */
  private remember(column: BoundColumn, text: string, value: unknown): void {
    const known = column.known!;
    if (text.length === 1 && text.charCodeAt(0) < 128) column.knownChars![text.charCodeAt(0)] = value;
    else if (known.size < MEMO_LIMIT) known.set(text, value);
    else column.known = null;
  }

  private reject(line: number, column: string | null, value: string | null, reason: string): void {
    this.onReject({ input: this.input, file: this.source.file, line, column, value: value === null ? null : truncate(value), reason });
  }
}

/** Do most values look like dates at all (digits with separators, or month names)? */
function looksLikeDates(sample: string[]): boolean {
  const n = Math.min(sample.length, 200);
  if (n === 0) return false;
  let hits = 0;
  for (let i = 0; i < n; i++) if (/\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/.test(sample[i]!)) hits++;
  return hits * 2 > n;
}
